"""Handwritten words and short lines for the handwriting reader, drawn two ways:

* **fonts**: handwriting faces from Debian packages, drawn one character at a time with jittered
  spacing and baseline, then stroke width, elastic, slant and scale; some are redrawn with an even
  pen, as a touchscreen gives them;
* **composed**: real handwritten character crops (the photographed set's split, MNIST digits),
  sized by their role (x-height, ascender, descender), spaced naturally, baseline jittered.

Both are put on paper-like or plain backgrounds and "photographed" (blur, noise, JPEG,
resolution); :func:`edge_app.preprocess.line_input`, the device's own code, then makes the
model input. Output is identical for any number of workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from edge_app.errors import EdgeOCRError
from edge_app.families.handwriting.preprocess import line_input
from edge_app.families.handwriting.spec import INK_SENSITIVITY, LINE_SIZE
from edge_app.images import load_image
from edge_app.preprocess import ink_map, line_mask, to_gray

from . import augment
from .fonts import (
    CAPS_ONLY_FONTS,
    HANDWRITING_FONTS,
    HELD_OUT_FONTS,
    _font,
    _has_glyph,
    font_paths,
    installed_font_files,
)
from .glyph_strokes import thin
from .hw_text import LEXICON, MAX_CHARS, sample_text
from .mnist import load_mnist
from .realchars import list_real_chars
from .runs import parallel_map

CHUNK = 1000  # samples drawn per seed; chunks are spread over workers
X_HEIGHT = set("acemnorsuvwxz")
DESCENDERS = set("gpqy")
# A crop's (top, bottom) relative to the cap height H, baseline at 1.0
ROLE = {**{c: (0.4, 1.0) for c in X_HEIGHT}, **{c: (0.4, 1.4) for c in DESCENDERS},
        "i": (0.15, 1.0), "j": (0.15, 1.4), "t": (0.15, 1.0)}
SPLITS = ("train", "val", "test")
MNIST_VAL = 5000  # the last MNIST training digits: validation, as for the character model


@dataclass
class Crops:
    """White-on-black float ink crops per character class (real handwriting)."""

    by_class: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, label: str, ink: np.ndarray) -> None:
        self.by_class.setdefault(label, []).append(ink)


def _tight(ink: np.ndarray) -> np.ndarray | None:
    mask = line_mask(ink)
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return None
    return ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def load_crops(split: str, real_dir: str | Path | None, mnist_dir: str | Path | None,
               mnist_limit: int = 6000) -> Crops:
    """Ink crops of one split: handwritten-chars (its fixed split) and MNIST digits.

    MNIST: ``train`` takes the training digits but the last 5,000, ``val`` those 5,000, ``test``
    the test file. Missing folders or files are errors that name them.
    """
    if split not in SPLITS:
        raise EdgeOCRError(f"unknown split '{split}' (choose from {', '.join(SPLITS)})")
    crops = Crops()
    if real_dir is not None:
        for path, label in list_real_chars(real_dir, split):
            ink = _tight(ink_map(to_gray(load_image(path))))
            if ink is not None:
                crops.add(label, ink)
    if mnist_dir is not None:
        x, y = load_mnist(mnist_dir, "test" if split == "test" else "train")
        if split != "test":
            x, y = (x[:-MNIST_VAL], y[:-MNIST_VAL]) if split == "train" else (x[-MNIST_VAL:], y[-MNIST_VAL:])
        for img, label in zip(x[:mnist_limit], y[:mnist_limit]):
            ink = _tight(img.astype(np.float32) / 255.0)
            if ink is not None:
                crops.add(str(int(label)), ink)
    return crops


def compose_ink(text: str, crops: Crops, rng: np.random.Generator, cap: int = 32) -> np.ndarray:
    """Lay out one crop per character of ``text`` as white-on-black ink, ``cap`` px cap height."""
    pieces = []
    for ch in text:
        if ch == " ":
            pieces.append(None)
            continue
        choices = crops.by_class.get(ch)
        if not choices:
            raise EdgeOCRError(f"no crop for '{ch}'")
        ink = choices[int(rng.integers(len(choices)))]
        top, bottom = ROLE.get(ch, (0.0, 1.0))
        h = max(3, round((bottom - top) * cap * rng.uniform(0.88, 1.12)))
        w = max(2, round(ink.shape[1] * h / ink.shape[0] * rng.uniform(0.85, 1.15)))
        pieces.append((cv2.resize(ink, (w, h), interpolation=cv2.INTER_AREA), top))
    gaps = [cap * (rng.uniform(0.5, 1.0) if p is None else rng.uniform(-0.06, 0.22)) for p in pieces]
    width = int(sum(p[0].shape[1] for p in pieces if p) + sum(max(g, 0) for g in gaps) + 2 * cap)
    canvas = np.zeros((int(cap * 2.2), width), np.float32)
    x, slope = cap * 0.5, rng.normal(0, 0.03)
    for p, gap in zip(pieces, gaps):
        if p is not None:
            ink, top = p
            y = int(cap * 0.4 + top * cap + slope * x + rng.normal(0, cap * 0.04))
            y = min(max(0, y), canvas.shape[0] - ink.shape[0])
            xi = int(max(0, x))
            ink = ink[:, : canvas.shape[1] - xi]
            region = canvas[y : y + ink.shape[0], xi : xi + ink.shape[1]]
            np.maximum(region, ink, out=region)
            x += ink.shape[1]
        x += gap
    return canvas


def font_ink(text: str, font: Path, rng: np.random.Generator, size: int | None = None) -> np.ndarray | None:
    """Draw ``text`` character by character (jittered advance and baseline) as float ink; ``size``
    in px (default: random, 28-43)."""
    from PIL import Image, ImageDraw

    if any(not ch.isspace() and not _has_glyph(str(font), ch) for ch in text):
        return None
    size = int(rng.integers(28, 44)) if size is None else size
    f = _font(str(font), size)
    track = rng.uniform(-0.04, 0.1) * size
    advances = [f.getlength(ch) + track + rng.uniform(-0.03, 0.05) * size for ch in text]
    width = int(sum(max(a, 1) for a in advances) + 2 * size)
    img = Image.new("L", (width, int(size * 2.2)), 0)
    draw = ImageDraw.Draw(img)
    x, base, slope = size * 0.5, size * 1.45, rng.normal(0, 0.02)
    for ch, adv in zip(text, advances):
        draw.text((x, base + slope * x + rng.normal(0, size * 0.025)), ch, font=f, fill=255, anchor="ls")
        x += max(adv, 1)
    ink = np.asarray(img, dtype=np.float32) / 255.0
    return ink if ink.max() > 0 else None


def pen_ink(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Redraw ink with an even, round pen (its skeleton dilated), as finger strokes look."""
    skel = thin(ink > 0.5).astype(np.uint8)
    ys, _ = np.nonzero(ink > 0.5)
    height = (ys.max() - ys.min() + 1) if len(ys) else 32
    r = max(1, round(height * rng.uniform(0.03, 0.07)))
    return cv2.dilate(skel * 255, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
                      ).astype(np.float32) / 255.0


