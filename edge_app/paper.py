"""Paper finder: where the page, card, note or receipt is in a photo of it lying in a scene, and its upright crop.

A phone photo shows the paper and what is around it (a table, a room, a street); the text readers
segment best on the paper alone. :func:`find_paper` looks for the largest paper-like quadrilateral on
a copy whose long side is :data:`WORK_SIDE` px, from two cues:

- **edges**: Canny with low thresholds on the blurred Lab copy (a step in lightness or in colour),
  closed by a dilation; every region the edges enclose (including one cut off by the frame) is a
  candidate;
- **brightness**: paper is brighter and less saturated than most backgrounds: Otsu on V - S, closed so
  the print inside does not matter; each large bright component is a candidate.

A candidate's outline becomes a quadrilateral (``approxPolyDP`` of its hull, else ``minAreaRect``) and
is scored: its share of the frame (:data:`MIN_SHARE`..:data:`MAX_SHARE`), how much of the quadrilateral
the region fills (rectangularity), its corners' angles and sides, how much brighter and greyer the
paper is just inside the outline than the scene just outside, and its edge support: how much of its
outline runs along an edge seen (a region that leaked through a gap in the paper's edge into the scene
has sides through nowhere; a side along the frame's border, a paper cut off, counts half).
The best one wins; when another paper found is the page facing it (an open book whose gutter's shadow parts
its two pages: level with it, as big, just beside it), the quadrilateral around both wins instead. None
that is paper-like, or one covering more than :data:`FULL_SHARE` of the frame (a scan, a page filling the
photo), means no paper.

:func:`crop_paper` rectifies the found quadrilateral (corners TL, TR, BR, BL; size from its sides) at
the photo's full resolution and gives the homography back to the photo, so boxes found on the crop
can be mapped onto the photo. With no paper, it falls back to the text's region
(:func:`edge_app.text_region.find_text_region`: a page filling most of the frame with the scene at one side,
a sign on a wall, white paper on a white table show no paper edge): an upright rectangle around the text,
cut out as it is, a :class:`Paper` whose cue is :data:`TEXT_REGION` (its notes say so). With neither (a
scan, a page filling the photo, no text), the reader works on the whole frame as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .errors import EdgeOCRError
from .geometry import upright_transform
from .preprocess import to_gray
from .text_region import find_text_region

WORK_SIDE = 640  # the finder works on a copy with this long side
PRESHRINK = 4  # a photo longer than this many work sides is subsampled to that first
MIN_SHARE = 0.08  # a paper covers at least this share of the frame ...
MAX_SHARE = 0.98  # ... and at most this
FULL_SHARE = 0.90  # paper covering more than this is the whole photo already: nothing to crop
MIN_CONTRAST = 0.06  # paper's edge: inside at least this much brighter/greyer than outside (share of 255)
MIN_RECTANGULARITY = 0.85  # the region and its quadrilateral overlap by at least this share of their union
MIN_SOLIDITY = 0.6  # the region covers at least this share of its hull (notches, not an L or a ring)
MAX_ASPECT = 8.0  # long side over short side (receipts are long)
MIN_SUPPORT = 0.5  # at least this share of the outline runs along an edge seen
BORDER_SUPPORT = 0.5  # what a side along the frame's border counts as support
SUPPORT_PX = 3  # an outline point within this many px (work size) of an edge is supported
EDGE_THRESHOLDS = (10, 30)  # Canny's on the blurred Lab copy
REFINE_PX = 4  # a side is refitted to the edge pixels this close to it (px, work size)
EDGE_CLOSE = (5, 9)  # edges are closed over gaps this wide (px, work size), each a set of candidates
CUT_SUPPORT = 0.85  # a side along the frame's border moves in to a straight edge seen along this share of it ...
CUT_STEP = 20.0  # ... with this colour step (Lab, 0-255 each) across it along all but a finger's share of it
STEADY = 25  # ... (the step's 25th percentile along the line: a line of print has paper between its letters) ...
CUT_REACH = 0.6  # ... starting within this share of the neighbouring sides from the border
INSET = 0.006  # the crop stays this share of the paper's size inside its found edge
FACING_GAP = 0.15  # a facing page (an open book's other page) starts within this share of the page's width
FACING_LEVEL = 0.05  # ... of its side, its corners there level with the page's within this share of its height,
FACING_SIZE = 0.6  # ... and it is at least this share of the page's width and height (and at most its inverse)
MODES = ("auto", "off")
SCENE_SIDE = 160  # px: a photo whose shorter side is under this is a crop of the writing, not a scene to search
TEXT_REGION = "text region"  # the cue of a region found by its text (no paper edge seen)


@dataclass
class Paper:
    """A found paper: its corners TL, TR, BR, BL in photo pixels, its score and the cue that found it."""

    quad: np.ndarray  # (4, 2) float32
    score: float
    cue: str

    def corners(self) -> list[list[int]]:
        """The corners as [[x, y], ...] integers (what :class:`edge_app.results.Result` carries)."""
        return [[int(round(x)), int(round(y))] for x, y in self.quad]


@dataclass
class PaperCrop:
    """What the reader works on: the rectified paper (or the photo itself when none was found), the
    paper found, and the homography from crop pixels to photo pixels (None: the crop is the photo)."""

    image: np.ndarray
    paper: Paper | None = None
    to_photo: np.ndarray | None = None

    def photo_box(self, box: list[int]) -> list[int]:
        """An [x, y, w, h] box of the crop as the [x, y, w, h] box around it in the photo."""
        if self.to_photo is None:
            return list(box)
        x, y, w, h = box
        pts = np.float32([[x, y], [x + w, y], [x + w, y + h], [x, y + h]]).reshape(-1, 1, 2)
        p = cv2.perspectiveTransform(pts, self.to_photo).reshape(-1, 2)
        lo, hi = p.min(0), p.max(0)
        return [int(round(lo[0])), int(round(lo[1])), int(round(hi[0] - lo[0])), int(round(hi[1] - lo[1]))]

    @property
    def notes(self) -> list[str]:
        """What the finder did, for the result's notes."""
        if self.paper is None:
            return []
        h, w = self.image.shape[:2]
        if self.paper.cue == TEXT_REGION:
            return [f"no paper edge found: cropped to the text ({w}x{h} px crop, by {TEXT_REGION})"]
        return [f"paper found and rectified ({w}x{h} px crop, by {self.paper.cue})"]


