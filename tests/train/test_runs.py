"""Data caches are keyed by everything that shapes the data; drawing shows a bar on a terminal only."""

from __future__ import annotations

import io
import os
import sys

import cv2
import numpy as np
import pytest

from train.data.handwriting import hw_key_parts
from train.data.plates import plate_key_parts
from train.data.printed import printed_key_parts
from train.data.runs import cache_key, cache_path, cached, fingerprint, parallel_map


def _real_chars(folder, classes: str = "aB", per_class: int = 20, shade: int = 0):
    """A tiny fake handwritten-chars folder: dark strokes on white PNGs and ``labels.csv``."""
    folder.mkdir(parents=True)
    rows = ["file,label"]
    for c in classes:
        for i in range(per_class):
            img = np.full((24, 20), 255, np.uint8)
            cv2.line(img, (4, 3 + i % 5), (15, 20), shade, 2)
            cv2.imwrite(str(folder / f"{c}_{i:03d}.png"), img)
            rows.append(f"{c}_{i:03d}.png,{c}")
    (folder / "labels.csv").write_text("\n".join(rows) + "\n")
    return folder


def _hw_key(real=None, mnist=None, **kw) -> str:
    args = {"split": "train", "count": 100, "seed": 0, **kw}
    return cache_key(**hw_key_parts(args["split"], args["count"], args["seed"], real, mnist))


def test_handwriting_key_follows_the_real_folder(tmp_path):
    a = _real_chars(tmp_path / "a")
    b = _real_chars(tmp_path / "b", shade=40)
    assert _hw_key(str(a)) == _hw_key(str(a)) == _hw_key(a)  # a str or a Path: the same folder
    assert _hw_key(str(a)) != _hw_key(str(b))  # another --real folder
    assert _hw_key(str(a)) != _hw_key()  # --real given or not
    assert _hw_key(mnist=str(a)) != _hw_key(real=str(a))  # the folder as --mnist is another source
    assert _hw_key(str(a), count=101) != _hw_key(str(a))
    assert _hw_key(str(a), seed=1) != _hw_key(str(a))
    assert _hw_key(str(a), split="val") != _hw_key(str(a))

    before = _hw_key(str(a))
    (a / "a_999.png").write_bytes((a / "a_000.png").read_bytes())  # a file added to the same folder
    assert _hw_key(str(a)) != before
    before = _hw_key(str(a))
    with open(a / "labels.csv", "a") as f:  # a file changed (its size and mtime)
        f.write("a_999.png,a\n")
    assert _hw_key(str(a)) != before


def test_same_content_elsewhere_is_another_source(tmp_path):
    """The resolved path is part of the key: a copy, or the same folder through a relative path."""
    a = _real_chars(tmp_path / "a")
    copy = _real_chars(tmp_path / "copy")
    assert fingerprint(a)["files"] == fingerprint(copy)["files"] == 41
    assert _hw_key(str(a)) != _hw_key(str(copy))
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        assert _hw_key("a") == _hw_key(str(a))
    finally:
        os.chdir(cwd)


def test_keys_of_the_other_generators():
    assert cache_key(**plate_key_parts("world", 10, 0)) == cache_key(**plate_key_parts("world", 10, 0))
    keys = {cache_key(**plate_key_parts(*args)) for args in
            [("world", 10, 0), ("world", 10, 1), ("world", 11, 0), ("world", 10, 0, True), ("digits5", 10, 0)]}
    assert len(keys) == 5
    assert cache_key(**printed_key_parts("train", 10, 0)) != cache_key(**printed_key_parts("val", 10, 0))
    parts = printed_key_parts("train", 10, 0)
    assert parts["fonts"] and "workers" not in parts


def test_cache_key_is_canonical_and_rejects_unknown_values(tmp_path):
    assert cache_key(a=1, b=[1, 2]) == cache_key(b=(1, 2), a=np.int64(1))
    assert cache_key(a=1) != cache_key(a=2) and cache_key(a=None) != cache_key()
    assert len(cache_key(a=1)) == 64
    assert cache_path(tmp_path, "data_train", cache_key(a=1)).name == f"data_train-{cache_key(a=1)[:12]}"
    assert fingerprint(tmp_path / "none") == {"path": str((tmp_path / "none").resolve()), "missing": True}
    with pytest.raises(TypeError):
        cache_key(a=object())


def test_cached_remakes_the_data_when_the_key_changes(tmp_path):
    calls = []

    def make(value: int):
        def _make() -> dict[str, np.ndarray]:
            calls.append(value)
            return {"x": np.full(3, value)}

        return _make

    real = _real_chars(tmp_path / "real")
    run = tmp_path / "run"
    parts = {"count": 3, "real": real}
    assert cached(run, "data_train", parts, make(1), "one")["x"].tolist() == [1, 1, 1]
    assert cached(run, "data_train", parts, make(2), "again")["x"].tolist() == [1, 1, 1]  # from the cache
    assert calls == [1]
    assert cached(run, "data_train", {**parts, "count": 4}, make(3), "count")["x"].tolist() == [3, 3, 3]
    (real / "B_000.png").unlink()  # the same --real folder, other files: new data, not the stale cache
    assert cached(run, "data_train", parts, make(4), "real")["x"].tolist() == [4, 4, 4]
    assert calls == [1, 3, 4]
    files = sorted(p.name for p in run.iterdir())
    assert len(files) == 3 and all(f.startswith("data_train-") for f in files)
    assert all(sorted(p.name for p in (run / f).iterdir()) == ["meta.json", "x-0000.npy"] for f in files)


def _square(n: int) -> int:
    return n * n


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_parallel_map_keeps_order_and_shows_a_bar_only_on_a_terminal(monkeypatch, capsys):
    jobs = list(range(7))
    assert parallel_map(_square, jobs, 2, "squares", sizes=[10] * 7) == [j * j for j in jobs]
    assert parallel_map(_square, jobs, 1) == [j * j for j in jobs]
    assert capsys.readouterr().err == ""  # stderr is not a terminal here: no bar
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert parallel_map(_square, jobs, 1, "squares", sizes=[10] * 7) == [j * j for j in jobs]
    assert "squares" in terminal.getvalue() and "/70" in terminal.getvalue()
