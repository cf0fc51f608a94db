"""The training input pipeline: every sample once per epoch, and jitter that keeps the device's input form."""

from __future__ import annotations

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from train.data.pipeline import jitter_batch, training_batches  # noqa: E402
from train.data.runs import SHARD_SAMPLES, cached  # noqa: E402


def _strips(n: int) -> np.ndarray:
    """Left-aligned white bars on black, 32 x 256, of growing length (a stand-in for text strips)."""
    x = np.zeros((n, 32, 256, 1), np.uint8)
    for i in range(n):
        x[i, 6:26, 2 : 40 + 10 * i, 0] = 255
    return x


def test_each_epoch_gives_every_sample_once_in_a_new_order():
    x = _strips(10)
    y = np.arange(10, dtype=np.int64)
    ds = training_batches(x, y, 4, seed=0, kind=None, share=0.0)
    epochs = [np.concatenate([b[1].numpy() for b in ds]) for _ in range(2)]
    assert all(sorted(e.tolist()) == list(range(10)) for e in epochs)
    first = next(iter(ds))[0].numpy()
    assert first.dtype == np.float32 and first.shape[1:] == (32, 256, 1) and first.max() == 1.0
    # without jitter the inputs are the stored ones, scaled to [0, 1]
    b = next(iter(training_batches(x, y, 10, seed=0, kind=None, share=0.0)))
    np.testing.assert_allclose(b[0].numpy(), x[b[1].numpy()] / 255.0)


def test_line_jitter_keeps_the_text_left_aligned_and_inside_the_strip():
    x = tf.constant(_strips(8).astype(np.float32) / 255.0)
    tf.random.set_seed(1)
    out = jitter_batch(x, "line", share=1.0).numpy()
    assert out.shape == x.shape and out.min() >= 0.0 and out.max() <= 1.0
    assert not np.allclose(out, x.numpy(), atol=0.05)  # it moved something
    for before, after in zip(x.numpy()[..., 0], out[..., 0]):
        cols = np.flatnonzero(after.max(axis=0) > 0.5)
        right = np.flatnonzero(before.max(axis=0) > 0.5)[-1]
        assert cols[0] <= 6 and cols[-1] <= right + 2  # starts at the left, never grows past the end
        rows = np.flatnonzero(after.max(axis=1) > 0.5)
        assert rows[0] >= 1 and rows[-1] <= 30


def test_share_zero_changes_nothing_and_cells_stay_centred():
    cell = np.zeros((16, 28, 28, 1), np.float32)
    cell[:, 4:24, 11:17] = 1.0
    x = tf.constant(cell)
    np.testing.assert_allclose(jitter_batch(x, "cell", share=0.0).numpy(), cell, atol=1e-6)
    out = jitter_batch(x, "cell", share=1.0).numpy()[..., 0]
    ys, xs = np.nonzero(out.sum(axis=0) > 0.5)
    assert abs(ys.mean() - 13.5) < 2.5 and abs(xs.mean() - 13.5) < 2.5


def test_the_cache_is_sharded_and_reads_back_exactly(tmp_path):
    n = SHARD_SAMPLES + 5
    arrays = {"x": np.arange(n, dtype=np.int32), "labels": np.array([f"t{i}" for i in range(n)])}
    got = cached(tmp_path, "data", {"n": n}, lambda: arrays, "test")
    again = cached(tmp_path, "data", {"n": n}, lambda: pytest.fail("drawn twice"), "test")
    entry = next(tmp_path.iterdir())
    assert sorted(p.name for p in entry.iterdir()) == ["labels-0000.npy", "labels-0001.npy", "meta.json",
                                                       "x-0000.npy", "x-0001.npy"]
    for k in arrays:
        assert np.array_equal(got[k], arrays[k]) and np.array_equal(again[k], arrays[k])
