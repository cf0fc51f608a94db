"""Whole-photo test scenes for the plate finder: a plate on a car in a street-like 1280x720 frame.

Backgrounds have buildings, windows, road lines, signs with words and numbers (look-alikes for the
finder), light gradients, blur, noise and JPEG. The plate is any BGR plate image: a synthetic one
from :func:`train.data.plate_render.render_plate`, or a real crop for evaluation.
"""

from __future__ import annotations

import cv2
import numpy as np

from .fonts import render_text

SCENE_SIZE = (720, 1280)  # height, width
SIGN_WORDS = ["PARKING", "EXIT 12", "SALE", "OPEN 24H", "STOP", "ONE WAY", "BUS", "TAXI", "HOTEL", "CAFE",
              "NO ENTRY", "SPEED 30", "PHARMACY", "BANK", "ROUTE 66", "P 2H", "OUTLET", "TEL 5551234"]


def _color(rng: np.random.Generator, lo: int = 0, hi: int = 255) -> tuple[float, float, float]:
    return tuple(float(v) for v in rng.uniform(lo, hi, 3))


def _street(rng: np.random.Generator, fonts: list) -> np.ndarray:
    H, W = SCENE_SIZE
    img = np.empty((H, W, 3), np.float32)
    t = np.linspace(0, 1, H, dtype=np.float32)[:, None, None]
    img[:] = np.array(_color(rng, 90, 230)) * (1 - t) + np.array(_color(rng, 30, 150)) * t
    for _ in range(int(rng.integers(3, 9))):  # buildings with windows
        x, w = int(rng.integers(-100, W)), int(rng.integers(120, 500))
        y = int(rng.integers(0, H // 2))
        cv2.rectangle(img, (x, y), (x + w, H), _color(rng, 40, 220), -1)
        win = _color(rng, 20, 240)
        step = int(rng.integers(25, 60))
        for wy in range(y + 15, H - 100, step):
            for wx in range(x + 10, x + w - 20, step):
                cv2.rectangle(img, (wx, wy), (wx + step // 2, wy + step // 2), win, -1)
    road = int(H * rng.uniform(0.55, 0.8))
    cv2.rectangle(img, (0, road), (W, H), _color(rng, 40, 120), -1)
    for x in range(int(rng.integers(0, 100)), W, 220):
        cv2.rectangle(img, (x, road + 60), (x + 110, road + 72), (230, 230, 230), -1)
    for _ in range(int(rng.integers(1, 5))):  # signs: words and numbers the finder must not read as plates
        font = fonts[int(rng.integers(len(fonts)))]
        ink = render_text(str(rng.choice(SIGN_WORDS)), font, size=int(rng.integers(18, 60)))
        if ink is None:
            continue
        h, w = ink.shape
        x, y = int(rng.integers(0, max(1, W - w))), int(rng.integers(0, max(1, road - h)))
        bg, fg = np.array(_color(rng)), np.array(_color(rng))
        img[y : y + h, x : x + w] = bg * (1 - ink[..., None]) + fg * ink[..., None]
    return img


def _car(img: np.ndarray, plate_w: int, rng: np.random.Generator) -> tuple[int, int]:
    """Draw a car rear around where the plate goes; returns the plate centre."""
    H, W = SCENE_SIZE
    cw = int(plate_w * rng.uniform(3.5, 5.0))
    ch = int(cw * rng.uniform(0.45, 0.65))
    cx = int(rng.uniform(cw * 0.3, W - cw * 0.3))
    cy = int(rng.uniform(H * 0.45, H - ch * 0.25))
    body = _color(rng, 10, 240)
    cv2.rectangle(img, (cx - cw // 2, cy - ch // 2), (cx + cw // 2, cy + ch // 2), body, -1)
    cv2.rectangle(img, (cx - cw // 3, cy - ch // 2 - ch // 3), (cx + cw // 3, cy - ch // 2), (40, 40, 50), -1)
    for sx in (-1, 1):
        cv2.ellipse(img, (cx + sx * cw * 2 // 5, cy - ch // 6), (cw // 12, ch // 10), 0, 0, 360, (40, 40, 220), -1)
    cv2.rectangle(img, (cx - cw // 2, cy + ch // 4), (cx + cw // 2, cy + ch // 2), tuple(v * 0.5 for v in body), -1)
    return cx, cy + int(ch * rng.uniform(0.05, 0.2))


def compose_scene(rng: np.random.Generator, plate: np.ndarray | None, fonts: list,
                  plate_width: tuple[int, int] = (90, 320)) -> tuple[np.ndarray, list[int] | None]:
    """A 1280x720 BGR scene and the plate's box [x, y, w, h] (None when ``plate`` is None)."""
    H, W = SCENE_SIZE
    img = _street(rng, fonts)
    box = None
    pw = int(rng.uniform(*plate_width))
    cx, cy = _car(img, pw, rng)
    if plate is not None:
        ph0, pw0 = plate.shape[:2]
        ph = int(pw * ph0 / pw0)
        src = np.float32([[0, 0], [pw0, 0], [pw0, ph0], [0, ph0]])
        t = np.deg2rad(float(np.clip(rng.normal(0, 4), -12, 12)))
        rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]], np.float32)
        corners = np.float32([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]])
        corners = corners @ rot.T + rng.normal(0, 0.03, (4, 2)) * [pw, ph]
        corners[:, 0] = np.clip(corners[:, 0] + cx, 1, W - 2)
        corners[:, 1] = np.clip(corners[:, 1] + cy, 1, H - 2)
        m = cv2.getPerspectiveTransform(src, corners.astype(np.float32))
        warped = cv2.warpPerspective(plate.astype(np.float32), m, (W, H), flags=cv2.INTER_AREA)
        mask = cv2.warpPerspective(np.ones((ph0, pw0), np.float32), m, (W, H))[..., None]
        img = img * (1 - mask) + warped * mask
        x0, y0 = corners.min(0)
        x1, y1 = corners.max(0)
        box = [int(x0), int(y0), int(x1 - x0), int(y1 - y0)]
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    light = 1 + rng.uniform(-0.3, 0.3) * (xx / W - 0.5) + rng.uniform(-0.3, 0.3) * (yy / H - 0.5)
    img = img * light[..., None] * rng.uniform(0.5, 1.1)
    if rng.random() < 0.4:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.5))
    img = np.clip(img + rng.normal(0, rng.uniform(1, 6), img.shape), 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(60, 95))])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR), box