def check_mode(mode: str | None) -> str:
    """``auto`` (the default, for None) or ``off``; anything else is an :class:`EdgeOCRError`."""
    mode = "auto" if mode is None else mode
    if mode not in MODES:
        raise EdgeOCRError(f"paper must be one of {', '.join(MODES)}, not {str(mode)[:40]!r}")
    return mode


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Four points as TL, TR, BR, BL: clockwise around their centre, starting nearest the top left."""
    pts = np.asarray(pts, np.float32).reshape(4, 2)
    c = pts.mean(0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])  # clockwise on screen (y down)
    pts = pts[np.argsort(ang)]
    start = int(np.argmin(pts[:, 0] + pts[:, 1]))
    return np.roll(pts, -start, axis=0)


def _quad_of(contour: np.ndarray) -> np.ndarray:
    """A four-corner outline of a region's contour: its hull simplified to 4 points, else its
    minimum-area rectangle."""
    hull = cv2.convexHull(contour)
    peri = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
        if len(approx) < 4:
            break
    return cv2.boxPoints(cv2.minAreaRect(contour)).astype(np.float32)


def _grow(q: np.ndarray, d: float) -> np.ndarray:
    """The quadrilateral with every side moved ``d`` px outward (corners where the moved sides meet)."""
    c = q.mean(0)
    lines = []
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        n = np.array([b[1] - a[1], a[0] - b[0]], np.float64)
        n /= np.linalg.norm(n) + 1e-9
        if np.dot(n, a - c) < 0:
            n = -n
        lines.append((n, float(np.dot(n, a)) + d))  # n . p = k
    return _meet(lines, q)


def _meet(lines: list[tuple[np.ndarray, float]], fallback: np.ndarray) -> np.ndarray:
    """The corners where each side line ``n . p = k`` meets the one before it; ``fallback`` when two
    neighbouring sides are parallel."""
    pairs = [(lines[i - 1], lines[i]) for i in range(4)]  # the four 2x2 systems, solved at once
    m = np.array([[n1, n2] for (n1, _), (n2, _) in pairs])
    if (np.abs(np.linalg.det(m)) < 1e-6).any():
        return fallback
    k = np.array([[k1, k2] for (_, k1), (_, k2) in pairs])
    return np.float32(np.linalg.solve(m, k[..., None])[..., 0])


def _refine(pts: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The quadrilateral with each side refitted to the edge pixels within :data:`REFINE_PX` of it
    (``cv2.fitLine``, Huber: a finger crossing the side or a corner rounded off pulls little), corners
    where the refitted sides meet; a side with too few edge pixels stays, and a result that moves a corner
    further than twice :data:`REFINE_PX` keeps the quadrilateral as it was. ``pts``: the edge pixels, (x, y)
    float32."""
    lines = []
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        u = (b - a) / (length + 1e-9)
        rel = pts - a
        along = rel @ u
        across = rel[:, 0] * u[1] - rel[:, 1] * u[0]
        near = pts[(np.abs(across) <= REFINE_PX) & (along > 0.1 * length) & (along < 0.9 * length)]
        if len(near) < 0.3 * length:  # no edge seen along it (a paper cut off by the frame): kept as it is
            vx, vy, x0, y0 = u[0], u[1], a[0], a[1]
        else:
            vx, vy, x0, y0 = cv2.fitLine(near, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([vy, -vx], np.float64), float(vy * x0 - vx * y0)))  # n . p = k
    out = _meet(lines, q)
    return out if np.linalg.norm(out - q, axis=1).max() <= 2 * REFINE_PX else q


