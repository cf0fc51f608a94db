"""The real Kivy app in a real window (Xvfb when there is no display), driven like a user would:
synthetic touches, a replayed camera, a bad model, a missing or vanishing camera. Each scenario runs
in its own process (bench.app_driver) and reports what the window shows.

Needs Kivy (the [app] extra) and Xvfb; without them these tests are skipped, unless
EDGEOCR_REQUIRE_APP_TESTS=1 (CI sets it) turns the skip into a failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest

from bench.app_driver import plate_replay, run_scenario, virtual_display
from tests.conftest import MODELS

_missing = [what for what, ok in (("kivy", importlib.util.find_spec("kivy") is not None),
                                  ("Xvfb", bool(os.environ.get("DISPLAY")) or shutil.which("Xvfb") is not None))
            if not ok]
if _missing and os.environ.get("EDGEOCR_REQUIRE_APP_TESTS") == "1":
    raise RuntimeError(f"app window tests need {', '.join(_missing)} (pip install '.[app]'; apt-get install xvfb)")
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"needs {', '.join(_missing)}")


@pytest.fixture(scope="module")
def display():
    with virtual_display() as env:
        yield env


@pytest.fixture(scope="module")
def replay(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("frames")
    return folder, plate_replay(folder, frames=30)


def _run(display, tmp_path, scenario: str, **options) -> dict:
    report = run_scenario(scenario, tmp_path / f"{scenario}.json", display, timeout=120, **options)
    assert report["exit"] == 0 and not report.get("timeout"), report
    return report


def _still_draws_a_seven(report: dict) -> None:
    """After the trouble, the app kept running: the Draw screen still reads a drawn 7."""
    assert report["label"] == "7", report


def test_touches_that_draw_a_7_put_7_in_the_result_label(display, tmp_path):
    r = _run(display, tmp_path, "draw7", repeat=3, shots=tmp_path)
    assert r["labels"] == ["7", "7", "7"] and r["alternatives"].startswith("7 ")
    assert r["cleared"]  # Clear empties the canvas and the label
    assert max(r["latency_ms"]) < 1000
    assert (tmp_path / "draw.png").stat().st_size > 5000


def test_portrait_phone_layout_still_draws_and_reads(display, tmp_path):
    r = _run(display, tmp_path, "draw7", size="480x800")
    assert r["label"] == "7"


def test_the_plate_screen_shows_the_replayed_plate(display, tmp_path, replay):
    folder, text = replay
    r = _run(display, tmp_path, "plate", replay=folder, seconds=30)
    assert text in r["readings"], r
    assert "FPS" in r["stats"] and "find" in r["stats"] and "draw" in r["stats"]
    assert r["first_frame_s"] is not None


def test_the_page_screen_reads_a_photo_and_copies_the_text(display, tmp_path):
    r = _run(display, tmp_path, "page")
    assert r["text"].startswith("A BOOK OF DAYS") and "collective hunch" in r["text"]
    assert "characters copied" in r["message"]
    assert len(r["paper"]) == 4 and "[paper found and rectified" in r["text"]  # its outline is drawn on the photo


def test_a_model_failing_validation_is_rejected_on_screen(display, tmp_path):
    bad = tmp_path / "run"
    bad.mkdir()
    entry = json.loads((MODELS / "manifest.json").read_text())["models"]["char"]
    shutil.copyfile(MODELS / entry["file"], bad / entry["file"])
    entry = {**entry, "alphabet": entry["alphabet"][::-1]}
    (bad / "manifest.json").write_text(json.dumps({"format": 1, "models": {"char": entry}}))
    models = tmp_path / "models"
    shutil.copytree(MODELS, models)
    r = _run(display, tmp_path, "models", load=bad / entry["file"], models=models)
    assert {"char", "plate", "page", "handwriting"} <= set(r["rows"])
    assert "rejected char.tflite: self-test failed" in r["after_load"]
    assert r["rows_after"] == r["rows"]
    _still_draws_a_seven(r)


def test_no_camera_is_a_message_on_screen(display, tmp_path):
    r = _run(display, tmp_path, "nocamera", source="7")
    assert "no camera at 7" in r["camera_message"] and r["frames_shown"] == 0
    _still_draws_a_seven(r)


def test_a_camera_vanishing_mid_run_is_a_message_on_screen(display, tmp_path, replay):
    r = _run(display, tmp_path, "vanish", replay=replay[0])
    assert "stopped delivering frames" in r["camera_message"]
    _still_draws_a_seven(r)


def test_corrupt_replay_files_are_skipped_with_a_message(display, tmp_path, replay):
    frames = tmp_path / "frames"
    frames.mkdir()
    for f in sorted(replay[0].glob("*.jpg"))[:6]:
        shutil.copyfile(f, frames / f.name)
    (frames / "frame_0002b.jpg").write_bytes(b"\xff\xd8\xff broken")
    r = _run(display, tmp_path, "corrupt", replay=frames)
    assert r["camera_message"].startswith("Camera: skipped 1 unreadable file(s)") and r["frames_shown"] > 0
    _still_draws_a_seven(r)
