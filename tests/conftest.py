"""Shared test helpers: rendered handwriting (held-out fonts), images on disk, a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"


def handwriting(text: str, seed: int = 0, height: int = 64) -> np.ndarray:
    """A dark-on-paper grayscale photo of ``text`` in a held-out handwriting font (never trained on)."""
    from train.data import augment
    from train.data.fonts import HELD_OUT_FONTS, draws_as_labelled, font_paths, render_text

    fonts = font_paths(HELD_OUT_FONTS)
    for k in range(len(fonts)):
        font = fonts[(seed + k) % len(fonts)]
        if all(draws_as_labelled(font, ch) for ch in text):
            ink = render_text(text, font, size=64)
            if ink is not None:
                break
    bg = augment.paper(ink.shape[0] + 40, ink.shape[1] + 40, np.random.default_rng(1))
    bg[20:-20, 20:-20] -= ink * 0.7 * bg.mean()
    img = np.clip(bg, 0, 255).astype(np.uint8)
    scale = height / img.shape[0]
    return cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m edge_app ARGS`` and capture its output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "edge_app", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd or ROOT, timeout=300)


def assert_clean_error(proc: subprocess.CompletedProcess, fragment: str, code: int | None = None) -> None:
    """Non-zero exit, no traceback, and an 'edgeocr: error:' line containing ``fragment``."""
    assert proc.returncode != 0, proc.stdout
    if code is not None:
        assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("edgeocr: error:")]
    assert errors, proc.stderr
    assert any(fragment.lower() in line.lower() for line in errors), proc.stderr


@pytest.fixture
def models_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped models folder that a test may break."""
    dest = tmp_path / "models"
    shutil.copytree(MODELS, dest, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    return dest


@pytest.fixture
def write_png(tmp_path: Path):
    """Write an array as PNG into tmp_path and return its path."""

    def _write(name: str, image: np.ndarray) -> Path:
        path = tmp_path / name
        assert cv2.imwrite(str(path), image)
        return path

    return _write


def ctc_scores(steps: list, alphabet: str) -> np.ndarray:
    """Hand-made CTC scores, one row per timestep: a class index or character ('-' is the blank) for a
    sure frame, or a {class or character: probability} dict that spreads the frame."""
    blank = len(alphabet)

    def index(key) -> int:
        if isinstance(key, int):
            return key
        return blank if key == "-" else alphabet.index(key)

    rows = []
    for step in steps:
        row = np.full(len(alphabet) + 1, 1e-6)
        for key, prob in (step.items() if isinstance(step, dict) else [(step, 1.0)]):
            row[index(key)] = prob
        rows.append(row / row.sum())
    return np.array(rows)


def page_photo(seed: int = 3, picture: bool = False):
    """A photographed book page (BGR) and its true lines, in a held-out face."""
    from train.data.book_page import photograph_page, typeset
    from train.data.printed import book_fonts
    from train.data.prose import paragraphs

    rng = np.random.default_rng(seed)
    paras = paragraphs("eval")
    start = int(rng.integers(len(paras)))
    fonts = book_fonts("eval")
    page = typeset(paras[start : start + 30], fonts[seed % len(fonts)], rng, picture=picture)
    return photograph_page(page, rng), page.lines
