"""Segment stage for printed pages: a photographed page -> upright, deskewed lines -> reader chunks.

1. **Illumination and binarisation**: the device's ink map (:func:`edge_app.preprocess.ink_map`)
   removes uneven light and the gutter's shadow; once the letters' height is known, the ink again as the
   share of the local paper's light absorbed (:func:`edge_app.families.page.shade.flat_ink`: a shadow
   band across a photographed page is not ink); :func:`print_mask` thresholds it (Otsu).
2. **Non-text removal**: components much taller than the text (illustrations, page edges, the
   gutter's dark strip, the table around the page) and anything touching the photo's border
   (cut-off letters of the facing page, the table's edge) are dropped.
3. **Deskew**: the angle that makes the letters' centres line up best (a projection profile of
   component centres over -8..8 degrees, then refined).
4. **Orientation**: Latin text has more ink above its x-height band (ascenders, capitals) than
   below (descenders); a page where that is reversed is upside down and turned.
5. **Lines and words**: letters closed into word blobs, words chained into lines
   (:mod:`edge_app.textlines`).
6. **Two pages**: a book's spread (two pages' text blocks side by side, an empty band between them:
   :func:`edge_app.families.page.spread.gutter`) has each page's lines found on its own, the left
   page's first, so lines at one height on both pages are not chained into one.
7. **Chunks**: what lies outside the text column is trimmed (:mod:`edge_app.families.page.column`); a
   line wider than the reader's input is cut between words into chunks, each straightened where the
   page's curl bends it (:mod:`edge_app.families.page.curl`) and made by
   :func:`edge_app.preprocess.fit_line` at PRINT_SIZE, as in training.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ...preprocess import LINE_PAD, fit_line, ink_map, line_width, to_gray
from ...textlines import Blob, chain_lines, split_touching
from .column import trim_lines
from .curl import straighten
from .preprocess import print_mask
from .shade import flat_ink
from .spec import PRINT_SIZE
from .spread import gutter

MAX_SIDE = 2400  # longer photos are shrunk to this first: more pixels add time, not accuracy
TALL = 4.0  # components taller than this many letter heights are not text
LIMIT = PRINT_SIZE[1] - 2 * LINE_PAD
SQUEEZE = 1.1  # a chunk this many times wider than the reader's input is cut (the reader takes a little squeezing)
TURN = 1.5  # a page is upside down when its words have this many times more ink below their band than above
TURN_FEW, FEW_LINES = 4.0, 4  # ... and this many times with fewer lines than this (a card)
REACH = 0.3  # a word tells its orientation only when ink reaches this share of its band's height out of it
MIN_WORDS = 6  # words with ink above or below their band needed to judge at all
SPLIT = 2.4  # a word blob taller than this many letter heights is two lines touching: cut at its waist
MARK = 0.75  # blobs lower than this share of the letter height are marks: quotes, commas, dots, dashes


@dataclass
class Chunk:
    """One reader input and how to map its columns back to the working image: x = x0 + (u - pad) / sx."""

    input: np.ndarray
    x0: int
    sx: float


@dataclass
class PageLine:
    """A text line: its box (x0, y0, x1, y1) in the working image and its chunks left to right."""

    box: tuple[int, int, int, int]
    chunks: list[Chunk] = field(default_factory=list)


@dataclass
class PageLayout:
    """The lines of a page, and how working-image points map back to the input image (and from there to
    the photo, when the input was the paper rectified out of a photo: ``to_photo``)."""

    lines: list[PageLine]
    to_input: np.ndarray  # 2x3 affine: working image -> input image
    angle: float  # degrees the page was turned to level its lines
    upside_down: bool
    notes: list[str] = field(default_factory=list)
    to_photo: np.ndarray | None = None  # 3x3 homography: input image (a rectified paper) -> photo
    cut: int = 0  # letters cut by the input's left or right edge (a paper crop through the text, when many)

    def input_box(self, box: tuple[float, float, float, float]) -> list[int]:
        """A working-image box (x0, y0, x1, y1) as [x, y, w, h] around it in the input image (the photo,
        when ``to_photo`` is set)."""
        x0, y0, x1, y1 = box
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], np.float64) @ self.to_input.T
        if self.to_photo is not None:
            pts = cv2.perspectiveTransform(pts.reshape(-1, 1, 2), self.to_photo).reshape(-1, 2)
        lo, hi = pts.min(0), pts.max(0)
        return [int(round(lo[0])), int(round(lo[1])), int(round(hi[0] - lo[0])), int(round(hi[1] - lo[1]))]


def _cut_letters(stats: np.ndarray, letter: float, width: int) -> int:
    """How many letter-sized components touch the image's left or right edge."""
    x, ws, hs = stats[1:, cv2.CC_STAT_LEFT], stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    sized = (hs >= 0.6 * letter) & (hs <= 2 * letter) & (ws <= 3 * letter)
    return int(np.count_nonzero(sized & ((x <= 1) | (x + ws >= width - 1))))


