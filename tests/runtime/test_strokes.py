"""Stroke input: touch strokes rendered into the character model's cell, and bad strokes refused."""

from __future__ import annotations

import math

import numpy as np
import pytest

from edge_app.errors import EdgeOCRError
from edge_app.families.char.reader import CharReader
from edge_app.strokes import strokes_to_cell, strokes_to_image


def seven(scale: float = 1.0, dx: float = 0.0) -> list[list[tuple[float, float]]]:
    """A hand-drawn 7: a top bar and a slanted stem (canvas pixels, y down)."""
    pts = [(20, 20), (80, 20), (45, 110)]
    return [[(x * scale + dx, y * scale) for x, y in pts]]


def test_a_drawn_seven_is_read_as_7():
    reader = CharReader(num_threads=1)
    cell = strokes_to_cell(seven())
    assert cell.shape == (28, 28) and 0.99 <= cell.max() <= 1.0
    assert reader.classify(cell[None], k=1)[0][0][0] == "7"


def test_canvas_scale_and_position_do_not_change_the_cell():
    a = strokes_to_cell(seven())
    b = strokes_to_cell(seven(scale=3.0, dx=200))
    assert np.abs(a - b).mean() < 0.02


def test_kivy_y_up_coordinates_give_the_same_cell():
    down = seven()
    up = [[(x, 400 - y) for x, y in s] for s in down]
    assert np.abs(strokes_to_cell(down) - strokes_to_cell(up, y_up=True)).mean() < 0.02


def test_traced_font_glyphs_are_recognised():
    from train.data.fonts import HELD_OUT_FONTS, font_paths
    from train.data.glyph_strokes import glyph_strokes

    reader = CharReader(num_threads=1)
    font = font_paths(HELD_OUT_FONTS)[1]
    chars = "2347ACEFHKLMNTUbdhkmnrt"  # shapes with no look-alike in another class
    cells = np.stack([strokes_to_cell(glyph_strokes(ch, font)) for ch in chars])
    read = "".join(a[0][0] for a in reader.classify(cells, k=1))
    assert sum(r.lower() == c.lower() for r, c in zip(read, chars)) >= len(chars) - 3, read


def test_words_render_as_dark_ink_on_white_for_the_line_readers():
    word = [[(0, 0), (0, 50)], [(30, 0), (30, 50)], [(60, 0), (80, 50)]]
    img = strokes_to_image(word)
    assert img.dtype == np.uint8 and img.ndim == 2
    assert img[0, 0] == 255 and img.min() == 0


def test_empty_canvas_and_a_dot_are_no_character():
    assert strokes_to_cell([]) is None
    assert strokes_to_cell([[], []]) is None
    assert strokes_to_cell([[(50, 50, 0.0)]]) is None
    assert strokes_to_cell([[(50, 50), (51, 51)]], canvas=(800, 480)) is None
    assert strokes_to_image([[(50, 50)]]) is None


@pytest.mark.parametrize("strokes, fragment", [
    ([[(10, 10), (math.nan, 20)]], "stroke 0 point 1 is not a finite number"),
    ([[(10, 10), (20, 20)], [(1, math.inf)]], "stroke 1 point 0"),
    ([[(10, 10), (900, 20)]], "outside the 800x480 canvas"),
    ([[(10, 10, 0, 5)]], "not a list of (x, y)"),
    ([["a", "b"]], "not a list of (x, y)"),
    ("7", "must be a list"),
])
def test_bad_strokes_get_a_clear_error(strokes, fragment):
    with pytest.raises(EdgeOCRError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        strokes_to_cell(strokes, canvas=(800, 480))
