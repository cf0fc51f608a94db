"""The handwritten-character dataset: every sample goes through ``edge_app.preprocess``.

Sources (all optional except the fonts): rendered handwriting fonts, MNIST digits, and the
training split of the photographed characters. Everything is turned into the same 28x28 cell
by :func:`edge_app.preprocess.normalize_char`, the function the device runs.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from edge_app.families.char.preprocess import normalize_char
from edge_app.families.char.spec import ALPHABET, CHAR_SIZE  # noqa: F401 (the alphabet trained)
from edge_app.images import load_image

from .data import augment
from .data.fonts import (
    HANDWRITING_FONTS,
    HELD_OUT_FONTS,
    PRINTED_STROKE_FONTS,
    draws_as_labelled,
    font_paths,
    render_text,
)
from .data.mnist import load_mnist
from .data.realchars import list_real_chars


@dataclass
class CharData:
    """Cells (N, 28, 28) and integer labels into :data:`ALPHABET`: float32 in [0, 1] as drawn; the
    cached training cells are uint8 (x255), what the input pipeline takes (``train.char_train``)."""

    x: np.ndarray
    y: np.ndarray
    source: np.ndarray  # a short name per sample: "font", "mnist", "real"

    def __len__(self) -> int:
        return len(self.y)


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def font_cells(fonts: list[Path], per_glyph: int, rng: np.random.Generator) -> tuple[list, list]:
    """Render each character of each font ``per_glyph`` times with random pen and camera effects."""
    xs, ys = [], []
    for fi, path in enumerate(fonts):
        for ci, ch in enumerate(ALPHABET):
            if not draws_as_labelled(path, ch):
                continue
            for _ in range(per_glyph):
                ink = render_text(ch, path, size=int(rng.integers(40, 72)))
                if ink is None:
                    break
                photo = augment.photograph(augment.distort(ink, rng), rng)
                xs.append(normalize_char(photo))
                ys.append(ci)
        _progress(f"  fonts: {fi + 1}/{len(fonts)} {path.stem}")
    return xs, ys


def mnist_cells(images: np.ndarray, labels: np.ndarray, rng: np.random.Generator,
                photo_frac: float = 0.3) -> tuple[list, list]:
    """MNIST digits through the device preprocessing; a fraction re-photographed as ink on paper."""
    xs = []
    for img in images:
        if rng.random() < photo_frac:
            ink = cv2.resize(img, (56, 56), interpolation=cv2.INTER_LINEAR).astype(np.float32) / 255.0
            img = augment.photograph(augment.affine(augment.stroke_width(ink, rng, 2), rng, rot=8), rng)
        xs.append(normalize_char(img))
    return xs, [ALPHABET.index(str(int(v))) for v in labels]


def real_cells(items: list[tuple[Path, str]], copies: int, rng: np.random.Generator) -> tuple[list, list]:
    """Photographed characters: each as it is plus ``copies`` jittered versions (affine, blur, noise)."""
    xs, ys = [], []
    for path, label in items:
        gray = load_image(path)
        if gray.ndim == 3:
            gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
        xs.append(normalize_char(gray))
        ys.append(ALPHABET.index(label))
        for _ in range(copies):
            h, w = gray.shape
            t = rng.uniform(-10, 10)
            m = cv2.getRotationMatrix2D((w / 2, h / 2), t, rng.uniform(0.85, 1.15))
            m[0, 1] += rng.uniform(-0.2, 0.2)
            img = cv2.warpAffine(gray, m, (w, h), borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
            k = int(rng.integers(-1, 2))
            if k:
                op = cv2.erode if k > 0 else cv2.dilate  # dark ink: erode thickens
                img = op(img, np.ones((2, 2), np.uint8))
            img += rng.normal(0, rng.uniform(0, 5), img.shape)
            xs.append(normalize_char(np.clip(img, 0, 255).astype(np.uint8)))
            ys.append(ALPHABET.index(label))
    return xs, ys


def stroke_cells(fonts: list[Path], copies: int, rng: np.random.Generator) -> tuple[list, list]:
    """Each glyph's skeleton traced as touch strokes, ``copies`` times with the hand's jitter
    (rotation, shear, uneven scale, wobble), through :func:`edge_app.strokes.strokes_to_cell`: the
    cells a touchscreen gives the device."""
    from edge_app.strokes import strokes_to_cell

    from .data.glyph_strokes import glyph_strokes

    xs, ys = [], []
    for path in fonts:
        for ci, ch in enumerate(ALPHABET):
            strokes = glyph_strokes(ch, path) if draws_as_labelled(path, ch) else None
            if not strokes:
                continue
            pts = np.array([p[:2] for s in strokes for p in s], np.float64)
            centre = pts.mean(axis=0)
            for _ in range(copies):
                t, sh = np.deg2rad(rng.uniform(-10, 10)), rng.uniform(-0.25, 0.25)
                m = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]) @ np.array([[1, sh], [0, 1]])
                m = m @ np.diag(rng.uniform(0.8, 1.2, 2))
                wobble = rng.normal(0, 1.2, 2)
                moved = [[(*((np.array(p[:2]) - centre) @ m.T + centre + wobble * np.sin(p[1] / 17.0)), p[2])
                          for p in s] for s in strokes]
                cell = strokes_to_cell(moved)
                if cell is not None:
                    xs.append(cell)
                    ys.append(ci)
    return xs, ys


def _pack(parts: list[tuple[list, list, str]]) -> CharData:
    x = np.stack([c for xs, _, _ in parts for c in xs]).astype(np.float32) if parts else np.zeros((0, 28, 28))
    y = np.array([v for _, ys, _ in parts for v in ys], dtype=np.int64)
    src = np.array([name for xs, _, name in parts for _ in xs])
    return CharData(x.reshape(-1, CHAR_SIZE, CHAR_SIZE), y, src)


def build_char_data(mnist_dir: str | None, real_dir: str | None, per_glyph: int, real_copies: int,
                    mnist_limit: int | None, seed: int, stroke_copies: int = 0,
                    printed_strokes: int = 0) -> tuple[CharData, CharData]:
    """Return (train, validation). Validation: held-out fonts, 5,000 held-out MNIST, the real val split,
    and (with ``stroke_copies``) the held-out fonts' glyphs traced as strokes. ``printed_strokes``: as many
    tracings of each glyph of the printed faces (``PRINTED_STROKE_FONTS``), for training only."""
    rng = np.random.default_rng(seed)
    train_fonts = font_paths([f for f in HANDWRITING_FONTS if f not in HELD_OUT_FONTS])
    val_fonts = font_paths(HELD_OUT_FONTS)
    _progress(f"rendering {len(train_fonts)} training fonts x {len(ALPHABET)} chars x {per_glyph}")
    train_parts = [(*font_cells(train_fonts, per_glyph, rng), "font")]
    _progress(f"rendering {len(val_fonts)} held-out fonts for validation")
    val_parts = [(*font_cells(val_fonts, max(2, per_glyph // 4), rng), "font")]
    if mnist_dir:
        images, labels = load_mnist(mnist_dir, "train")
        order = rng.permutation(len(images))
        val_idx, train_idx = order[:5000], order[5000:]
        if mnist_limit:
            train_idx = train_idx[:mnist_limit]
            val_idx = val_idx[: max(100, mnist_limit // 10)]
        _progress(f"MNIST: {len(train_idx)} train, {len(val_idx)} validation digits")
        train_parts.append((*mnist_cells(images[train_idx], labels[train_idx], rng), "mnist"))
        val_parts.append((*mnist_cells(images[val_idx], labels[val_idx], rng, photo_frac=0.0), "mnist"))
    if real_dir:
        tr, va = list_real_chars(real_dir, "train"), list_real_chars(real_dir, "val")
        _progress(f"real characters: {len(tr)} train (x{real_copies + 1}), {len(va)} validation")
        train_parts.append((*real_cells(tr, real_copies, rng), "real"))
        val_parts.append((*real_cells(va, 0, rng), "real"))
    if stroke_copies:
        srng = np.random.default_rng(seed + 7)  # its own stream: the other sources stay as they were
        _progress(f"strokes: {len(train_fonts)} training fonts x {len(ALPHABET)} glyphs x {stroke_copies}")
        train_parts.append((*stroke_cells(train_fonts, stroke_copies, srng), "stroke"))
        val_parts.append((*stroke_cells(val_fonts, max(1, stroke_copies // 4), srng), "stroke"))
    if printed_strokes:
        printed = font_paths(PRINTED_STROKE_FONTS, "printed")
        _progress(f"printed strokes: {len(printed)} printed faces x {len(ALPHABET)} glyphs x {printed_strokes}")
        prng = np.random.default_rng(seed + 11)  # its own stream, as the strokes'
        train_parts.append((*stroke_cells(printed, printed_strokes, prng), "printed_stroke"))
    return _pack(train_parts), _pack(val_parts)
