"""The camera development set: phone photos of printed pages, cards, receipts and handwritten notes lying in
real scenes, made here from a seed (never trained on, nothing stored in the checkout).

Each photo is a paper with held-out text on it, warped into a random crop of a real street photo
(``--scenes``: the plate-photos folder, its ``images/*.jpg``):

- **page**: a paragraph or two of the evaluation prose (:func:`train.data.prose.paragraphs` ``eval``) in
  one of the held-out book faces (:data:`train.data.printed.HELD_OUT_BOOK_FONTS`), book typography;
- **card**: 3-5 short lines of the same prose in bigger type;
- **receipt**: a narrow slip, a shop name and item lines (words of the evaluation prose) with prices and
  a total, each character on a fixed pitch (monospace-like) in a held-out face;
- **note**: 3-6 short handwritten lines of evaluation-prose words, composed from real handwritten
  character crops never trained on (handwritten-chars files 20-39 of each class, MNIST test digits;
  :func:`train.data.handwriting.load_crops` ``test``) when given; without crops, drawn in the held-out
  handwriting faces (:data:`train.data.fonts.HELD_OUT_FONTS`).

What a phone adds: a perspective tilt up to 25 degrees and a small turn, the paper covering 25-80% of
the frame, a soft shadow band across the paper, sometimes a finger over its edge, white balance and
exposure, blur, noise and JPEG quality 40-90. Frames are 1600x1200 or 2000x1500 (either way up), and
:func:`big_photo` makes one 4000x3000 (12 MP) page for timing.

Every photo comes from its own generator seeded by (seed, kind, index), so a bench that makes only some
kinds gets exactly the photos the whole set has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from edge_app.errors import EdgeOCRError

SEED = 20261507  # never used by training (seeds 0 and 1) or the other benches
KINDS = ("page", "card", "receipt", "note")
PRINTED = ("page", "card", "receipt")
COUNTS = {"page": 20, "card": 15, "receipt": 15, "note": 20}
FRAMES = ((1600, 1200), (2000, 1500))  # (w, h); either way up
BIG_FRAME = (4000, 3000)
SHARE = (0.25, 0.80)  # of the frame the paper covers (less where its shape cannot fill more)
MAX_TILT = 25.0  # degrees, the paper plane against the image plane
SCENE_GLOB = "images/*.jpg"


@dataclass
class CameraPhoto:
    """One photo of the set: BGR image, kind, true text lines, the paper's true corners (TL, TR, BR, BL
    of the paper as written, frame pixels), the face or hand, and what was done to it."""

    image: np.ndarray
    kind: str
    lines: list[str]
    corners: np.ndarray  # (4, 2) float32
    face: str
    info: dict

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def scene_files(folder: str | Path) -> list[Path]:
    """The scene photos of the folder (``images/*.jpg``, sorted); none is an :class:`EdgeOCRError`."""
    files = sorted(Path(folder).glob(SCENE_GLOB))
    if not files:
        raise EdgeOCRError(f"--scenes {folder}: no {SCENE_GLOB} found (pass the plate-photos folder)")
    return files


def _rng(seed: int, kind: str, index: int) -> np.random.Generator:
    return np.random.default_rng([seed, KINDS.index(kind), index])


# ---------------------------------------------------------------- text

def _words(paras: list[str], rng: np.random.Generator, count: int, letters: bool = False) -> list[str]:
    """``count`` consecutive words of one or more random paragraphs (only letter/digit words when ``letters``)."""
    out: list[str] = []
    while len(out) < count:
        p = paras[int(rng.integers(len(paras)))]
        ws = p.split()
        if letters:
            ws = [w for w in (re.sub(r"[^A-Za-z0-9]", "", w) for w in ws) if w]
        if not ws:
            continue
        start = int(rng.integers(max(1, len(ws) - count + len(out) + 1)))
        out.extend(ws[start : start + count - len(out)])
    return out


def _wrap(words: list[str], f, width: float) -> list[str]:
    lines, line = [], []
    for w in words:
        if line and f.getlength(" ".join(line + [w])) > width:
            lines.append(" ".join(line))
            line = []
        line.append(w)
    if line:
        lines.append(" ".join(line))
    return lines


def _set_lines(lines: list[str], font: Path, size: int, canvas: tuple[int, int], left: int, top: int,
               pitch: float) -> np.ndarray:
    """Lines of text set left-aligned in ``font`` as float ink (1 = ink) on a canvas (w, h)."""
    from PIL import Image, ImageDraw

    from train.data.fonts import _font

    img = Image.new("L", canvas, 0)
    draw = ImageDraw.Draw(img)
    f = _font(str(font), size)
    for i, line in enumerate(lines):
        draw.text((left, top + i * pitch), line, font=f, fill=255, anchor="ls")
    return np.asarray(img, dtype=np.float32) / 255.0


def _page(paras: list[str], font: Path, rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    """A printed page: a paragraph or two of book prose (ragged right), 1300x1700 ink px."""
    from train.data.fonts import _font
    from train.data.printed import fit_typography
    from train.data.prose import book_typography

    w, h = 1300, 1700
    size = int(rng.integers(34, 44))
    margin, pitch = int(w * rng.uniform(0.08, 0.12)), size * rng.uniform(1.3, 1.5)
    f = _font(str(font), size)
    lines: list[str] = []
    start = int(rng.integers(len(paras)))
    for k in range(12):  # a paragraph or two; short ones (most quotations) are joined by more
        para = fit_typography(book_typography(paras[(start + k) % len(paras)]), font)
        lines += _wrap(para.split(), f, w - 2 * margin)
        if len(lines) >= 14 and k >= 1:
            break
    top = int(h * rng.uniform(0.07, 0.12))
    room = int((h - 2 * top) / pitch)
    lines = lines[: max(4, min(room, 22))]
    return _set_lines(lines, font, size, (w, h), margin, top + size, pitch), lines


def _card(paras: list[str], font: Path, rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    """A card: 3-5 short lines of prose in big type, 1400x900 ink px."""
    from train.data.fonts import _font
    from train.data.printed import fit_typography

    w, h = 1400, 900
    n = int(rng.integers(3, 6))
    size = int(h / (n + 2) / rng.uniform(1.25, 1.5))
    f = _font(str(font), size)
    margin = int(w * rng.uniform(0.07, 0.1))
    words = [fit_typography(x, font) for x in _words(paras, rng, 4 * n)]
    lines = _wrap(words, f, (w - 2 * margin) * rng.uniform(0.55, 0.9))[:n]
    pitch = size * rng.uniform(1.25, 1.45)
    top = (h - pitch * (len(lines) - 1)) / 2 + size * 0.35
    return _set_lines(lines, font, size, (w, h), margin, int(top), pitch), lines


def _receipt(paras: list[str], font: Path, rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    """A receipt: a shop name, 6-12 items with prices (right-aligned) and a total on a fixed pitch,
    700x1900 ink px."""
    from PIL import Image, ImageDraw

    from train.data.fonts import _font

    w, h = 700, 1900
    cols = 28
    adv = (w * 0.86) / cols
    size = int(adv * rng.uniform(1.45, 1.65))
    f = _font(str(font), size)
    words = [x for x in _words(paras, rng, 60, letters=True) if x.isalpha() and len(x) > 2]
    shop = " ".join(words[:2]).upper()[:cols]
    items, total = [], 0.0
    for k in range(int(rng.integers(6, 13))):
        name = " ".join(words[2 + 2 * k : 4 + 2 * k][: int(rng.integers(1, 3))]).upper()[: cols - 8] or "ITEM"
        cents = int(rng.integers(49, 4999))
        total += cents / 100
        items.append((name, f"{cents / 100:.2f}"))
    rows = [(shop, "")] + items + [("TOTAL", f"{total:.2f}")]
    img = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(img)
    x0 = (w - cols * adv) / 2
    pitch = size * rng.uniform(1.5, 1.8)
    y = h * 0.06 + size
    lines = []
    for i, (name, price) in enumerate(rows):
        text = name.center(cols) if i == 0 else name + " " * (cols - len(name) - len(price)) + price
        for j, ch in enumerate(text):
            if ch != " ":
                draw.text((x0 + j * adv + (adv - f.getlength(ch)) / 2, y), ch, font=f, fill=255, anchor="ls")
        lines.append(" ".join(text.split()))
        y += pitch * (1.6 if i == 0 or i == len(rows) - 2 else 1.0)
    return np.asarray(img, dtype=np.float32) / 255.0, lines


def _note(paras: list[str], crops, hands: list[Path], rng: np.random.Generator) -> tuple[np.ndarray, list[str], str]:
    """A handwritten note: 3-6 lines of 1-3 prose words (letters and digits), composed from real character
    crops (or, without them, in a held-out handwriting face); ink about 1200 px wide."""
    from train.data.fonts import CAPS_ONLY_FONTS
    from train.data.handwriting import compose_ink, font_ink

    n = int(rng.integers(3, 7))
    words = _words(paras, rng, 3 * n, letters=True)
    if crops is not None:
        words = [w for w in words if all(c in crops.by_class for c in w)] or ["note"]
    hand = "composed" if crops is not None else hands[int(rng.integers(len(hands)))].stem
    cap = int(rng.integers(44, 60))
    lines, inks = [], []
    k = 0
    for _ in range(n):
        line = " ".join(words[k : k + int(rng.integers(1, 4))]) or words[0]
        k += len(line.split())
        if hand in CAPS_ONLY_FONTS:
            line = line.upper()
        ink = compose_ink(line, crops, rng, cap=cap) if crops is not None else font_ink(
            line, next(h for h in hands if h.stem == hand), rng, size=cap + 8)
        if ink is None:
            continue
        ink = cv2.dilate(ink, np.ones((2, 2), np.uint8)) if rng.random() < 0.5 else ink
        lines.append(line)
        inks.append(ink)
    if not inks:
        raise EdgeOCRError("cannot write a note (no handwriting faces or crops)")
    step = int(max(i.shape[0] for i in inks) * rng.uniform(0.85, 1.1))
    iw = max(max(i.shape[1] for i in inks) + 160, 600)
    ih = max(step * len(inks) + 160, int(iw * rng.uniform(0.5, 0.8)))
    canvas = np.zeros((ih, iw), np.float32)
    y0 = int((ih - step * len(inks)) / 2)
    for j, ink in enumerate(inks):
        y, x = y0 + j * step, int(rng.integers(60, 100))
        region = canvas[y : y + ink.shape[0], x : x + ink.shape[1]]
        np.maximum(region, ink[: region.shape[0], : region.shape[1]], out=region)
    return canvas, lines, hand


# ---------------------------------------------------------------- the photo

def _paper_image(ink: np.ndarray, kind: str, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    """Ink printed (or written) on paper, with a soft shadow band across it sometimes: BGR float32."""
    h, w = ink.shape
    base = rng.uniform(200, 245)
    grain = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), rng.uniform(0.8, 2.5))
    gray = base + grain * rng.uniform(2, 6)
    info: dict = {}
    if rng.random() < 0.6:  # a soft shadow band: a dark gradient across the paper
        t = rng.uniform(0, np.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        d = (xx - rng.uniform(0.2, 0.8) * w) * np.cos(t) + (yy - rng.uniform(0.2, 0.8) * h) * np.sin(t)
        width = rng.uniform(0.08, 0.25) * max(h, w)
        depth = rng.uniform(0.25, 0.55)
        gray *= 1 - depth * np.exp(-((d / width) ** 2))
        info["shadow"] = round(float(depth), 2)
    dark = rng.uniform(0.65, 0.88) if kind == "note" else rng.uniform(0.75, 0.92)
    gray = gray * (1 - ink * dark)
    if kind == "note" and rng.random() < 0.5:  # a yellow sticky note
        tint = np.array([rng.uniform(0.55, 0.7), rng.uniform(0.9, 0.97), 1.0], np.float32)
    elif kind == "receipt":
        tint = np.array([rng.uniform(0.92, 0.98), rng.uniform(0.95, 1.0), 1.0], np.float32)
    else:
        tint = np.array([rng.uniform(0.85, 0.95), rng.uniform(0.92, 0.98), 1.0], np.float32)
    img = gray[..., None] * tint[None, None, :]
    if kind == "note" and rng.random() < 0.6:  # a blue ballpoint
        img = img * (1 - ink[..., None] * np.float32([-0.3, 0.15, 0.35]))
    return img.astype(np.float32), info


def _rotation(axis_angle: float, tilt: float, turn: float) -> np.ndarray:
    a, t, r = np.deg2rad([axis_angle, tilt, turn])
    k = np.array([np.cos(a), np.sin(a), 0.0])
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    tilt_m = np.eye(3) + np.sin(t) * kx + (1 - np.cos(t)) * kx @ kx
    turn_m = np.array([[np.cos(r), -np.sin(r), 0], [np.sin(r), np.cos(r), 0], [0, 0, 1]])
    return tilt_m @ turn_m


def _quad(paper_wh: tuple[int, int], frame_wh: tuple[int, int], rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    """Where the paper's corners land (TL, TR, BR, BL of the paper), as a camera sees a paper tilted up to
    :data:`MAX_TILT` degrees and turned a little, covering a random share of the frame it fits."""
    pw, ph = paper_wh
    fw, fh = frame_wh
    tilt, turn = rng.uniform(0, MAX_TILT), rng.uniform(-10, 10)
    rot = _rotation(rng.uniform(0, 360), tilt, turn)
    pts = np.array([[-pw, -ph, 0], [pw, -ph, 0], [pw, ph, 0], [-pw, ph, 0]], np.float64) / 2
    dist = rng.uniform(1.3, 2.2) * max(pw, ph)
    p3 = pts @ rot.T
    q = p3[:, :2] / (p3[:, 2:] + dist) * dist  # pinhole, unit scale at the paper's distance
    area = cv2.contourArea(q.astype(np.float32))
    share = rng.uniform(*SHARE)
    s = np.sqrt(share * fw * fh / area)
    span = q.max(0) - q.min(0)
    s = min(s, 0.97 * fw / span[0], 0.97 * fh / span[1])  # it must fit in the frame
    q = (q - q.min(0)) * s
    span = q.max(0) - q.min(0)
    q += [rng.uniform(0, fw - 1 - span[0]), rng.uniform(0, fh - 1 - span[1])]
    q = q.astype(np.float32)
    return q, {"tilt_deg": round(float(tilt), 1), "turn_deg": round(float(turn), 1),
               "share": round(float(cv2.contourArea(q) / (fw * fh)), 3)}


def _scene(files: list[Path], frame_wh: tuple[int, int], rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """A random crop of a random scene photo, the frame's shape, resized to the frame."""
    path = files[int(rng.integers(len(files)))]
    img = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if img is None:
        raise EdgeOCRError(f"cannot read the scene photo {path}")
    fw, fh = frame_wh
    h, w = img.shape[:2]
    if rng.random() < 0.5:
        img = img[:, ::-1]
    cw = min(w, h * fw / fh) * rng.uniform(0.5, 1.0)
    ch = cw * fh / fw
    x, y = rng.uniform(0, w - cw), rng.uniform(0, h - ch)
    crop = img[int(y) : int(y + ch), int(x) : int(x + cw)]
    return cv2.resize(crop, frame_wh, interpolation=cv2.INTER_LINEAR).astype(np.float32), path.name


def _finger(frame: np.ndarray, quad: np.ndarray, rng: np.random.Generator) -> dict:
    """A fingertip (a skin-coloured rounded blob) entering the paper over one of its edges, covering a
    little of its margin or text."""
    i = int(rng.integers(4))
    a, b = quad[i], quad[(i + 1) % 4]
    edge = a + (b - a) * rng.uniform(0.2, 0.8)
    centre = quad.mean(0)
    normal = centre - edge
    normal /= np.linalg.norm(normal) + 1e-9
    t = np.deg2rad(rng.uniform(-20, 20))
    normal = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]) @ normal
    short = min(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[3] - quad[0]))
    width = short * rng.uniform(0.06, 0.1)
    depth = short * rng.uniform(0.03, 0.1)
    tip = edge + normal * (depth - width / 2)
    root = edge - normal * short * 0.6
    mask = np.zeros(frame.shape[:2], np.float32)
    cv2.line(mask, tuple(int(v) for v in root), tuple(int(v) for v in tip), 1.0, max(3, int(width)), cv2.LINE_AA)
    soft = cv2.GaussianBlur(mask, (0, 0), max(1.0, width / 12))
    core = cv2.GaussianBlur(mask, (0, 0), max(1.0, width / 4))  # rounder, lit in the middle
    skin = np.float32([rng.uniform(95, 140), rng.uniform(130, 170), rng.uniform(185, 230)])
    colour = skin[None, None, :] * (0.7 + 0.35 * core[..., None])
    frame[:] = frame * (1 - soft[..., None]) + colour * soft[..., None]
    return {"finger_edge": i, "finger_depth": round(float(depth / short), 3)}


def _photograph(frame: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    """White balance and exposure, blur, noise and JPEG: uint8 BGR."""
    gains = rng.uniform(0.93, 1.07, 3).astype(np.float32) * rng.uniform(0.75, 1.15)
    frame = frame * gains[None, None, :]
    sigma = rng.uniform(0.5, 1.6) * frame.shape[1] / 1600
    frame = cv2.GaussianBlur(frame, (0, 0), sigma)
    frame += rng.normal(0, rng.uniform(2, 6), frame.shape).astype(np.float32)
    quality = int(rng.integers(40, 91))
    ok, buf = cv2.imencode(".jpg", np.clip(frame, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR), {"blur": round(float(sigma), 2), "jpeg": quality}


def _compose(ink: np.ndarray, kind: str, scenes: list[Path], frame_wh: tuple[int, int],
             rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, dict]:
    paper, info = _paper_image(ink, kind, rng)
    h, w = ink.shape
    quad, where = _quad((w, h), frame_wh, rng)
    info.update(where)
    frame, info["scene"] = _scene(scenes, frame_wh, rng)
    side = max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[3] - quad[0]) * w / h)
    s = min(1.0, 1.3 * side / w)  # shrink the paper first where the frame shows it much smaller
    if s < 1.0:
        paper = cv2.resize(paper, (max(8, round(w * s)), max(8, round(h * s))), interpolation=cv2.INTER_AREA)
    ph, pw = paper.shape[:2]
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]]), quad)
    warped = cv2.warpPerspective(paper, m, frame_wh, flags=cv2.INTER_LINEAR)
    a = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, frame_wh, flags=cv2.INTER_LINEAR)
    drop = cv2.GaussianBlur(a, (0, 0), max(2.0, frame_wh[0] / 300))  # the paper's own soft shadow on the table
    under = frame * (1 - 0.35 * np.roll(drop, (int(frame_wh[0] / 200),) * 2, axis=(0, 1))[..., None])
    frame = warped * a[..., None] + under * (1 - a[..., None])
    if rng.random() < 0.4:
        info.update(_finger(frame, quad, rng))
    image, cam = _photograph(frame, rng)
    info.update(cam)
    return image, quad, info


def _frame(kind: str, rng: np.random.Generator) -> tuple[int, int]:
    w, h = FRAMES[int(rng.integers(len(FRAMES)))]
    portrait = {"page": 0.8, "receipt": 1.0, "card": 0.15, "note": 0.4}[kind]
    return (h, w) if rng.random() < portrait else (w, h)


def _sources(kinds: tuple[str, ...], crops) -> tuple[list[str], list[Path], list[Path]]:
    from train.data.fonts import HELD_OUT_FONTS, font_paths
    from train.data.printed import book_fonts
    from train.data.prose import paragraphs

    faces = book_fonts("eval") if set(kinds) & set(PRINTED) else []
    hands = font_paths(HELD_OUT_FONTS) if "note" in kinds and crops is None else []
    return paragraphs("eval"), faces, hands


def make_photo(kind: str, index: int, scenes: list[Path], seed: int = SEED, crops=None,
               frame_wh: tuple[int, int] | None = None, _src=None) -> CameraPhoto:
    """Photo ``index`` of ``kind`` (the same for the same seed, scenes and crops)."""
    paras, faces, hands = _src or _sources((kind,), crops)
    rng = _rng(seed, kind, index)
    if kind == "note":
        ink, lines, face = _note(paras, crops, hands, rng)
    else:
        font = faces[index % len(faces)]
        ink, lines = {"page": _page, "card": _card, "receipt": _receipt}[kind](paras, font, rng)
        face = font.stem
    frame_wh = frame_wh or _frame(kind, rng)
    image, quad, info = _compose(ink, kind, scenes, frame_wh, rng)
    return CameraPhoto(image, kind, lines, quad, face, {"frame": list(frame_wh), **info})


def camera_set(scenes: str | Path, seed: int = SEED, counts: dict[str, int] | None = None,
               crops=None) -> list[CameraPhoto]:
    """The set's photos, kind by kind (``counts``: photos per kind, default :data:`COUNTS`; notes need no
    crops but use them when given)."""
    counts = COUNTS if counts is None else counts
    files = scene_files(scenes)
    kinds = tuple(k for k in KINDS if counts.get(k))
    src = _sources(kinds, crops)
    return [make_photo(k, i, files, seed, crops, _src=src) for k in kinds for i in range(counts[k])]


def big_photo(scenes: str | Path, seed: int = SEED) -> CameraPhoto:
    """The 12 MP (4000x3000) photo of a page, for timing a whole read."""
    return make_photo("page", 10_000, scene_files(scenes), seed, frame_wh=BIG_FRAME)


def corner_error(found: list | np.ndarray | None, truth: np.ndarray, shape: tuple[int, ...]) -> float | None:
    """Mean distance of the found corners from the true ones (best of the four cyclic orders, so a
    quadrilateral listed from another corner is not penalised), as a share of the frame's diagonal."""
    if found is None:
        return None
    f, t = np.float32(found).reshape(4, 2), np.float32(truth).reshape(4, 2)
    best = min(float(np.linalg.norm(np.roll(f, k, axis=0) - t, axis=1).mean()) for k in range(4))
    return best / float(np.hypot(*shape[:2]))
