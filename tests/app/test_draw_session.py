"""The Draw screen's logic without a window: strokes in canvas coordinates (Kivy's y-up) to top-3."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from edge_app.draw_session import DrawSession
from edge_app.errors import EdgeOCRError

W, H = 480, 400


def _draw(session: DrawSession, points: list[tuple[float, float]]) -> None:
    session.begin(points[0][0] * W, points[0][1] * H)
    for x, y in points[1:]:
        session.extend(x * W, y * H)
    session.end()


SEVEN = [(0.3, 0.8), (0.7, 0.8), (0.52, 0.35), (0.45, 0.15)]  # y grows upwards, as on a Kivy canvas


def test_a_drawn_seven_reads_as_7_with_three_alternatives():
    s = DrawSession()
    _draw(s, SEVEN)
    r = s.recognise(canvas=(W, H), y_up=True)
    assert r.text == "7" and len(r.top3) == 3 and r.top3[0][0] == "7"
    assert r.top3[0][1] >= r.top3[1][1] >= r.top3[2][1]


def test_drawings_are_read_by_char_and_the_touch_model(models_copy):
    assert DrawSession()._reader().model_name == "char+char_draw"
    manifest = json.loads((models_copy / "manifest.json").read_text())
    del manifest["models"]["char_draw"]
    (models_copy / "manifest.json").write_text(json.dumps(manifest))
    s = DrawSession(models_copy)  # a folder without the touch model: char alone
    assert s._reader().model_name == "char"
    _draw(s, SEVEN)
    assert s.recognise(canvas=(W, H), y_up=True).text == "7"


def test_undo_and_clear():
    s = DrawSession()
    _draw(s, SEVEN)
    _draw(s, [(0.2, 0.5), (0.8, 0.5)])  # a crossbar through the 7
    assert len(s.strokes) == 2
    s.undo()
    assert s.recognise(canvas=(W, H), y_up=True).text == "7"
    s.clear()
    assert s.recognise(canvas=(W, H), y_up=True).text == "" and not s.strokes
    s.undo()  # nothing to undo is fine


def test_several_characters_read_in_order_with_alternatives():
    s = DrawSession()
    _draw(s, [(0.1, 0.8), (0.1, 0.2)])  # 1
    _draw(s, [(0.4, 0.8), (0.6, 0.8), (0.48, 0.2)])  # 7
    r = s.recognise(canvas=(W, H), y_up=True)
    assert r.text in ("17", "l7", "I7") and len(r.top3) == 3
    assert all(len(t) == 2 for t, _ in r.top3)


def test_handwriting_mode_reads_a_word():
    from train.data.fonts import font_paths
    from train.data.glyph_strokes import ink_strokes
    from train.data.handwriting import font_ink

    ink = font_ink("hello", font_paths(["Purisa-Oblique"])[0], np.random.default_rng(0))
    strokes = ink_strokes(cv2.resize(ink, None, fx=2, fy=2))
    s = DrawSession(mode="handwriting")
    for stroke in strokes:
        s.begin(*stroke[0][:2])
        for p in stroke[1:]:
            s.extend(*p[:2])
    r = s.recognise()
    assert r.text == "hello" and r.top3[0][0] == "hello"


def test_unknown_mode_is_refused():
    with pytest.raises(EdgeOCRError, match="unknown draw mode"):
        DrawSession(mode="emoji")
