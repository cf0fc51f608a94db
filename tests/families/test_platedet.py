"""The plate detector's NumPy side: letterbox geometry, head decoding, and training targets decoded back."""

from __future__ import annotations

import numpy as np
import pytest

from edge_app.families.platedet.decode import decode_boxes, peaks
from edge_app.families.platedet.preprocess import letterbox
from edge_app.families.platedet.spec import DET_SIZE, DET_STRIDE, SPEC


@pytest.mark.parametrize("shape", [(720, 1280, 3), (3000, 4000), (480, 360, 4), (100, 100, 3)])
def test_letterbox_keeps_the_aspect_and_maps_boxes_back(shape):
    img = np.full(shape, 200, np.uint8)
    x, fit = letterbox(img)
    assert x.shape == (*DET_SIZE, 3) and x.dtype == np.float32 and x.min() >= 0.0 and x.max() <= 1.0
    h, w = shape[:2]
    assert abs(fit.scale - min(DET_SIZE[1] / w, DET_SIZE[0] / h)) < 1e-9
    box = np.array([[w * 0.25, h * 0.5, w * 0.2, h * 0.1]])
    inp = box.copy()
    inp[:, :2] = inp[:, :2] * fit.scale + [fit.pad_x, fit.pad_y]
    inp[:, 2:] *= fit.scale
    assert np.allclose(fit.to_photo(inp), box)


def test_peaks_are_local_maxima_above_the_threshold():
    heat = np.zeros((10, 10))
    heat[2, 3], heat[2, 4], heat[7, 7], heat[5, 0] = 0.9, 0.5, 0.4, 0.2
    ys, xs = peaks(heat, 0.3)
    assert sorted(zip(ys.tolist(), xs.tolist())) == [(2, 3), (7, 7)]


def test_training_targets_decode_back_to_their_boxes():
    from train.data.plate_photos import targets

    boxes = np.array([[40.0, 60.0, 120.0, 30.0], [250.0, 300.0, 36.0, 12.0]])
    t = targets(boxes)
    assert t.shape == (DET_SIZE[0] // DET_STRIDE, DET_SIZE[1] // DET_STRIDE, 6) and t[..., 5].sum() == 2
    found, scores = decode_boxes(t[..., :5], 0.5)
    assert len(found) == 2 and np.all(scores == 1.0)
    for b in boxes:
        assert np.abs(found - b).sum(axis=1).min() < 1e-3


def _cell(heat: float, cx: float, cy: float, w: float, h: float, y: int, x: int) -> list[float]:
    """A cell (y, x)'s outputs predicting a box centred at (cx, cy) input pixels, w x h."""
    return [heat, cx / DET_STRIDE - x, cy / DET_STRIDE - y, np.sqrt(w / DET_SIZE[1]), np.sqrt(h / DET_SIZE[0])]


def test_a_box_size_is_pooled_over_its_peaks_neighbours_by_heat():
    s = np.zeros((DET_SIZE[0] // DET_STRIDE, DET_SIZE[1] // DET_STRIDE, 5), np.float32)
    s[20, 20] = _cell(0.8, 82.0, 82.0, 64.0, 20.0, 20, 20)  # the peak
    s[20, 21] = _cell(0.4, 86.0, 82.0, 68.0, 20.0, 20, 21)  # a neighbour: the same plate, 4 px wider
    s[19, 20] = _cell(0.4, 82.0, 60.0, 200.0, 20.0, 19, 20)  # a neighbour whose size disagrees: left out
    boxes, conf = decode_boxes(s, 0.3)
    assert len(boxes) == 1 and conf[0] == pytest.approx(0.8)
    w = (0.8 * 64.0 + 0.4 * 68.0) / 1.2  # the size pooled; the centre is the peak's own
    assert boxes[0] == pytest.approx([82.0 - w / 2, 82.0 - 10.0, w, 20.0], abs=1e-3)


def test_overlapping_peaks_keep_the_hotter_box():
    s = np.zeros((DET_SIZE[0] // DET_STRIDE, DET_SIZE[1] // DET_STRIDE, 5), np.float32)
    for (y, x), heat in (((20, 20), 0.9), ((20, 22), 0.8)):  # a 60x20 px box, peaks 8 px apart
        s[y, x] = [heat, 0.5, 0.5, np.sqrt(60 / DET_SIZE[1]), np.sqrt(20 / DET_SIZE[0])]
    s[19:22, 21, 0] = 0.0
    boxes, scores = decode_boxes(s, 0.3)
    assert len(boxes) == 1 and scores[0] == pytest.approx(0.9)


def test_spec_states_the_input_once():
    assert SPEC.input_shape == [1, *DET_SIZE, 3] and SPEC.stride == DET_STRIDE
