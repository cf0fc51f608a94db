"""The camera development set (bench/camera_set.py) and its bench section, on a tiny fake scenes folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import assert_clean_error, run_cli


@pytest.fixture(scope="module")
def scenes(tmp_path_factory) -> Path:
    """A plate-photos-like folder: two small blurred colour photos in images/."""
    folder = tmp_path_factory.mktemp("scenes")
    (folder / "images").mkdir()
    for i in range(2):
        rng = np.random.default_rng(i)
        img = cv2.GaussianBlur(rng.uniform(30, 140, (300, 400, 3)).astype(np.uint8), (0, 0), 4)
        cv2.imwrite(str(folder / "images" / f"scene{i}.jpg"), img)
    return folder


COUNTS = {"page": 1, "card": 1, "receipt": 1, "note": 1}


@pytest.fixture(scope="module")
def photos(scenes):
    from bench.camera_set import camera_set

    return camera_set(scenes, seed=7, counts=COUNTS)


def test_the_set_is_deterministic(scenes, photos):
    from bench.camera_set import camera_set

    assert [p.kind for p in photos] == ["page", "card", "receipt", "note"]
    # made again (and only some kinds, as a bench makes them): the very same photos, truths and corners
    again = camera_set(scenes, seed=7, counts={"card": 1, "receipt": 1})
    for a, b in zip(photos[1:3], again):
        assert np.array_equal(a.image, b.image) and a.lines == b.lines and np.array_equal(a.corners, b.corners)
    other = camera_set(scenes, seed=8, counts={"card": 1})[0]
    assert other.lines != photos[1].lines or not np.array_equal(other.image, photos[1].image)


def test_photos_are_phone_frames_with_the_paper_inside(photos):
    from bench.camera_set import FRAMES

    for p in photos:
        h, w = p.image.shape[:2]
        assert (w, h) in FRAMES or (h, w) in FRAMES
        assert p.corners.shape == (4, 2)
        assert (p.corners >= 0).all() and (p.corners[:, 0] < w).all() and (p.corners[:, 1] < h).all()
        share = cv2.contourArea(p.corners) / (w * h)
        assert 0.15 <= share <= 0.8 and p.info["share"] == pytest.approx(share, abs=0.01)
        assert p.info["tilt_deg"] <= 25 and 40 <= p.info["jpeg"] <= 90
        assert p.lines and all(line.strip() for line in p.lines)
    assert 3 <= len(photos[1].lines) <= 5  # a card: a few short lines
    assert any(any(c.isdigit() for c in line) for line in photos[2].lines)  # a receipt: prices


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def test_text_and_faces_are_held_out(photos):
    from train.data.handwriting import _word_font_names
    from train.data.printed import BOOK_FONTS, HELD_OUT_BOOK_FONTS
    from train.data.prose import paragraphs

    for p in photos:
        if p.kind == "note":  # no crops given: a held-out handwriting face
            assert p.face in _word_font_names("test") and p.face not in _word_font_names("train")
        else:
            assert p.face in HELD_OUT_BOOK_FONTS and p.face not in BOOK_FONTS
    evals, train = paragraphs("eval"), set(paragraphs("train"))
    eval_words = {w for para in evals for w in _words(para)} | {
        re.sub(r"[^a-z0-9]", "", w.lower()) for para in evals for w in para.split()}
    for p in photos:
        for line in p.lines:
            if p.kind == "page":  # a run of words of one evaluation paragraph, never a training one
                run = " ".join(_words(line))
                sources = [para for para in evals if run in " ".join(_words(para))]
                assert sources and not any(para in train for para in sources), line
            else:  # cards, receipts and notes: evaluation words (and prices)
                assert all(w in eval_words or w.isdigit() for w in _words(line)), line


def test_corner_error_ignores_which_corner_comes_first():
    from bench.camera_set import corner_error

    quad = np.float32([[10, 10], [110, 12], [108, 90], [12, 88]])
    assert corner_error(np.roll(quad, 1, axis=0), quad, (100, 200)) == 0.0
    assert corner_error(quad + [3, 4], quad, (300, 400)) == pytest.approx(5 / 500)
    assert corner_error(None, quad, (100, 200)) is None


def test_words_right_counts_matching_words_in_order():
    from bench.camera_bench import words_right

    assert words_right(["the cat sat on it"], ["the cat sat on it"]) == 100.0
    assert words_right(["the cat sat", "a b"], ["the bat sat", "a"]) == 60.0


def test_a_text_region_read_is_no_found_paper():
    from bench.camera_bench import found_paper
    from edge_app.results import Result

    box = [[0, 0], [9, 0], [9, 9], [0, 9]]
    assert found_paper(Result("x", paper=box, notes=["paper found and rectified (9x9 px crop, by edges)"])) == box
    assert found_paper(Result("x", paper=box, notes=["no paper edge found: cropped to the text (9x9 px crop, "
                                                     "by text region)"])) is None
    assert found_paper(Result("x")) is None


def test_a_missing_scenes_folder_is_one_line_before_anything_is_written(tmp_path):
    proc = run_cli("bench", "page", "--scenes", str(tmp_path / "no-such"), cwd=tmp_path)
    assert_clean_error(proc, "--scenes", code=2)
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    (tmp_path / "empty").mkdir()
    proc = run_cli("bench", "page", "--scenes", str(tmp_path / "empty"), cwd=tmp_path)
    assert_clean_error(proc, "images/*.jpg", code=2)
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    proc = run_cli("bench", "app", "--scenes", str(tmp_path / "empty"), cwd=tmp_path)
    assert_clean_error(proc, "--scenes applies to bench handwriting and page only", code=2)
    proc = run_cli("bench", "page", "--camera", "2", cwd=tmp_path)
    assert_clean_error(proc, "--camera needs --scenes", code=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


def test_the_camera_section_reads_a_tiny_set_and_leads_the_page_report(tmp_path, scenes):
    """The section a bench run writes (run_camera, as bench page calls it, on one card and no peers), and
    the page report's order: camera figures first, renders second."""
    import argparse

    from bench import camera_bench, page_bench
    from edge_app.families.page.reader import PageReader

    args = argparse.Namespace(scenes=str(scenes), camera=1)
    (tmp_path / "camera_page_worst").mkdir()
    (tmp_path / "camera_page_worst" / "007_page.png").write_bytes(b"an earlier run's")
    c = camera_bench.run_camera(args, tmp_path, "page", ("card",), PageReader(num_threads=2), page_bench._scores, [])
    assert c["photos"] == 1 and c["counts"] == {"card": 1}
    auto, off = c["systems"]["edgeocr (paper auto)"], c["systems"]["edgeocr (paper off)"]
    assert {"all", "card"} <= set(auto) and auto["all"]["cer"] >= 0 and "upside_down" in off
    assert c["corners"]["of"] == 1 and "big" not in c
    assert len(json.loads((tmp_path / "camera_page_reads.json").read_text())) == 1
    assert [p.name for p in (tmp_path / "camera_page_worst").glob("*.png")] == ["000_card.png"]
    camera_bench.plot(c, tmp_path / "camera.png", "camera")
    assert (tmp_path / "camera.png").stat().st_size > 0
    e = {"cer": 1.0, "wer": 2.0, "s_per_page": 0.2, "size_kb": 300, "s_per_page_1t": 0.3, "s_per_page_2t": 0.2,
         "ms_by_stage": {"segment": 100}, "ms_per_chunk_model": 0.7, "cer_strict": 1.0, "line_count_right_pct": 100}
    r = {"camera": c, "date": "today", "machine": "here", "pages": 1, "size_px": [900, 1200], "lines": 25,
         "chars": 1000, "faces": ["CharisSIL-Regular"], "systems": {page_bench.INT8: e},
         "edgeocr_cer_per_page": {"median": 1.0, "worst": 1.0, "worst_page": 0, "worst_face": "x", "all_but_worst": 0},
         "upside_down": {"pages": 1, "detected": 1, "cer": 1.0}, "edgeocr_cer_by_face": {"x": 1.0}}
    md = page_bench._markdown(r)
    assert md.index("## Camera development set") < md.index("## Full-frame renders")
    assert "| camera printed CER (paper auto) | <= 2% |" in md and "| 12 MP photo whole read, 2 threads |" in md
    assert "| edgeocr (paper off) |" in md


def test_the_big_photo_is_timed(scenes, monkeypatch):
    """The 12 MP timing path, on a smaller frame (making a 4000x3000 photo takes long on a loaded machine)."""
    from bench import camera_bench, camera_set, page_bench
    from edge_app.families.page.reader import PageReader

    assert camera_set.BIG_FRAME == (4000, 3000)
    monkeypatch.setattr(camera_set, "BIG_FRAME", (800, 600))
    monkeypatch.setattr(camera_bench, "BIG_REPEATS", 1)
    b = camera_bench._big(str(scenes), PageReader(num_threads=2), page_bench._scores)
    assert b["size_px"] == [800, 600] and b["s"] > 0 and b["cer"] >= 0


def test_bench_page_without_scenes_says_the_camera_section_was_skipped():
    from bench.camera_bench import markdown

    lines = markdown(None, "printed papers", "wer", "WER %")
    assert any("Not run: no `--scenes DIR` given" in line for line in lines)