def _angles_ok(q: np.ndarray) -> bool:
    """Every corner between 50 and 130 degrees and opposite sides within 2.5x of each other."""
    for i in range(4):
        a, b, c = q[i - 1], q[i], q[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-9))
        if abs(cos) > np.cos(np.deg2rad(50)):
            return False
    sides = [float(np.linalg.norm(q[(i + 1) % 4] - q[i])) for i in range(4)]
    if min(sides) < 8:
        return False
    return max(sides[0], sides[2]) < 2.5 * min(sides[0], sides[2]) and max(sides[1], sides[3]) < 2.5 * min(
        sides[1], sides[3])


def _fill(contour: np.ndarray, q: np.ndarray) -> float:
    """Rectangularity: how well the quadrilateral fits the region, as the overlap of the two over their
    union (a region that spills out of the quad, or one that leaves part of it empty, scores low)."""
    x, y, w, h = cv2.boundingRect(np.vstack([contour.reshape(-1, 2), np.round(q).astype(np.int32)]))
    region = np.zeros((h + 1, w + 1), np.uint8)
    quad = np.zeros_like(region)
    cv2.drawContours(region, [contour.reshape(-1, 1, 2) - [x, y]], -1, 1, cv2.FILLED)
    cv2.fillConvexPoly(quad, np.round(q).astype(np.int32) - [x, y], 1)
    union = np.count_nonzero(region | quad)
    return np.count_nonzero(region & quad) / union if union else 0.0


def _contrast(paperness: np.ndarray, q: np.ndarray, band: int) -> float:
    """How much more paper-like (bright, grey) the band just inside ``q`` is than the band just outside
    it (share of 255); outside the frame does not count. 0 when there is no outside to compare."""
    h, w = paperness.shape
    mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, np.round(q).astype(np.int32), 255)
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (2 * band + 1, 2 * band + 1))
    inner = (mask > 0) & (cv2.erode(mask, k) == 0)
    outer = (cv2.dilate(mask, k) > 0) & (mask == 0)
    if outer.sum() < 4 * band or inner.sum() < 4 * band:
        return 0.0
    return float(np.median(paperness[inner]) - np.median(paperness[outer])) / 255.0


def _edge_map(small: np.ndarray) -> np.ndarray:
    """Colour edges: Canny with low thresholds on the blurred Lab image (a paper's edge is a step in
    lightness or in colour, so a yellow note on a grey street or a white card on a white car both show)."""
    lab = cv2.cvtColor(small, cv2.COLOR_BGR2Lab) if small.ndim == 3 else small
    return cv2.Canny(cv2.GaussianBlur(lab, (5, 5), 0), *EDGE_THRESHOLDS)


