"""Issue 15: phone photos of an open paperback (gutter, facing page, page edge, specks, curl), close lines,
cards, and junk: what the page pipeline must not turn into text."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from bench.book_photo import book_photo
from bench.page_bench import normalise
from edge_app.families.page.reader import PageReader
from edge_app.families.page.segment import segment_page
from edge_app.text_metrics import cer
from tests.conftest import text_card


@pytest.fixture(scope="module")
def reader():
    return PageReader(num_threads=2)


def test_a_paperback_photo_reads_without_stray_marks_at_line_ends(reader):
    image, truth = book_photo(1)  # the facing page's line ends just past the gutter, specks beside the lines
    result = reader.read(image)
    lines = result.text.split("\n")
    assert len(lines) == len(truth)
    for got, want in zip(lines, truth):
        assert got[-1] in want[-3:], (got, want)  # no speck, facing-page scrap or page edge read at its end
        assert got[0] in want[:3], (got, want)
    assert cer([normalise(result.text)], [normalise("\n".join(truth))]) < 0.02
    assert any("outside the text block" in n for n in result.notes)


def test_each_line_has_a_confidence_and_a_box(reader):
    image, truth = book_photo(1)
    result = reader.read(image)
    assert [ln["text"] for ln in result.lines] == result.text.split("\n")
    assert all(0.5 < ln["confidence"] <= 1 and len(ln["box"]) == 4 for ln in result.lines)
    assert "lines" in result.to_dict()


def _close_lines(lines: list[str], leading: float) -> np.ndarray:
    """Lines in a book face set ``leading`` x the font size apart (below 1: descenders touch ascenders)."""
    from PIL import Image, ImageDraw

    from train.data.fonts import _font
    from train.data.printed import book_fonts

    size = 40
    f = _font(str(book_fonts("eval")[0]), size)
    img = Image.new("L", (1100, int(size * (2 + leading * len(lines)))), 240)
    draw = ImageDraw.Draw(img)
    for i, text in enumerate(lines):
        draw.text((40, size * 1.3 + i * size * leading), text, font=f, fill=20, anchor="ls")
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_GRAY2BGR)


def test_two_lines_whose_letters_touch_stay_two_lines(reader):
    lines = ["A quiet day by the bay: gulls play, yachts sway", "and the old pier keeps its long, grey shadow"]
    image = _close_lines(lines, 0.72)
    rows = np.flatnonzero((cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) < 200).any(1))
    assert len(rows) == rows[-1] - rows[0] + 1  # no blank row between the lines: descenders reach the ascenders
    assert len(segment_page(image).lines) == 2
    got = reader.read(image, paper="off").text.split("\n")
    assert len(got) == 2 and cer([normalise(" ".join(lines))], [normalise(" ".join(got))]) < 0.1


@pytest.mark.parametrize("lines", [["The quick brown fox jumps", "over the lazy dog near", "Call 555 0199"],
                                   ["Call 555 0199 today", "Ask for Sam"], ["open 9 to 5"]])
def test_a_card_of_a_few_lines_is_not_turned(lines):
    layout = segment_page(text_card(lines))
    assert not layout.upside_down and len(layout.lines) == len(lines)


def test_a_paperback_photo_upside_down_is_still_turned(reader):
    image, truth = book_photo(3)
    result = reader.read(cv2.rotate(image, cv2.ROTATE_180))
    assert any("upside down" in n for n in result.notes)
    assert cer([normalise(result.text)], [normalise("\n".join(truth))]) < 0.03


def test_scribbles_only_give_no_text_and_say_why(reader):
    rng = np.random.default_rng(0)
    img = np.full((600, 800, 3), 235, np.uint8)
    for row in range(3):
        y, x = 150 + row * 120, 100 + int(rng.integers(0, 200))
        for _ in range(int(rng.integers(2, 4))):
            pts = rng.integers(-12, 12, (4, 2)) + [x, y]
            cv2.polylines(img, [pts.astype(np.int32)], False, (40, 40, 40), 2)
            x += int(rng.integers(60, 200))
    result = reader.read(img)
    assert result.text == "" and result.lines == []
    assert any("low confidence" in n for n in result.notes)
