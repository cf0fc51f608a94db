"""CTC decoding in NumPy: greedy, beam search and pattern-constrained, on hand-made score matrices."""

from __future__ import annotations

import re

import numpy as np
import pytest

from edge_app.ctc import beam_search, compile_pattern, constrained, greedy
from edge_app.errors import EdgeOCRError
from tests.conftest import ctc_scores

ALPHABET = "01AB"
BLANK = len(ALPHABET)


def scores(path: list) -> np.ndarray:
    return ctc_scores(path, ALPHABET)


def test_greedy_merges_repeats_and_drops_blanks():
    d = greedy(scores([2, 2, BLANK, 2, 0, 0, BLANK, BLANK, 1]), ALPHABET)
    assert d.text == "AA01"
    assert len(d.char_confidences) == 4 and min(d.char_confidences) > 0.99
    assert d.confidence > 0.99


def test_greedy_confidence_falls_when_a_frame_is_in_doubt():
    sure = greedy(scores([2, BLANK, 3]), ALPHABET)
    doubt = greedy(scores([2, {BLANK: 0.55, 0: 0.45}, 3]), ALPHABET)
    assert sure.text == doubt.text == "AB"
    assert doubt.confidence < 0.6 < sure.confidence


def test_greedy_confidence_ignores_a_doubtful_frame_that_only_lengthens_a_run():
    # The doubtful blank frame leans to A, the character of the run next to it: A there reads "AB" too.
    lengthens = greedy(scores([2, {BLANK: 0.55, 2: 0.45}, 3]), ALPHABET)
    # Leaning to 0, it could have read "A0B": that doubt counts.
    inserts = greedy(scores([2, {BLANK: 0.55, 0: 0.45}, BLANK, 3]), ALPHABET)
    assert lengthens.text == inserts.text == "AB"
    assert lengthens.confidence > 0.99 and inserts.confidence < 0.6


def test_beam_search_sums_paths_that_greedy_cannot():
    # Best single path is blank-blank ("" at 0.36) but "A" has more total probability (0.64).
    probs = scores([{2: 0.4, BLANK: 0.6}, {2: 0.4, BLANK: 0.6}])
    assert greedy(probs, ALPHABET).text == ""
    best, p = beam_search(probs, ALPHABET)[0]
    assert best == "A" and p == pytest.approx(0.64, abs=1e-3)


def test_beam_search_keeps_double_letters_apart_only_with_a_blank():
    texts = dict(beam_search(scores([2, BLANK, 2]), ALPHABET))
    assert max(texts, key=texts.get) == "AA"
    texts = dict(beam_search(scores([2, 2, 2]), ALPHABET))
    assert max(texts, key=texts.get) == "A"


def test_constrained_returns_the_best_text_matching_the_pattern():
    # Greedy reads "0A" at the first step's 0.6; the format wants a letter first.
    probs = scores([{0: 0.6, 2: 0.4}, BLANK, 2])
    assert greedy(probs, ALPHABET).text == "0A"
    d = constrained(probs, ALPHABET, re.compile(r"[AB][AB]"))
    assert d is not None and d.text == "AA"
    assert 0.3 < d.confidence < 0.5


def test_constrained_gives_none_when_nothing_matches():
    assert constrained(scores([0, BLANK, 1]), ALPHABET, re.compile(r"[AB]{5}")) is None


def test_a_bad_pattern_is_a_clear_error():
    with pytest.raises(EdgeOCRError, match="not a valid regular expression"):
        compile_pattern("[A-Z")


def test_ctc_probability_matches_summing_every_path():
    import itertools

    from edge_app.ctc import ctc_probability

    alphabet = "ab"
    probs = np.random.default_rng(0).dirichlet(np.ones(3), 5)
    totals: dict[str, float] = {}
    for path in itertools.product(range(3), repeat=5):
        text, prev = "", None
        for k in path:
            if k != 2 and k != prev:
                text += alphabet[k]
            prev = k
        totals[text] = totals.get(text, 0.0) + float(np.prod([probs[t, k] for t, k in enumerate(path)]))
    for text in ("", "a", "ab", "aa", "bab", "abab"):
        assert ctc_probability(probs, text, alphabet) == pytest.approx(totals.get(text, 0.0), rel=1e-9)
    assert ctc_probability(probs, "abc", alphabet) == 0.0  # outside the alphabet
    assert sum(totals.values()) == pytest.approx(1.0)


def test_align_places_each_character_on_the_best_path():
    from edge_app.ctc import align

    probs = scores([BLANK, 2, 2, BLANK, 2, BLANK, 0, 1, 1])
    assert align(probs, "AA01", ALPHABET) == [(1, 2), (4, 4), (6, 6), (7, 8)]
    # a text the scores do not favour still gets a path; one that cannot fit gets None
    assert align(probs, "B", ALPHABET) is not None
    assert align(scores([2, 2]), "AA", ALPHABET) is None  # a repeat needs a blank between
    assert align(probs, "AZ", ALPHABET) is None and align(probs, "", ALPHABET) == []
