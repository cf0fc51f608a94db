"""Training samples for the plate detector: real street photos (plate-photos) with their plate boxes,
synthetic plates pasted into them, and the augmentations a phone or Pi camera brings.

Each sample is the detector's RGB input (512x512) (:func:`edge_app.families.platedet.preprocess.to_input`
after the same letterbox geometry as the device) and its head targets at stride 4: heat (an elliptic
Gaussian per plate, 1 at its centre cell), the centre's offset in its cell, sqrt(w / side), sqrt(h / side)
and a mask of centre cells. Photos: Open Images, CC BY 2.0; boxes: CC BY 4.0 (see the folder's README).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from edge_app.errors import EdgeOCRError
from edge_app.families.platedet.preprocess import letterbox, to_input
from edge_app.families.platedet.spec import CHANNELS, DET_SIZE, DET_STRIDE, PAD_VALUE

from .licences import LICENCES

SOURCE = LICENCES["plate-photos"]
MAX_SIDE = 640  # photos are kept in memory at most this large
GRID = (DET_SIZE[0] // DET_STRIDE, DET_SIZE[1] // DET_STRIDE)
TARGETS = CHANNELS + 1  # the head's five channels and the centre mask


@dataclass
class Photo:
    """A photo (RGB uint8, at most MAX_SIDE) and its plate boxes [x, y, w, h] in its own pixels."""

    rgb: np.ndarray
    boxes: np.ndarray


def read_boxes(root: str | Path, split: str) -> dict[str, list[list[int]]]:
    """``boxes.csv`` of a plate-photos folder: file -> boxes, for one split (train or val)."""
    path = Path(root) / "boxes.csv"
    if not path.is_file():
        raise EdgeOCRError(f"{path} not found (pass the plate-photos folder)")
    out: dict[str, list[list[int]]] = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["split"] == split:
                out[row["file"]].append([int(row[k]) for k in "xywh"])
    if not out:
        raise EdgeOCRError(f"{path} has no '{split}' rows")
    return dict(out)


def load_photos(root: str | Path, split: str, limit: int | None = None) -> list[Photo]:
    """The split's photos, shrunk to MAX_SIDE, with their boxes scaled alike."""
    photos = []
    for name, boxes in sorted(read_boxes(root, split).items())[:limit]:
        bgr = cv2.imread(str(Path(root) / "images" / name), cv2.IMREAD_COLOR)
        if bgr is None:
            raise EdgeOCRError(f"cannot read {Path(root) / 'images' / name}")
        s = min(1.0, MAX_SIDE / max(bgr.shape[:2]))
        if s < 1.0:
            bgr = cv2.resize(bgr, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        photos.append(Photo(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), np.array(boxes, np.float32) * s))
    return photos


def targets(boxes: np.ndarray) -> np.ndarray:
    """Head targets (GRID, 6) for boxes [x, y, w, h] in input pixels."""
    gh, gw = GRID
    t = np.zeros((gh, gw, TARGETS), np.float32)
    ys, xs = np.mgrid[0:gh, 0:gw].astype(np.float32)
    for x, y, w, h in boxes:
        cx, cy = (x + w / 2) / DET_STRIDE, (y + h / 2) / DET_STRIDE
        ix, iy = int(np.clip(cx, 0, gw - 1)), int(np.clip(cy, 0, gh - 1))
        sx, sy = max(w / DET_STRIDE / 6, 0.6), max(h / DET_STRIDE / 6, 0.6)
        g = np.exp(-((xs - ix) ** 2 / (2 * sx * sx) + (ys - iy) ** 2 / (2 * sy * sy)))
        t[..., 0] = np.maximum(t[..., 0], g)
        t[iy, ix, 0] = 1.0
        t[iy, ix, 1:5] = (cx - ix, cy - iy, np.sqrt(w / DET_SIZE[1]), np.sqrt(h / DET_SIZE[0]))
        t[iy, ix, 5] = 1.0
    return t


