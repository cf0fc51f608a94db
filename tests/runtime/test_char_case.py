"""The shipped character model on same-shape letters: both cases for a lone one, height in a line."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app.families.char.reader import CharReader
from tests.conftest import handwriting


@pytest.fixture(scope="module")
def reader() -> CharReader:
    return CharReader(num_threads=1)


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
