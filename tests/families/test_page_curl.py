"""A line bent by the page's curl near the gutter is straightened before it is read."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from bench.page_bench import normalise
from edge_app.families.page import segment
from edge_app.families.page.curl import straighten, word_band
from edge_app.families.page.reader import PageReader
from edge_app.text_metrics import cer


def _word_row(rises: list[int]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """A line's ink: words as blocks with an x-height band and ascenders, each ``rise`` px higher."""
    crop = np.zeros((60, 60 * len(rises)), np.float32)
    words = []
    for i, rise in enumerate(rises):
        x0 = 60 * i + 5
        crop[25 - rise : 40 - rise, x0 : x0 + 45] = 1.0  # the x-height band
        crop[15 - rise : 25 - rise, x0 : x0 + 4] = 1.0  # an ascender
        words.append((x0, x0 + 45))
    return crop, words


def test_a_bent_line_is_levelled_and_a_level_one_left_as_it_was():
    crop, words = _word_row([0, 0, 0, 3, 8, 14])
    lines = [word_band(straighten(crop, words, letter=20.0), a, b) for a, b in words]
    assert max(lines) - min(lines) <= 1.0
    level, words = _word_row([0, 1, 0, 1, 0, 1])
    assert straighten(level, words, letter=20.0) is level


def _curled(gray: np.ndarray, lift: float) -> np.ndarray:
    """The page with the right part of its lines bent up by up to ``lift`` px (curving into the gutter)."""
    h, w = gray.shape[:2]
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    near = np.clip((xs / w - 0.5) / 0.4, 0, 1)
    return cv2.remap(gray, xs, ys + lift * near**2, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


@pytest.fixture(scope="module")
def reader():
    return PageReader(num_threads=2)


def test_a_curled_page_reads_with_a_third_of_the_errors_it_had_bent(reader, monkeypatch):
    from train.data.book_page import typeset
    from train.data.printed import book_fonts
    from train.data.prose import paragraphs

    rng = np.random.default_rng(5)
    page = typeset(paragraphs("eval")[40:60], book_fonts("eval")[0], rng)
    flat = (235 * (1 - 0.85 * page.ink)).astype(np.uint8)
    photo = _curled(flat, lift=0.02 * flat.shape[0])  # the right part of each line rises by up to a line
    truth = [normalise("\n".join(page.lines))]
    straightened = cer(truth, [normalise(reader.read(photo, paper="off").text)])
    monkeypatch.setattr(segment, "straighten", lambda crop, words, letter: crop)
    bent = cer(truth, [normalise(reader.read(photo, paper="off").text)])
    assert straightened < 0.02 and straightened < bent / 3