def _text_components(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Connected components that look like letters: (labels, their stats, keep flags per label,
    letter height)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h, w = mask.shape
    hs, ws, areas = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_AREA]
    plausible = (areas >= 6) & (hs >= 4) & (hs < h / 8) & (ws < w / 4)
    plausible[0] = False
    if plausible.sum() < 3:
        return labels, stats, np.zeros(n, bool), 0.0
    letter = float(np.median(hs[plausible]))
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    border = (x <= 1) | (y <= 1) | (x + ws >= w - 1) | (y + hs >= h - 1)
    keep = (hs <= TALL * letter) & (ws <= 40 * letter) & ~border
    keep &= ~((ws > 6 * letter) & (hs < 0.2 * letter) & (areas > 0.8 * ws * hs))  # ruled lines, not dashes
    keep[0] = False
    cx, cy = x + ws / 2, y + hs / 2
    for bx, by, bw, bh in _pictures(stats, letter, mask.shape):  # nothing inside a picture's box is text
        keep &= ~((cx > bx) & (cx < bx + bw) & (cy > by) & (cy < by + bh))
    return labels, stats, keep, letter


def _pictures(stats: np.ndarray, letter: float, shape: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """The boxes (x, y, w, h) of pictures: big, solid components clear of the border (a page's thin outline
    is not one, nor a shadow across the page)."""
    h, w = shape
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    hs, ws, areas = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_AREA]
    border = (x <= 1) | (y <= 1) | (x + ws >= w - 1) | (y + hs >= h - 1)
    inked = np.flatnonzero((areas >= 6) & (hs < h / 8))
    inked = inked[inked > 0]
    if len(inked):  # the height that holds half the ink: specks (a shadow's grain) can make the median letter small
        order = inked[np.argsort(hs[inked])]
        half = np.searchsorted(np.cumsum(areas[order]), areas[order].sum() / 2)
        letter = max(letter, float(hs[order[half]]))
    big = (hs > TALL * letter) & ~border & (areas > 0.25 * ws * hs) & (ws < 0.8 * w) & (hs < 0.8 * h)
    big[0] = False
    return [tuple(int(v) for v in stats[i, :4]) for i in np.flatnonzero(big)]


def _skew(stats: np.ndarray, keep: np.ndarray, letter: float) -> float:
    """The angle (degrees) that levels the lines: centres of letter-sized components projected
    onto the vertical, scored by how peaked the profile is."""
    sel = keep & (stats[:, cv2.CC_STAT_HEIGHT] >= 0.5 * letter)
    cx = stats[sel, cv2.CC_STAT_LEFT] + stats[sel, cv2.CC_STAT_WIDTH] / 2
    cy = stats[sel, cv2.CC_STAT_TOP] + stats[sel, cv2.CC_STAT_HEIGHT] / 2
    if len(cx) < 10:
        return 0.0
    bin_h = max(1.0, letter / 3)

    def score(deg: float) -> float:
        t = np.deg2rad(deg)
        proj = cy * np.cos(t) - cx * np.sin(t)
        hist = np.bincount(((proj - proj.min()) / bin_h).astype(int))
        return float(np.sum(hist.astype(np.float64) ** 2))

    coarse = max(np.arange(-8, 8.01, 0.5), key=score)
    return float(max(np.arange(coarse - 0.5, coarse + 0.51, 0.1), key=score))


