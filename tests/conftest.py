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


@pytest.fixture(autouse=True, scope="session")
def _data_cache(tmp_path_factory):
    """Trainers' shared data cache in a temporary folder, never the user's ~/.cache."""
    os.environ["EDGEOCR_DATA_CACHE"] = str(tmp_path_factory.mktemp("data_cache"))
    yield
    os.environ.pop("EDGEOCR_DATA_CACHE", None)


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


CARD_LINES = ["The quick brown fox jumps", "over the lazy dog near", "the river bank at noon", "Call 555 0199 today"]


def text_card(lines: list[str] = CARD_LINES, width: int = 1000) -> np.ndarray:
    """A white card (BGR) with ``lines`` printed dark on it, margins all round."""
    scale, thick, step = width / 700, max(1, round(width / 450)), round(width * 0.11)
    h = step * (len(lines) + 1)
    card = np.full((h, width, 3), (238, 242, 245), np.uint8)
    for i, line in enumerate(lines):
        cv2.putText(card, line, (round(width * 0.06), step * (i + 1)), cv2.FONT_HERSHEY_DUPLEX, scale,
                    (30, 30, 30), thick, cv2.LINE_AA)
    return card


def scene(size: tuple[int, int], rng: np.random.Generator, kind: str = "dark") -> np.ndarray:
    """A background (BGR) ``size`` (h, w): a dark table (noise, a gradient) or a cluttered one (also
    a few coloured rectangles)."""
    h, w = size
    base = rng.uniform(35, 80)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    grad = base + 40 * (xs / w) * rng.uniform(0.3, 1) + 20 * (ys / h)
    img = np.repeat(grad[..., None], 3, 2) * np.float32([0.8, 0.9, 1.0])  # a brown-ish table
    img += rng.normal(0, 8, img.shape).astype(np.float32)
    if kind == "clutter":
        for _ in range(6):
            x, y = int(rng.integers(0, w - 60)), int(rng.integers(0, h - 60))
            bw, bh = int(rng.integers(30, w // 6)), int(rng.integers(30, h // 6))
            colour = tuple(float(c) for c in rng.uniform(20, 160, 3))
            cv2.rectangle(img, (x, y), (x + bw, y + bh), colour, -1)
    return np.clip(img, 0, 255).astype(np.uint8)


def place(card: np.ndarray, background: np.ndarray, quad: np.ndarray, shadow: float = 0.0) -> np.ndarray:
    """``card`` warped onto ``background`` so its corners land on ``quad`` (TL, TR, BR, BL), casting a
    soft shadow that darkens what is beneath its edges by up to ``shadow``."""
    h, w = card.shape[:2]
    src = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
    m = cv2.getPerspectiveTransform(src, np.float32(quad))
    size = (background.shape[1], background.shape[0])
    warped = cv2.warpPerspective(card, m, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, size, flags=cv2.INTER_LINEAR)
    a = (mask.astype(np.float32) / 255.0)[..., None]
    under = background.astype(np.float32)
    if shadow:
        under *= 1 - shadow * cv2.GaussianBlur(cv2.dilate(mask, np.ones((9, 9), np.uint8)), (0, 0), 5)[..., None] / 255
    return (warped * a + under * (1 - a)).astype(np.uint8)


def card_quad(size: tuple[int, int], card_shape: tuple[int, int], rng: np.random.Generator, angle: float,
              share: float = 0.35, tilt: float = 0.08) -> np.ndarray:
    """Where a card lands in a frame of ``size`` (h, w): about ``share`` of it, turned by ``angle``
    degrees, with a perspective tilt (corners moved by up to ``tilt`` of the card's size)."""
    h, w = size
    ch, cw = card_shape
    s = np.sqrt(share * h * w / (ch * cw))
    pts = np.float32([[-cw, -ch], [cw, -ch], [cw, ch], [-cw, ch]]) * s / 2
    pts += rng.uniform(-tilt, tilt, (4, 2)).astype(np.float32) * np.float32([cw * s, ch * s])
    t = np.deg2rad(angle)
    rot = np.float32([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    centre = np.float32([w / 2, h / 2]) + rng.uniform(-0.08, 0.08, 2).astype(np.float32) * [w, h]
    return (pts @ rot.T + centre).astype(np.float32)


def photograph(image: np.ndarray, rng: np.random.Generator, blur: float = 1.0, quality: int = 80) -> np.ndarray:
    """A camera's softness, noise and JPEG on ``image``."""
    soft = cv2.GaussianBlur(image, (0, 0), blur).astype(np.float32)
    soft += rng.normal(0, 3, soft.shape).astype(np.float32)
    ok, buf = cv2.imencode(".jpg", np.clip(soft, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def card_photo(seed: int = 0, angle: float = 12.0, kind: str = "dark", size: tuple[int, int] = (1200, 1600),
               share: float = 0.35) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A phone photo of a text card on a table: (photo BGR, the card's true corners TL, TR, BR, BL,
    the flat card)."""
    rng = np.random.default_rng(seed)
    card = text_card()
    quad = card_quad(size, card.shape[:2], rng, angle, share)
    return photograph(place(card, scene(size, rng, kind), quad), rng), quad, card


EDGELESS_SIZE = (1200, 1600)  # (h, w) of :func:`edgeless_photo`
GROUND = (225, 232, 236)  # BGR: the pale ground :func:`edgeless_photo` prints on, a paper's own colour


def texture(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Photo-like texture (gravel, foliage): noise at three scales, about unit spread."""
    h, w = size
    out = np.zeros((h, w), np.float32)
    for s in (2, 6, 20):
        out += cv2.resize(rng.normal(0, 1, (h // s, w // s)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    return out


def edgeless_photo(ink: np.ndarray, rng: np.random.Generator, share: float) -> tuple[np.ndarray, tuple[int, ...]]:
    """``ink`` (1 = ink) printed on a pale patch with a soft, wobbly outline (no straight edge anywhere) in the
    middle of a cluttered, textured scene, the ink's canvas covering ``share`` of the frame; the photo and
    the box (x0, y0, x1, y1) around the ink itself."""
    h, w = EDGELESS_SIZE
    s = np.sqrt(share * h * w / ink.size)
    ink = cv2.resize(ink, (round(ink.shape[1] * s), round(ink.shape[0] * s)), interpolation=cv2.INTER_AREA)
    ih, iw = ink.shape
    y0, x0 = (h - ih) // 2, (w - iw) // 2
    full = np.zeros((h, w), np.float32)
    full[y0 : y0 + ih, x0 : x0 + iw] = ink
    ground = scene(EDGELESS_SIZE, rng, "clutter").astype(np.float32) + 25 * texture(EDGELESS_SIZE, rng)[..., None]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    wobble = 0.15 * cv2.resize(rng.normal(0, 1, (6, 8)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    oval = np.hypot((xs - w / 2) / (iw * 0.62), (ys - h / 2) / (ih * 0.62)) + wobble < 1.0
    patch = cv2.GaussianBlur(oval.astype(np.float32), (0, 0), 12)[..., None]
    pale = np.float32(GROUND) * (1 - 0.85 * full)[..., None]
    photo = photograph(np.clip(ground * (1 - patch) + pale * patch, 0, 255).astype(np.uint8), rng)
    ys, xs = np.nonzero(full > 0.3)
    return photo, (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
