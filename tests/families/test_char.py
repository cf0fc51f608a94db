"""Normalise and segment stages on synthetic images with known answers."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from edge_app.families.char.preprocess import is_blank, normalize_char
from edge_app.families.char.segment import segment_chars
from edge_app.families.char.spec import CHAR_FIT, CHAR_SIZE
from edge_app.preprocess import ink_map
from tests.conftest import handwriting


def test_polarity_does_not_matter():
    dark_on_light = handwriting("R", seed=1, height=80)
    light_on_dark = 255 - dark_on_light
    a, b = normalize_char(dark_on_light), normalize_char(light_on_dark)
    assert a.shape == (CHAR_SIZE, CHAR_SIZE) and a.dtype == np.float32
    assert np.abs(a - b).mean() < 0.05


def test_cell_is_fit_and_centred():
    cell = normalize_char(handwriting("W", seed=2, height=120))
    ys, xs = np.nonzero(cell > 0.05)
    h, w = ys.max() - ys.min() + 1, xs.max() - xs.min() + 1
    assert max(h, w) in (CHAR_FIT - 1, CHAR_FIT, CHAR_FIT + 1)
    assert abs((ys.min() + ys.max()) / 2 - 13.5) <= 1.5 and abs((xs.min() + xs.max()) / 2 - 13.5) <= 1.5
    assert cell.max() == 1.0 and cell.min() == 0.0


def test_dust_beside_a_character_is_not_part_of_it_but_an_i_dot_is():
    """A speck to the side of the letter (dust, a pen tick) would shrink and shift the cell; a small
    part above the stem (an i's dot) belongs to it."""
    letter = np.full((120, 120), 225, np.uint8)
    cv2.putText(letter, "A", (30, 95), cv2.FONT_HERSHEY_SIMPLEX, 2.6, 40, 6)
    dusty = letter.copy()
    cv2.circle(dusty, (12, 100), 6, 60, -1)
    assert np.abs(normalize_char(dusty) - normalize_char(letter)).max() < 1e-6
    i = np.full((120, 120), 225, np.uint8)
    cv2.line(i, (60, 50), (60, 100), 40, 6)
    cv2.circle(i, (60, 32), 5, 40, -1)
    cell = normalize_char(i)
    rows = np.flatnonzero(cell.max(axis=1) > 0.3)
    assert rows[-1] - rows[0] >= CHAR_FIT - 1 and len(rows) < rows[-1] - rows[0] + 1  # dot, gap, stem


def test_blank_and_gradient_pages_have_no_ink():
    assert is_blank(normalize_char(np.full((50, 50), 200, np.uint8)))
    gradient = np.tile(np.linspace(150, 225, 120, dtype=np.float32), (120, 1)).astype(np.uint8)
    assert ink_map(gradient).max() == 0.0 and is_blank(normalize_char(gradient))


def test_segment_orders_lines_and_words():
    img = np.full((220, 520), 235, np.uint8)
    for x, ch in zip((20, 80, 220, 280), "AB12"):
        cv2.putText(img, ch, (x, 80), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 30, 5)
    for x, ch in zip((20, 80, 140), "XYZ"):
        cv2.putText(img, ch, (x, 190), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 30, 5)
    segs = segment_chars(img)
    assert [s.line for s in segs] == [0, 0, 0, 0, 1, 1, 1]
    xs = [s.box[0] for s in segs]
    assert xs[:4] == sorted(xs[:4]) and xs[4:] == sorted(xs[4:])
    assert [s.space_before for s in segs[:4]] == [False, False, True, False]
    assert all(s.cell.shape == (CHAR_SIZE, CHAR_SIZE) for s in segs)


def test_segment_keeps_i_dot_with_its_stem():
    img = np.full((120, 200), 230, np.uint8)
    cv2.line(img, (60, 50), (60, 100), 20, 6)
    cv2.circle(img, (60, 32), 5, 20, -1)
    cv2.line(img, (120, 30), (120, 100), 20, 6)
    segs = segment_chars(img)
    assert len(segs) == 2
    assert segs[0].box[1] < 35  # the dot belongs to the first box


def test_blank_image_has_no_segments():
    assert segment_chars(np.full((100, 300), 240, np.uint8)) == []


def _sample_cells() -> np.ndarray:
    from edge_app.images import load_image

    folder = Path(__file__).resolve().parents[2] / "edge_app" / "families" / "char" / "samples"
    return np.stack([normalize_char(load_image(p)) for p in sorted(folder.glob("char_*.png"))])


def test_the_char_reader_averages_the_three_character_models_by_default():
    from edge_app.families.char.reader import CharReader

    reader = CharReader()
    assert reader.model_name == "char+char_small+char_strokes"
    cells = _sample_cells()
    assert [a[0][0] for a in reader.classify(cells[:2], k=1)] == ["7", "K"]
    scribbles = np.random.default_rng(0).random((4, 28, 28)).astype(np.float32)  # no letter: models disagree
    each = [CharReader(model_name=n).infer(scribbles) for n in ("char", "char_small", "char_strokes")]
    assert not np.allclose(each[0], each[1], atol=0.05) and not np.allclose(each[0], each[2], atol=0.05)
    assert np.allclose(reader.infer(scribbles), np.mean(each, axis=0), atol=1e-6)


def test_a_models_folder_without_the_other_models_reads_with_char_alone(models_copy):
    from edge_app.families.char.reader import CharReader

    manifest = json.loads((models_copy / "manifest.json").read_text())
    del manifest["models"]["char_strokes"]
    (models_copy / "manifest.json").write_text(json.dumps(manifest))
    assert CharReader(models_copy).model_name == "char+char_small"
    del manifest["models"]["char_small"]
    (models_copy / "manifest.json").write_text(json.dumps(manifest))
    assert CharReader(models_copy).model_name == "char"


def test_models_with_different_alphabets_are_not_averaged():
    from edge_app.errors import EdgeOCRError
    from edge_app.families.char.reader import CharReader

    with pytest.raises(EdgeOCRError, match="alphabet"):
        CharReader(model_name="char+plate")