def _upside_down(mask: np.ndarray, lines: list, letter: float) -> bool:
    """True when the words carry clearly more ink below their x-height band than above it.

    Measured word by word (a curled line's band moves along it); with fewer than :data:`FEW_LINES` lines
    (a card, a label) only an overwhelming excess turns the page, and a page needs :data:`MIN_WORDS`
    words whose ink reaches out of their band (:data:`REACH`): a word in capitals and digits (a receipt's
    lines) has none, and the rounded tops and bottoms of its letters would only add noise."""
    above = below = 0.0
    telling = 0
    for _, words, _ in lines:
        for b in words:
            x0, y0, x1, y1 = b.box
            if x1 - x0 < 1.5 * letter:
                continue
            prof = mask[y0:y1, x0:x1].sum(1).astype(np.float64)
            if len(prof) < 6 or prof.max() == 0:
                continue
            core = np.flatnonzero(prof >= 0.5 * prof.max())
            if max(core[0], len(prof) - 1 - core[-1]) < REACH * (core[-1] + 1 - core[0]):
                continue  # no ascender or descender reaches out of the band (capitals, digits): says nothing
            a, c = prof[: core[0]].sum(), prof[core[-1] + 1 :].sum()
            above, below = above + a, below + c
            telling += (a + c) > 0
    if telling < MIN_WORDS or below == 0:
        return False
    return below > (TURN_FEW if len(lines) < FEW_LINES else TURN) * above


def _balanced(blobs: list[Blob], height: int) -> list[list[Blob]]:
    """Cut a run of word blobs into as few reader-wide groups as it needs, of about equal width,
    each cut at the widest gap near its ideal place (so no group is a lone short word)."""
    x0, x1 = blobs[0].box[0], max(b.box[2] for b in blobs)
    n = int(np.ceil(line_width((height, x1 - x0), PRINT_SIZE) / LIMIT))
    if n <= 1 or len(blobs) == 1:
        return [blobs]
    room = LIMIT * height / (PRINT_SIZE[0] - 2 * LINE_PAD)  # widest group in image pixels
    groups, start = [], 0
    for k in range(1, n):
        ideal = x0 + k * (x1 - x0) / n
        best, best_gap = None, -1.0
        for i in range(start + 1, len(blobs)):
            left_end = max(b.box[2] for b in blobs[start:i])
            if left_end - blobs[start].box[0] > room:
                break
            gap = blobs[i].box[0] - left_end
            if abs((left_end + blobs[i].box[0]) / 2 - ideal) <= (x1 - x0) / (2 * n) and gap > best_gap:
                best, best_gap = i, gap
        if best is None:  # no gap near the ideal cut: cut as late as fits
            best = start + 1
            while best < len(blobs) and max(b.box[2] for b in blobs[start : best + 1]) - blobs[start].box[0] <= room:
                best += 1
        if best >= len(blobs):
            break
        groups.append(blobs[start:best])
        start = best
    groups.append(blobs[start:])
    return groups


def _chunks(ink: np.ndarray, labels: np.ndarray, words: list[Blob], marks: list[Blob], letter: float
            ) -> list[Chunk]:
    """Cut a line between words into reader-sized groups (and at wide gaps: a running head's page
    number); each group's own ink, fit as in training."""
    y0 = min(b.box[1] for b in words + marks)
    y1 = max(b.box[3] for b in words + marks)
    segments: list[list[Blob]] = [[]]
    for w in sorted(words, key=lambda b: b.box[0]):
        if segments[-1] and w.box[0] - max(b.box[2] for b in segments[-1]) > 4 * letter:
            segments.append([])
        segments[-1].append(w)
    groups = [g for seg in segments for g in _balanced(seg, y1 - y0)]
    ends = [(min(b.box[0] for b in g), max(b.box[2] for b in g)) for g in groups]
    for m in marks:  # every mark goes with the group nearest it (a price's first figure, lower than a letter)
        mid = (m.box[0] + m.box[2]) / 2
        groups[min(range(len(groups)), key=lambda i: max(ends[i][0] - mid, mid - ends[i][1], 0))].append(m)
    mark_labels = {m.label for m in marks}
    out = []
    for own in groups:
        boxes = np.array([b.box for b in own])
        bx0, by0, bx1, by1 = boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()
        near = cv2.dilate(np.isin(labels[by0:by1, bx0:bx1], [b.label for b in own]).astype(np.uint8),
                          np.ones((3, 3), np.uint8))
        crop = straighten(ink[by0:by1, bx0:bx1] * near,
                          [(b.box[0] - bx0, b.box[2] - bx0) for b in own if b.label not in mark_labels], letter)
        span = float(np.percentile(crop, 99.5))  # as the line photo's own ink map scales it in training
        crop = np.clip(crop / span, 0.0, 1.0) if span > 0 else crop
        sel = print_mask(crop)  # this line's own threshold, not the page's
        if not sel.any():
            continue
        for c0, c1 in _pieces(sel):
            piece, mask = crop[:, c0:c1], sel[:, c0:c1]
            ys, xs = np.nonzero(mask)
            cw, ch = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
            inner = PRINT_SIZE[0] - 2 * LINE_PAD
            sx = min(LIMIT, max(1, round(cw * inner / ch))) / cw
            out.append(Chunk(fit_line(piece, mask, PRINT_SIZE), int(bx0 + c0 + xs.min()), sx))
    return out


