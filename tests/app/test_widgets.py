"""Drawing on the shown photo: the outline of the paper the reader found, scaled like the boxes."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("kivy")

from edge_app.ui.widgets import draw_outline  # noqa: E402


def test_the_paper_outline_is_drawn_at_the_shown_scale():
    img = np.zeros((100, 200, 3), np.uint8)
    draw_outline(img, [[20, 20], [380, 20], [380, 180], [20, 180]], 0.5)  # a 400x200 frame shown at half size
    lit = img.any(axis=2)
    assert lit[10, 100] and lit[90, 100] and lit[50, 10] and lit[50, 190]  # on the four sides
    assert not lit[50, 100] and not lit[2, 100]  # not inside, not outside
    before = img.copy()
    draw_outline(img, None, 0.5)
    assert np.array_equal(img, before)
