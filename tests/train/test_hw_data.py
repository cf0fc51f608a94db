"""The handwriting generator: text, font-drawn and composed words, determinism, missing data."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app.errors import EdgeOCRError
from edge_app.families.handwriting.spec import LINE_SIZE
from train.data.handwriting import Crops, compose_ink, hw_samples, load_crops
from train.data.hw_text import HW_ALPHABET, MAX_CHARS, sample_text, word_table


def test_text_is_real_words_within_the_alphabet_and_length():
    rng = np.random.default_rng(0)
    texts = [sample_text(rng) for _ in range(500)]
    assert all(0 < len(t) <= MAX_CHARS and set(t) <= set(HW_ALPHABET) for t in texts)
    words, p = word_table()
    assert len(words) == 20_000 and p.sum() == pytest.approx(1.0)
    lexical = [w for t in texts for w in t.split() if w.strip(".,;:!?\"()&-").lower() in set(words)]
    assert len(lexical) > 0.6 * sum(len(t.split()) for t in texts)
    letters = [sample_text(rng, letters_only=True) for _ in range(200)]
    assert all(set(t) <= set(HW_ALPHABET[:62] + " ") for t in letters)


def test_samples_are_model_inputs_and_the_same_for_any_worker_count():
    x1, l1, s1 = hw_samples("train", 40, seed=3, workers=1)
    assert x1.shape == (40, *LINE_SIZE) and x1.dtype == np.uint8 and set(s1) == {"font"}
    assert np.mean(x1.reshape(40, -1).max(1) == 255) >= 0.9  # ink normalised to its peak (a few faint photos
    # lose their ink to the camera, as real ones do)
    import train.data.handwriting as hw

    old = hw.CHUNK
    hw.CHUNK = 15
    try:
        x2, l2, _ = hw_samples("train", 40, seed=3, workers=2)
        x3, l3, _ = hw_samples("train", 40, seed=3, workers=1)
    finally:
        hw.CHUNK = old
    assert l2 == l3 and np.array_equal(x2, x3)


def test_composed_words_size_letters_by_their_role():
    crops = Crops({c: [np.ones((30, 20), np.float32)] for c in "Tgo"})

    def rows(text: str) -> np.ndarray:
        return np.flatnonzero(compose_ink(text, crops, np.random.default_rng(0), cap=40).any(1))

    assert len(rows("T")) > 1.4 * len(rows("o"))  # a capital is taller than an x-height letter
    assert rows("g").max() > rows("T").max() + 8  # a descender goes below the baseline


def test_missing_data_is_named(tmp_path):
    with pytest.raises(EdgeOCRError, match="labels.csv"):
        load_crops("train", tmp_path, None)
    with pytest.raises(EdgeOCRError, match="train-images"):
        load_crops("train", None, tmp_path)
    with pytest.raises(EdgeOCRError, match="unknown split"):
        load_crops("dev", None, None)
