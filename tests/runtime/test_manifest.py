"""Which-model stage: the manifest checks that stand between a file and the interpreter."""

from __future__ import annotations

import json

import numpy as np
import pytest

from edge_app.errors import EdgeOCRError
from edge_app.files import sha256_file
from edge_app.manifest import MANIFEST, get_entry, load_model, read_manifest

REQUIRED = ("file", "task", "input", "output", "alphabet", "quantization", "sha256", "commands", "data", "metrics")


def _edit(models, name, **changes):
    path = models / MANIFEST
    data = json.loads(path.read_text())
    data["models"][name].update(changes)
    path.write_text(json.dumps(data))


def test_every_shipped_model_has_a_complete_entry(models_copy):
    manifest = read_manifest(models_copy)
    assert "char" in manifest["models"]
    for name, entry in manifest["models"].items():
        for key in REQUIRED:
            empty_ok = key == "alphabet" and entry.get("task") == "platedet"  # a detector reads no characters
            assert entry.get(key) or (empty_ok and key in entry), f"{name}: '{key}' missing or empty"
        assert sha256_file(models_copy / entry["file"]) == entry["sha256"], name
        assert entry["commands"]["train"].startswith("edgeocr train")
        assert entry["commands"]["convert"].startswith("edgeocr convert")
        model, _ = load_model(name, models_copy)
        assert model.input_shape[1:] == tuple(entry["input"]["shape"][1:])


def test_char_model_is_int8_and_small(models_copy):
    model, entry = load_model("char", models_copy)
    assert entry["quantization"] == "int8" and model.input_dtype == np.int8
    assert entry["size_bytes"] <= 300 * 1024
    assert len(entry["alphabet"]) == 62 == model.output_shape[-1]


def test_sha_mismatch_is_refused(models_copy):
    path = models_copy / get_entry("char", models_copy)["file"]
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(EdgeOCRError, match="sha256"):
        load_model("char", models_copy)


def test_missing_model_file(models_copy):
    (models_copy / get_entry("char", models_copy)["file"]).unlink()
    with pytest.raises(EdgeOCRError, match="missing"):
        load_model("char", models_copy)


def test_corrupt_model_with_matching_hash_cannot_load(models_copy):
    path = models_copy / "char.tflite"
    path.write_bytes(b"this is not a flatbuffer" * 10)
    _edit(models_copy, "char", sha256=sha256_file(path))
    with pytest.raises(EdgeOCRError, match="cannot be loaded"):
        load_model("char", models_copy)


def test_manifest_shape_disagreeing_with_model(models_copy):
    _edit(models_copy, "char", input={"shape": [1, 32, 32, 1]})
    with pytest.raises(EdgeOCRError, match="does not match the manifest"):
        load_model("char", models_copy)


def test_unknown_model_lists_known_ones(models_copy):
    with pytest.raises(EdgeOCRError, match="it lists: .*char"):
        load_model("plate9000", models_copy)


def test_broken_manifest_json(models_copy):
    (models_copy / MANIFEST).write_text("{not json")
    with pytest.raises(EdgeOCRError, match="not valid JSON"):
        load_model("char", models_copy)