def _pieces(sel: np.ndarray) -> list[tuple[int, int]]:
    """A chunk's mask cut into pieces the reader takes without squeezing, as column ranges: at the
    widest blank run near each even cut (words closed into one blob in a small, blurred photo cannot
    be cut between blobs); the whole mask when it fits, squeezed at most :data:`SQUEEZE` times. Every
    piece has ink."""
    ys, xs = np.nonzero(sel)
    x0, x1 = int(xs.min()), int(xs.max()) + 1
    wide = line_width((int(ys.max() - ys.min() + 1), x1 - x0), PRINT_SIZE)
    if wide <= SQUEEZE * LIMIT:
        return [(0, sel.shape[1])]
    n = int(np.ceil(wide / LIMIT))
    ink = sel[:, x0:x1].any(0)
    cuts = [0]
    for k in range(1, n):
        ideal, reach = k * (x1 - x0) / n, 0.4 * (x1 - x0) / n
        lo, hi = int(ideal - reach), int(ideal + reach)
        edges = np.flatnonzero(np.diff(np.r_[1, ink[lo : hi + 1].astype(np.int8), 1]))  # blank runs' starts, ends
        runs = [(lo + a, lo + b) for a, b in zip(edges[::2], edges[1::2])]
        if runs:  # the middle of the widest blank run in reach (the nearest the even cut of equals)
            a, b = max(runs, key=lambda r: (r[1] - r[0], -abs((r[0] + r[1]) / 2 - ideal)))
            cuts.append(int(x0 + (a + b) // 2))
        else:  # letters touching all the way: the emptiest column
            cuts.append(int(x0 + lo + np.argmin(sel[:, x0 + lo : x0 + hi + 1].sum(0))))
    cuts.append(sel.shape[1])
    return [(a, b) for a, b in zip(cuts[:-1], cuts[1:]) if sel[:, a:b].any()]  # two cuts in one wide blank run


def segment_page(image: np.ndarray, paper: bool = False) -> PageLayout:
    """Find a page's text lines (gray or BGR photo); no lines when there is no text. ``paper``: the image
    is a paper rectified out of a photo (nothing past its edges), so words outside the text column stay."""
    gray = to_gray(image)
    h0, w0 = gray.shape
    shrink = max(1.0, max(h0, w0) / MAX_SIDE)
    if shrink > 1:
        gray = cv2.resize(gray, (round(w0 / shrink), round(h0 / shrink)), interpolation=cv2.INTER_AREA)
    to_input = np.array([[shrink, 0, 0], [0, shrink, 0]], np.float64)
    ink = ink_map(gray)
    mask = print_mask(ink)
    empty = PageLayout([], to_input, 0.0, False)
    if not mask.any():
        empty.notes.append("no text found (blank page)")
        return empty
    labels, stats, keep, letter = _text_components(mask)
    if keep.any():  # the letters' size known: the ink again, with shadows narrower than the page removed
        pictures = _pictures(stats, letter, mask.shape)  # solid here, only outlines in the flat ink
        ink = flat_ink(gray, letter)
        for bx, by, bw, bh in pictures:
            ink[by : by + bh, bx : bx + bw] = 0.0
        mask = print_mask(ink)
        labels, stats, keep, letter = _text_components(mask)
    if not keep.any():
        empty.notes.append("no text found (no letter-sized marks: a blank page or only a picture)")
        return empty
    angle = _skew(stats, keep, letter)
    cut = _cut_letters(stats, letter, mask.shape[1])
    # keep the text's ink and what lies right beside it (hairlines the page's threshold lost)
    near = cv2.dilate(np.where(keep[labels], 255, 0).astype(np.uint8),
                      cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    h, w = near.shape
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    ink = ink * (near > 0)
    if abs(angle) >= 0.1:
        ink = cv2.warpAffine(ink, rot, (w, h), flags=cv2.INTER_LINEAR)
    mask = _lenient_mask(ink)
    labels, lines, letter = _lines(mask, print_mask(ink))
    upside = _upside_down(mask, lines, letter)
    if upside:
        ink, mask = ink[::-1, ::-1].copy(), mask[::-1, ::-1].copy()
        flip = np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], np.float64)
        rot = (flip @ np.vstack([rot, [0, 0, 1]]))[:2]
        labels, lines, letter = _lines(mask, print_mask(ink))
    pages = [(labels, lines, letter)]
    x = gutter(lines, letter)
    if x is not None:  # two pages side by side: each one's lines found on its own, the left page's first
        pages = [_lines(*_columns(mask, ink, slice(0, x))), _lines(*_columns(mask, ink, slice(x, None)))]
    out, stray = [], 0
    for labels, lines, letter in pages:
        lines, dropped = trim_lines(lines, letter, strips=not paper)
        out += [PageLine(box, _chunks(ink, labels, words, marks, letter)) for box, words, marks in lines]
        stray += dropped
    inv = cv2.invertAffineTransform(rot)
    to_input = to_input @ np.vstack([inv, [0, 0, 1]])
    layout = PageLayout(out, to_input, round(angle, 2), upside, cut=cut)
    if upside:
        layout.notes.append("page was upside down: turned 180 degrees")
    if x is not None:
        layout.notes.append("two pages side by side (a book's spread): the left page read first, then the right")
    if stray:
        layout.notes.append(f"{stray} mark(s) outside the text block or beside its lines left out")
    if not out:
        layout.notes.append("no text lines found")
    return layout


def _columns(mask: np.ndarray, ink: np.ndarray, cols: slice) -> tuple[np.ndarray, np.ndarray]:
    """The lenient mask and the strict one (as :func:`_lines` takes them) of only the columns ``cols``
    (one page of a spread), the rest cleared."""
    strict = print_mask(ink)
    part, part_strict = np.zeros_like(mask), np.zeros_like(strict)
    part[:, cols], part_strict[:, cols] = mask[:, cols], strict[:, cols]
    return part, part_strict


def _lenient_mask(ink: np.ndarray) -> np.ndarray:
    """The page's text mask for finding lines and words: below Otsu's threshold, so thin strokes
    keep letters (and words) whole."""
    u8 = (ink * 255.0).astype(np.uint8)
    if u8.max() == 0:
        return u8
    t, _ = cv2.threshold(u8, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return cv2.threshold(u8, max(24.0, 0.6 * t), 255, cv2.THRESH_BINARY)[1]


def _lines(mask: np.ndarray, strict: np.ndarray
           ) -> tuple[np.ndarray, list[tuple[tuple[int, int, int, int], list[Blob], list[Blob]]], float]:
    """Word blobs of the lenient mask chained into lines: (blob labels, [(box, words, marks)], letter
    height). A line with hardly any ink above Otsu's threshold (``strict``) is a smudge, not text."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    hs = stats[1:, cv2.CC_STAT_HEIGHT]
    if len(hs) == 0:
        return labels, [], 0.0
    letter = float(np.median(hs[(stats[1:, cv2.CC_STAT_AREA] >= 6) & (hs >= 4)])) if np.any(hs >= 4) else 4.0
    gap = max(2, round(letter * 0.5))
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    if split_touching(closed, labels, stats, letter, SPLIT, TALL):
        n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    blobs = [Blob(i, (int(x), int(y), int(x + bw), int(y + bh))) for i, (x, y, bw, bh, _) in enumerate(stats) if i]
    lines = []
    for ln in chain_lines(blobs, letter, small=MARK):
        if max(b.height for b in ln.words) < 0.6 * letter:
            continue
        dark = sum(int(np.count_nonzero(strict[b.box[1] : b.box[3], b.box[0] : b.box[2]])) for b in ln.words)
        if dark < 0.5 * letter * letter:
            continue
        lines.append((ln.box, ln.words, ln.marks))
    return labels, lines, letter
