"""The text-region fallback (edge_app.text_region, issue 15): text on a ground of its own colour with no paper
edge, the scene all round, is found and read where the whole frame reads the scene as text, and none of its
lines is left out; a page filling the frame, a scan and a scene without text are left alone."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from edge_app.families.page.reader import PageReader
from edge_app.paper import TEXT_REGION, PaperCrop, crop_paper, cut_region, find_paper
from edge_app.text_metrics import cer
from edge_app.text_region import find_text_region, letter_boxes, text_lines
from tests.conftest import EDGELESS_SIZE, GROUND, edgeless_photo, photograph, scene, texture

SIZE = EDGELESS_SIZE


@pytest.fixture(scope="module")
def reader():
    return PageReader(num_threads=2)


@pytest.fixture(scope="module")
def sources():
    """Evaluation prose, the held-out book faces and the held-out handwriting faces."""
    from bench.camera_set import _sources

    return _sources(("card", "note"), None)


def _holds(corners: np.ndarray | list, box: tuple[int, ...]) -> bool:
    """Whether the upright rectangle ``corners`` holds ``box`` (x0, y0, x1, y1)."""
    c = np.float32(corners)
    return bool(c[:, 0].min() <= box[0] and c[:, 1].min() <= box[1] and c[:, 0].max() >= box[2]
                and c[:, 1].max() >= box[3])


@pytest.mark.parametrize("kind, seed", [("card", 0), ("card", 2), ("page", 1)])
def test_text_on_a_ground_of_its_own_colour_is_read_from_its_region_where_the_whole_frame_is_not(
        reader, sources, kind, seed):
    from bench.camera_set import _card, _page

    paras, faces, _ = sources
    rng = np.random.default_rng(seed)
    ink, lines = (_card if kind == "card" else _page)(paras, faces[seed % len(faces)], rng)
    image, box = edgeless_photo(ink, rng, 0.2 if kind == "card" else 0.3)
    assert find_paper(image) is None  # no paper edge: the fallback's case
    truth = "\n".join(lines)
    found, whole = reader.read(image), reader.read(image, paper="off")
    assert any(f"by {TEXT_REGION}" in n for n in found.notes) and whole.paper is None
    assert _holds(found.paper, box)  # every line of the text inside ...
    assert cv2.contourArea(np.float32(found.paper)) < 0.3 * SIZE[0] * SIZE[1]  # ... and most of the scene out
    assert cer([truth], [found.text]) < 0.1
    assert cer([truth], [whole.text]) > 0.5  # the issue: the scene's texture read as text
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    for item in found.items:  # word boxes are on the photo, on the ink
        x, y, bw, bh = item.box
        assert gray[y : y + bh, x : x + bw].min() < 0.7 * min(GROUND)


@pytest.mark.parametrize("seed", range(4))
def test_a_notes_widely_spaced_short_lines_all_stay_in_the_region(sources, seed):
    from bench.camera_set import _note

    paras, _, hands = sources
    rng = np.random.default_rng(seed)
    ink, lines, _ = _note(paras, None, hands, rng)
    image, box = edgeless_photo(ink, rng, 0.2)
    found = find_text_region(image)
    assert found is not None and _holds(found[0], box), (lines, found, box)


def _full_page(sources, table: bool) -> np.ndarray:
    """A printed page filling the photo (its text most of the frame), with a strip of cluttered table at
    its right side when ``table``."""
    from bench.camera_set import _page

    paras, faces, _ = sources
    rng = np.random.default_rng(4)
    ink, _ = _page(paras, faces[0], rng)
    ys, xs = np.nonzero(ink > 0.3)
    pad = 60
    ink = ink[ys.min() - pad : ys.max() + pad, xs.min() - pad : xs.max() + pad]
    page = np.float32(GROUND) * (1 - 0.85 * ink)[..., None]
    if table:
        strip = ink.shape[1] // 8
        table = scene((ink.shape[0], 4 * strip), rng, "clutter")[:, :strip]
        page = np.concatenate([page, table.astype(np.float32)], axis=1)
    return photograph(np.clip(page, 0, 255).astype(np.uint8), rng)


@pytest.mark.parametrize("table", [False, True])
def test_a_page_filling_the_frame_is_not_cropped(reader, sources, table):
    image = _full_page(sources, table)
    assert find_text_region(image) is None
    if not table:
        crop = crop_paper(image)
        assert crop.paper is None and crop.image is image
        assert reader.read(image).text == reader.read(image, paper="off").text


@pytest.mark.parametrize("seed", [0, 1])
def test_a_scene_without_text_has_no_region_and_reads_as_no_text(reader, seed):
    rng = np.random.default_rng(seed)
    image = photograph(scene(SIZE, rng, "clutter"), rng)
    assert find_paper(image) is None and find_text_region(image) is None
    result = reader.read(image)
    assert result.text == "" and result.paper is None and any("no text" in n for n in result.notes)
    rng = np.random.default_rng(seed)
    textured = np.clip(scene(SIZE, rng, "clutter") + 25 * texture(SIZE, rng)[..., None], 0, 255).astype(np.uint8)
    assert find_text_region(photograph(textured, rng)) is None  # gravel's specks line up into no text


def test_letters_in_a_row_link_into_one_line_and_scattered_specks_into_none_as_long():
    mask = np.zeros((300, 800), np.uint8)
    cv2.putText(mask, "reading a line", (40, 100), cv2.FONT_HERSHEY_DUPLEX, 1.6, 255, 3)
    rng = np.random.default_rng(0)
    for x, y in rng.integers([40, 180], [760, 280], (60, 2)):  # letter-sized specks scattered below it
        cv2.circle(mask, (int(x), int(y)), int(rng.integers(4, 9)), 255, 2)
    lines = sorted((ln for ln in text_lines(letter_boxes(mask), mask.shape) if ln.line), key=lambda ln: -ln.letters)
    assert lines[0].box[1] < 100 < lines[0].box[3] and lines[0].letters >= 10  # the text: one line
    assert all(ln.box[1] > 150 and ln.letters <= 4 for ln in lines[1:])


def test_a_region_is_cut_out_as_it_is_and_its_boxes_map_onto_the_photo():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 255, (400, 600, 3), dtype=np.uint8)
    quad = np.float32([[100.4, 50.6], [380.2, 50.6], [380.2, 250.1], [100.4, 250.1]])
    crop, to_photo = cut_region(image, quad)
    assert np.array_equal(crop, image[50:251, 100:381])  # whole pixels, not resampled
    paper = PaperCrop(crop, None, to_photo)
    assert paper.photo_box([10, 20, 30, 40]) == [110, 70, 30, 40]
    small, to_photo = cut_region(image, quad, max_side=140)
    assert max(small.shape[:2]) <= 140
    assert PaperCrop(small, None, to_photo).photo_box([0, 0, small.shape[1], small.shape[0]]) == [100, 50, 281, 201]


def test_a_word_crop_is_no_photo_to_cut_a_region_from(monkeypatch):
    """A crop of a word or a line (shorter than a photo) is its text already: no region is looked for (it
    cost a handwriting word read 6 ms)."""
    from edge_app import text_region

    looked = []
    monkeypatch.setattr(text_region, "ink_mask", lambda gray: looked.append(gray.shape) or np.zeros_like(gray))
    word = np.full((text_region.MIN_PHOTO_SIDE - 1, 900), 235, np.uint8)
    cv2.putText(word, "a line of text", (20, 140), cv2.FONT_HERSHEY_SIMPLEX, 2.5, 20, 5, cv2.LINE_AA)
    assert text_region.find_text_region(word) is None and looked == []
    text_region.find_text_region(np.full((text_region.MIN_PHOTO_SIDE, 900), 235, np.uint8))
    assert looked  # a photo is looked at
