"""Printed lines for the page reader: real prose set in book faces, printed and photographed.

A line of words from :mod:`train.data.prose` is set in one of :data:`BOOK_FONTS` at a random size,
then given what print and a phone camera add (:func:`print_photo`): ink spread or thinning, a
slight tilt and a bent baseline (a page's curve near the gutter), paper tint and texture, uneven
light and gutter shade, resolution loss, blur, noise and JPEG. The model input is made by the
device's own :func:`edge_app.preprocess.print_line_input`.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from edge_app.families.page.preprocess import print_line_input
from edge_app.families.page.spec import PRINT_SIZE
from edge_app.preprocess import LINE_PAD

from . import augment
from .fonts import _font, _has_glyph, font_paths, installed_font_files
from .prose import DEVIL, EVAL_FILES, FORTUNE_DIR, SKIP_FILES, paragraphs, word_stream
from .runs import parallel_map

# Book and text faces from Debian packages (file stems). Held-out families never train.
BOOK_FONTS = [
    "NimbusRoman-Regular", "NimbusRoman-Italic", "NimbusRoman-Bold", "C059-Roman", "C059-Italic", "P052-Roman",
    "P052-Italic", "URWBookman-Light", "URWBookman-LightItalic", "texgyretermes-regular", "texgyrepagella-regular",
    "texgyreschola-regular", "texgyrebonum-regular", "texgyretermes-italic", "DejaVuSerif", "DejaVuSerifCondensed",
    "LiberationSerif-Regular", "LiberationSerif-Italic", "FreeSerif", "FreeSerifItalic", "Gentium-R", "Gentium-I",
    "GFSDidot", "STIXGeneral-Regular", "STIXGeneral-Italic", "AccanthisADFStd-Regular", "BerenisADFPro-Regular",
    "TribunADFStd-Regular", "RobotoSlab-Regular", "Go-Regular", "NimbusSans-Regular",
    "LiberationSans-Regular", "DejaVuSans", "Carlito-Regular", "FreeSans", "URWGothic-Book",
    "UniversalisADFStd-Regular", "NimbusMonoPS-Regular", "LiberationMono-Regular",
]
HELD_OUT_BOOK_FONTS = ["EBGaramond12-Regular", "CharisSIL-Regular", "LinLibertine_R", "BaskervaldADFStd",
                       "Caladea-Regular"]
SYMBOL_TOKENS = ["[1]", "(12)", "#3", "$5.00", "50%", "a*b", "x^2", "{a|b}", "<p>", "C:\\", "@home", "~", "_x_",
                 "`x`", "&", "+/-", "=", "1/2", "[sic]", "A.D.", "No. 7", "p. 213", "pp. 1-15", "...", ";", ":", "!?"]
CHUNK = 500
LIMIT = PRINT_SIZE[1] - 2 * LINE_PAD


def book_fonts(split: str) -> list[Path]:
    """Training faces for ``train``, the held-out faces for ``val`` and ``eval``; none is an error."""
    return font_paths(BOOK_FONTS if split == "train" else HELD_OUT_BOOK_FONTS, "book")


def printed_key_parts(split: str, count: int, seed: int) -> dict[str, object]:
    """What shapes :func:`printed_samples`' output, for :func:`train.data.runs.cache_key`: its parameters,
    the chunking, the installed faces and the prose sources (fingerprinted); not ``workers``."""
    return {"generator": "train.data.printed", "split": split, "count": count, "seed": seed, "chunk": CHUNK,
            "fonts": installed_font_files(BOOK_FONTS if split == "train" else HELD_OUT_BOOK_FONTS),
            "prose": [FORTUNE_DIR, DEVIL], "prose_held_out": [*EVAL_FILES, *SKIP_FILES], "size": list(PRINT_SIZE)}


def fit_typography(text: str, font: Path) -> str:
    """Replace curly quotes and dashes a face lacks by their ASCII forms."""
    plain = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2014": "--", "\u2013": "-"}
    return "".join(plain[c] if c in plain and not _has_glyph(str(font), c) else c for c in text)


def render_line(text: str, font: Path, size: int) -> np.ndarray | None:
    """Set ``text`` in ``font`` at ``size`` px: float32 white ink on black, with size-wide margins."""
    from PIL import Image, ImageDraw

    f = _font(str(font), size)
    x0, y0, x1, y1 = f.getbbox(text)
    if x1 <= x0 or y1 <= y0:
        return None
    pad = size
    img = Image.new("L", (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad), 0)
    ImageDraw.Draw(img).text((pad - x0, pad - y0), text, font=f, fill=255)
    ink = np.asarray(img, dtype=np.float32) / 255.0
    return ink if ink.max() > 0 else None


def spread(ink: np.ndarray, rng: np.random.Generator, size: int) -> np.ndarray:
    """Ink spread or thinning, as a press and paper give: blur, then a soft re-threshold."""
    b = cv2.GaussianBlur(ink, (0, 0), rng.uniform(0.2, 0.6) * size / 24)
    return np.clip((b - rng.uniform(0.35, 0.65)) * 3.0 + 0.5, 0.0, 1.0)


def bend(ink: np.ndarray, rng: np.random.Generator, amount: float) -> np.ndarray:
    """A baseline that curves (a page bowing towards the gutter) and a slight tilt."""
    h, w = ink.shape
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    u = xs / max(w - 1, 1)
    if rng.random() < 0.5:
        u = 1.0 - u
    dy = amount * u**2 + np.float32(np.tan(np.deg2rad(rng.uniform(-0.8, 0.8)))) * (xs - w / 2)
    return cv2.remap(ink, xs, ys + dy.astype(np.float32), cv2.INTER_LINEAR, borderValue=0)


def print_photo(ink: np.ndarray, rng: np.random.Generator, size: int) -> np.ndarray:
    """Print ``ink`` on paper and photograph it: uint8 gray, text 12-44 px high, margins as a page
    line crop has."""
    ink = spread(ink, rng, size)
    if rng.random() < 0.4:
        ink = bend(ink, rng, rng.uniform(0, 0.25) * size)
    if not (ink > 0.3).any():
        raise ValueError("no ink")
    ink = augment.frame_ink(ink, rng, margin=(0.08, 0.5), height=(12, 44))
    h, w = ink.shape
    bg = augment.paper(h, w, rng)
    if rng.random() < 0.3:  # gutter shade or a lamp's falloff across the line
        ramp = np.linspace(0, 1, w, dtype=np.float32) ** rng.uniform(1, 4)
        bg *= 1.0 - rng.uniform(0.1, 0.5) * (ramp if rng.random() < 0.5 else ramp[::-1])[None, :]
    img = bg - ink * rng.uniform(0.45, 0.95) * bg.mean()
    return augment.camera(img, rng, blur=1.0, noise=5.0)


def line_text(words, font: Path, size: int, rng: np.random.Generator) -> str:
    """Words enough to fill a line at this size: mostly full width, sometimes short (a paragraph's
    end, a heading, a page number), sometimes a hyphenated end or symbols."""
    f = _font(str(font), size)
    ink_h = max(1, f.getbbox("Hgjy")[3] - f.getbbox("Hgjy")[1])
    target = LIMIT * ink_h / (PRINT_SIZE[0] - 2 * LINE_PAD) * (rng.uniform(0.75, 1.0) if rng.random() < 0.8
                                                                else rng.uniform(0.05, 0.75))
    r = rng.random()
    if r < 0.03:
        return str(int(rng.integers(1, 999)))
    if r < 0.06:
        return " ".join(next(words) for _ in range(int(rng.integers(1, 5)))).upper()
    out: list[str] = []
    while True:
        w = next(words)
        if rng.random() < 0.015:
            w = str(rng.choice(SYMBOL_TOKENS))
        trial = " ".join(out + [w])
        if out and f.getlength(trial) > target:
            if rng.random() < 0.15 and len(w) >= 6 and w.isalpha():  # a hyphenated line end
                cut = int(rng.integers(3, len(w) - 2))
                if f.getlength(" ".join(out + [w[:cut] + "-"])) <= target:
                    out.append(w[:cut] + "-")
            break
        out.append(w)
    text = " ".join(out)
    if rng.random() < 0.1 and len(out) > 1:  # a line that starts with a word's second half
        text = text[int(rng.integers(1, max(2, len(out[0])))):]
    return text.strip()


def _chunk(job: tuple[str, int, int]) -> tuple[np.ndarray, list[str]]:
    split, count, seed = job
    rng = np.random.default_rng(seed)
    fonts = book_fonts(split)
    words = word_stream(paragraphs("train"), rng)  # the evaluation prose is left to the bench
    x = np.zeros((count, *PRINT_SIZE), np.uint8)
    labels: list[str] = []
    while len(labels) < count:
        font = fonts[int(rng.integers(len(fonts)))]
        size = int(rng.integers(20, 48))
        text = fit_typography(line_text(words, font, size, rng), font)
        if not text or any(not _has_glyph(str(font), c) for c in text if c != " "):
            continue
        ink = render_line(text, font, size)
        if ink is None:
            continue
        try:
            img = print_photo(ink, rng, size)
        except ValueError:
            continue
        inp = print_line_input(img)
        if inp.max() == 0:
            continue
        x[len(labels)] = np.round(inp * 255.0)
        labels.append(text)
    return x, labels


def printed_samples(split: str, count: int, seed: int, workers: int = 1) -> tuple[np.ndarray, list[str]]:
    """``count`` model inputs (uint8 N x 32 x 512, x255) and their texts; ``train`` uses the
    training faces, ``val`` the held-out faces; both set training prose (the bench's is never seen)."""
    jobs = [(split, min(CHUNK, count - s), seed * 100_003 + s) for s in range(0, count, CHUNK)]
    parts = parallel_map(_chunk, jobs, workers, f"{split} lines", [j[1] for j in jobs])
    return np.concatenate([p[0] for p in parts]), [t for p in parts for t in p[1]]

