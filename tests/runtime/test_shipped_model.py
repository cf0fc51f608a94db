"""The shipped int8 models through the runtime: the character model reads handwriting it never saw
(held-out fonts), and an empty batch gives empty scores."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app.families.char.reader import CharReader
from tests.conftest import handwriting

# Characters whose shape does not depend on case or context (no o/O/0, l/1/I, s/S, ...).
DISTINCT = "2345789ABDEGHKMNQRTYabdefghnqrt"


@pytest.fixture(scope="module")
def reader() -> CharReader:
    return CharReader(num_threads=1)


def test_held_out_font_characters(reader):
    hits = []
    for seed in range(3):
        for ch in DISTINCT:
            res = reader.read_char(handwriting(ch, seed=seed, height=int(40 + 20 * seed)))
            hits.append(res.text == ch)
    assert np.mean(hits) >= 0.8, f"accuracy {np.mean(hits):.2f}"


def test_digits_only_restriction(reader):
    reader_digits = CharReader(num_threads=1, allowed="0123456789")
    res = reader_digits.read_char(handwriting("B", seed=0))
    assert res.text in "0123456789"
    assert abs(sum(p for _, p in res.items[0].alternatives) - 1.0) < 0.5
    del reader


def test_chars_reads_a_line_in_order(reader):
    res = reader.read_chars(handwriting("Kb 42 ND", seed=1, height=90))
    assert res.text.replace(" ", "") == "Kb42ND", res.text
    boxes = [it.box for it in res.items]
    assert [b[0] for b in boxes] == sorted(b[0] for b in boxes)


def test_blank_image_reads_as_nothing(reader):
    assert reader.read_char(np.full((60, 60), 220, np.uint8)).text == ""
    assert reader.read_chars(np.full((60, 200), 220, np.uint8)).items == []


@pytest.mark.parametrize("name", ["char", "plate", "plate_detector"])
def test_an_empty_batch_gives_empty_scores(name):
    from edge_app.manifest import load_model

    model, _ = load_model(name, None, 1)
    empty = model(np.zeros((0, *model.input_shape[1:]), np.float32))
    assert empty.shape == (0, *model.output_shape[1:]) and empty.dtype == np.float32
    one = model(np.zeros((1, *model.input_shape[1:]), np.float32))  # and the interpreter still runs after it
    assert one.shape == (1, *model.output_shape[1:]) and np.isfinite(one).all()
