"""Capture stage for files: decode an image safely into a uint8 array.

Refuses empty, non-image, tiny and huge files with a clear message, and turns every
mode (gray, BGR, BGRA, 16-bit, float) into 8-bit gray or BGR.
"""

from __future__ import annotations

import os
import re
import struct
import sys
from pathlib import Path

import numpy as np

from .errors import EdgeOCRError

MAX_PIXELS = 50_000_000
MIN_SIDE = 8

# OpenCV checks this limit from the header before it allocates; our own header parser below
# gives the friendlier message for the common formats.
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_PIXELS))
import cv2  # noqa: E402

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm", ".pbm"}


def header_size(data: bytes) -> tuple[int, int] | None:
    """Return (width, height) from a PNG, JPEG, BMP or GIF header without decoding, or None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return w, h
    if data[:2] == b"BM" and len(data) >= 26:
        w, h = struct.unpack("<ii", data[18:26])
        return abs(w), abs(h)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        w, h = struct.unpack("<HH", data[6:10])
        return w, h
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                i += 1 if marker == 0xFF else 2
                continue
            seg_len = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return w, h
            i += 2 + seg_len
    return None


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Convert any decoded image to uint8 gray (H, W) or BGR (H, W, 3); alpha is composited on white."""
    img = np.asarray(image)
    if img.size == 0:
        raise EdgeOCRError("image is empty")
    if img.dtype == np.uint16:
        img = (img >> 8).astype(np.uint8)
    elif img.dtype in (np.float32, np.float64):
        finite = np.nan_to_num(img.astype(np.float32), nan=0.0, posinf=1.0, neginf=0.0)
        scale = 255.0 if finite.max(initial=0.0) <= 1.0 else 1.0
        img = np.clip(finite * scale, 0, 255).astype(np.uint8)
    elif img.dtype == bool:
        img = img.astype(np.uint8) * 255
    elif img.dtype != np.uint8:
        raise EdgeOCRError(f"unsupported pixel type {img.dtype}; expected 8- or 16-bit integers or floats")
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[:, :, 0]
    if img.ndim == 3 and img.shape[2] == 4:
        alpha = img[:, :, 3:4].astype(np.float32) / 255.0
        img = (img[:, :, :3].astype(np.float32) * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)
    if img.ndim == 3 and img.shape[2] == 2:  # gray + alpha
        alpha = img[:, :, 1].astype(np.float32) / 255.0
        img = (img[:, :, 0].astype(np.float32) * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] != 3):
        raise EdgeOCRError(f"unsupported image shape {tuple(image.shape)}")
    return np.ascontiguousarray(img)


def check_size(width: int, height: int) -> None:
    """Refuse images too small to hold a character or too large to decode on a device."""
    if width * height > MAX_PIXELS:
        raise EdgeOCRError(
            f"image is {width}x{height} ({width * height / 1e6:.0f} MP), over the {MAX_PIXELS // 1_000_000} MP limit"
        )
    if min(width, height) < MIN_SIDE:
        raise EdgeOCRError(f"image is {width}x{height}, too small to read (at least {MIN_SIDE}x{MIN_SIDE})")


def decode_image(data: bytes) -> np.ndarray:
    """Decode encoded image bytes (PNG, JPEG, ...) into uint8 gray or BGR, with all checks."""
    if len(data) == 0:
        raise EdgeOCRError("file is empty")
    size = header_size(data)
    if size is not None:
        check_size(*size)
    buf = np.frombuffer(data, dtype=np.uint8)
    try:
        img = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    except cv2.error as exc:  # raised for images over OPENCV_IO_MAX_IMAGE_PIXELS
        raise EdgeOCRError(f"cannot decode image ({str(exc).strip().splitlines()[-1]})") from None
    if img is None:
        raise EdgeOCRError("not an image, or a corrupt one (could not decode)")
    img = to_uint8(img)
    check_size(img.shape[1], img.shape[0])
    return img


def load_image(path: str | os.PathLike) -> np.ndarray:
    """Read and decode an image file; every failure is an :class:`EdgeOCRError` naming the file."""
    p = Path(path)
    if not p.exists():
        raise EdgeOCRError(f"{p}: no such file")
    if p.is_dir():
        raise EdgeOCRError(f"{p}: is a directory")
    try:
        with open(p, "rb") as f:
            head = f.read(64 * 1024)
            size = header_size(head)
            if size is not None:
                check_size(*size)
            data = head + f.read()
    except OSError as exc:
        raise EdgeOCRError(f"{p}: {exc.strerror or exc}") from None
    except EdgeOCRError as exc:
        raise EdgeOCRError(f"{p}: {exc}") from None
    try:
        return decode_image(data)
    except EdgeOCRError as exc:
        raise EdgeOCRError(f"{p}: {exc}") from None


STDIN = "-"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def collect_inputs(paths: list[str]) -> tuple[list[Path], list[Path]]:
    """Files to read from the command line's paths, and the files skipped in directories.

    A directory gives its images, recursively and sorted; its other files are returned as skipped
    so the caller can say so. ``-`` stands for one image on standard input. A URL is an error:
    edgeocr reads local files only.
    """
    files: list[Path] = []
    skipped: list[Path] = []
    for raw in paths:
        if _URL.match(raw):
            raise EdgeOCRError(f"edgeocr reads local files; download it first: {raw}")
        p = Path(raw)
        if raw != STDIN and p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith("."))
            files.extend(q for q in found if q.suffix.lower() in IMAGE_SUFFIXES)
            skipped.extend(q for q in found if q.suffix.lower() not in IMAGE_SUFFIXES)
        else:
            files.append(p)
    if sum(str(f) == STDIN for f in files) > 1:
        raise EdgeOCRError("standard input ('-') can be read only once")
    return files, skipped


def read_input(path: Path) -> np.ndarray:
    """:func:`load_image`, or decode standard input's bytes when ``path`` is ``-``."""
    if str(path) == STDIN:
        try:
            return decode_image(sys.stdin.buffer.read())
        except EdgeOCRError as exc:
            raise EdgeOCRError(f"standard input: {exc}") from None
    return load_image(path)


def check_frame(image: np.ndarray) -> np.ndarray:
    """Validate a frame handed to the API (a camera or video frame): uint8 gray/BGR/BGRA, sane size."""
    if not isinstance(image, np.ndarray):
        raise EdgeOCRError(f"a frame must be a numpy array, not {type(image).__name__}")
    if image.dtype != np.uint8:
        raise EdgeOCRError(f"a frame must be uint8, not {image.dtype} (convert with edge_app.images.to_uint8)")
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (1, 3, 4)):
        raise EdgeOCRError(f"a frame must be HxW, HxWx3 or HxWx4, not shape {image.shape}")
    if min(image.shape[:2]) < 8:
        raise EdgeOCRError(f"frame of {image.shape[1]}x{image.shape[0]} px is too small to read")
    if image.ndim == 3 and image.shape[2] == 1:
        return image[..., 0]
    if image.ndim == 3 and image.shape[2] == 4:
        return image[..., :3]
    return image
