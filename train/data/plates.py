"""Synthetic licence-plate data sets, 64x128 grayscale, labels in ``labels.csv``.

- ``digits5`` is the reference spec: exactly five digits, every label different, 22 fonts, font
  sizes 18-25 px, varied spacing.
- ``us``, ``eu``, ``br`` and ``world`` (all three) are realistic: 4-8 alphanumerics in regional
  layouts, drawn by :mod:`train.data.plate_render` and seen through a simulated camera.

    edgeocr train plate-data --preset digits5 --count 60000 --out data/digits5
    edgeocr train plate-data --preset world --count 20000 --out data/world
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import cv2
import numpy as np

from edge_app.errors import EdgeOCRError
from edge_app.files import atomic_write_bytes

from .fonts import font_paths, installed_font_files, render_text
from .plate_render import DECO_FONTS, PLATE_FONTS, PLATE_HELD_OUT_FONTS, camera_crop, plate_fonts, render_plate
from .plate_text import PRESETS
from .runs import parallel_map

DIGITS5_SIZE = (64, 128)  # height, width
CHUNK = 2000  # realistic plates are drawn in chunks of this many, each with its own seed
# 22 font types from Debian packages: FHWA road faces, DIN, DejaVu and Liberation.
DIGITS5_FONTS = [
    "RG2014B", "RG2014C", "RG2014D", "RG2014E", "RG2014EM", "RG2014EEM", "RG2014F", "OSP-DIN",
    "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansCondensed", "DejaVuSansCondensed-Bold", "DejaVuSansMono",
    "DejaVuSansMono-Bold", "DejaVuSerif", "DejaVuSerif-Bold", "LiberationSans-Regular", "LiberationSans-Bold",
    "LiberationSansNarrow-Regular", "LiberationSansNarrow-Bold", "LiberationMono-Regular", "LiberationMono-Bold",
]


def render_digits5(text: str, font: Path, size: int, spacing: int, rng: np.random.Generator) -> np.ndarray:
    """One 64x128 uint8 image of ``text`` (dark digits on a light plate), glyph by glyph with ``spacing``."""
    glyphs = [render_text(ch, font, size=size, pad=0) for ch in text]
    if any(g is None for g in glyphs):
        raise EdgeOCRError(f"font {font.name} cannot draw {text!r}")
    h = max(g.shape[0] for g in glyphs)
    width = sum(g.shape[1] for g in glyphs) + spacing * (len(glyphs) - 1)
    ink = np.zeros((h, max(width, 1)), np.float32)
    x = 0
    for g in glyphs:
        ink[h - g.shape[0] :, x : x + g.shape[1]] = np.maximum(ink[h - g.shape[0] :, x : x + g.shape[1]], g)
        x += g.shape[1] + spacing
    H, W = DIGITS5_SIZE
    if ink.shape[1] > W - 4:  # too wide at this size and spacing: shrink to fit, keep the aspect
        s = (W - 4) / ink.shape[1]
        ink = cv2.resize(ink, (W - 4, max(1, round(ink.shape[0] * s))), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((H, W), np.float32)
    y0 = int(rng.integers(0, H - ink.shape[0] + 1))
    x0 = int(rng.integers(0, W - ink.shape[1] + 1))
    canvas[y0 : y0 + ink.shape[0], x0 : x0 + ink.shape[1]] = ink
    paper, ink_level = rng.uniform(170, 250), rng.uniform(0, 70)
    img = paper - canvas * (paper - ink_level) + rng.normal(0, rng.uniform(0, 6), canvas.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def digits5_samples(count: int, seed: int, fonts: list[Path]) -> tuple[np.ndarray, list[str]]:
    """``count`` digits5 images (uint8, N x 64 x 128) with distinct labels, drawn with ``fonts`` in turn."""
    if not 1 <= count <= 100_000:
        raise EdgeOCRError(f"digits5 has 100,000 distinct labels; --count must be 1..100000, not {count}")
    rng = np.random.default_rng(seed)
    labels = [f"{int(v):05d}" for v in rng.choice(100_000, size=count, replace=False)]
    images = np.empty((count, *DIGITS5_SIZE), np.uint8)
    for i, text in enumerate(labels):
        size, spacing = int(rng.integers(18, 26)), int(rng.integers(-1, 7))
        images[i] = render_digits5(text, fonts[i % len(fonts)], size, spacing, rng)
    return images, labels


def _realistic_chunk(job: tuple[str, int, int, bool]) -> tuple[np.ndarray, list[str]]:
    preset, count, seed, held_out = job
    rng = np.random.default_rng(seed)
    fonts, deco = plate_fonts(held_out)
    region = None if preset == "world" else preset
    images = np.empty((count, *DIGITS5_SIZE), np.uint8)
    labels = []
    for i in range(count):
        plate, label = render_plate(rng, fonts, deco, region)
        images[i] = camera_crop(plate, rng, DIGITS5_SIZE)
        labels.append(label)
    return images, labels


def plate_samples(preset: str, count: int, seed: int = 0, held_out: bool = False,
                  workers: int = 1) -> tuple[np.ndarray, list[str]]:
    """``count`` images (uint8, N x 64 x 128) and labels of a preset; the same for any ``workers``.

    ``held_out`` draws with the fonts that training never uses (for validation and the bench).
    """
    if preset not in PRESETS:
        raise EdgeOCRError(f"unknown preset '{preset}' (choose from {', '.join(PRESETS)})")
    if preset == "digits5":
        names = PLATE_HELD_OUT_FONTS if held_out else [f for f in DIGITS5_FONTS if f not in PLATE_HELD_OUT_FONTS]
        fonts = font_paths(names)
        if not held_out and len(font_paths(DIGITS5_FONTS)) < len(DIGITS5_FONTS):
            raise EdgeOCRError(f"digits5 needs {len(DIGITS5_FONTS)} fonts: run scripts/install_fonts.sh")
        return digits5_samples(count, seed, fonts)
    if count < 1:
        raise EdgeOCRError(f"--count must be at least 1, not {count}")
    jobs = [(preset, min(CHUNK, count - start), seed * 100_003 + start, held_out) for start in range(0, count, CHUNK)]
    parts = parallel_map(_realistic_chunk, jobs, workers, f"{preset} plates", [j[1] for j in jobs])
    return np.concatenate([p[0] for p in parts]), [lab for p in parts for lab in p[1]]


def plate_key_parts(preset: str, count: int, seed: int, held_out: bool = False) -> dict[str, object]:
    """What shapes :func:`plate_samples`' output, for :func:`train.data.runs.cache_key`: its parameters,
    the chunking and the installed faces it draws with (not ``workers``: any number draws the same)."""
    parts = {"generator": "train.data.plates", "preset": preset, "count": count, "seed": seed, "held_out": held_out,
             "size": list(DIGITS5_SIZE)}
    if preset == "digits5":
        names = PLATE_HELD_OUT_FONTS if held_out else [f for f in DIGITS5_FONTS if f not in PLATE_HELD_OUT_FONTS]
        return {**parts, "fonts": installed_font_files(names)}
    return {**parts, "chunk": CHUNK, "fonts": installed_font_files(PLATE_HELD_OUT_FONTS if held_out else PLATE_FONTS),
            "deco_fonts": installed_font_files(DECO_FONTS)}


def write_plate_data(preset: str, count: int, out: str | Path, seed: int = 0, workers: int = 1) -> Path:
    """Write ``count`` images and ``labels.csv`` (``image_path,plate_text``) under ``out``; returns the CSV.

    ``digits5`` uses all 22 reference fonts; the realistic presets use the training fonts.
    """
    if preset == "digits5":
        fonts = font_paths(DIGITS5_FONTS)
        if len(fonts) < len(DIGITS5_FONTS):
            raise EdgeOCRError(f"digits5 needs {len(DIGITS5_FONTS)} fonts, {len(fonts)} installed: "
                               "run scripts/install_fonts.sh")
        images, labels = digits5_samples(count, seed, fonts)
    else:
        images, labels = plate_samples(preset, count, seed, workers=workers)
    out_dir = Path(out)
    (out_dir / "images").mkdir(parents=True, exist_ok=True)
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["image_path", "plate_text"])
    for i, (img, text) in enumerate(zip(images, labels)):
        rel = f"images/{i:06d}.png"
        if not cv2.imwrite(str(out_dir / rel), img):
            raise EdgeOCRError(f"cannot write {out_dir / rel}")
        writer.writerow([rel, text])
        if (i + 1) % 5000 == 0:
            print(f"  {i + 1}/{count}", file=sys.stderr, flush=True)
    csv_path = out_dir / "labels.csv"
    atomic_write_bytes(csv_path, rows.getvalue().encode())
    return csv_path
