"""The paper finder on what a phone adds (issue 15): a finger over the card's edge, a bright scene
running on from the card's edge, a quadrilateral through nowhere; and a receipt's capital lines are
not turned upside down."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from edge_app.families.page.segment import segment_page
from edge_app.paper import _near, _support, find_paper
from tests.conftest import card_quad, photograph, place, scene, text_card

SIZE = (1200, 1600)


def _mean_error(found: np.ndarray, truth: np.ndarray, shape: tuple[int, ...]) -> float:
    """Mean corner distance (best cyclic order) as a share of the frame's diagonal."""
    f, t = np.float32(found), np.float32(truth)
    return min(float(np.linalg.norm(np.roll(f, k, 0) - t, axis=1).mean()) for k in range(4)) / np.hypot(*shape[:2])


def _finger(image: np.ndarray, quad: np.ndarray, side: int, rng: np.random.Generator) -> np.ndarray:
    """A skin-coloured fingertip coming in from the scene over the middle of one side of ``quad``."""
    a, b = quad[side], quad[(side + 1) % 4]
    edge = a + (b - a) * rng.uniform(0.35, 0.65)
    inward = quad.mean(0) - edge
    inward /= np.linalg.norm(inward)
    short = min(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[3] - quad[0]))
    width = int(short * 0.09)
    tip, root = edge + inward * short * 0.08, edge - inward * short * 0.6
    out = image.copy()
    cv2.line(out, tuple(int(v) for v in root), tuple(int(v) for v in tip), (120, 150, 210), width, cv2.LINE_AA)
    return out


@pytest.mark.parametrize("seed, side", [(0, 0), (1, 1), (2, 2), (3, 3)])
def test_a_card_with_a_finger_over_one_edge_is_found_within_2_percent(seed, side):
    rng = np.random.default_rng(seed)
    card = text_card()
    quad = card_quad(SIZE, card.shape[:2], rng, rng.uniform(-15, 15), 0.35)
    image = photograph(_finger(place(card, scene(SIZE, rng, "clutter"), quad), quad, side, rng), rng)
    paper = find_paper(image)
    assert paper is not None and _mean_error(paper.quad, quad, image.shape) < 0.02


def test_a_card_against_a_bright_wall_running_to_the_frame_edge_is_not_taken_with_the_wall():
    rng = np.random.default_rng(5)
    card = text_card()
    quad = card_quad(SIZE, card.shape[:2], rng, 6, 0.3)
    background = scene(SIZE, rng, "dark")
    top = int(quad[:2, 1].min()) + 40  # a pale wall from the card's top up to the frame's top, nearly its colour
    background[:top, int(quad[0, 0]) - 150 :] = (222, 228, 232)
    image = photograph(place(card, background, quad, shadow=0.25), rng)
    paper = find_paper(image)
    assert paper is not None and _mean_error(paper.quad, quad, image.shape) < 0.02


def test_edge_support_is_the_share_of_the_outline_along_an_edge():
    edges = np.zeros((480, 640), np.uint8)
    quad = np.float32([[100, 80], [500, 100], [480, 400], [120, 380]])
    cv2.polylines(edges, [np.int32(quad)], True, 255, 1)
    assert _support(_near(edges), quad) > 0.95
    assert _support(_near(edges), quad + np.float32([30, 25])) < 0.2  # a quadrilateral through nowhere
    to_border = quad.copy()
    to_border[1:3, 0] = 639  # its right side on the frame's border: half support for that side only
    assert 0.6 < _support(_near(edges), to_border) < 0.9


def test_a_photo_of_only_a_quadrilateral_through_nowhere_finds_no_paper():
    rng = np.random.default_rng(3)
    image = photograph(scene(SIZE, rng, "dark"), rng)
    assert find_paper(image) is None


def _receipt(flip: bool) -> np.ndarray:
    """Capital and digit lines, as on a receipt (no ascenders or descenders to tell which way is up)."""
    rows = ["CORNER SHOP", "BREAD        2.49", "MILK         1.19", "COFFEE BEANS 8.99", "APPLES       3.20",
            "SOAP         1.75", "TOTAL       19.62"]
    img = np.full((60 * len(rows) + 80, 700), 240, np.uint8)
    for i, row in enumerate(rows):
        cv2.putText(img, row, (40, 80 + 60 * i), cv2.FONT_HERSHEY_DUPLEX, 1.3, 25, 2, cv2.LINE_AA)
    return img[::-1, ::-1].copy() if flip else img


def test_a_receipt_in_capitals_is_not_turned_upside_down():
    assert not segment_page(_receipt(False)).upside_down
