"""Installing a new model from the Models screen: validated (entry, sha256, shapes, self-test) in a
scratch folder first; a model that fails leaves the models folder exactly as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from edge_app.errors import EdgeOCRError
from edge_app.files import sha256_file
from edge_app.manifest import read_manifest
from edge_app.model_store import install_model, model_rows
from tests.conftest import MODELS


def _candidate(tmp_path: Path, name: str = "char", **changes) -> Path:
    """A copy of a shipped model with its entry beside it, as 'edgeocr convert' leaves one."""
    src = tmp_path / "run"
    src.mkdir(exist_ok=True)
    entry = {**read_manifest(MODELS)["models"][name], **changes}
    shutil.copyfile(MODELS / entry["file"], src / entry["file"])
    if "lexicon" in entry:
        shutil.copyfile(MODELS / entry["lexicon"]["file"], src / entry["lexicon"]["file"])
    (src / "manifest.json").write_text(json.dumps({"format": 1, "models": {name: entry}}))
    return src / entry["file"]


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: sha256_file(p) for p in sorted(folder.iterdir()) if p.is_file()}


def test_rows_show_each_model_with_size_quantisation_and_accuracy():
    rows = {r["name"]: r for r in model_rows(MODELS)}
    assert {"char", "plate", "handwriting", "page"} <= set(rows)
    assert rows["char"]["quantization"] == "int8" and rows["char"]["size"].endswith("KB")
    assert "real chars" in rows["char"]["accuracy"] and "page CER" in rows["page"]["accuracy"]


@pytest.mark.parametrize("name", ["char", "plate", "handwriting"])
def test_a_valid_model_is_installed_and_replaces_the_old_one(tmp_path, models_copy, name):
    new = _candidate(tmp_path, name, created="2030-01-01")
    assert install_model(new, models_copy) == name
    assert read_manifest(models_copy)["models"][name]["created"] == "2030-01-01"
    assert sha256_file(models_copy / new.name) == sha256_file(new)


def _rejected(new: Path, models_copy: Path, fragment: str) -> None:
    before = _snapshot(models_copy)
    with pytest.raises(EdgeOCRError, match=fragment):
        install_model(new, models_copy)
    assert _snapshot(models_copy) == before


def test_a_model_that_reads_its_self_test_wrong_is_rejected(tmp_path, models_copy):
    alphabet = read_manifest(MODELS)["models"]["char"]["alphabet"]
    _rejected(_candidate(tmp_path, alphabet=alphabet[::-1]), models_copy, "self-test failed")


def test_a_wrong_hash_is_rejected(tmp_path, models_copy):
    _rejected(_candidate(tmp_path, sha256="0" * 64), models_copy, "sha256")


def test_mismatched_shapes_are_rejected(tmp_path, models_copy):
    _rejected(_candidate(tmp_path, input={"shape": [1, 32, 32, 1]}), models_copy, "shape")


def test_a_corrupt_file_is_rejected(tmp_path, models_copy):
    new = _candidate(tmp_path)
    new.write_bytes(b"TFL3" + bytes(200))
    data = json.loads((new.parent / "manifest.json").read_text())
    data["models"]["char"]["sha256"] = sha256_file(new)
    (new.parent / "manifest.json").write_text(json.dumps(data))
    _rejected(new, models_copy, "cannot be loaded")


def test_a_model_without_its_entry_is_rejected(tmp_path, models_copy):
    new = _candidate(tmp_path)
    (new.parent / "manifest.json").unlink()
    _rejected(new, models_copy, "no manifest entry")
    _rejected(tmp_path / "missing.tflite", models_copy, "not a .tflite file")
    (new.parent / "manifest.json").write_text(json.dumps({"format": 1, "models": {"char": {"file": new.name}}}))
    _rejected(new, models_copy, "lacks")
