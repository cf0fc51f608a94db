"""The paper finder (edge_app.paper): a card photographed on a table is found, rectified upright and read;
scans, empty scenes, overlapping and cut-off papers and screens get clear answers."""

from __future__ import annotations

import json
import time

import cv2
import numpy as np
import pytest

from edge_app.errors import EdgeOCRError
from edge_app.families.page.reader import PageReader
from edge_app.paper import PaperCrop, check_mode, crop_paper, find_paper, order_corners
from edge_app.results import Result
from edge_app.text_metrics import cer
from tests.conftest import (
    CARD_LINES,
    assert_clean_error,
    card_photo,
    card_quad,
    photograph,
    place,
    run_cli,
    scene,
    text_card,
)

TRUTH = "\n".join(CARD_LINES)
SIZE = (1200, 1600)


@pytest.fixture(scope="module")
def reader():
    return PageReader(num_threads=2)


def _corner_error(found: np.ndarray, truth: np.ndarray, shape: tuple[int, ...]) -> float:
    """The worst corner's distance from the truth, as a share of the frame's diagonal."""
    return float(np.linalg.norm(np.float32(found) - truth, axis=1).max() / np.hypot(*shape[:2]))


@pytest.mark.parametrize("seed, angle, kind", [(0, 12, "dark"), (1, -20, "clutter"), (2, 25, "dark"),
                                               (3, 5, "clutter"), (4, -25, "clutter")])
def test_a_card_on_a_table_is_found_corner_by_corner(seed, angle, kind):
    image, quad, _ = card_photo(seed, angle, kind)
    paper = find_paper(image)
    assert paper is not None
    assert _corner_error(paper.quad, quad, image.shape) < 0.01