def distort_word(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Stroke width, gentle elastic warp, slant, tilt and scale."""
    ink = augment.stroke_width(ink, rng, max_px=max(1, ink.shape[0] // 40))
    if rng.random() < 0.7:
        ink = augment.elastic(ink, rng, alpha=0.006, sigma=0.04)
    return augment.affine(ink, rng, rot=3, shear=0.35, scale=(0.85, 1.15))


def photograph_word(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Ink on paper (or a plain screen), framed with margins of 0.1-1 ink heights as a user frames a
    word, scaled to a camera's resolution, blur, noise, JPEG: uint8 gray."""
    ink = augment.frame_ink(ink, rng, margin=(0.1, 1.0), height=(16, 48))
    h, w = ink.shape
    plain = rng.random() < 0.2  # a screen or clean white paper
    bg = np.full((h, w), rng.uniform(225, 255), np.float32) if plain else augment.paper(h, w, rng)
    img = bg - ink * rng.uniform(0.45, 0.95) * bg.mean()
    if rng.random() < 0.05:  # light on dark: a blackboard, a dark-mode screen
        img = 255.0 - img
    return augment.camera(img, rng, blur=1.1, noise=5.0)


def _word_font_names(split: str) -> list[str]:
    return [f for f in HANDWRITING_FONTS if f not in HELD_OUT_FONTS] if split == "train" else HELD_OUT_FONTS


def word_fonts(split: str) -> list[Path]:
    """Training faces for ``train``, the held-out faces for ``val`` and ``test``."""
    return font_paths(_word_font_names(split))


def draw_sample(source: str, rng: np.random.Generator, fonts: list[Path], crops: Crops | None,
                text: str | None = None) -> tuple[np.ndarray, str]:
    """One photographed word or line (uint8 gray) and its text, from ``font`` or ``composed``.

    ``text`` fixes what is written (capitals in caps-only faces); by default it is sampled.
    """
    for _ in range(20):
        if source == "composed":
            t = text if text is not None else sample_text(rng, letters_only=True)
            if crops is None or any(c != " " and c not in crops.by_class for c in t):
                continue
            ink = compose_ink(t, crops, rng)
        else:
            font = fonts[int(rng.integers(len(fonts)))]
            t = text if text is not None else sample_text(rng)
            if font.stem in CAPS_ONLY_FONTS:
                t = t.upper()
            ink = font_ink(t, font, rng)
            if ink is None:
                continue
            if rng.random() < 0.15:
                ink = pen_ink(ink, rng)
        return photograph_word(distort_word(ink, rng), rng), t
    raise EdgeOCRError(f"cannot draw a {source} sample (fonts or crops missing)")


def compose_page(texts: list[str], fonts: list[Path], rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    """A handwritten page (uint8 gray): one line per text in one face, size and pen, each slightly
    tilted and indented by a varying amount, on paper. Returns the page and the lines as written
    (capitals in caps-only faces)."""
    font = fonts[int(rng.integers(len(fonts)))]
    size = int(rng.integers(30, 44))  # one writer: one size, one pen
    pen = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (int(rng.integers(1, 4)),) * 2)
    inks, written = [], []
    for text in texts:
        t = text.upper() if font.stem in CAPS_ONLY_FONTS else text
        ink = font_ink(t, font, rng, size)
        if ink is None:
            continue
        ink = cv2.dilate(ink, pen)
        m = cv2.getRotationMatrix2D((ink.shape[1] / 2, ink.shape[0] / 2), rng.uniform(-2.5, 2.5), 1.0)
        inks.append(cv2.warpAffine(ink, m, (ink.shape[1], ink.shape[0])))
        written.append(t)
    if not inks:
        raise EdgeOCRError(f"{font.stem} cannot draw these lines")
    step = int(max(i.shape[0] for i in inks) * rng.uniform(0.55, 0.7))
    width = max(i.shape[1] for i in inks) + 120
    canvas = np.zeros((step * len(inks) + inks[-1].shape[0] + 80, width), np.float32)
    for k, ink in enumerate(inks):
        y, x = 40 + k * step, int(rng.integers(20, 80))
        region = canvas[y : y + ink.shape[0], x : x + ink.shape[1]]
        np.maximum(region, ink, out=region)
    bg = augment.paper(*canvas.shape, rng)
    page = bg - canvas * rng.uniform(0.5, 0.9) * bg.mean()
    page += rng.normal(0, rng.uniform(0, 4), page.shape)
    return np.clip(page, 0, 255).astype(np.uint8), written


_CROPS: Crops | None = None


def _chunk(job: tuple[str, int, int, float]) -> tuple[np.ndarray, list[str], list[str]]:
    split, count, seed, composed_share = job
    rng = np.random.default_rng(seed)
    fonts = word_fonts(split)
    x = np.empty((count, *LINE_SIZE), np.uint8)
    labels, sources = [], []
    for i in range(count):
        source = "composed" if _CROPS is not None and rng.random() < composed_share else "font"
        img, text = draw_sample(source, rng, fonts, _CROPS)
        x[i] = np.round(line_input(img) * 255.0)
        labels.append(text)
        sources.append(source)
    return x, labels, sources


def hw_samples(split: str, count: int, seed: int, real_dir: str | Path | None = None,
               mnist_dir: str | Path | None = None, composed_share: float = 0.5, workers: int = 1
               ) -> tuple[np.ndarray, list[str], list[str]]:
    """``count`` model inputs (uint8 N x 32 x 256, x255), texts and sources ("font"/"composed").

    Composed words need ``real_dir`` or ``mnist_dir`` (the split's crops); without either, all
    samples are font-drawn.
    """
    global _CROPS
    _CROPS = load_crops(split, real_dir, mnist_dir) if (real_dir or mnist_dir) else None
    jobs = [(split, min(CHUNK, count - s), seed * 100_003 + s, composed_share) for s in range(0, count, CHUNK)]
    parts = parallel_map(_chunk, jobs, workers, f"{split} words", [j[1] for j in jobs])
    return (np.concatenate([p[0] for p in parts]), [t for p in parts for t in p[1]],
            [s for p in parts for s in p[2]])


def hw_key_parts(split: str, count: int, seed: int, real_dir: str | Path | None = None,
                 mnist_dir: str | Path | None = None, composed_share: float = 0.5) -> dict[str, object]:
    """What shapes :func:`hw_samples`' output, for :func:`train.data.runs.cache_key`: its parameters, the
    chunking, the real-character and MNIST folders (resolved and fingerprinted), the installed faces
    and the lexicon's content (not ``workers``: any number draws the same)."""
    from edge_app.files import sha256_file

    return {"generator": "train.data.handwriting", "split": split, "count": count, "seed": seed,
            "composed_share": composed_share, "chunk": CHUNK,
            "real": Path(real_dir) if real_dir else None, "mnist": Path(mnist_dir) if mnist_dir else None,
            "mnist_val": MNIST_VAL, "fonts": installed_font_files(_word_font_names(split)),
            "lexicon": sha256_file(LEXICON), "max_chars": MAX_CHARS, "size": list(LINE_SIZE),
            "ink_sensitivity": INK_SENSITIVITY}
