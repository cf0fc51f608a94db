"""Text region: where the text is in a photo whose paper shows no edge (a page filling most of the frame, a
sign on a wall, white paper on a white table), the paper finder's fallback (:func:`edge_app.paper.crop_paper`).

The whole frame of such a photo holds the scene around the text too, and the segmenters read its texture
as text. :func:`find_text_region` finds the text's block on a copy whose long side is :data:`WORK_SIDE` px:

1. **letters**: dark ink on a light ground (:func:`ink_mask`: pixels absorbing :data:`DARK` of their
   ground's light, the ground estimated :data:`BACKGROUND` px wide, so print in a shadow band and faint
   print beside a contrasty scene both show); components of a letter's size and shape (not solid blocks,
   not long strokes, clear of the frame's border);
2. **lines**: each letter reaches :data:`REACH` of its height left and right along the middle
   :data:`CORE` of its height; letters so linked are a line when it is :data:`MIN_LINE` letter heights
   long, thin (its band is at most :data:`THIN` letter heights thick on average: specks of a texture
   link into a blob, not a band); letters much bigger or smaller than the others they link with
   (:data:`UNEVEN`) are left out first;
3. **blocks**: lines of a like letter height (within :data:`SAME_SIZE`) less than :data:`LEADING` letter
   heights apart and side by side are one block; the text is the block with the most letters (at least
   :data:`MIN_LETTERS`) and every other block with letters of its size and at least :data:`OTHER` as many
   (a second column; the scene's stray line-like marks are a few letters, or a texture's specks of
   another size); then, until nothing more does, what lies next to them joins: lines of bigger letters
   within :data:`LEADING` letter heights (a heading), lines and words too short for a line of a like size
   within :data:`SPACED` (a note's widely spaced lines, a short last line, a page number);
4. **region**: the text's box grown by :data:`MARGIN` letter heights each side, an upright rectangle in
   photo pixels. None where there is nothing to crop away: when the text's box spans more than
   :data:`FULL_SHARE` of the frame (a page filling the photo), or the frame outside the region holds
   hardly any ink (:data:`CLEAR`: a scan, a card on a plain background).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .preprocess import to_gray

MIN_PHOTO_SIDE = 240  # px: a smaller image is a crop of its text (a word, a line), not a photo with a scene
WORK_SIDE = 1280  # the finder works on a copy with this long side (small print keeps 5 px letters)
BACKGROUND = 120  # px (work size) the ground's light is estimated over: wider than a stroke, narrower than a shadow
DARK = 0.25  # ink absorbs at least this share of its ground's light
MIN_LETTER_PX = 5  # letters lower than this (px, work size) are specks
MAX_LETTER = 0.2  # letters higher than this share of the frame are not letters
WIDE = 5.0  # a letter (or letters run together) is at most this many times as wide as high
FILL = 0.08  # a letter covers more than this share of its box (not a hairline's box) ...
SOLID = 0.85  # ... and, unless narrow (an l, a 1), less than this (not a solid block)
REACH = 0.6  # letter heights each side a letter reaches for its neighbour in the line
CORE = 1 / 3  # the middle share of a letter's height that links it into its line
MIN_LINE = 3.0  # a line is at least this many letter heights long ...
THIN = 1.0  # ... and its band at most this many letter heights thick on average ...
UNEVEN = 2.0  # a line's letters are within this factor of their median height (others linked in are not its)
SAME_SIZE = 1.6  # lines of one block have letter heights within this factor
LEADING = 2.0  # letter heights: lines of one block are less than this far apart
SPACED = 3.5  # letter heights: lines and words of a like size this close to the text join it (a note's lines)
MIN_LETTERS = 8  # a block has at least this many letters ...
OTHER = 0.25  # ... and, besides the biggest block, at least this share of its letters (and letters of its size)
MARGIN = 1.0  # letter heights the region reaches past what it holds
FULL_SHARE = 0.5  # text spanning more of the frame than this fills the photo: nothing to crop
CLEAR = 0.02  # a frame with less ink outside the region than this share of the ink in it: nothing to crop


@dataclass
class TextLine:
    """Letters linked into a line: their box (x0, y0, x1, y1, work px), median height and count."""

    box: tuple[float, float, float, float]
    height: float
    letters: int
    line: bool = True  # False: linked letters too short for a line (a short word)


def _work_copy(image: np.ndarray) -> tuple[np.ndarray, float]:
    """The photo in gray with its long side at most :data:`WORK_SIDE` px, and the scale applied."""
    gray = to_gray(image[..., :3] if image.ndim == 3 and image.shape[2] == 4 else image)
    h, w = gray.shape
    s = min(1.0, WORK_SIDE / max(h, w))
    if s < 1.0:
        gray = cv2.resize(gray, (max(8, round(w * s)), max(8, round(h * s))), interpolation=cv2.INTER_AREA)
    return gray, s


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark ink on a light ground (uint8 0/255): pixels absorbing at least :data:`DARK` of their local
    light (the ground's brightness over :data:`BACKGROUND` px: a closing on a small copy, blurred), so
    faint print beside a contrasty scene and print in a shadow both show."""
    h, w = gray.shape
    shrink = max(1, min(h, w) // 160)
    small = cv2.resize(gray, (max(1, w // shrink), max(1, h // shrink)), interpolation=cv2.INTER_AREA)
    k = max(3, (BACKGROUND // shrink) | 1)
    light = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    light = cv2.resize(cv2.blur(light, (k, k)), (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return np.where(gray < (1.0 - DARK) * light, 255, 0).astype(np.uint8)


def letter_boxes(mask: np.ndarray) -> np.ndarray:
    """The (x, y, w, h) boxes of the letter-like components of an ink mask, (N, 4) int."""
    stats = cv2.connectedComponentsWithStats(mask, connectivity=8)[2]
    h, w = mask.shape
    x, y, ws, hs, area = stats.T
    fill = area / np.maximum(1, ws * hs)
    border = (x <= 0) | (y <= 0) | (x + ws >= w) | (y + hs >= h)
    ok = (hs >= MIN_LETTER_PX) & (hs <= MAX_LETTER * h) & (ws <= WIDE * hs) & (fill > FILL)
    ok &= ~border & ((fill < SOLID) | (ws <= hs / 2))
    ok[0] = False
    return stats[ok, :4].astype(int)


def _link(boxes: np.ndarray, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Letters linked along their middles (module step 2): which band each letter is in, and the bands'
    stats (``cv2.connectedComponentsWithStats``)."""
    x, y, w, h = boxes.T.astype(np.float64)
    cy = y + h / 2
    band = np.zeros(shape, np.uint8)
    for i in range(len(boxes)):
        cv2.rectangle(band, (int(x[i] - REACH * h[i]), int(cy[i] - CORE * h[i] / 2)),
                      (int(x[i] + w[i] + REACH * h[i]), int(cy[i] + CORE * h[i] / 2)), 255, cv2.FILLED)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(band, connectivity=4)
    return labels[cy.astype(int), (x + w / 2).astype(int)], stats


def _typical(owner: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Each letter's band's median letter height."""
    bands, index = np.unique(owner, return_inverse=True)
    return np.array([np.median(h[index == k]) for k in range(len(bands))])[index]


def text_lines(boxes: np.ndarray, shape: tuple[int, int]) -> list[TextLine]:
    """Letters linked into lines (see the module's step 2), and the groups of linked letters that would be
    lines but for their length (a short word, a page number) as :class:`TextLine` with ``line`` False; a
    lone letter or a blob of specks is none. Letters much bigger or smaller than the others in their band
    (:data:`UNEVEN`: a scene's box linking two lines) are left out, and the rest linked again."""
    if not len(boxes):
        return []
    h = boxes[:, 3].astype(np.float64)
    owner, _ = _link(boxes, shape)
    typical = _typical(owner, h)
    boxes = boxes[(h <= UNEVEN * typical) & (h >= typical / UNEVEN)]
    x, y, w, h = boxes.T.astype(np.float64)
    owner, stats = _link(boxes, shape)
    lines = []
    for j in np.unique(owner):
        mine = owner == j
        height = float(np.median(h[mine]))
        if mine.sum() < 2 or stats[j, 4] / stats[j, 2] > THIN * height:
            continue
        x0, x1 = float(x[mine].min()), float((x + w)[mine].max())
        lines.append(TextLine((x0, float(y[mine].min()), x1, float((y + h)[mine].max())), height, int(mine.sum()),
                              x1 - x0 >= MIN_LINE * height))
    return lines


def _near(a: TextLine, b: TextLine, leading: float = LEADING) -> bool:
    """Two lines less than ``leading`` letter heights (the bigger one's) apart, side by side."""
    reach = max(a.height, b.height)
    gap_y = max(a.box[1], b.box[1]) - min(a.box[3], b.box[3])
    gap_x = max(a.box[0], b.box[0]) - min(a.box[2], b.box[2])
    return gap_y < leading * reach and gap_x < reach


def _alike(a: TextLine, b: TextLine, leading: float = LEADING) -> bool:
    """Two lines near (:func:`_near`) with letters of a like height (:data:`SAME_SIZE`)."""
    return max(a.height, b.height) <= SAME_SIZE * min(a.height, b.height) and _near(a, b, leading)


def _blocks(lines: list[TextLine]) -> list[list[int]]:
    """The lines grouped into blocks: linked when near and of a like size (:data:`SAME_SIZE`)."""
    parent = list(range(len(lines)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(lines):
        for j in range(i + 1, len(lines)):
            if _alike(a, lines[j]):
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(lines)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _grown(block: list[int], lines: list[TextLine]) -> list[int]:
    """The block with what lies next to it, until nothing does: lines of bigger letters (a heading) within
    :data:`LEADING` letter heights, lines and words too short for a line (a short line, a page number) of
    the size of one of its lines within :data:`SPACED` letter heights."""
    block = list(block)
    while True:
        near = [i for i, ln in enumerate(lines) if i not in block
                and any((ln.line and ln.height > lines[j].height and _near(ln, lines[j]))
                        or _alike(ln, lines[j], SPACED) for j in block)]
        if not near:
            return block
        block += near


def find_text_region(image: np.ndarray) -> tuple[np.ndarray, int] | None:
    """The text's region in a photo (uint8 gray or BGR): its corners TL, TR, BR, BL (photo px, an upright
    rectangle) and how many letters its text holds; None when there is no text block, when the text spans
    most of the photo already, or when there is hardly any ink outside the region (nothing to crop away),
    or when the image is a crop of the text already (shorter than :data:`MIN_PHOTO_SIDE`: a word, a line)."""
    if min(image.shape[:2]) < MIN_PHOTO_SIDE:
        return None
    gray, s = _work_copy(image)
    mask = ink_mask(gray)
    lines = text_lines(letter_boxes(mask), gray.shape)
    index = [i for i, ln in enumerate(lines) if ln.line]
    blocks = [[index[i] for i in b] for b in _blocks([lines[i] for i in index])]
    if not blocks:
        return None
    counts = [sum(lines[i].letters for i in b) for b in blocks]
    if max(counts) < MIN_LETTERS:
        return None
    size = [float(np.median([lines[i].height for i in b])) for b in blocks]
    top = int(np.argmax(counts))
    kept = [i for b, n, hb in zip(blocks, counts, size) if n >= max(MIN_LETTERS, OTHER * counts[top])
            and max(hb, size[top]) <= SAME_SIZE * min(hb, size[top]) for i in b]
    boxes = np.array([lines[i].box for i in _grown(kept, lines)])
    (x0, y0), (x1, y1) = boxes[:, :2].min(0), boxes[:, 2:].max(0)
    h, w = mask.shape
    if (x1 - x0) * (y1 - y0) > FULL_SHARE * w * h:
        return None
    m = MARGIN * float(np.median([lines[i].height for i in kept]))
    x0, y0, x1, y1 = (int(v) for v in (max(0, x0 - m), max(0, y0 - m), min(w, x1 + m), min(h, y1 + m)))
    inside = np.count_nonzero(mask[y0:y1, x0:x1])
    if np.count_nonzero(mask) - inside < CLEAR * inside:
        return None
    return np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]) / s, sum(lines[i].letters for i in kept)