@pytest.mark.parametrize("seed, angle, kind", [(1, -20, "clutter"), (2, 25, "dark")])
def test_the_rectified_card_is_upright_and_reads_where_the_whole_frame_does_not(reader, seed, angle, kind):
    image, quad, card = card_photo(seed, angle, kind)
    crop = crop_paper(image)
    h, w = crop.image.shape[:2]
    assert abs(w / h - card.shape[1] / card.shape[0]) < 0.1  # upright: as wide as the card is
    flat = cer([TRUTH], [reader.read(card, paper="off").text])
    found = reader.read(image)
    whole = reader.read(image, paper="off")
    assert cer([TRUTH], [found.text]) < flat + 0.05 < 0.2
    assert cer([TRUTH], [whole.text]) > 0.5  # the issue: the table confuses the segmenter
    assert found.paper is not None and _corner_error(found.paper, quad, image.shape) < 0.01
    assert any("paper found" in n for n in found.notes) and whole.paper is None
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    inside = np.zeros_like(gray)
    cv2.fillConvexPoly(inside, np.int32(found.paper), 1)
    for item in found.items:  # word boxes are on the photo, on the card's ink
        x, y, bw, bh = item.box
        assert inside[y + bh // 2, x + bw // 2] and gray[y : y + bh, x : x + bw].min() < 100


def test_a_scan_filling_the_frame_is_left_alone(reader):
    scan = photograph(text_card(), np.random.default_rng(0))
    assert find_paper(scan) is None and crop_paper(scan).image is scan
    on, off = reader.read(scan), reader.read(scan, paper="off")
    assert on.paper is None and on.text == off.text and cer([TRUTH], [on.text]) < 0.2
    assert "paper" not in on.to_dict()


def test_a_page_filling_most_of_the_frame_is_left_alone():
    card = text_card()
    frame = cv2.copyMakeBorder(card, 15, 15, 15, 15, cv2.BORDER_CONSTANT, value=(60, 60, 60))
    assert find_paper(photograph(frame, np.random.default_rng(1))) is None  # the paper covers > 90%


def test_a_scene_without_paper_or_text_reads_as_nothing_and_says_so(reader):
    rng = np.random.default_rng(8)
    image = photograph(scene(SIZE, rng, "dark"), rng)
    assert find_paper(image) is None
    result = reader.read(image)
    assert result.text == "" and result.paper is None and any("no text" in n for n in result.notes)


def test_of_two_overlapping_cards_the_bigger_one_on_top_is_read(reader):
    rng = np.random.default_rng(6)
    small = text_card(["Meeting at nine", "Room 12 upstairs"], 700)
    big = text_card()
    image = place(small, scene(SIZE, rng, "clutter"), np.float32([[120, 130], [720, 100], [740, 450], [130, 480]]))
    quad = card_quad(SIZE, big.shape[:2], rng, -10, 0.33) + np.float32([120, 100])
    assert quad.min() > 0 and quad[:, 0].max() < SIZE[1] and quad[:, 1].max() < SIZE[0]
    image = photograph(place(big, image, quad, shadow=0.3), rng)
    paper = find_paper(image)
    assert paper is not None and _corner_error(paper.quad, quad, image.shape) < 0.01
    text = reader.read(image).text
    assert cer([TRUTH], [text]) < 0.15 and "Meeting" not in text


def test_a_card_cut_off_by_the_frame_is_read_as_far_as_it_shows(reader):
    rng = np.random.default_rng(6)
    card = text_card()
    quad = card_quad(SIZE, card.shape[:2], rng, 10, 0.4) + np.float32([700, 0])  # its right half off the frame
    assert quad[:, 0].max() > SIZE[1] + 500
    image = photograph(place(card, scene(SIZE, rng, "clutter"), quad), rng)
    result = reader.read(image)
    paper = np.float32(result.paper)  # the visible part: the card's left corners, the frame's edge
    assert paper[:, 0].max() < SIZE[1] and _corner_error(paper[[0, 3]], quad[[0, 3]], image.shape) < 0.01
    visible = "The quick brown fox\nover the lazy dog nea\nthe river bank at noon\nCall 555 0199 today"
    assert cer([visible], [result.text]) < 0.15 and "jumps" not in result.text


def test_a_photo_of_a_screen_with_moire_gets_a_clear_answer(reader):
    rng = np.random.default_rng(7)
    card = text_card().astype(np.float32)
    ys, xs = np.mgrid[0 : card.shape[0], 0 : card.shape[1]].astype(np.float32)
    screen = np.clip(0.9 * card + 30 * np.sin(2 * np.pi * (0.33 * xs + 0.05 * ys))[..., None], 0, 255).astype(np.uint8)
    quad = card_quad(SIZE, screen.shape[:2], rng, 4, 0.5)
    image = photograph(place(screen, np.full((*SIZE, 3), 15, np.uint8), quad), rng)
    result = reader.read(image)
    assert result.text or result.notes
    assert cer([TRUTH], [result.text]) < 0.2


def test_the_finder_is_quick_on_a_12_megapixel_photo():
    image, quad, _ = card_photo(0, 12, "clutter", size=(3000, 4000))
    times = []
    for _ in range(3):  # the best of three: a loaded machine's stalls are not the finder's
        t0 = time.perf_counter()
        paper = find_paper(image)
        times.append(time.perf_counter() - t0)
    assert paper is not None and _corner_error(paper.quad, quad, image.shape) < 0.01
    assert min(times) < 0.5, f"{min(times) * 1000:.0f} ms"  # about 60 ms on two cores; a full-res pass takes seconds


def test_corners_are_ordered_clockwise_from_the_top_left():
    quad = np.float32([[10, 10], [110, 20], [105, 90], [5, 80]])
    for k in range(4):
        assert np.array_equal(order_corners(np.roll(quad, k, axis=0)), quad)
    assert np.array_equal(order_corners(quad[[0, 2, 1, 3]]), quad)


def test_boxes_of_the_crop_map_onto_the_photo():
    image, quad, _ = card_photo(2, 25, "dark")
    crop = crop_paper(image)
    assert crop.to_photo is not None and PaperCrop(image).photo_box([1, 2, 3, 4]) == [1, 2, 3, 4]
    h, w = crop.image.shape[:2]
    x, y, bw, bh = crop.photo_box([0, 0, w, h])
    corners = np.float32(crop.paper.quad)
    assert abs(x - corners[:, 0].min()) < 15 and abs(y - corners[:, 1].min()) < 15
    assert abs(x + bw - corners[:, 0].max()) < 15 and abs(y + bh - corners[:, 1].max()) < 15


def test_paper_mode_is_auto_or_off():
    assert check_mode(None) == "auto" and check_mode("off") == "off"
    with pytest.raises(EdgeOCRError, match="auto, off"):
        check_mode("sideways")
    with pytest.raises(EdgeOCRError, match="auto, off"):
        PageReader(paper="sideways")


def test_the_json_has_paper_only_when_one_was_found():
    assert "paper" not in Result("x").to_dict()
    assert Result("x", paper=[[0, 0], [9, 0], [9, 9], [0, 9]]).to_dict()["paper"][2] == [9, 9]


def test_cli_puts_the_paper_in_the_json_and_can_turn_it_off(write_png):
    image, quad, _ = card_photo(1, -20, "clutter")
    path = write_png("card.png", image)
    proc = run_cli("read", "--task", "page", "--json", str(path))
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert _corner_error(d["paper"], quad, image.shape) < 0.01 and cer([TRUTH], [d["text"]]) < 0.2
    assert "paper found and rectified" in proc.stderr
    proc = run_cli("read", "--task", "handwriting", "--json", "--paper", "off", str(path))
    assert proc.returncode == 0 and "paper" not in json.loads(proc.stdout)
    assert_clean_error(run_cli("read", "--task", "page", "--paper", "sideways", str(path)), "--paper")
    assert_clean_error(run_cli("read", "--task", "chars", "--paper", "off", str(path)),
                       "--paper applies to --task handwriting/page only")


@pytest.mark.parametrize("right_scale, drop, facing", [(1.0, 0, True), (1.0, 90, False), (0.5, 0, False)])
def test_two_pages_side_by_side_are_one_paper_only_when_they_face_each_other(right_scale, drop, facing):
    """An open book whose gutter's shadow parts its pages is cropped whole; a second paper beside the first,
    lower or smaller, is not part of it."""
    rng = np.random.default_rng(8)
    page = text_card(CARD_LINES * 3, 500)
    h, w = page.shape[:2]
    left = np.float32([[200, 150], [200 + w, 150], [200 + w, 150 + h], [200, 150 + h]])
    rh, rw = h * right_scale, w * right_scale
    x, y = 200 + w, 150 + drop
    right = np.float32([[x, y], [x + rw, y], [x + rw, y + rh], [x, y + rh]])
    image = place(page, place(page, scene(SIZE, rng), left), right).astype(np.float32)
    image *= 1 - 0.7 * np.exp(-np.abs(np.arange(SIZE[1]) - x) / 40)[None, :, None]  # the gutter's shadow
    image = photograph(image.astype(np.uint8), rng)
    paper = find_paper(image)
    assert paper is not None
    wants = [np.float32([left[0], right[1], right[2], left[3]])] if facing else [left, right]  # not: either one
    # the shadow moves the edge found beside it a little; the other answer is a page's width (0.25) away
    assert min(_corner_error(paper.quad, want, image.shape) for want in wants) < 0.03


def _leaked(step: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A region that ran on to the frame's right border past the paper's right side at x = 400 (a finger
    joined the paper to the scene): its quadrilateral, the edges seen and the colour image, the scene
    ``step`` grey levels from the paper."""
    colour = np.full((480, 640, 3), 200, np.uint8)
    colour[:, 400:] = 200 + step
    edges = cv2.Canny(colour, 10, 30)
    edges[200:260] = 0  # the finger hides part of the paper's side
    quad = np.float32([[100, 60], [639, 60], [639, 420], [100, 420]])
    return quad, edges, colour


def test_a_side_on_the_border_moves_in_to_the_papers_own_edge_past_a_finger():
    from edge_app.paper import _cut_at_edges, _near

    quad, edges, colour = _leaked(step=45)
    cut = _cut_at_edges(quad, _near(edges), colour)
    assert np.abs(cut[[1, 2], 0] - 400).max() <= 3 and np.allclose(cut[[0, 3]], quad[[0, 3]])
    quad, edges, colour = _leaked(step=0)  # a line of print, paper on both sides: the side stays
    edges[:, 399:401] = 255
    assert np.allclose(_cut_at_edges(quad, _near(edges), colour), quad)


def test_a_word_photo_that_fills_its_frame_has_no_paper_to_cut():
    """A handwritten word cropped close (the handwriting bench's first 60 held-out-face words): the whole
    frame is no paper in a scene, so no side of it moves in to an edge of the ink."""
    from train.data.handwriting import draw_sample, word_fonts
    from train.data.hw_text import punctuate, token

    rng = np.random.default_rng(20261122)
    fonts = word_fonts("test")
    words = [draw_sample("font", rng, fonts, None, punctuate(token(rng), rng))[0] for _ in range(60)]
    assert [i for i, w in enumerate(words) if find_paper(w) is not None] == []


def test_a_photo_too_small_for_a_scene_is_not_searched():
    """A word or line cut out of a photo (under SCENE_SIDE px on its shorter side) is read as it is: the
    same card scene that shows its paper at full size shows none when shrunk that small."""
    from edge_app.paper import SCENE_SIDE

    image, _, _ = card_photo(0, 12, "dark")
    assert crop_paper(image).paper is not None
    scale = (SCENE_SIDE - 1) / min(image.shape[:2])
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    assert find_paper(small) is not None  # the finder alone would still see it
    crop = crop_paper(small)
    assert crop.paper is None and crop.image is small