def _edge_regions(edges: np.ndarray, close: int) -> list[np.ndarray]:
    """Contours of the regions the edges enclose, closed over gaps ``close`` px wide (a paper's outline
    closes one)."""
    edges = edges.copy()
    edges[[0, -1], :] = edges[:, [0, -1]] = 255  # the frame's border closes a paper cut off, and the gap
    # between a paper's corner and the border a region would leak through
    regions = cv2.bitwise_not(cv2.dilate(edges, np.ones((close, close), np.uint8)))
    contours, _ = cv2.findContours(regions, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    return list(contours)


def _near(edges: np.ndarray) -> np.ndarray:
    """The pixels within :data:`SUPPORT_PX` of an edge (what supports an outline), once per photo."""
    return cv2.dilate(edges, np.ones((2 * SUPPORT_PX + 1,) * 2, np.uint8)) > 0


def _on_border(a: np.ndarray, b: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Whether the side a-b runs along the frame's border (most of it within the edges' closing of it)."""
    h, w = shape[:2]
    pts = a + (b - a) * np.linspace(0.05, 0.95, 20)[:, None]
    m = max(EDGE_CLOSE) + SUPPORT_PX
    x, y = pts[:, 0], pts[:, 1]
    return bool(((x <= m) | (x >= w - 1 - m) | (y <= m) | (y >= h - 1 - m)).mean() > 0.5)


def _support(near: np.ndarray, q: np.ndarray) -> float:
    """Edge support: the share of the quadrilateral's outline that runs along an edge (``near``: the
    pixels within :data:`SUPPORT_PX` of one), its sides' shares averaged. A side along the frame's border
    (a paper cut off by the frame) counts :data:`BORDER_SUPPORT`: possible, but worse than an edge seen."""
    shares = []
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        if _on_border(a, b, near.shape):
            shares.append(BORDER_SUPPORT)
            continue
        n = max(8, int(np.linalg.norm(b - a) / 2))
        shares.append(float(_at(near, a + (b - a) * np.linspace(0.05, 0.95, n)[:, None]).mean()))
    return float(np.mean(shares))


def _cut_at_edges(q: np.ndarray, near: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """The quadrilateral with each side along the frame's border moved in to the paper's own side where one
    shows: the straight line across it (from within :data:`CUT_REACH` of each neighbouring side) best
    supported by edges, when it is seen along :data:`CUT_SUPPORT` of its length and the colour steps by
    :data:`CUT_STEP` across it along most of it (a finger over the paper's edge joined it to a scene of
    its own lightness, so the region ran on to the border; a line of print inside the paper has paper on
    both sides between its letters)."""
    h, w = near.shape
    t = np.linspace(0.05, 0.95, 48)[None, None, :, None]
    reach = np.linspace(0.02, CUT_REACH, 30)
    out = q.copy()
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        if not _on_border(a, b, near.shape):
            continue
        starts = a + (q[i - 1] - a) * reach[:, None]  # along the side before, from a
        ends = b + (q[(i + 2) % 4] - b) * reach[:, None]  # along the side after, from b
        pts = starts[:, None, None, :] + (ends[None, :, None, :] - starts[:, None, None, :]) * t
        support = _at(near, pts)[..., 0].mean(-1)
        j, k = np.unravel_index(int(np.argmax(support)), support.shape)
        if support[j, k] < CUT_SUPPORT:
            continue
        p0, p1 = starts[j], ends[k]
        normal = np.array([p1[1] - p0[1], p0[0] - p1[0]]) / (np.linalg.norm(p1 - p0) + 1e-9)
        if np.dot(normal, q.mean(0) - p0) < 0:
            normal = -normal  # pointing into the paper
        line = p0 + (p1 - p0) * np.linspace(0.05, 0.95, 40)[:, None]
        step = float(np.percentile(np.linalg.norm(_at(colour, line + normal * 2 * REFINE_PX)
                                                  - _at(colour, line - normal * 2 * REFINE_PX), axis=-1), STEADY))
        cut = out.copy()
        cut[i], cut[(i + 1) % 4] = p0, p1
        if step >= CUT_STEP and cv2.isContourConvex(cut.reshape(-1, 1, 2)) and _angles_ok(cut) \
                and cv2.contourArea(cut) >= MIN_SHARE * h * w:
            out = cut
    return out


def _at(image: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """``image``'s pixels at the points (x, y) (any leading shape, x and y last), clipped to the frame:
    one float row of channels per point."""
    h, w = image.shape[:2]
    x = np.clip(np.round(pts[..., 0]), 0, w - 1).astype(int)
    y = np.clip(np.round(pts[..., 1]), 0, h - 1).astype(int)
    return image[y, x].reshape(*pts.shape[:-1], -1).astype(np.float32)


def _bright_regions(small: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Contours of the large bright, grey components (paper-like pixels closed over their print), and
    the paperness map (V - S for colour, gray for a gray photo) they come from."""
    if small.ndim == 3:
        hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
        paperness = cv2.subtract(hsv[..., 2], cv2.multiply(hsv[..., 1], 0.5))
    else:
        paperness = small
    blur = cv2.GaussianBlur(paperness, (5, 5), 0)
    _, bright = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    k = max(5, max(small.shape[:2]) // 40) | 1
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return list(contours), paperness


def find_paper(image: np.ndarray) -> Paper | None:
    """The paper in a photo (uint8 gray or BGR): the best paper-like quadrilateral, in photo pixels;
    None when there is none, or when it fills the photo already (a scan, a close-up page)."""
    h0, w0 = image.shape[:2]
    scale = min(1.0, WORK_SIDE / max(h0, w0))
    small = image
    if max(h0, w0) > PRESHRINK * WORK_SIDE:  # a 12 MP photo: every few pixels first (averaging them all is slow)
        k = PRESHRINK * WORK_SIDE / max(h0, w0)
        small = cv2.resize(image, (round(w0 * k), round(h0 * k)), interpolation=cv2.INTER_NEAREST)
    small = cv2.resize(small, (max(8, round(w0 * scale)), max(8, round(h0 * scale))), interpolation=cv2.INTER_AREA)
    if small.ndim == 3 and small.shape[2] == 4:
        small = small[..., :3]
    h, w = small.shape[:2]
    frame = float(h * w)
    bright, paperness = _bright_regions(small)
    edges = _edge_map(small)
    candidates = [("edges", k, c) for k in EDGE_CLOSE for c in _edge_regions(edges, k)]
    candidates += [("brightness", 0, c) for c in bright]
    band = max(3, max(h, w) // 80)
    ys, xs = np.nonzero(edges)
    edge_pts = np.stack([xs, ys], 1).astype(np.float32)
    near = _near(edges)
    found: list[Paper] = []
    for cue, close, contour in candidates:
        area = cv2.contourArea(contour)
        if area < MIN_SHARE * frame:
            continue
        q = order_corners(_quad_of(contour))
        if close:  # the region stops where the closed edge starts: its outline lies half of it out
            q = _grow(q, close / 2)
        q = _refine(edge_pts, q)
        q[:, 0] = np.clip(q[:, 0], 0, w - 1)
        q[:, 1] = np.clip(q[:, 1], 0, h - 1)
        quad_area = cv2.contourArea(q)
        share = quad_area / frame
        if not MIN_SHARE <= share <= MAX_SHARE or not cv2.isContourConvex(q.reshape(-1, 1, 2)):
            continue
        hull = cv2.convexHull(contour)
        fill = _fill(hull, q)  # against the hull: a finger's notch in the paper's outline is bridged
        if fill < MIN_RECTANGULARITY or cv2.contourArea(contour) < MIN_SOLIDITY * cv2.contourArea(hull):
            continue
        if not _angles_ok(q):
            continue
        sides = np.linalg.norm(q - np.roll(q, -1, axis=0), axis=1)
        aspect = max(sides[0] + sides[2], sides[1] + sides[3]) / max(min(sides[0] + sides[2], sides[1] + sides[3]), 1)
        if aspect > MAX_ASPECT:
            continue
        contrast = _contrast(paperness, q, band)
        if contrast < MIN_CONTRAST:
            continue
        support = _support(near, q)
        if support < MIN_SUPPORT:
            continue
        score = share * fill**4 * min(1.0, contrast / 0.2) * support**4
        found.append(Paper(q / scale, round(float(score), 4), cue))
    if not found:
        return None
    best = _with_facing_page(max(found, key=lambda p: p.score), found)
    if cv2.contourArea(best.quad) > FULL_SHARE * h0 * w0:
        return None
    colour = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_BGR2Lab) if small.ndim == 3 else small
    return Paper(_cut_at_edges(best.quad * scale, near, colour) / scale, best.score, best.cue)


def _size(q: np.ndarray) -> tuple[float, float]:
    """A quadrilateral's (TL, TR, BR, BL) width and height: its opposite sides' mean lengths."""
    side = [float(np.linalg.norm(q[(i + 1) % 4] - q[i])) for i in range(4)]
    return (side[0] + side[2]) / 2, (side[1] + side[3]) / 2


def _facing(page: np.ndarray, other: np.ndarray) -> bool:
    """Whether quadrilateral ``other`` is the page facing ``page`` (TL, TR, BR, BL) across its right side:
    its left side within :data:`FACING_GAP` of the page's width from it, its corners there level with the
    page's within :data:`FACING_LEVEL` of its height, and its size the page's within :data:`FACING_SIZE`."""
    (w, h), (ow, oh) = _size(page), _size(other)
    gap = max(abs(other[0, 0] - page[1, 0]), abs(other[3, 0] - page[2, 0]))
    level = max(abs(other[0, 1] - page[1, 1]), abs(other[3, 1] - page[2, 1]))
    alike = all(FACING_SIZE <= r <= 1 / FACING_SIZE for r in (ow / w, oh / h))
    return gap <= FACING_GAP * w and level <= FACING_LEVEL * h and alike


def _with_facing_page(best: Paper, found: list[Paper]) -> Paper:
    """The best paper, or, when another paper found is the page facing it (an open book's spread, its pages
    parted by the gutter's shadow), the quadrilateral around both pages."""
    spreads = []
    for other in found:
        for left, right in ((best.quad, other.quad), (other.quad, best.quad)):
            q = np.float32([left[0], right[1], right[2], left[3]])
            if _facing(left, right) and cv2.isContourConvex(q.reshape(-1, 1, 2)) and _angles_ok(q):
                spreads.append((other.score, q))
    if not spreads:
        return best
    return Paper(max(spreads, key=lambda s: s[0])[1], best.score, f"{best.cue}, two facing pages")


def text_region(image: np.ndarray) -> Paper | None:
    """The text's region of a photo as a :class:`Paper` (an upright rectangle, cue :data:`TEXT_REGION`,
    scored by the letters in it); None when there is none."""
    found = find_text_region(image)
    return None if found is None else Paper(found[0], float(found[1]), TEXT_REGION)


def rectify_paper(image: np.ndarray, quad: np.ndarray, max_side: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The upright crop inside ``quad`` (TL, TR, BR, BL, photo pixels) at the photo's resolution (at most
    ``max_side`` px long, when given), and the homography from crop pixels back to the photo. The crop
    keeps :data:`INSET` of the paper's size clear of its edge (where the scene's fringe would show)."""
    q = np.float32(quad)
    q = q + (q.mean(0) - q) * INSET * 2
    m, (w, h) = upright_transform(q)
    s = min(1.0, max_side / max(w, h)) if max_side else 1.0
    if s < 1.0:
        w, h = max(8, round(w * s)), max(8, round(h * s))
        m = np.diag([s, s, 1.0]) @ m
    crop = cv2.warpPerspective(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return crop, np.linalg.inv(m)


def cut_region(image: np.ndarray, quad: np.ndarray, max_side: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The photo's pixels inside an upright rectangle ``quad`` (TL, TR, BR, BL), as they are (shrunk to at most
    ``max_side`` px long, when given), and the homography from crop pixels back to the photo."""
    x0, y0 = np.floor(np.float32(quad).min(0)).astype(int)
    x1, y1 = np.ceil(np.float32(quad).max(0)).astype(int)
    crop = image[max(0, y0) : y1, max(0, x0) : x1]
    to_photo = np.array([[1, 0, max(0, x0)], [0, 1, max(0, y0)], [0, 0, 1]], np.float64)
    h, w = crop.shape[:2]
    s = min(1.0, max_side / max(w, h)) if max_side else 1.0
    if s < 1.0:
        crop = cv2.resize(crop, (max(8, round(w * s)), max(8, round(h * s))), interpolation=cv2.INTER_AREA)
        to_photo = to_photo @ np.diag([1 / s, 1 / s, 1.0])
    return crop, to_photo


def crop_paper(image: np.ndarray, mode: str | None = "auto", max_side: int | None = None,
               gray: bool = False) -> PaperCrop:
    """The paper of a photo, rectified (at most ``max_side`` px long; in gray with ``gray``, a third of
    the warping for a reader that reads gray), when ``mode`` is ``auto`` and one is found; else the text's
    region (:func:`edge_app.text_region.find_text_region`) when there is one; else the photo. A photo
    under :data:`SCENE_SIDE` px on its shorter side (a word or a line cut out) is not searched."""
    if check_mode(mode) == "off" or min(image.shape[:2]) < SCENE_SIDE:
        return PaperCrop(image)
    paper = find_paper(image) or text_region(image)
    if paper is None:
        return PaperCrop(image)
    if paper.cue == TEXT_REGION:
        crop, to_photo = cut_region(image, paper.quad, max_side)
        crop = to_gray(crop) if gray else crop
    else:
        crop, to_photo = rectify_paper(to_gray(image) if gray else image, paper.quad, max_side)
    return PaperCrop(crop, paper, to_photo)
