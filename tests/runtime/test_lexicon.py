"""Lexicon-constrained CTC decoding and lexicon files (issue 4's --lexicon)."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app.ctc import greedy
from edge_app.errors import EdgeOCRError
from edge_app.families.handwriting.spec import HW_ALPHABET
from edge_app.lexicon import Lexicon, lexicon_search
from tests.conftest import ctc_scores

ALPHABET = "acdehlopt "


def spell(steps: list) -> np.ndarray:
    return ctc_scores(steps, ALPHABET)


def test_the_lexicon_corrects_a_misread_letter():
    probs = spell(["h", "e", "l", "-", "l", {"c": 0.6, "o": 0.4}])
    assert greedy(probs, ALPHABET).text == "hellc"
    d = lexicon_search(probs, ALPHABET, Lexicon({"hello": 10, "help": 5}))
    assert d is not None and d.text == "hello" and 0 < d.confidence <= 1


def test_word_frequency_decides_a_close_call():
    probs = spell(["c", {"a": 0.5, "o": 0.5}, "t"])
    assert lexicon_search(probs, ALPHABET, Lexicon({"cat": 100, "cot": 1})).text == "cat"
    assert lexicon_search(probs, ALPHABET, Lexicon({"cat": 1, "cot": 100})).text == "cot"


def test_lines_of_several_words_split_at_spaces():
    probs = spell(["h", "e", "l", "p", " ", "a", {"t": 0.7, "l": 0.3}, "e"])
    d = lexicon_search(probs, ALPHABET, Lexicon({"help": 3, "ale": 2, "ate": 1}))
    assert d.text == "help ate"  # the scores' 0.7 outweighs ale's double frequency at weight 0.5


def test_nothing_in_the_lexicon_fits_gives_none():
    assert lexicon_search(spell(["d", "o", "t"]), ALPHABET, Lexicon({"hello": 1})) is None


def test_lexicon_files(tmp_path):
    good = tmp_path / "words.txt"
    good.write_text("hello\t40\nhelp 10\n\ncat\n", encoding="utf-8")
    lex = Lexicon.load(good)
    assert lex.size == 3 and lex.is_prefix("hel") and not lex.is_prefix("hex")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n")
    with pytest.raises(EdgeOCRError, match="is empty"):
        Lexicon.load(empty)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("café\n".encode("latin-1"))
    with pytest.raises(EdgeOCRError, match="not UTF-8"):
        Lexicon.load(latin1)
    bad = tmp_path / "bad.txt"
    bad.write_text("hello many\n")
    with pytest.raises(EdgeOCRError, match="line 1: count 'many' is not a number"):
        Lexicon.load(bad)
    with pytest.raises(EdgeOCRError, match="not found"):
        Lexicon.load(tmp_path / "none.txt")


WORDS_ALPHABET = "0123456789Hacdehlopt ,"


def words(steps: list) -> np.ndarray:
    return ctc_scores(steps, WORDS_ALPHABET)


def test_read_with_lexicon_fixes_words_and_keeps_numbers_and_punctuation():
    from edge_app.lexicon import read_with_lexicon

    lex = Lexicon({"hello": 10, "help": 5, "cat": 3})
    probs = words(["h", "e", "l", "-", "l", {"c": 0.6, "o": 0.4}, ",", " ", "4", "2", " ",
                   "c", {"a": 0.45, "o": 0.55}, "t"])
    assert greedy(probs, WORDS_ALPHABET).text == "hellc, 42 cot"
    d = read_with_lexicon(probs, WORDS_ALPHABET, lex)
    assert d.text == "hello, 42 cat"  # words corrected, the comma kept, the number (no word fits) kept
    assert len(d.char_confidences) == len("hello,42cat") and 0 < d.confidence <= 1


def test_read_with_lexicon_keeps_a_non_word_that_is_far_likelier():
    from edge_app.lexicon import read_with_lexicon

    probs = words(["d", "o", "t"])  # sure frames: "dot" is not a word, but nothing else is plausible
    assert read_with_lexicon(probs, WORDS_ALPHABET, Lexicon({"cat": 1, "hat": 1})).text == "dot"


def test_a_lowercase_lexicon_matches_capitalised_words():
    from edge_app.lexicon import read_with_lexicon

    probs = words(["H", "e", "l", "-", "l", {"c": 0.6, "o": 0.4}])
    assert read_with_lexicon(probs, WORDS_ALPHABET, Lexicon({"hello": 1})).text == "Hello"


def test_lexicon_prefixes_use_the_sorted_words():
    lex = Lexicon({"cat": 1, "catalog": 1, "dog": 2})
    assert lex.is_prefix("") and lex.is_prefix("cata") and lex.is_prefix("dog") and not lex.is_prefix("cz")
    assert lex.lowercase and not Lexicon({"iPhone": 1}).lowercase


def _hw(steps: list) -> np.ndarray:
    return ctc_scores(steps, HW_ALPHABET)


SPLIT_LEX = {"daughter": 5, "of": 50, "the": 100, "er": 2}  # "er" is a word: a piece may be one


def test_a_word_the_model_split_with_spaces_is_read_whole():
    from edge_app.lexicon import read_with_lexicon

    probs = _hw(["D", "A", "U", "-", " ", "-", "G", "H", "T", " ", " ", "E", "R"])
    assert greedy(probs, HW_ALPHABET).text == "DAU GHT ER"
    d = read_with_lexicon(probs, HW_ALPHABET, Lexicon(SPLIT_LEX))
    assert d.text == "DAUGHTER" and len(d.char_confidences) == 8 and d.confidence > 0.9


def test_a_split_word_with_a_misread_letter_is_found_across_the_gaps():
    from edge_app.lexicon import read_with_lexicon

    probs = _hw(["D", "A", "U", " ", "G", "H", "T", " ", {"E": 0.4, "F": 0.6}, "R", " ", "."])
    assert greedy(probs, HW_ALPHABET).text == "DAU GHT FR ."
    # joined, "DAUGHTFR" is no word and likelier, but within the trust: the lexicon's word; the lone
    # full stop (no letters) is no piece of the word
    assert read_with_lexicon(probs, HW_ALPHABET, Lexicon(SPLIT_LEX)).text == "DAUGHTER ."


def test_two_words_stay_two_words():
    from edge_app.lexicon import read_with_lexicon

    probs = _hw(["O", "F", "-", " ", "-", "T", "H", "E"])
    assert read_with_lexicon(probs, HW_ALPHABET, Lexicon(SPLIT_LEX)).text == "OF THE"
    # two words whose letters make a third: the frequencies decide (a unigram language model)
    probs = _hw(["O", "F", " ", "T", "E", "N"])
    assert read_with_lexicon(probs, HW_ALPHABET, Lexicon({**SPLIT_LEX, "ten": 9, "often": 1})).text == "OF TEN"
    assert read_with_lexicon(probs, HW_ALPHABET, Lexicon({**SPLIT_LEX, "ten": 9, "often": 40})).text == "OFTEN"


def test_a_word_split_into_words_is_joined_when_the_whole_is_commoner():
    from edge_app.lexicon import read_with_lexicon

    probs = _hw(["S", "U", "R", "F", "-", " ", "-", "A", "C", "E", "S"])
    lex = {"surfaces": 20, "surf": 3, "aces": 2, "the": 100}
    assert read_with_lexicon(probs, HW_ALPHABET, Lexicon(lex)).text == "SURFACES"
    # a piece that is no word counts as rarer than any word: HUM ANITY
    probs = _hw(["H", "U", "M", " ", "A", "N", "I", "T", "Y"])
    assert read_with_lexicon(probs, HW_ALPHABET, Lexicon({"hum": 50, "humanity": 1, "any": 9})).text == "HUMANITY"


def test_the_margin_a_non_word_needs_grows_with_its_length():
    from edge_app.lexicon import read_with_lexicon

    # the same doubt, one letter 3,000 times likelier to be wrong than right (e^8): a long reading one
    # letter off a word is a misread, a short one may be a code (margins e^(3 + letters): e^12, e^6)
    sure_wrong = {"t": 0.9997, "l": 0.0003}
    long = words(["c", "h", "o", "c", "o", sure_wrong, "a", "t", "e"])
    assert greedy(long, WORDS_ALPHABET).text == "chocotate"
    assert read_with_lexicon(long, WORDS_ALPHABET, Lexicon({"chocolate": 1})).text == "chocolate"
    short = words(["c", {"o": 0.9997, "a": 0.0003}, "t"])
    assert read_with_lexicon(short, WORDS_ALPHABET, Lexicon({"cat": 1})).text == "cot"
