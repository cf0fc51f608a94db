"""A handwritten word's first letter in the case its height shows (s/S, c/C, o/O...)."""

from __future__ import annotations

import numpy as np

from edge_app.families.handwriting.case import first_letter_case
from edge_app.families.handwriting.spec import HW_ALPHABET, SPEC
from tests.conftest import ctc_scores

X = 10  # x band height in input pixels
BASE = 28  # baseline row


def _word(text: str, first_rise: float, joined: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A 32x256 input with ``text``'s first letter rising ``first_rise`` x bands and short letters after
    it, 12 px apart, and scores whose path puts each letter at its left edge."""
    chunk = np.zeros(SPEC.input_size, np.float32)
    chunk[BASE - round(X * first_rise) : BASE, 4:14] = 1.0
    if joined:
        chunk[BASE - 2 : BASE, 14:20] = 1.0
    path = ["-"] + [text[0]] * 2 + ["-"] * 2
    for k, ch in enumerate(text[1:]):
        chunk[BASE - X : BASE, 20 + 12 * k : 28 + 12 * k] = 1.0
        path += [ch] + ["-"] * 2
    path += ["-"] * (SPEC.input_size[1] // SPEC.stride - len(path))
    return chunk, ctc_scores(path, HW_ALPHABET)


def _case(text: str, first_rise: float, read_as: str | None = None, joined: bool = False) -> str:
    chunk, probs = _word(text, first_rise, joined)
    return first_letter_case(chunk, probs, read_as or text, HW_ALPHABET, SPEC.stride)


def test_a_first_letter_as_high_as_the_x_band_is_small():
    assert _case("Scare", 1.0) == "scare"
    assert _case("scare", 1.0) == "scare"


def test_a_first_letter_well_above_the_x_band_is_a_capital():
    assert _case("scare", 1.8) == "Scare"
    assert _case("ocean", 1.8) == "Ocean"


def test_a_height_in_between_leaves_the_reading():
    assert _case("Scare", 1.35) == "Scare"
    assert _case("scare", 1.35) == "scare"


def test_only_same_shape_letters_before_small_letters_change():
    assert _case("Macro", 1.0) == "Macro"  # M and m differ in shape
    assert _case("SCARE", 1.0) == "SCARE"  # a word in capitals
    assert _case("Sarah", 1.0) == "sarah"  # h is tall, but a is short


def test_a_first_letter_joined_to_the_next_is_left_as_read():
    assert _case("Scare", 1.0, joined=True) == "Scare"


def test_punctuation_after_a_word_is_kept_and_before_it_leaves_the_word_as_read():
    assert _case("Scare.", 1.0) == "scare."
    assert _case("(scare", 1.8) == "(scare"  # the bracket's ink is not the letter's


def test_the_readers_alternatives_follow_the_case_it_gives(monkeypatch):
    from edge_app.ctc import Decoded
    from edge_app.families.base import Found
    from edge_app.families.handwriting.reader import HandwritingReader
    from edge_app.paper import crop_paper
    from edge_app.textlines import Blob, Line

    chunk, probs = _word("Scare", 1.0)
    reader = HandwritingReader(decoder="greedy")
    monkeypatch.setattr(reader, "decode_chunk", lambda p: (Decoded("Scare", [0.9] * 5, 0.6),
                                                           [["Scare", 0.6], ["scare", 0.3], ["Score", 0.1]]))
    line = Line(words=[Blob(1, (0, 0, 60, 30))], chunks=[chunk])
    found = Found(([line], crop_paper(np.zeros((30, 60), np.uint8), "off")), [chunk])
    item = reader.decode(found, probs[None]).items[0]
    assert item.text == "scare"
    assert item.alternatives == [["scare", 0.6], ["Score", 0.1]]
