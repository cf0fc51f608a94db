"""Training to runtime: a tiny model trained for a few steps, converted, and run by edge_app."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT, assert_clean_error, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run")
    proc = run_cli("train", "char", "--out", str(out), "--per-glyph", "1", "--real-copies", "0",
                   "--epochs", "1", "--steps-per-epoch", "3", "--batch", "64", "--width", "8", "--convs", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_training_writes_model_data_and_report(tiny_run):
    for name in ("char.keras", "char.calib.npz", "char.meta.json", "report/curves.png",
                 "report/confusion.png", "report/per_class.md"):
        assert (tiny_run / name).stat().st_size > 0, name
    meta = json.loads((tiny_run / "char.meta.json").read_text())
    assert meta["train_command"].startswith("edgeocr train char --out")
    assert len(meta["alphabet"]) == 62
    assert list(meta["data"]["licences"]) == ["fonts"]  # no --mnist, no --real: fonts alone
    assert not list(tiny_run.glob(".*.keras"))  # no temporary left behind
    import keras

    convs = [layer.name for layer in keras.saving.load_model(tiny_run / "char.keras").layers if "conv" in layer.name]
    assert convs == ["b1_conv", "b1_2_conv", "b2_conv", "b2_2_conv", "b3_conv"]  # --convs 2


@pytest.mark.parametrize("quant", ["int8", "float16"])
def test_convert_then_run_through_the_runtime(tiny_run, tmp_path, quant):
    out = tmp_path / "models" / "tiny.tflite"
    proc = run_cli("convert", str(tiny_run / "char.keras"), "--quant", quant, "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "validation accuracy" in proc.stdout
    from edge_app.manifest import load_model

    model, entry = load_model("tiny", out.parent)
    assert entry["quantization"] == quant and entry["commands"]["convert"].startswith("edgeocr convert")
    scores = model(np.zeros((2, 28, 28, 1), np.float32))
    assert scores.shape == (2, 62) and np.allclose(scores.sum(-1), 1.0, atol=0.1)
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_max_drop_refuses_and_writes_nothing(tiny_run, tmp_path):
    out = tmp_path / "models" / "tiny.tflite"
    proc = run_cli("convert", str(tiny_run / "char.keras"), "--quant", "int8", "--out", str(out),
                   "--max-drop", "-1000")
    assert_clean_error(proc, "nothing written", code=1)
    assert not out.parent.exists() or not any(out.parent.iterdir())


def test_convert_bad_inputs(tmp_path):
    assert_clean_error(run_cli("convert", str(tmp_path / "none.keras"), "--quant", "int8", "--out",
                               str(tmp_path / "m.tflite")), "not found", code=2)
    assert_clean_error(run_cli("convert", "x.keras", "--quant", "int4", "--out", "m.tflite"),
                       "invalid choice", code=2)


def test_train_names_missing_data_files(tmp_path):
    (tmp_path / "mnist").mkdir()
    proc = run_cli("train", "char", "--out", str(tmp_path / "run"), "--mnist", str(tmp_path / "mnist"))
    assert_clean_error(proc, "train-images-idx3-ubyte.gz", code=2)
    proc = run_cli("train", "char", "--out", str(tmp_path / "run"), "--real", str(tmp_path / "nope"))
    assert_clean_error(proc, "labels.csv", code=2)
    assert_clean_error(run_cli("train", "char", "--out", "x", "--strategy", "tpu"), "invalid choice", code=2)


def test_mirrored_strategy_over_two_logical_cpus(tmp_path):
    """tf.distribute does the scaling: two replicas on two logical CPU devices train together."""
    code = f"""
import sys
from train.char_train import train_char
from train.config import CharConfig
from train.strategy import make_strategy
s = make_strategy("mirrored", cpu_replicas=2)
assert s.num_replicas_in_sync == 2, s.num_replicas_in_sync
meta = train_char(CharConfig(out={str(tmp_path)!r}, per_glyph=1, real_copies=0, stroke_copies=0, epochs=1,
                             batch=32, width=8, strategy="mirrored", steps_per_epoch=2, cpu_replicas=2,
                             command="edgeocr train char --strategy mirrored"))
print("replicas", s.num_replicas_in_sync, "params", meta["params"])
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "replicas 2" in proc.stdout
    assert (tmp_path / "char.keras").exists()