def _paste_plate(rgb: np.ndarray, plate_bgr: np.ndarray, rng: np.random.Generator) -> list[float] | None:
    """Warp a flat plate into the photo at a random place, size and tilt; returns its box or None."""
    H, W = rgb.shape[:2]
    ph, pw = plate_bgr.shape[:2]
    width = float(np.exp(rng.uniform(np.log(18), np.log(min(260, W * 0.6)))))
    height = width * ph / pw * rng.uniform(0.85, 1.15)
    if height >= H * 0.8:
        return None
    x0, y0 = rng.uniform(0, W - width), rng.uniform(0, H - height)
    j = 0.08 * min(width, height)
    dst = np.float32([[x0, y0], [x0 + width, y0], [x0 + width, y0 + height], [x0, y0 + height]])
    dst += rng.uniform(-j, j, (4, 2)).astype(np.float32)
    dst[:, 1] += np.float32([0, 1, 1, 0]) * rng.uniform(-0.12, 0.12) * width  # a plate seen at an angle
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]]), dst)
    plate = cv2.cvtColor(plate_bgr, cv2.COLOR_BGR2RGB)
    warped = cv2.warpPerspective(plate, m, (W, H), flags=cv2.INTER_AREA)
    alpha = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (W, H), flags=cv2.INTER_LINEAR)[..., None]
    # match the scene's light near the plate, and soften to the photo's sharpness
    ry, rx = slice(int(max(0, y0 - height)), int(min(H, y0 + 2 * height))), slice(int(max(0, x0 - width)),
                                                                               int(min(W, x0 + 2 * width)))
    region = rgb[ry, rx]
    light = float(region.mean()) / 150.0 if region.size else 1.0
    warped = np.clip(warped.astype(np.float32) * np.clip(light * rng.uniform(0.8, 1.2), 0.35, 1.3), 0, 255)
    if rng.random() < 0.5:
        warped = cv2.GaussianBlur(warped, (0, 0), rng.uniform(0.3, 1.2))
    out = rgb.astype(np.float32) * (1 - alpha) + warped * alpha
    rgb[:] = np.clip(out, 0, 255).astype(np.uint8)
    xs, ys = dst[:, 0].clip(0, W), dst[:, 1].clip(0, H)
    return [float(xs.min()), float(ys.min()), float(xs.max() - xs.min()), float(ys.max() - ys.min())]


NEGATIVE_WORDS = ["DELIVERY", "LOGISTICS", "EXPRESS", "PIZZA", "BAKERY", "SALON", "RENT", "GARAGE", "MOTORS",
                  "SERVICE", "FRESH", "MARKET", "POLICE", "AMBULANCE", "SCHOOL BUS", "FIRE DEPT", "OPEN", "SALE 50%",
                  "EST 1998", "UNIT 7", "GATE B", "No 42", "LOT 3", "DOCK 12", "ROUTE 9", "KM 120", "A1", "M25"]


def render_signs(count: int, rng: np.random.Generator, fonts: list) -> list[np.ndarray]:
    """Flat BGR signs with words and numbers (shop fronts, truck lettering, road and unit signs): hard
    negatives pasted into the photos with no box, so the detector learns that text is not a plate."""
    from .fonts import render_text
    from .plate_scenes import SIGN_WORDS

    signs = []
    while len(signs) < count:
        kind = rng.random()
        if kind < 0.4:
            text = str(rng.choice(SIGN_WORDS + NEGATIVE_WORDS))
        elif kind < 0.7:  # a phone number, as on vans and shop fronts
            text = "TEL " + "".join(str(d) for d in rng.integers(0, 10, int(rng.integers(6, 11))))
        else:
            text = f"{rng.choice(NEGATIVE_WORDS)} {int(rng.integers(1, 999))}"
        ink = render_text(text, fonts[int(rng.integers(len(fonts)))], size=int(rng.integers(28, 64)))
        if ink is None:
            continue
        bg, fg = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
        if np.abs(bg - fg).sum() < 150:
            fg = 255 - bg
        pad = int(ink.shape[0] * rng.uniform(0.05, 0.5))
        ink = np.pad(ink, pad)
        signs.append((bg * (1 - ink[..., None]) + fg * ink[..., None]).astype(np.uint8))
    return signs


def _overlaps(box: list[float], boxes: list[list[float]]) -> bool:
    x, y, w, h = box
    return any(x < bx + bw and bx < x + w and y < by + bh and by < y + h for bx, by, bw, bh in boxes)


