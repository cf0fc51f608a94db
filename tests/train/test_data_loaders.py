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
