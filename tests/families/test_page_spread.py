"""Issue 15: a photo of an open book's two-page spread is read in reading order, the left page's lines top to
bottom, then the right page's; one page (with or without a strip of the facing page) is never split."""

from __future__ import annotations

import numpy as np
import pytest

from bench.book_photo import book_photo, spread_photo
from bench.page_bench import normalise
from edge_app.families.page.reader import PageReader
from edge_app.families.page.segment import segment_page
from edge_app.families.page.spread import gutter
from edge_app.text_metrics import cer
from edge_app.textlines import Blob
from tests.conftest import page_photo

SPREAD_NOTE = "two pages side by side"
LETTER = 20  # px: the letter height of the synthetic lines below


@pytest.fixture(scope="module")
def reader():
    return PageReader(num_threads=2)


def _distinctive(page: list[str], other: list[str]) -> str:
    """The longest word of the page's first text line (after its running head) found nowhere on the other."""
    words = [w.strip(".,;:!?\u201c\u201d\u2018\u2019\"'") for w in page[1].split()]
    theirs = " ".join(other)
    return max((w for w in words if w.isalpha() and w not in theirs), key=len)


@pytest.mark.parametrize("seed, table", [(0, True), (1, True), (2, False)])
def test_a_spread_is_read_left_page_then_right_page(reader, seed, table):
    # seed 0: the paper found is the whole book; seed 1: each page found alone (the gutter's shadow parts
    # them), the two taken together; seed 2: the pages fill the photo, no paper found
    image, left, right = spread_photo(seed, table=table)
    result = reader.read(image)
    lines = result.text.split("\n")
    assert len(lines) == len(left) + len(right)
    got_left, got_right = lines[: len(left)], lines[len(left) :]
    assert cer([normalise(" ".join(left))], [normalise(" ".join(got_left))]) < 0.1  # curled line ends misread
    assert cer([normalise(" ".join(right))], [normalise(" ".join(got_right))]) < 0.1
    word_l, word_r = _distinctive(left, right), _distinctive(right, left)
    assert word_l in " ".join(got_left) and word_l not in " ".join(got_right)
    assert word_r in " ".join(got_right) and word_r not in " ".join(got_left)
    assert any(SPREAD_NOTE in n for n in result.notes)


def test_both_pages_found_apart_are_cropped_as_one_spread(reader):
    image, _, _ = spread_photo(1)  # the gutter's shadow parts the pages: each is a paper on its own
    result = reader.read(image)
    xs = [x for x, _ in result.paper]
    assert max(xs) - min(xs) > 0.85 * image.shape[1]
    assert any("two facing pages" in n for n in result.notes)


@pytest.mark.parametrize("photo", ["page", "book"])
def test_one_page_is_not_split(photo):
    image, truth = page_photo() if photo == "page" else book_photo(1)  # book: a strip of the facing page
    layout = segment_page(image)
    assert len(layout.lines) == len(truth)
    assert not any(SPREAD_NOTE in n for n in layout.notes)


def _block(x0: int, width: int, rows: int) -> list[list[Blob]]:
    """Justified lines of words (5 letters wide, about half a letter apart) from ``x0`` across ``width`` px."""
    count = round((width + LETTER / 2) / (5.5 * LETTER))
    starts = np.linspace(x0, x0 + width - 5 * LETTER, count).round().astype(int)
    return [[Blob(0, (int(x), r * 2 * LETTER, int(x) + 5 * LETTER, r * 2 * LETTER + LETTER)) for x in starts]
            for r in range(rows)]


def _lines(*blocks: list[list[Blob]]) -> list:
    """Line parts (box, words, marks) of blocks set side by side, row by row chained into one line."""
    rows = [sum((b[r] for b in blocks if r < len(b)), []) for r in range(max(len(b) for b in blocks))]
    return [((0, 0, 0, 0), ws, []) for ws in rows]


def test_the_gutter_is_the_empty_band_between_two_pages_of_comparable_width():
    spread = _lines(_block(0, 900, 20), _block(1100, 850, 20))
    x = gutter(spread, LETTER)
    assert x is not None and 900 <= x <= 1100
    assert gutter(_lines(_block(0, 900, 20)), LETTER) is None  # one page
    assert gutter(_lines(_block(0, 900, 20), _block(1100, 300, 20)), LETTER) is None  # a facing page's strip
    assert gutter(_lines(_block(0, 900, 20), _block(960, 900, 20)), LETTER) is None  # columns 3 letters apart
    assert gutter(_lines(_block(0, 900, 20), _block(1100, 850, 3)), LETTER) is None  # three lines beside a page
    heading = [Blob(0, (400, -60, 1500, -40))]
    assert gutter(spread + [((0, 0, 0, 0), heading, [])] * 3, LETTER) is None  # words across the band
