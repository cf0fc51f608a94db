"""Capture stage: every kind of file a user may hand us."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np
import pytest

from edge_app.errors import EdgeOCRError
from edge_app.images import MAX_PIXELS, decode_image, header_size, load_image, to_uint8


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims ``width`` x ``height`` with almost no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF))


def test_empty_file_is_refused(tmp_path):
    p = tmp_path / "empty.png"
    p.write_bytes(b"")
    with pytest.raises(EdgeOCRError, match="empty"):
        load_image(p)


def test_text_file_is_not_an_image(tmp_path):
    p = tmp_path / "notes.png"
    p.write_text("hello, not pixels")
    with pytest.raises(EdgeOCRError, match="not an image"):
        load_image(p)


def test_truncated_png_is_corrupt(tmp_path, write_png):
    good = write_png("good.png", np.full((64, 64), 200, np.uint8)).read_bytes()
    p = tmp_path / "cut.png"
    p.write_bytes(good[:40])
    with pytest.raises(EdgeOCRError):
        load_image(p)


def test_one_pixel_image_is_too_small(write_png):
    with pytest.raises(EdgeOCRError, match="too small"):
        load_image(write_png("dot.png", np.zeros((1, 1), np.uint8)))


def test_huge_image_is_refused_from_its_header(tmp_path):
    p = tmp_path / "huge.png"
    p.write_bytes(png_header_only(10_000, 8_000))
    assert header_size(p.read_bytes()) == (10_000, 8_000)
    with pytest.raises(EdgeOCRError, match="MP limit"):
        load_image(p)


def test_huge_jpeg_header_is_read():
    img = np.zeros((40, 30, 3), np.uint8)
    ok, buf = cv2.imencode(".jpg", img)
    assert ok and header_size(buf.tobytes()) == (30, 40)


def test_missing_file_names_it(tmp_path):
    with pytest.raises(EdgeOCRError, match="nope.png"):
        load_image(tmp_path / "nope.png")


@pytest.mark.parametrize(
    "image, expect_ndim",
    [
        (np.full((32, 32), 128, np.uint8), 2),
        (np.full((32, 32, 3), 128, np.uint8), 3),
        (np.dstack([np.full((32, 32, 3), 128, np.uint8), np.full((32, 32), 255, np.uint8)]), 3),
        (np.full((32, 32), 40000, np.uint16), 2),
        (np.full((32, 32, 3), 40000, np.uint16), 3),
    ],
    ids=["gray", "bgr", "bgra", "gray16", "bgr16"],
)
def test_modes_decode_to_uint8(write_png, image, expect_ndim):
    out = load_image(write_png("m.png", image))
    assert out.dtype == np.uint8 and out.ndim == expect_ndim
    assert abs(int(out.mean()) - (156 if image.dtype == np.uint16 else 128)) <= 1


def test_transparent_pixels_become_white():
    rgba = np.zeros((16, 16, 4), np.uint8)  # fully transparent black
    assert to_uint8(rgba).min() == 255


def test_float_and_bad_dtypes():
    assert to_uint8(np.full((10, 10), 0.5, np.float32)).max() == 127
    with pytest.raises(EdgeOCRError, match="unsupported"):
        to_uint8(np.zeros((10, 10), np.complex64))


def test_decode_bytes_limit_is_50_megapixels():
    assert MAX_PIXELS == 50_000_000
    with pytest.raises(EdgeOCRError, match="empty"):
        decode_image(b"")