def _camera(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Light, colour, blur, noise, night, glare and JPEG, as phone and Pi cameras give them."""
    f = img.astype(np.float32)
    f = f * rng.uniform(0.6, 1.35) + rng.uniform(-30, 30)
    f = f * rng.uniform(0.9, 1.1, 3)  # white balance
    if rng.random() < 0.1:  # night
        f = f * rng.uniform(0.2, 0.45) + rng.normal(0, 6, f.shape)
    if rng.random() < 0.1:  # glare
        h, w = f.shape[:2]
        yy, xx = np.mgrid[0:h, 0:w]
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(20, 120)
        f += (200 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r)))[..., None]
    if rng.random() < 0.15:
        f[:] = f.mean(axis=2, keepdims=True)
    if rng.random() < 0.3:
        f = cv2.GaussianBlur(f, (0, 0), rng.uniform(0.5, 1.6))
    if rng.random() < 0.3:
        f += rng.normal(0, rng.uniform(2, 9), f.shape)
    out = np.clip(f, 0, 255).astype(np.uint8)
    if rng.random() < 0.4:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(30, 90))])
        out = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    return out


def augment(photo: Photo, rng: np.random.Generator, plates: list[np.ndarray], signs: list[np.ndarray] = ()
            ) -> tuple[np.ndarray, np.ndarray]:
    """One training sample from a photo: (the detector's float32 RGB input, head targets). Synthetic
    ``plates`` are pasted in with their boxes; ``signs`` (hard negatives) without, clear of every plate."""
    rgb = photo.rgb.copy()
    boxes = [list(b) for b in photo.boxes]
    if plates and rng.random() < 0.5:
        for _ in range(int(rng.integers(1, 3))):
            box = _paste_plate(rgb, plates[int(rng.integers(len(plates)))], rng)
            if box is not None:
                boxes.append(box)
    if len(signs) and rng.random() < 0.5:
        for _ in range(int(rng.integers(1, 4))):
            before = rgb.copy()
            box = _paste_plate(rgb, signs[int(rng.integers(len(signs)))], rng)
            if box is not None and _overlaps(box, boxes):
                rgb[:] = before  # never hide a plate under a sign
    H, W = DET_SIZE
    h, w = rgb.shape[:2]
    side = DET_SIZE[0] * float(np.exp(rng.uniform(np.log(0.7), np.log(2.4))))  # the photo's long side, scaled
    s = side / max(h, w)
    nh, nw = max(1, round(h * s)), max(1, round(w * s))
    scaled = cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    b = np.array(boxes, np.float32).reshape(-1, 4) * s
    if boxes and rng.random() < 0.6:  # look around a plate
        x, y, bw, bh = b[int(rng.integers(len(b)))]
        ox = int(np.clip(x + bw / 2 - rng.uniform(0.15, 0.85) * W, min(0, nw - W), max(0, nw - W)))
        oy = int(np.clip(y + bh / 2 - rng.uniform(0.15, 0.85) * H, min(0, nh - H), max(0, nh - H)))
    else:
        ox = int(rng.integers(min(0, nw - W), max(0, nw - W) + 1))
        oy = int(rng.integers(min(0, nh - H), max(0, nh - H) + 1))
    canvas = np.full((H, W, 3), PAD_VALUE, np.uint8)
    sx0, sy0 = max(0, ox), max(0, oy)
    dx0, dy0 = max(0, -ox), max(0, -oy)
    cw, ch = min(nw - sx0, W - dx0), min(nh - sy0, H - dy0)
    canvas[dy0 : dy0 + ch, dx0 : dx0 + cw] = scaled[sy0 : sy0 + ch, sx0 : sx0 + cw]
    b[:, 0] -= ox
    b[:, 1] -= oy
    kept = []
    for x, y, bw, bh in b:
        x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + bw, W), min(y + bh, H)
        if x1 - x0 >= 3 and y1 - y0 >= 2 and (x1 - x0) * (y1 - y0) >= 0.5 * bw * bh:
            kept.append([x0, y0, x1 - x0, y1 - y0])
    canvas = _camera(canvas, rng)
    kb = np.array(kept, np.float32).reshape(-1, 4)
    if rng.random() < 0.5:
        canvas = canvas[:, ::-1]
        kb[:, 0] = W - kb[:, 0] - kb[:, 2]
    return to_input(np.ascontiguousarray(canvas)), targets(kb)


def val_inputs(photos: list[Photo], root: str | Path, split: str = "val") -> tuple[np.ndarray, list[np.ndarray]]:
    """Validation inputs as the device makes them (letterbox of the full-size photo; uint8, x255) and
    the boxes in input pixels."""
    xs, boxes = [], []
    for name, bx in sorted(read_boxes(root, split).items())[: len(photos)]:
        bgr = cv2.imread(str(Path(root) / "images" / name), cv2.IMREAD_COLOR)
        x, fit = letterbox(bgr)
        b = np.array(bx, np.float32)
        b[:, :2] = b[:, :2] * fit.scale + [fit.pad_x, fit.pad_y]
        b[:, 2:] *= fit.scale
        xs.append(np.round(x * 255.0).astype(np.uint8))
        boxes.append(b)
    return np.stack(xs), boxes
