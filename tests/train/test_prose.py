"""Prose and printed lines for the page reader: real text, book typography, held-out splits."""

from __future__ import annotations

import numpy as np
import pytest

from train.data import prose
from train.data.printed import book_fonts, fit_typography, printed_samples


def test_book_typography_curls_quotes_and_sets_dashes():
    got = prose.book_typography("He said \"don't\" -- 'no' (pp. 1-5)")
    assert got == "He said \u201cdon\u2019t\u201d\u2014\u2018no\u2019 (pp. 1\u20135)"
    assert prose.book_typography("plain text") == "plain text"


def test_evaluation_prose_is_never_in_training():
    train, held = prose.paragraphs("train"), prose.paragraphs("eval")
    assert len(train) > 10_000 and len(held) > 1_000
    assert not set(train) & set(held)
    assert all(set(p) <= set(prose.PAGE_ALPHABET) for p in train[:2000])


def test_a_missing_prose_source_is_named(monkeypatch, tmp_path):
    monkeypatch.setattr(prose, "FORTUNE_DIR", tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match="nope"):
        prose.paragraphs("train")
    with pytest.raises(ValueError):
        prose.paragraphs("test")


def test_held_out_faces_are_not_trained_and_lack_no_glyph_silently():
    train, held = book_fonts("train"), book_fonts("val")
    assert len(train) >= 20 and len(held) >= 3 and not {f.stem for f in train} & {f.stem for f in held}
    for f in train + held:
        assert set(fit_typography("\u201cA\u2014b\u2019\u201d", f)) <= set(prose.PAGE_ALPHABET)


def test_printed_samples_are_deterministic_model_inputs():
    x1, l1 = printed_samples("train", 20, seed=3)
    x2, l2 = printed_samples("train", 20, seed=3)
    assert x1.shape == (20, 32, 512) and x1.dtype == np.uint8 and l1 == l2 and np.array_equal(x1, x2)
    assert all(t and set(t) <= set(prose.PAGE_ALPHABET) for t in l1)
    assert (x1.reshape(20, -1).max(1) == 255).all()
