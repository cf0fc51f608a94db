"""The shipped character model on same-shape letters: both cases for a lone one, height in a line."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from edge_app.families.char.reader import CharReader
from tests.conftest import handwriting
from train.data.fonts import HELD_OUT_FONTS, font_paths, render_text

FONT = "Purisa-Oblique"  # held out, and draws its small letters small


@pytest.fixture(scope="module")
def reader() -> CharReader:
    return CharReader(num_threads=1)


def _glyph(ch: str) -> np.ndarray:
    """``ch`` in the held-out font as white-on-black ink cropped to its strokes."""
    font = next(p for p in font_paths(HELD_OUT_FONTS) if p.stem == FONT)
    ink = render_text(ch, font, size=64)
    ys, xs = np.nonzero(ink > 0.2)
    return ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def _line(parts: list[tuple[np.ndarray, int]], baseline: int = 90) -> np.ndarray:
    """Glyphs scaled to the given heights, standing on one baseline, dark on light."""
    glyphs = [cv2.resize(g, (round(g.shape[1] * h / g.shape[0]), h), interpolation=cv2.INTER_AREA) for g, h in parts]
    canvas = np.zeros((130, sum(g.shape[1] + 20 for g in glyphs) + 30), np.float32)
    x = 20
    for g in glyphs:
        canvas[baseline - g.shape[0] : baseline, x : x + g.shape[1]] = g
        x += g.shape[1] + 20
    return np.clip(225 - canvas * 190, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("ch", "SXV")
def test_one_glyph_at_two_heights_takes_its_case_from_height(reader, ch):
    g = _glyph(ch)
    assert reader.read_chars(_line([(g, 60), (g, 34), (g, 34)])).text == ch.upper() + ch.lower() * 2
    res = reader.read_chars(_line([(g, 34), (g, 60), (g, 34)]))
    assert res.text == ch.lower() + ch.upper() + ch.lower()
    assert [it.alternatives[1][0] for it in res.items] == list(res.text.swapcase())
    assert all(it.confidence == round(it.alternatives[0][1] + it.alternatives[1][1], 4) for it in res.items)
    same = reader.read_chars(_line([(g, 60)] * 3)).text  # no height difference: the model's case stays
    assert len(set(same)) == 1 and same.lower() == ch.lower() * 3


def test_small_and_tall_letters_set_the_levels(reader):
    h, n, o, a = _glyph("H"), _glyph("n"), _glyph("o"), _glyph("a")
    assert reader.read_chars(_line([(h, 60), (n, 34), (o, 34), (o, 60), (a, 34)])).text == "HnoOa"


def test_lone_same_shape_letter_lists_both_cases_first(reader):
    for ch, seed in (("s", 4), ("o", 0), ("X", 0)):
        res = reader.read_char(handwriting(ch, seed=seed, height=70))
        alts = res.items[0].alternatives
        assert res.text.lower() == ch.lower()
        assert [alts[0][0], alts[1][0]] == [res.text, res.text.swapcase()], alts
        assert alts[0][1] == res.confidence
        assert res.notes == [f"{res.text} and {res.text.swapcase()} look alike alone: "
                             f"together p={alts[0][1] + alts[1][1]:.4f}"]


def test_lone_letter_pair_comes_before_a_likelier_digit(reader, monkeypatch):
    probs = np.full(len(reader.alphabet), 0.1 / (len(reader.alphabet) - 3), np.float32)
    for c, p in (("o", 0.5), ("0", 0.3), ("O", 0.1)):
        probs[reader.alphabet.index(c)] = p
    monkeypatch.setattr(reader, "infer", lambda cells: probs[None])
    res = reader.read_char(handwriting("o", seed=0, height=60))
    assert [a[0] for a in res.items[0].alternatives] == ["o", "O", "0"]
    assert res.text == "o" and res.notes and "together p=0.6" in res.notes[0]


def test_lone_letter_without_twin_is_unchanged(reader):
    res = reader.read_char(handwriting("B", seed=0, height=70))
    probs = [p for _, p in res.items[0].alternatives]
    assert probs == sorted(probs, reverse=True) and res.notes == []
