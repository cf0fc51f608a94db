"""``edgeocr train plate-data --preset digits5``: the reference plate spec, checked file by file."""

from __future__ import annotations

import csv

import cv2
import numpy as np
import pytest

from tests.conftest import assert_clean_error, run_cli


def test_digits5_matches_the_reference_spec(tmp_path):
    proc = run_cli("train", "plate-data", "--preset", "digits5", "--count", "44", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "labels.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["image_path", "plate_text"] and len(rows) == 44
    texts = [r["plate_text"] for r in rows]
    assert len(set(texts)) == 44 and all(len(t) == 5 and t.isdigit() for t in texts)
    for r in rows:
        img = cv2.imread(str(tmp_path / r["image_path"]), cv2.IMREAD_UNCHANGED)
        assert img.shape == (64, 128) and img.dtype.name == "uint8"
        assert img.min() < img.max() - 60  # digits stand out from the plate


def test_digits5_refuses_more_labels_than_exist(tmp_path):
    proc = run_cli("train", "plate-data", "--preset", "digits5", "--count", "100001", "--out", str(tmp_path))
    assert_clean_error(proc, "100,000 distinct labels", code=2)
    assert not (tmp_path / "labels.csv").exists()


@pytest.mark.parametrize("preset", ["us", "eu", "br", "world"])
def test_realistic_presets_write_alphanumeric_plates(tmp_path, preset):
    proc = run_cli("train", "plate-data", "--preset", preset, "--count", "12", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "labels.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 12
    for r in rows:
        text = r["plate_text"]
        assert 4 <= len(text) <= 8 and text.isalnum() and text.upper() == text
        img = cv2.imread(str(tmp_path / r["image_path"]), cv2.IMREAD_UNCHANGED)
        assert img.shape == (64, 128) and img.std() > 8


def test_realistic_samples_do_not_depend_on_the_number_of_workers(monkeypatch):
    from train.data import plates

    monkeypatch.setattr(plates, "CHUNK", 10)
    a, la = plates.plate_samples("world", 25, seed=4, workers=1)
    b, lb = plates.plate_samples("world", 25, seed=4, workers=2)
    assert la == lb and np.array_equal(a, b)


def test_held_out_fonts_are_never_training_fonts():
    from train.data.plate_render import DECO_FONTS, PLATE_FONTS, PLATE_HELD_OUT_FONTS
    from train.data.plates import DIGITS5_FONTS

    assert not set(PLATE_HELD_OUT_FONTS) & (set(PLATE_FONTS) | set(DECO_FONTS))
    assert len(DIGITS5_FONTS) == 22


def test_real_crops_train_jittered_and_validate_by_photo(tmp_path):
    from train.data.plate_crops import is_val_photo
    from train.plate_train import real_sets

    (tmp_path / "crops").mkdir()
    rows = ["file,text,photo,x,y,w,h,teacher,ours"]
    photos = [f"p{i}.jpg" for i in range(30)]
    for i, photo in enumerate(photos):
        crop = np.full((24, 80, 3), 200, np.uint8)
        cv2.putText(crop, "AB12", (4, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 0, 0), 2)
        cv2.imwrite(str(tmp_path / "crops" / f"{i}.png"), crop)
        rows.append(f"crops/{i}.png,{'AB12' if i % 3 else ''},{photo},0,0,80,24,AB12,AB12")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    (tx, tl), (vx, vl) = real_sets(str(tmp_path), 3, seed=0)
    labelled = [p for i, p in enumerate(photos) if i % 3]
    n_val = sum(is_val_photo(p) for p in labelled)
    assert 0 < n_val < len(labelled)  # the split holds some photos out, not all
    assert len(vl) == n_val and len(tl) == 3 * (len(labelled) - n_val) and set(tl) == {"AB12"}
    assert tx.shape == (len(tl), 64, 128, 1) and tx.dtype == np.uint8 and vx.shape[1:] == (64, 128, 1)
    assert not np.array_equal(tx[0], tx[1])  # the repeats are jittered, not copies
