"""Phone photos of an open paperback, harder than the page bench's renders: what issue 15's real photo had.

:func:`book_photo` sets a page of prose (:func:`train.data.book_page.typeset`) and photographs it as a
phone sees a paperback held open on a table:

- the **gutter** on one side: a dark gradient, with a strip of the **facing page** beyond it whose line
  ends are cut off at the photo's edge;
- the **page edge** on the other side (the stack of pages: a few dark hairlines) and the **table**
  beyond it;
- **page curl**: lines bend (a smooth vertical displacement growing toward the gutter) and crowd together
  horizontally there;
- **specks and dust** in the margins and beside line ends, **uneven light**, a slight tilt, blur, noise, JPEG.

Text lines are returned top to bottom; only the photographed page's lines are its truth.

:func:`spread_photo` photographs both pages of the open book (a spread): two pages set side by side, both
curling into a shadowed gutter between them, on a table or filling the photo; its truth is the left page's
lines, then the right page's.
"""

from __future__ import annotations

import cv2
import numpy as np

from train.data.book_page import camera_finish, typeset
from train.data.printed import book_fonts, spread
from train.data.prose import paragraphs


def _curl(ink: np.ndarray, gutter_left: bool, amount: float, crowd: float) -> np.ndarray:
    """Bend the page's lines toward the gutter: down by up to ``amount`` px there (more low on the page),
    and pull the ink toward the gutter by up to ``crowd`` px."""
    h, w = ink.shape
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    d = (xs if gutter_left else w - 1 - xs) / w
    near = np.clip(1 - d / 0.35, 0, 1) ** 2
    dy = amount * near * (0.5 + ys / h)
    dx = (1 if gutter_left else -1) * crowd * near
    return cv2.remap(ink, xs + dx, ys - dy, cv2.INTER_LINEAR, borderValue=0)


