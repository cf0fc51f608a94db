"""Names from edgeocr 0.1 keep working, with a DeprecationWarning, as the objects they moved to."""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest

import edge_app
from edge_app._moved import MOVED


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_module_paths_import_with_a_warning(old):
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} moved to {MOVED[old]}"):
        alias = importlib.import_module(old)
    new = importlib.import_module(MOVED[old])
    public = [n for n in dir(new) if not n.startswith("_")]
    assert public and all(getattr(alias, n) is getattr(new, n) for n in public)


def test_documented_readers_keep_their_old_paths():
    sys.modules.pop("edge_app.handwriting_reader", None)
    with pytest.warns(DeprecationWarning):
        from edge_app.handwriting_reader import HandwritingReader as Old  # noqa: F401
    from edge_app.families.handwriting.reader import HandwritingReader

    assert Old is HandwritingReader is edge_app.HandwritingReader
    with pytest.warns(DeprecationWarning, match="line_input moved"):
        from edge_app.preprocess import line_input
    assert line_input(np.full((40, 120), 255, np.uint8)).shape == (32, 256)


def test_pipeline_make_task_still_reads():
    with pytest.warns(DeprecationWarning):
        pipeline = importlib.reload(importlib.import_module("edge_app.pipeline"))
    from edge_app.images import load_image

    sample = edge_app.families.FAMILIES["char"].samples / "char_0_7.png"
    assert pipeline.make_task("char")(load_image(sample), "x").text == "7"
    assert set(pipeline.TASKS) == {"char", "chars", "plate", "handwriting", "page", "plate-boxes"}
