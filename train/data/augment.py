"""Camera-like augmentation of rendered ink: stroke width, elastic, affine, paper, light, noise.

Each function takes and returns float32 ink in [0, 1], white on black, except :func:`photograph`,
which puts ink on a paper-like background and returns a uint8 grayscale "photo" for the device's
own preprocessing to undo.
"""

from __future__ import annotations

import cv2
import numpy as np


def stroke_width(ink: np.ndarray, rng: np.random.Generator, max_px: int = 3) -> np.ndarray:
    """Thicken or thin the strokes by up to ``max_px`` pixels."""
    k = int(rng.integers(-max_px // 2, max_px + 1))
    if k == 0:
        return ink
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (abs(k) + 1, abs(k) + 1))
    out = cv2.dilate(ink, kernel) if k > 0 else cv2.erode(ink, kernel)
    return out if out.max() > 0.2 else ink


def elastic(ink: np.ndarray, rng: np.random.Generator, alpha: float = 0.06, sigma: float = 0.12) -> np.ndarray:
    """Smooth random displacement (Simard et al.), scaled to the image size."""
    h, w = ink.shape
    s = max(h, w)
    dx = cv2.GaussianBlur(rng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma * s)
    dy = cv2.GaussianBlur(rng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma * s)
    norm = max(np.abs(dx).max(), np.abs(dy).max(), 1e-6)
    a = alpha * s * rng.uniform(0.3, 1.0)
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(ink, xs + dx / norm * a, ys + dy / norm * a, cv2.INTER_LINEAR, borderValue=0)


def affine(ink: np.ndarray, rng: np.random.Generator, rot: float = 12, shear: float = 0.25,
           scale: tuple[float, float] = (0.8, 1.2)) -> np.ndarray:
    """Random rotation, shear and anisotropic scale, with the canvas grown so nothing is cut."""
    h, w = ink.shape
    pad = max(h, w) // 3
    ink = cv2.copyMakeBorder(ink, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
    h, w = ink.shape
    t = np.deg2rad(rng.uniform(-rot, rot))
    sh = rng.uniform(-shear, shear)
    sx, sy = rng.uniform(*scale), rng.uniform(*scale)
    m = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]) @ np.array([[1, sh], [0, 1]]) @ np.diag([sx, sy])
    c = np.array([w / 2, h / 2])
    mat = np.hstack([m, (c - m @ c)[:, None]]).astype(np.float32)
    return cv2.warpAffine(ink, mat, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)


def frame_ink(ink: np.ndarray, rng: np.random.Generator, margin: tuple[float, float],
              height: tuple[float, float]) -> np.ndarray:
    """Crop float ink to its box, add random margins (shares of its height, drawn from ``margin``)
    and scale it so the ink's box is a random ``height`` px tall: how a camera frames a word or line."""
    ys, xs = np.nonzero(ink > 0.3)
    if len(ys):
        ink = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    ink_h = ink.shape[0]
    m = (rng.uniform(*margin, 4) * ink_h).astype(int)
    ink = cv2.copyMakeBorder(ink, m[0], m[1], m[2], m[3], cv2.BORDER_CONSTANT, value=0)
    scale = rng.uniform(*height) / ink_h
    return cv2.resize(ink, (max(8, round(ink.shape[1] * scale)), max(8, round(ink.shape[0] * scale))),
                      interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)


def paper(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A paper-like or plain background, float32 in [0, 255]: tint, gradient light, texture."""
    base = rng.uniform(110, 245)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gx, gy = rng.uniform(-0.25, 0.25, 2) * base / max(h, w)
    bg = base + gx * (xx - w / 2) + gy * (yy - h / 2)
    if rng.random() < 0.7:
        grain = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), rng.uniform(0.6, 3))
        bg += grain * rng.uniform(2, 10)
    if rng.random() < 0.1:  # a ruled line or page edge near the border
        y = int(rng.choice([rng.integers(0, max(1, h // 8)), rng.integers(h - max(1, h // 8), h)]))
        bg[max(0, y - 1) : y + 1, :] -= rng.uniform(20, 60)
    return bg


def photograph(ink: np.ndarray, rng: np.random.Generator, out_size: tuple[int, int] = (20, 64)) -> np.ndarray:
    """Put ink on paper, add margins, camera blur, noise and resolution loss; returns uint8 gray.

    ``out_size`` bounds the final character height in pixels, like a far or near camera.
    """
    h, w = ink.shape
    m = rng.uniform(0.05, 0.45, 4) * max(h, w)
    ink = cv2.copyMakeBorder(ink, int(m[0]), int(m[1]), int(m[2]), int(m[3]), cv2.BORDER_CONSTANT, value=0)
    h, w = ink.shape
    bg = paper(h, w, rng)
    contrast = rng.uniform(0.45, 0.95) * bg.mean()
    light_on_dark = rng.random() < 0.08
    img = bg + ink * contrast if light_on_dark else bg - ink * contrast
    target = rng.uniform(*out_size)
    scale = target / max(h, w) * rng.uniform(1.0, 1.8)
    img = cv2.resize(img, (max(8, round(w * scale)), max(8, round(h * scale))), interpolation=cv2.INTER_AREA)
    return camera(img, rng)


def camera(img: np.ndarray, rng: np.random.Generator, blur: float = 1.0, noise: float = 4.0) -> np.ndarray:
    """A camera's last steps on a float gray image: sometimes defocus (sigma up to ``blur``), sensor
    noise (sigma up to ``noise``), sometimes JPEG; returns uint8."""
    if rng.random() < 0.5:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, blur))
    img += rng.normal(0, rng.uniform(0, noise), img.shape).astype(np.float32)
    out = np.clip(img, 0, 255).astype(np.uint8)
    if rng.random() < 0.3:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(40, 90))])
        out = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    return out


def distort(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Stroke width, elastic and affine jitter, in the order a pen and a camera would add them."""
    ink = stroke_width(ink, rng)
    if rng.random() < 0.8:
        ink = elastic(ink, rng)
    return affine(ink, rng)
