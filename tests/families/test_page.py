"""The shipped page model through PageReader and the CLI: photographed pages in, text and word boxes out."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from bench.page_bench import normalise
from edge_app.errors import EdgeOCRError
from edge_app.families.page.reader import PageReader
from edge_app.text_metrics import cer
from tests.conftest import assert_clean_error, page_photo, run_cli


@pytest.fixture(scope="module")
def reader():
    return PageReader(num_threads=2)


@pytest.fixture(scope="module")
def page():
    return page_photo(seed=11)


def _cer(truth: list[str], text: str) -> float:
    return cer([normalise("\n".join(truth))], [normalise(text)])


def test_a_photographed_page_in_a_held_out_face_reads_back(reader, page):
    image, lines = page
    result = reader.read(image)
    assert result.text.count("\n") + 1 == len(lines)
    assert _cer(lines, result.text) < 0.03
    assert result.timings_ms["model"] > 0 and 0 < result.confidence <= 1


def test_words_come_with_boxes_on_their_ink(reader, page):
    image, lines = page
    result = reader.read(image)
    words = result.text.split()
    assert len(result.items) == len(words) and [i.text for i in result.items] == words
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).astype(np.float32)
    h, w = gray.shape
    for item in result.items:
        x, y, bw, bh = item.box
        assert x >= 0 and y >= 0 and x + bw <= w + 2 and y + bh <= h + 2
        inside = gray[y : y + bh, x : x + bw]
        assert inside.min() < np.median(gray) - 40  # dark print inside every word's box
    first = [i for i in result.items if abs(i.box[1] - result.items[0].box[1]) < 5]
    assert [i.box[0] for i in first] == sorted(i.box[0] for i in first)


def test_an_upside_down_page_is_turned_and_read(reader, page):
    image, lines = page
    result = reader.read(cv2.rotate(image, cv2.ROTATE_180))
    assert any("upside down" in n for n in result.notes)
    assert _cer(lines, result.text) < 0.04


def test_dehyphenate_joins_broken_words():
    image, lines = page_photo(seed=11)
    assert any(ln.endswith("-") for ln in lines[:-1])
    text = PageReader(dehyphenate=True).read(image).text.split("\n")
    assert sum(ln.endswith("-") for ln in text) < sum(ln.endswith("-") for ln in lines)


@pytest.mark.parametrize("image", [np.full((1200, 900, 3), 230, np.uint8), np.zeros((40, 40), np.uint8)])
def test_pages_without_text_read_as_nothing_and_say_why(reader, image):
    result = reader.read(image)
    assert result.text == "" and result.items == [] and result.notes


def test_a_model_of_another_shape_is_refused():
    with pytest.raises(EdgeOCRError, match="not the page reader"):
        PageReader(model_name="handwriting")


def test_cli_reads_a_page_as_json_and_annotates(tmp_path, page):
    image, lines = page
    path = tmp_path / "page.jpg"
    cv2.imwrite(str(path), image)
    proc = run_cli("read", "--task", "page", str(path), "--json", "--annotate", str(tmp_path / "ann"))
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["text"].count("\n") + 1 == len(lines) and len(d["items"]) > 100
    assert (tmp_path / "ann" / "page.annotated.png").stat().st_size > 0
    proc = run_cli("read", "--task", "page", str(path), "--dehyphenate")
    assert proc.returncode == 0 and proc.stdout.startswith(f"{path}\t")


def test_cli_page_bad_input(tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really")
    proc = run_cli("read", "--task", "page", str(bad))
    assert_clean_error(proc, "bad.jpg", code=1)
    assert_clean_error(run_cli("read", "--task", "chars", str(bad), "--dehyphenate"), "--task page only")
    assert_clean_error(run_cli("serve", "--port", "70000"), "--port")
    assert_clean_error(run_cli("serve", "--bogus"), "unrecognized arguments")


def test_the_page_is_found_on_its_table_and_reads_as_well_as_the_whole_frame(reader, page):
    image, lines = page
    on, off = reader.read(image), reader.read(image, paper="off")
    h, w = image.shape[:2]
    assert on.paper is not None and off.paper is None and "paper found" in on.notes[0]
    quad = np.float32(on.paper)
    assert 0.6 * h * w < cv2.contourArea(quad) < 0.9 * h * w  # the page, not the table around it
    assert _cer(lines, on.text) <= _cer(lines, off.text) + 0.01