def _specks(ink: np.ndarray, page_lines_y: tuple[int, int], rng: np.random.Generator, count: int) -> None:
    """Dust and specks: small dark dots, mostly in the margins, some just beyond line ends."""
    h, w = ink.shape
    cols = np.flatnonzero(ink.max(0) > 0.5)
    left, right = (int(cols.min()), int(cols.max())) if len(cols) else (w // 10, w - w // 10)
    for _ in range(count):
        r = rng.uniform(1.5, 5.5)
        if rng.random() < 0.35:  # beside the text block's left or right edge, at a line's height
            x = right + rng.uniform(0.4, 4) * 25 if rng.random() < 0.6 else left - rng.uniform(0.4, 4) * 25
            y = rng.uniform(*page_lines_y)
        else:
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            if left < x < right and page_lines_y[0] < y < page_lines_y[1]:
                continue  # not over the text itself
        cv2.circle(ink, (int(x), int(y)), max(1, int(round(r))), float(rng.uniform(0.5, 1.0)), -1, cv2.LINE_AA)
        if rng.random() < 0.2:  # a hair or fibre
            a = rng.uniform(0, np.pi)
            ln = rng.uniform(8, 30)
            cv2.line(ink, (int(x), int(y)), (int(x + ln * np.cos(a)), int(y + ln * np.sin(a))),
                     float(rng.uniform(0.4, 0.9)), 2, cv2.LINE_AA)


def book_photo(seed: int, out_width: int = 1000) -> tuple[np.ndarray, list[str]]:
    """A phone photo (BGR uint8) of a paperback page held open on a table, and the page's true lines."""
    rng = np.random.default_rng(seed)
    paras = paragraphs("eval")
    fonts = book_fonts("eval")
    font = fonts[seed % len(fonts)]
    start = int(rng.integers(len(paras)))
    page = typeset(paras[start : start + 30], font, rng)
    facing = typeset(paras[(start + 40) % len(paras) :][:30], font, np.random.default_rng(seed + 999))
    h, w = page.ink.shape
    gutter_left = rng.random() < 0.5
    pitch = h / 27
    ink = spread(page.ink, rng, 48)
    rows = np.flatnonzero(ink.max(1) > 0.5)
    _specks(ink, (int(rows.min()), int(rows.max())), rng, int(rng.integers(25, 70)))
    ink = _curl(ink, gutter_left, rng.uniform(0.3, 0.9) * pitch, rng.uniform(0.01, 0.03) * w)
    # the facing page: its gutter-side strip (line ends and margin), squeezed as it curves away
    strip_w = int(w * rng.uniform(0.14, 0.2))
    f_ink = spread(facing.ink, rng, 48)
    strip = f_ink[:, w - strip_w :] if gutter_left else f_ink[:, :strip_w]
    strip = cv2.resize(strip, (int(strip_w * rng.uniform(0.55, 0.8)), h), interpolation=cv2.INTER_AREA)
    strip = np.roll(strip, int(rng.uniform(-0.4, 0.4) * pitch), axis=0)  # its lines sit at other heights
    sw = strip.shape[1]
    fold = int(w * rng.uniform(0.01, 0.02))  # the gutter's fold between the pages
    edge = int(w * rng.uniform(0.012, 0.025))  # the stack of pages' edges on the outer side
    table = int(w * rng.uniform(0.04, 0.08))
    top, bottom = int(h * rng.uniform(0.0, 0.03)), int(h * rng.uniform(0.02, 0.06))
    W = sw + fold + w + edge + table
    H = top + h + bottom
    # lay out left to right as if the gutter is on the left; mirror at the end otherwise
    full_ink = np.zeros((H, W), np.float32)
    paper = np.zeros((H, W), np.float32)  # 1 where paper (this page or the facing one)
    sl = slice(top, top + h)
    page_ink = ink if gutter_left else ink[:, ::-1]
    strip_l = strip if gutter_left else strip[:, ::-1]
    full_ink[sl, :sw] = strip_l
    full_ink[sl, sw + fold : sw + fold + w] = page_ink
    paper[sl, : sw + fold + w] = 1.0
    # the page edge: a few dark hairlines, as a stack of pages shows, then the table
    x_edge = sw + fold + w
    paper[:, x_edge : x_edge + edge] = 0.75
    paper[sl.start + h : sl.start + h + max(2, bottom // 3), : x_edge + edge] = 0.75
    for _ in range(int(rng.integers(2, 6))):
        x = x_edge + int(rng.uniform(0, edge))
        full_ink[top : top + h + bottom // 3, x : x + 2] = rng.uniform(0.3, 0.8)
    xs = np.arange(W, dtype=np.float32)[None, :]
    ys = np.arange(H, dtype=np.float32)[:, None]
    g = sw + fold / 2  # the fold's column
    shade = 1 - rng.uniform(0.55, 0.8) * np.exp(-np.abs(xs - g) / (rng.uniform(0.05, 0.1) * w))
    light = 1 - rng.uniform(0.1, 0.3) * ((xs / W - rng.uniform(0, 1)) ** 2 + (ys / H - rng.uniform(0, 1)) ** 2)
    paper_tone = rng.uniform(215, 245)
    grain = cv2.GaussianBlur(rng.normal(0, 1, (H, W)).astype(np.float32), (0, 0), 2.0) * rng.uniform(2, 6)
    wood = rng.uniform(40, 110) + 12 * np.sin(ys / rng.uniform(15, 40) + np.sin(xs / 90) * 2)
    gray = np.where(paper > 0, paper_tone * paper + grain, wood + grain * 2) * shade * light
    gray = gray * (1 - np.clip(full_ink, 0, 1) * rng.uniform(0.72, 0.9) * (paper > 0))
    if not gutter_left:
        gray = gray[:, ::-1]
    tint = np.array([rng.uniform(0.78, 0.9), rng.uniform(0.9, 0.96), 1.0], np.float32)
    img = gray[..., None] * tint[None, None, :]
    rot = cv2.getRotationMatrix2D((W / 2, H / 2), rng.uniform(-1.5, 1.5), 1.0)
    img = cv2.warpAffine(img, rot, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return camera_finish(img, out_width, rng, blur=0.8, noise=3, quality=70), page.lines


def _page_ink(page_ink: np.ndarray, rng: np.random.Generator, gutter_left: bool, pitch: float) -> np.ndarray:
    """One page of a spread as printed and curled toward the gutter (on its left or right)."""
    ink = spread(page_ink, rng, 48)
    return _curl(ink, gutter_left, rng.uniform(0.3, 0.9) * pitch, rng.uniform(0.01, 0.03) * ink.shape[1])


def spread_photo(seed: int, out_width: int = 1800, table: bool = True) -> tuple[np.ndarray, list[str], list[str]]:
    """A phone photo (BGR uint8) of a paperback held open at a two-page spread, the left page's true lines
    and the right page's (read in that order). Both pages curl into a dark gutter between them, the right
    one a little higher or lower; with ``table`` the book lies on a table that shows all round, else the
    pages fill the photo (their outer margins cut off)."""
    rng = np.random.default_rng(seed)
    paras = paragraphs("eval")
    font = book_fonts("eval")[seed % len(book_fonts("eval"))]
    start = int(rng.integers(len(paras)))
    left = typeset(paras[start : start + 30], font, rng)
    right = typeset((paras[start + 30 :] + paras)[:30], font, rng)
    h, w = left.ink.shape
    pitch = h / 27
    fold = int(w * rng.uniform(0.01, 0.02))  # the gutter's fold between the pages
    drop = int(rng.uniform(-0.5, 0.5) * pitch)  # the right page sits a little higher or lower
    margin = int(w * rng.uniform(0.05, 0.09)) if table else 0
    H, W = h + 2 * margin + abs(drop), 2 * w + fold + 2 * margin
    full_ink = np.zeros((H, W), np.float32)
    paper = np.zeros((H, W), bool)
    y_l, y_r = margin + max(0, -drop), margin + max(0, drop)
    full_ink[y_l : y_l + h, margin : margin + w] = _page_ink(left.ink, rng, False, pitch)
    full_ink[y_r : y_r + h, margin + w + fold : margin + 2 * w + fold] = _page_ink(right.ink, rng, True, pitch)
    paper[y_l : y_l + h, margin : margin + w + fold] = True
    paper[y_r : y_r + h, margin + w : margin + 2 * w + fold] = True
    xs = np.arange(W, dtype=np.float32)[None, :]
    ys = np.arange(H, dtype=np.float32)[:, None]
    g = margin + w + fold / 2  # the fold's column
    shade = 1 - rng.uniform(0.55, 0.8) * np.exp(-np.abs(xs - g) / (rng.uniform(0.04, 0.08) * w))
    light = 1 - rng.uniform(0.1, 0.3) * ((xs / W - rng.uniform(0, 1)) ** 2 + (ys / H - rng.uniform(0, 1)) ** 2)
    grain = cv2.GaussianBlur(rng.normal(0, 1, (H, W)).astype(np.float32), (0, 0), 2.0) * rng.uniform(2, 6)
    wood = rng.uniform(40, 110) + 12 * np.sin(ys / rng.uniform(15, 40) + np.sin(xs / 90) * 2)
    gray = np.where(paper, rng.uniform(215, 245) + grain, wood + grain * 2) * shade * light
    gray = gray * (1 - np.clip(full_ink, 0, 1) * rng.uniform(0.72, 0.9))
    if not table:  # the pages fill the photo: cut into their outer margins
        cut = int(w * 0.05)
        gray = gray[:, cut : W - cut]
        H, W = gray.shape
    tint = np.array([rng.uniform(0.78, 0.9), rng.uniform(0.9, 0.96), 1.0], np.float32)
    img = gray[..., None] * tint[None, None, :]
    rot = cv2.getRotationMatrix2D((W / 2, H / 2), rng.uniform(-1.5, 1.5), 1.0)
    img = cv2.warpAffine(img, rot, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return camera_finish(img, out_width, rng, blur=0.8, noise=3, quality=70), left.lines, right.lines
