"""Photographed-looking book pages with their true text: the page bench's evaluation set.

A page of prose is typeset like a paperback (:func:`typeset`): justified lines, indented
paragraphs, hyphenated line ends, a running head and a page number, sometimes an illustration.
:func:`photograph_page` then prints it on warm paper and photographs it with a phone: ink spread,
paper texture, the page curving into a dark gutter, a bit of the facing page or the table,
perspective and skew, uneven light, blur, noise and JPEG. Text lines are returned top to bottom.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from . import augment
from .fonts import _font
from .printed import fit_typography, spread
from .prose import book_typography

TITLES = ["TWENTY THOUSAND LEAGUES", "THE DEVIL'S NOTEBOOK", "A BOOK OF DAYS", "SELECTED ESSAYS",
          "THE LONG VOYAGE", "ON READING", "COLLECTED WISDOM", "NOTES FROM A JOURNEY"]


@dataclass
class BookPage:
    """A typeset page: ink (float32, 1 = ink, at 2x the photo's resolution) and its text lines."""

    ink: np.ndarray
    lines: list[str]
    picture: tuple[int, int, int, int] | None  # the illustration's box in ink pixels


def _hyphen_split(word: str, f, room: float) -> tuple[str, str] | None:
    """Split a long word with a hyphen so its head fits ``room`` px; None if no split fits."""
    if len(word) < 6 or not word.isalpha():
        return None
    for cut in range(len(word) - 3, 2, -1):
        if f.getlength(word[:cut] + "-") <= room:
            return word[:cut] + "-", word[cut:]
    return None


def typeset(paras: list[str], font: Path, rng: np.random.Generator, size: tuple[int, int] = (1800, 2400),
            lines_per_page: int = 25, picture: bool = False) -> BookPage:
    """Set paragraphs on a page of ``size`` (w, h) px; stops when the page is full."""
    from PIL import Image, ImageDraw

    w, h = size
    margin_x, top = int(w * rng.uniform(0.09, 0.13)), int(h * rng.uniform(0.06, 0.09))
    pitch = (h - 2 * top) / (lines_per_page + 2)
    fsize = int(pitch / rng.uniform(1.18, 1.32))
    f, fh = _font(str(font), fsize), _font(str(font), int(fsize * 0.85))
    img = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(img)
    lines: list[str] = []
    number = str(int(rng.integers(2, 400)))
    head = fit_typography(str(rng.choice(TITLES)), font)
    hw = fh.getlength(head)
    draw.text(((w - hw) / 2, top), head, font=fh, fill=255, anchor="ls")
    number_top = rng.random() < 0.6
    if number_top:
        left = int(number) % 2 == 0
        nx = margin_x if left else w - margin_x - fh.getlength(number)
        draw.text((nx, top), number, font=fh, fill=255, anchor="ls")
        lines.append(f"{number} {head}" if left else f"{head} {number}")
    else:
        lines.append(head)
    y = top + 2 * pitch
    bottom = h - top - pitch
    width = w - 2 * margin_x
    pic_box = None
    pic_at = int(rng.integers(4, lines_per_page - 8)) if picture else -1
    space = f.getlength(" ")
    for p_idx, para in enumerate(paras):
        words = fit_typography(book_typography(para), font).split(" ")
        indent = 0 if p_idx == 0 else fsize * 1.5
        while words and y <= bottom:
            if len(lines) - 1 == pic_at and pic_box is None:  # an illustration across the text block
                ph = int(pitch * rng.integers(5, 9))
                pic_box = (margin_x + int(width * 0.1), int(y - pitch * 0.6), margin_x + int(width * 0.9),
                           int(y - pitch * 0.6 + ph))
                y += ph + pitch * 0.5
                continue
            line: list[str] = []
            room = width - indent
            while words:
                trial = f.getlength(" ".join(line + [words[0]]))
                if trial <= room:
                    line.append(words.pop(0))
                    continue
                split = _hyphen_split(words[0], f, room - f.getlength(" ".join(line)) - space) if line else None
                if split:
                    line.append(split[0])
                    words[0] = split[1]
                break
            if not line:  # a word longer than the line: set it alone
                line.append(words.pop(0))
            natural = sum(f.getlength(t) for t in line)
            gap = (room - natural) / (len(line) - 1) if words and len(line) > 1 else space
            x = margin_x + indent
            for t in line:
                draw.text((x, y), t, font=f, fill=255, anchor="ls")
                x += f.getlength(t) + gap
            lines.append(" ".join(line))
            y += pitch
            indent = 0
        if y > bottom:
            break
    if not number_top:
        draw.text(((w - fh.getlength(number)) / 2, h - top * 0.6), number, font=fh, fill=255, anchor="ls")
        lines.append(number)
    ink = np.asarray(img, dtype=np.float32) / 255.0
    if pic_box is not None:
        _draw_picture(ink, pic_box, rng)
    return BookPage(ink, lines, pic_box)


def _draw_picture(ink: np.ndarray, box: tuple[int, int, int, int], rng: np.random.Generator) -> None:
    """An engraving-like illustration: a framed gradient with shapes and hatching."""
    x0, y0, x1, y1 = box
    h, w = y1 - y0, x1 - x0
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    pic = 0.2 + 0.5 * (xx / w) * rng.uniform(0.3, 1) + 0.3 * (yy / h)
    for _ in range(int(rng.integers(3, 8))):
        c = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        axes = (int(rng.integers(w // 12, w // 3)), int(rng.integers(h // 12, h // 2)))
        cv2.ellipse(pic, c, axes, float(rng.uniform(0, 180)), 0, 360, float(rng.uniform(0, 1)), -1)
    step = int(rng.integers(4, 9))
    pic[:, ::step] *= 0.6
    pic = np.clip(pic, 0, 1)
    cv2.rectangle(pic, (0, 0), (w - 1, h - 1), 1.0, 4)
    ink[y0:y1, x0:x1] = np.maximum(ink[y0:y1, x0:x1], pic)


def photograph_page(page: BookPage, rng: np.random.Generator, out_width: int = 900) -> np.ndarray:
    """Print the page on warm paper and photograph it: BGR uint8, about ``out_width`` px wide."""
    ink = spread(page.ink, rng, 48)
    h, w = ink.shape
    gutter_left = rng.random() < 0.5
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    d = (xs if gutter_left else (w - 1 - xs)) / w  # 0 at the gutter
    near = np.clip(1 - d / 0.22, 0, 1)
    curl = rng.uniform(0.004, 0.015) * h
    map_y = ys + (curl * near**2 * ((ys - h / 2) / (h / 2))).astype(np.float32)
    map_x = xs + ((-1 if gutter_left else 1) * rng.uniform(0.01, 0.03) * w * near**2).astype(np.float32)
    ink = cv2.remap(ink, map_x, map_y, cv2.INTER_LINEAR, borderValue=0)
    paper = augment.paper(h, w, rng) * 0 + rng.uniform(215, 245)
    grain = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), rng.uniform(0.8, 2.5))
    paper = paper + grain * rng.uniform(2, 6)
    shade = 1 - rng.uniform(0.35, 0.7) * near**rng.uniform(1.5, 3)  # the gutter's shadow
    light = 1 - rng.uniform(0.05, 0.25) * np.clip((xs / w - rng.uniform(0, 1)) ** 2 + (ys / h - rng.uniform(0, 1)) ** 2,
                                                   0, 1)
    gray = paper * shade * light
    gray = gray * (1 - ink * rng.uniform(0.72, 0.9))
    tint = np.array([rng.uniform(0.78, 0.9), rng.uniform(0.9, 0.96), 1.0], np.float32)  # warm paper (BGR)
    img = gray[..., None] * tint[None, None, :]
    # the page on a darker surface, with the facing page's edge at the gutter
    pad = int(w * 0.06)
    surface = rng.uniform(30, 90)
    canvas = np.full((h + 2 * pad, w + 2 * pad, 3), surface, np.float32)
    canvas[pad : pad + h, pad : pad + w] = img
    gx = pad if gutter_left else pad + w
    canvas[:, max(0, gx - pad // 2) : gx + pad // 2] *= 0.35
    hh, ww = canvas.shape[:2]
    jitter = rng.uniform(-0.025, 0.025, (4, 2)) * [ww, hh]
    src = np.float32([[0, 0], [ww, 0], [ww, hh], [0, hh]])
    dst = (src + jitter).astype(np.float32)
    rot = cv2.getRotationMatrix2D((ww / 2, hh / 2), rng.uniform(-3, 3), 1.0)
    dst = (np.hstack([dst, np.ones((4, 1), np.float32)]) @ rot.T).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    canvas = cv2.warpPerspective(canvas, m, (ww, hh), borderMode=cv2.BORDER_CONSTANT, borderValue=(surface,) * 3)
    return camera_finish(canvas, out_width, rng, blur=0.9, noise=4, quality=65)


def camera_finish(img: np.ndarray, out_width: int, rng: np.random.Generator, blur: float, noise: float,
                  quality: int) -> np.ndarray:
    """A float BGR photo as a phone saves it: scaled to ``out_width``, blurred (sigma 0.3 to ``blur``),
    sensor noise (sigma 1 to ``noise``), JPEG (quality ``quality`` to 91)."""
    h, w = img.shape[:2]
    small = cv2.resize(img, (out_width, round(h * (out_width / w))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), rng.uniform(0.3, blur))
    small += rng.normal(0, rng.uniform(1, noise), small.shape).astype(np.float32)
    out = np.clip(small, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(quality, 92))])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def book_pages(count: int, seed: int, paras: list[str], fonts: list[Path], picture_share: float = 0.25
               ) -> list[tuple[np.ndarray, list[str], str]]:
    """``count`` photographed pages (BGR), their true lines and the face, paragraphs taken in order
    from a random start so every page is running prose."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        font = fonts[i % len(fonts)]
        start = int(rng.integers(len(paras)))
        chosen = [paras[(start + k) % len(paras)] for k in range(40)]
        page = typeset(chosen, font, rng, picture=rng.random() < picture_share)
        out.append((photograph_page(page, rng), page.lines, font.stem))
    return out
