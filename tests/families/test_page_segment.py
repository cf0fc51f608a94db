"""Page segmentation: light, skew, orientation and non-text removal -> lines -> the reader's chunks."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from edge_app.families.page.preprocess import print_line_input
from edge_app.families.page.reader import join_hyphenated
from edge_app.families.page.segment import segment_page
from edge_app.families.page.spec import PRINT_SIZE
from tests.conftest import page_photo


@pytest.fixture(scope="module")
def page():
    return page_photo()


def test_lines_of_a_photographed_page_come_back_top_to_bottom(page):
    image, lines = page
    layout = segment_page(image)
    assert len(layout.lines) == len(lines)
    tops = [ln.box[1] for ln in layout.lines]
    assert tops == sorted(tops)
    assert not layout.upside_down and abs(layout.angle) <= 4
    for ln in layout.lines:
        assert ln.chunks and all(c.input.shape == PRINT_SIZE and c.input.max() == 1.0 for c in ln.chunks)


def test_a_skewed_page_is_levelled(page):
    image, lines = page
    h, w = image.shape[:2]
    base = segment_page(image).angle
    tilted = cv2.warpAffine(image, cv2.getRotationMatrix2D((w / 2, h / 2), 5.0, 1.0), (w, h),
                            borderMode=cv2.BORDER_REPLICATE)
    layout = segment_page(tilted)
    assert layout.angle == pytest.approx(base - 5.0, abs=0.5)
    assert len(layout.lines) == len(lines)


def test_an_upside_down_page_is_turned_and_boxes_map_back(page):
    image, lines = page
    upright = segment_page(image)
    layout = segment_page(cv2.rotate(image, cv2.ROTATE_180))
    assert layout.upside_down and any("upside down" in n for n in layout.notes)
    assert len(layout.lines) == len(lines)
    h, w = image.shape[:2]
    # the first line (the running head) of the turned page sits at the bottom of the input photo
    x, y, bw, bh = layout.input_box(layout.lines[0].box)
    ux, uy, ubw, ubh = upright.input_box(upright.lines[0].box)
    assert abs((y + bh / 2) - (h - (uy + ubh / 2))) < 10


def test_a_picture_on_the_page_is_not_read_as_text():
    image, lines = page_photo(seed=5, picture=True)
    layout = segment_page(image)
    assert len(layout.lines) == len(lines)


@pytest.mark.parametrize("kind", ["blank", "noise", "picture", "black"])
def test_pages_without_text_give_no_lines_and_say_so(kind):
    rng = np.random.default_rng(0)
    if kind == "blank":
        img = np.full((1200, 900, 3), (200, 220, 235), np.uint8)
    elif kind == "noise":
        img = np.clip(rng.normal(200, 4, (1200, 900)), 0, 255).astype(np.uint8)
    elif kind == "black":
        img = np.zeros((800, 600), np.uint8)
    else:  # one big illustration: shapes and hatching filling the page
        img = np.full((1200, 900), 230, np.uint8)
        for _ in range(12):
            c = (int(rng.integers(100, 800)), int(rng.integers(100, 1100)))
            cv2.ellipse(img, c, (int(rng.integers(80, 300)), int(rng.integers(80, 300))), 0, 0, 360,
                        int(rng.integers(20, 200)), -1)
        img[:, ::7] //= 2
        cv2.rectangle(img, (60, 60), (840, 1140), 0, 6)
    layout = segment_page(img)
    assert layout.lines == [] and layout.notes


def test_a_huge_photo_is_shrunk_and_boxes_stay_in_its_coordinates(page):
    image, lines = page
    big = cv2.resize(image, None, fx=4, fy=4, interpolation=cv2.INTER_LINEAR)
    layout = segment_page(big)
    assert len(layout.lines) == len(lines)
    x, y, w, h = layout.input_box(layout.lines[-1].box)
    assert 0 <= x < big.shape[1] and big.shape[0] / 2 < y < big.shape[0]


def test_a_line_crop_gives_what_training_gave():
    """One preprocessing: a line photo's input is the training input of that photo."""
    from train.data.printed import book_fonts, print_photo, render_line

    font = book_fonts("train")[0]
    rng = np.random.default_rng(2)
    img = print_photo(render_line("A printed line, with a comma.", font, 32), rng, 32)
    x = print_line_input(img)
    assert x.shape == PRINT_SIZE and x.max() == 1.0
    ys, xs = np.nonzero(x > 0.5)
    assert ys.min() >= 1 and ys.max() <= PRINT_SIZE[0] - 2 and xs.min() <= 4


def test_dehyphenate_joins_words_broken_across_lines():
    assert join_hyphenated(["the exam-", "ple is here", "well-", "Known"]) == ["the example", "is here", "well-",
                                                                         "Known"]
    assert join_hyphenated(["a single-", "word"]) == ["a singleword"]
    assert join_hyphenated(["no hyphen", "here"]) == ["no hyphen", "here"]


def _letters(words: list[int], height: int = 20) -> np.ndarray:
    """A line's mask: words of so many 8 px letters 2 px apart, 7 px between words."""
    cols = []
    for n in words:
        cols += ([1] * 8 + [0] * 2) * n + [0] * 5
    return np.repeat(np.array(cols, bool)[None, :], height, 0)


def test_a_line_too_wide_for_the_reader_is_cut_in_word_gaps_not_squeezed():
    from edge_app.families.page.segment import _pieces

    mask = _letters([5, 3, 7, 4, 6, 2, 5, 8, 3, 6, 4, 5, 7, 6, 4, 9])  # 84 letters, 20 px high: 2.5 inputs wide
    pieces = _pieces(mask)
    assert len(pieces) == 3 and pieces[0][0] == 0 and pieces[-1][1] == mask.shape[1]
    for _, c1 in pieces[:-1]:
        assert not mask[:, c1 - 3 : c1 + 4].any()  # the middle of a 7 px word gap
    fits = _letters([5, 3, 7])
    assert _pieces(fits) == [(0, fits.shape[1])]
    apart = np.zeros((20, 1200), bool)
    apart[:, :300] = apart[:, 900:] = _letters([30])[:, :300]  # two runs of letters far apart
    pieces = _pieces(apart)
    assert len(pieces) >= 2 and all(apart[:, a:b].any() for a, b in pieces)


def test_big_letters_among_specks_are_no_pictures_and_a_picture_is():
    from edge_app.families.page.segment import _pictures

    rng = np.random.default_rng(0)
    rows = [[0, 0, 1800, 1150, 1]]  # the background
    rows += [[int(x), int(y), 14, 16, int(a)] for x, y, a in rng.uniform(50, 1000, (300, 3))[:, :3] * [1, 1, 0.1]]
    # ... the grain of a shadow: 300 specks 16 px high
    rows += [[100 + 80 * i, 300, 60, 90, 1700] for i in range(20)]  # capitals and ascenders of big print
    rows += [[1100, 600, 600, 450, 200000]]  # a photo on the page
    boxes = _pictures(np.array(rows, np.int32), letter=16.0, shape=(1150, 1800))
    assert boxes == [(1100, 600, 600, 450)]
