"""Training-data loaders read local files given by flags; a missing file is named in the error."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from edge_app.decode import softmax, top_k
from edge_app.errors import EdgeOCRError
from edge_app.text_metrics import cer, edit_distance
from train.char_train import class_weights
from train.data.mnist import load_mnist
from train.data.realchars import list_real_chars


def _idx(path, arr: np.ndarray) -> None:
    header = struct.pack(">HBB", 0, 8, arr.ndim) + struct.pack(">" + "I" * arr.ndim, *arr.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + arr.astype(np.uint8).tobytes())


def test_mnist_idx_roundtrip_and_missing_file(tmp_path):
    images = np.random.default_rng(0).integers(0, 255, (5, 28, 28))
    _idx(tmp_path / "t10k-images-idx3-ubyte.gz", images)
    with pytest.raises(EdgeOCRError, match="t10k-labels-idx1-ubyte.gz"):
        load_mnist(tmp_path, "test")
    _idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.arange(5))
    x, y = load_mnist(tmp_path, "test")
    assert x.shape == (5, 28, 28) and np.array_equal(x, images) and list(y) == [0, 1, 2, 3, 4]
    with pytest.raises(EdgeOCRError, match="not found"):
        load_mnist(tmp_path / "nowhere", "train")


def test_real_chars_split_is_disjoint(tmp_path):
    rows = ["file,label"] + [f"{c}_{i:03d}.png,{c}" for c in "aB" for i in range(40)]
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    splits = {s: {p.name for p, _ in list_real_chars(tmp_path, s)} for s in ("train", "val", "test")}
    assert [len(v) for v in splits.values()] == [32, 8, 40]
    assert not (splits["train"] & splits["test"]) and not (splits["val"] & splits["test"])
    assert "a_039.png" in splits["test"] and "a_000.png" in splits["train"]
    with pytest.raises(EdgeOCRError, match="labels.csv"):
        list_real_chars(tmp_path / "missing", "test")


def test_class_weights_favour_rare_classes():
    w = class_weights(np.array([0] * 90 + [1] * 10), 3)
    assert w[1] > w[0] and w[2] == 0.0


def test_softmax_and_top_k_with_restriction():
    p = softmax(np.array([[2.0, 1.0, 0.5, 3.0]]))
    assert np.isclose(p.sum(), 1.0)
    assert top_k(p, "abcd", 2)[0][0][0] == "d"
    only = top_k(p, "abcd", 2, allowed="ab")[0]
    assert [c for c, _ in only] == ["a", "b"] and np.isclose(sum(q for _, q in only), 1.0)


def test_edit_distance_and_cer():
    assert edit_distance("kitten", "sitting") == 3
    assert cer(["abcd"], ["abxd"]) == 0.25


def test_plate_crops_are_labelled_only_where_teacher_and_reader_agree(tmp_path):
    from train.data.plate_crops import agreed, label_crops

    assert agreed("ab-123 cd", "AB123CD") == "AB123CD"
    assert agreed("AB123CD", "AB128CD") is None  # disagree
    assert agreed("OPEN", "OPEN") is None  # no digit: not a registration
    assert agreed("123", "123") is None  # too short
    assert agreed("AB128CD", "AB123CD", {"AB123CD": 0.8, "AB128CD": 0.1}) == "AB128CD"  # our beam finds it plausible
    assert agreed("AB128CD", "AB123CD", {"AB123CD": 0.98, "AB128CD": 0.01}) is None  # too unlikely for us
    (tmp_path / "p" / "images").mkdir(parents=True)
    import cv2

    cv2.imwrite(str(tmp_path / "p" / "images" / "a.jpg"), np.full((100, 200, 3), 128, np.uint8))
    (tmp_path / "p" / "boxes.csv").write_text("split,file,x,y,w,h\ntrain,a.jpg,10,10,80,20\ntrain,a.jpg,10,50,60,20\n"
                                              "train,a.jpg,5,5,10,5\ntrain,a.jpg,100,80,40,4\nval,a.jpg,0,0,50,10\n")
    teacher, ours = iter(["XY 1234", "QQ9999"]), iter([("XY1234", {"XY1234": 0.9}), ("QQ9990", {"QQ9990": 0.99})])
    counts = label_crops(tmp_path / "p", tmp_path / "out", lambda c: next(teacher), lambda c: next(ours))
    assert counts == {"crops": 2, "agreed": 1, "teacher_only": 1, "skipped_small": 2}  # narrow, and too thin
    rows = (tmp_path / "out" / "labels.csv").read_text().splitlines()
    assert rows[1].startswith("crops/00000.png,XY1234,a.jpg,10,10,80,20") and rows[2].split(",")[1] == ""
    assert (tmp_path / "out" / "crops" / "00001.png").is_file()


def test_printed_strokes_add_training_cells_only_and_change_the_cache_key():
    """``--printed-strokes`` adds traced printed glyphs to training; the other sources stay as drawn."""
    from train.char_data import build_char_data
    from train.char_train import char_key_parts
    from train.config import CharConfig
    from train.data.fonts import PRINTED_STROKE_FONTS, installed_fonts
    from train.data.runs import cache_key

    if not any(f in installed_fonts() for f in PRINTED_STROKE_FONTS):
        pytest.skip("printed fonts not installed (scripts/install_fonts.sh)")
    plain_train, plain_val = build_char_data(None, None, 1, 0, None, seed=0)
    train, val = build_char_data(None, None, 1, 0, None, seed=0, printed_strokes=1)
    extra = train.source == "printed_stroke"
    assert extra.sum() > 40 * 50  # about 50 faces x 62 glyphs, one tracing each
    assert np.array_equal(train.x[~extra], plain_train.x) and np.array_equal(train.y[~extra], plain_train.y)
    assert np.array_equal(val.x, plain_val.x)  # validation is untouched
    assert set(np.unique(train.y[extra])) == set(range(62))
    key = {n: cache_key(**char_key_parts(CharConfig(out="x", printed_strokes=n))) for n in (0, 1, 2)}
    assert len(set(key.values())) == 3