def test_plate_train_convert_and_read_through_the_runtime(tmp_path):
    """The plate path end to end: tiny CTC model, int8 conversion, PlateReader on a synthetic crop."""
    run = tmp_path / "plate"
    proc = run_cli("train", "plate", "--out", str(run), "--count", "64", "--digits5", "16", "--val", "20",
                   "--epochs", "1", "--steps-per-epoch", "2", "--batch", "16", "--width", "8", "--workers", "1")
    assert proc.returncode == 0, proc.stderr[-3000:]
    meta = json.loads((run / "plate.meta.json").read_text())
    assert meta["task"] == "plate" and meta["output"]["shape"] == [1, 32, 37]
    assert (run / "report" / "curves.png").is_file() and (run / "report" / "errors.md").is_file()
    out = tmp_path / "models" / "plate.tflite"
    proc = run_cli("convert", str(run / "plate.keras"), "--quant", "int8", "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "validation accuracy" in proc.stdout

    from edge_app.families.plate.reader import PlateReader
    from train.data.plates import plate_samples

    reader = PlateReader(out.parent)
    images, _ = plate_samples("world", 2, seed=3)
    probs = reader.scores(list(images))
    assert probs.shape == (2, 32, 37) and np.allclose(probs.sum(-1), 1.0, atol=0.1)
    result = reader.read_crop(images[0])
    assert len(result.items) == 1 and result.items[0].box == [0, 0, 128, 64]


def test_handwriting_train_convert_and_read_through_the_runtime(tmp_path):
    """The handwriting path end to end: tiny CTC model, int8 with a lexicon, HandwritingReader on a page."""
    import shutil

    run = tmp_path / "hw"
    proc = run_cli("train", "handwriting", "--out", str(run), "--count", "48", "--val", "16", "--epochs", "1",
                   "--steps-per-epoch", "2", "--batch", "16", "--width", "4", "--workers", "1")
    assert proc.returncode == 0, proc.stderr[-3000:]
    meta = json.loads((run / "handwriting.meta.json").read_text())
    assert meta["task"] == "handwriting" and meta["output"]["shape"] == [1, 64, len(meta["alphabet"]) + 1]
    tuned = tmp_path / "hw_tuned"  # fine-tuned from the run: the meta records where it started
    proc = run_cli("train", "handwriting", "--out", str(tuned), "--count", "48", "--val", "16", "--epochs", "1",
                   "--steps-per-epoch", "1", "--batch", "16", "--width", "4", "--workers", "1",
                   "--init", str(run / "handwriting.keras"), "--lr", "0.0005")
    assert proc.returncode == 0, proc.stderr[-3000:]
    tuned_meta = json.loads((tuned / "handwriting.meta.json").read_text())["data"]
    assert tuned_meta["started_from"]["train_command"] == meta["train_command"]
    assert tuned_meta["fine_tune_peak_lr"] == 0.0005
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(ROOT / "models" / "lexicon_en.txt", models)
    out = models / "handwriting.tflite"
    assert_clean_error(run_cli("convert", str(run / "handwriting.keras"), "--quant", "int8", "--out", str(out),
                               "--lexicon", str(ROOT / "models" / "lexicon_en.txt")), "same folder")
    proc = run_cli("convert", str(run / "handwriting.keras"), "--quant", "int8", "--out", str(out),
                   "--lexicon", str(models / "lexicon_en.txt"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    entry = json.loads((models / "manifest.json").read_text())["models"]["handwriting"]
    assert entry["lexicon"]["file"] == "lexicon_en.txt" and entry["lexicon"]["words"] == 20_000

    from edge_app.families.handwriting.reader import HandwritingReader
    from train.data.handwriting import compose_page, word_fonts

    reader = HandwritingReader(models)
    page, _ = compose_page(["two lines", "of words"], word_fonts("test"), np.random.default_rng(0))
    result = reader.read(page)
    assert {"segment", "model", "decode"} <= set(result.timings_ms)
    probs = reader.scores([np.zeros((32, 256), np.float32)])
    assert probs.shape == (1, 64, len(meta["alphabet"]) + 1) and np.allclose(probs.sum(-1), 1.0, atol=0.1)


def test_page_train_convert_and_read_through_the_runtime(tmp_path):
    """The page path end to end: tiny printed-line CTC model, int8, PageReader on a photographed page."""
    run = tmp_path / "page"
    proc = run_cli("train", "page", "--out", str(run), "--count", "48", "--val", "16", "--epochs", "1",
                   "--steps-per-epoch", "2", "--batch", "16", "--width", "4", "--workers", "1")
    assert proc.returncode == 0, proc.stderr[-3000:]
    meta = json.loads((run / "page.meta.json").read_text())
    assert meta["task"] == "page" and meta["output"]["shape"] == [1, 128, 102]
    assert "\u201c" in meta["alphabet"] and "~" in meta["alphabet"]
    tuned = tmp_path / "tuned"
    proc = run_cli("train", "page", "--out", str(tuned), "--count", "48", "--val", "16", "--epochs", "1",
                   "--steps-per-epoch", "1", "--batch", "16", "--width", "4", "--workers", "1",
                   "--init", str(run / "page.keras"), "--lr", "0.0005")
    assert proc.returncode == 0, proc.stderr[-3000:]
    started = json.loads((tuned / "page.meta.json").read_text())["data"]["started_from"]
    assert started["train_command"] == meta["train_command"] and started["epochs"] == 1
    assert_clean_error(run_cli("train", "page", "--out", str(tuned), "--init", str(tmp_path / "none.keras")),
                       "none.keras")
    assert_clean_error(run_cli("train", "page", "--out", str(tuned), "--count", "48", "--val", "16", "--width", "6",
                               "--workers", "1", "--init", str(run / "page.keras")), "cannot start from")
    models = tmp_path / "models"
    proc = run_cli("convert", str(run / "page.keras"), "--quant", "int8", "--out", str(models / "page.tflite"))
    assert proc.returncode == 0, proc.stderr[-3000:]

    from edge_app.families.page.reader import PageReader
    from tests.conftest import page_photo

    image, lines = page_photo(seed=1)
    result = PageReader(models).read(image)
    assert {"segment", "model", "decode"} <= set(result.timings_ms)
    assert result.error is None
