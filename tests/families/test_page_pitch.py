"""Fixed-pitch print (a till receipt): spaces come from the character grid, not from the gaps around
narrow characters; book print is left as the model reads it."""

from __future__ import annotations

import re

import cv2
import numpy as np
import pytest

from edge_app.families.page.pitch import grid_fit, page_pitch, respace
from edge_app.families.page.reader import PageReader
from edge_app.families.page.segment import segment_page
from tests.conftest import text_card

ROWS = [("MILK AND EGGS", "1.19"), ("WHITE BREAD", "12.49"), ("COFFEE BEANS", "8.91"), ("LIME JUICE", "3.20"),
        ("HAND SOAP", "11.75"), ("TOTAL", "37.54")]
COLS, CELL = 24, 27  # characters per row, cell width (px)


def fixed_pitch_receipt() -> np.ndarray:
    """A receipt as a till prints it: every character centred in a cell of the same width, the price
    right-aligned, so 1, I and . stand in wide gaps."""
    img = np.full((70 * len(ROWS) + 80, COLS * CELL + 80), 240, np.uint8)
    for i, (name, price) in enumerate(ROWS):
        row = name + " " * (COLS - len(name) - len(price)) + price
        for j, ch in enumerate(row):
            (w, _), _ = cv2.getTextSize(ch, cv2.FONT_HERSHEY_SIMPLEX, 1.3, 1)
            cv2.putText(img, ch, (40 + j * CELL + (CELL - w) // 2, 80 + 70 * i), cv2.FONT_HERSHEY_SIMPLEX, 1.3,
                        25, 1, cv2.LINE_AA)
    return img


@pytest.fixture(scope="module")
def reader():
    return PageReader(num_threads=2)


def test_centres_on_a_grid_fit_it_and_book_like_ones_do_not():
    rng = np.random.default_rng(0)
    on = 7.0 + 27.0 * np.array([0, 1, 2, 3, 5, 6, 7, 8, 9, 12, 13, 14]) + rng.normal(0, 0.8, 12)
    pitch, phase, fit = grid_fit(on)
    assert fit > 0.97 and abs(pitch - 27.0) < 0.5 and min(abs(phase - 7.0), 27 - abs(phase - 7.0)) < 1.5
    proportional = np.cumsum(rng.uniform(12, 34, 14))  # letters of different widths
    assert grid_fit(proportional)[2] < 0.9
    assert grid_fit(on[:3]) == (0.0, 0.0, 0.0)


def test_respace_puts_spaces_where_cells_are_empty_of_ink():
    pitch, stride = 28.0, 4
    inp = np.zeros((32, 512), np.float32)
    spans = []
    for ch, cell in zip("AB.CD?E", [0, 1, 2, 4, 5, 6, 7]):  # cell 3 is empty; the reader drops cell 6's ink
        x = int(10 + cell * pitch)
        inp[8:24, x - 5 : x + 5] = 1.0
        t = round(x / stride - 0.5)
        if ch != "?":
            spans.append((ch, t, t, 0.9))
        if ch in ".B":  # the reader's false spaces after the narrow '.' and the 'B'
            spans.append((" ", t + 2, t + 2, 0.8))
    assert "".join(s[0] for s in respace(spans, inp, pitch, stride)) == "AB. CDE"


def test_a_fixed_pitch_receipt_reads_its_prices_and_words_whole(reader):
    result = reader.read(fixed_pitch_receipt(), paper="off")
    got = result.text.split("\n")
    assert len(got) == len(ROWS)
    spaced = [len(line.split()) == len(f"{name} {price}".split()) and re.fullmatch(r"\d+\.\d\d", line.split()[-1])
              for line, (name, price) in zip(got, ROWS)]  # the spacing; the letters are the model's
    assert all(spaced), got
    layout = segment_page(fixed_pitch_receipt())
    assert page_pitch([(c.input, c.sx) for ln in layout.lines for c in ln.chunks]) == pytest.approx(CELL, rel=0.05)


def test_book_print_is_not_taken_for_fixed_pitch():
    layout = segment_page(text_card())
    assert page_pitch([(c.input, c.sx) for ln in layout.lines for c in ln.chunks]) is None
