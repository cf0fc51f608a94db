"""The plate detector from training to the device: a tiny detector trained a few steps on a made-up
plate-photos folder, converted to int8, and run by edge_app's PlateDetector and PlateReader."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from edge_app.families.platedet.spec import DET_SIZE, DET_STRIDE
from tests.conftest import assert_clean_error, run_cli

pytestmark = pytest.mark.slow


def _photos(root: Path) -> Path:
    """Six street-ish photos, each with one or two white plates, in plate-photos' layout."""
    (root / "images").mkdir(parents=True)
    rng = np.random.default_rng(0)
    rows = ["split,file,x,y,w,h"]
    for i in range(6):
        img = rng.integers(40, 120, (300, 400, 3), dtype=np.uint8)
        for _ in range(1 + i % 2):
            w, h = int(rng.integers(50, 120)), 0
            h = w // 4
            x, y = int(rng.integers(0, 400 - w)), int(rng.integers(0, 300 - h))
            cv2.rectangle(img, (x, y), (x + w, y + h), (235, 235, 235), -1)
            cv2.putText(img, "AB 123", (x + 3, y + h - 3), cv2.FONT_HERSHEY_SIMPLEX, h / 30, (20, 20, 20), 1)
            rows.append(f"{'val' if i >= 4 else 'train'},p{i}.jpg,{x},{y},{w},{h}")
        cv2.imwrite(str(root / "images" / f"p{i}.jpg"), img)
    (root / "boxes.csv").write_text("\n".join(rows) + "\n")
    return root


@pytest.fixture(scope="module")
def detector_run(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("det")
    photos = _photos(base / "photos")
    out = base / "run"
    proc = run_cli("train", "plate-detector", "--photos", str(photos), "--out", str(out), "--epochs", "1",
                   "--steps-per-epoch", "2", "--batch", "2", "--width", "8", "--synthetic", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_training_writes_model_meta_and_calibration(detector_run):
    meta = json.loads((detector_run / "plate_detector.meta.json").read_text())
    assert meta["task"] == "platedet" and meta["input"]["shape"] == [1, *DET_SIZE, 3]
    assert meta["train_command"].startswith("edgeocr train plate-detector --photos")
    assert set(meta["validation"]["recall_by_width"]) == {"< 40 px", "40-80 px", ">= 80 px"}
    assert "CC BY" in meta["data"]["photos"]
    with np.load(detector_run / "plate_detector.calib.npz") as d:
        assert d["val_x"].dtype == np.uint8 and d["val_boxes"].shape[-1] == 4


def test_int8_detector_runs_on_the_device_side(detector_run, tmp_path):
    models = tmp_path / "models"
    out = models / "plate_detector.tflite"
    proc = run_cli("convert", str(detector_run / "plate_detector.keras"), "--quant", "int8", "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "validation accuracy" in proc.stdout
    from edge_app.families.platedet.reader import PlateDetector
    from edge_app.manifest import read_manifest

    entry = read_manifest(models)["models"]["plate_detector"]
    grid = [DET_SIZE[0] // DET_STRIDE, DET_SIZE[1] // DET_STRIDE]
    assert entry["task"] == "platedet" and entry["output"]["shape"] == [1, *grid, 5]
    detector = PlateDetector(models, num_threads=1, threshold=0.0)
    boxes = detector.detect(np.zeros((720, 1280, 3), np.uint8))
    assert all(len(b) == 4 and 0.0 <= s <= 1.0 for b, s in boxes)
    assert all(b[0] >= 0 and b[0] + b[2] <= 1280 and b[1] >= 0 and b[1] + b[3] <= 720 for b, _ in boxes)


def test_bad_photos_folder_is_one_line(tmp_path):
    proc = run_cli("train", "plate-detector", "--photos", str(tmp_path), "--out", str(tmp_path / "run"))
    assert_clean_error(proc, "no boxes.csv", code=2)
    assert not (tmp_path / "run").exists()


def test_signs_are_pasted_as_negatives_and_never_over_a_plate():
    from train.data.plate_photos import Photo, _overlaps, augment, render_signs
    from train.data.plate_render import plate_fonts

    fonts, deco = plate_fonts()
    signs = render_signs(6, np.random.default_rng(0), fonts + deco)
    assert len(signs) == 6 and all(s.ndim == 3 and s.dtype == np.uint8 and s.shape[1] > s.shape[0] for s in signs)
    empty = Photo(np.full((300, 400, 3), 90, np.uint8), np.zeros((0, 4), np.float32))
    inputs = [augment(empty, np.random.default_rng(seed), [], signs) for seed in range(8)]
    assert all(t[..., 0].max() == 0 for _, t in inputs)  # a sign is never a box
    assert max(float(x.std()) for x, _ in inputs) > 0.1  # yet it is drawn into the photo
    assert _overlaps([0, 0, 10, 10], [[5, 5, 10, 10]]) and not _overlaps([0, 0, 10, 10], [[10, 0, 5, 5]])
