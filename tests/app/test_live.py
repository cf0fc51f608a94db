"""Live plate reading without a window: a replay read to a stable voted plate, frames dropped (not
queued) behind a slow reader, and cameras that are missing, vanish or feed corrupt files."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from bench.app_driver import plate_replay
from edge_app.camera import CameraError, ReplaySource, Source
from edge_app.families.plate.reader import PlateReader
from edge_app.live import LivePlates
from edge_app.results import Item, Result


def _until(cond, timeout: float = 20.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture(scope="module")
def replay(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("replay")
    return folder, plate_replay(folder, frames=12)


def test_a_replayed_plate_becomes_a_stable_reading_with_timings(replay):
    folder, text = replay
    live = LivePlates(ReplaySource(folder, loop=True), PlateReader(), pace_fps=30)
    live.start()
    try:
        assert _until(lambda: any(r.text == text for r in live.snapshot().log)), live.snapshot()
        snap = live.snapshot()
        assert snap.frame.shape == (720, 1280, 3) and snap.result is not None
        assert {"capture", "find", "read"} <= set(snap.timings_ms)
        live.note_draw(3.0)
        assert live.snapshot().timings_ms["draw"] == 3.0
        csv = live.log_csv().splitlines()
        assert csv[0] == "plate,confidence,first_seen,last_seen,frames"  # rows in the order first seen:
        assert any(row.startswith(text + ",") for row in csv[1:])  # the scene's STOP sign may come first
    finally:
        live.stop()
    assert not live.snapshot().running


class _SlowReader:
    """Takes 50 ms a frame, far slower than the camera."""

    def __init__(self):
        self.seen: list[int] = []

    def read_photo(self, frame, name=""):
        self.seen.append(int(frame[0, 0, 0]))
        time.sleep(0.05)
        return Result(name, "ABC123", 0.9, [Item("ABC123", 0.9, [1, 1, 80, 20], char_confidences=[0.9] * 6)])


class _Counter(Source):
    """A fast live camera whose frames carry their number in the first pixel."""

    def __init__(self):
        self.n = 0

    def read(self):
        self.n += 1
        time.sleep(0.005)
        return np.full((16, 16, 3), self.n % 256, np.uint8)


def test_a_busy_reader_drops_frames_instead_of_queueing_them():
    reader = _SlowReader()
    live = LivePlates(_Counter(), reader)
    live.start()
    time.sleep(0.6)
    live.stop()
    snap = live.snapshot()
    assert snap.dropped > snap.processed > 3  # most frames were dropped, none waited in a queue
    gaps = np.diff(reader.seen)
    assert (gaps > 1).mean() > 0.5  # the reader jumps to the newest frame each time
    assert snap.captured >= snap.processed + snap.dropped


def test_no_camera_is_a_message_not_an_exception():
    live = LivePlates(ReplaySource("/nonexistent/frames"), _SlowReader())
    live.start()
    assert _until(lambda: not live.snapshot().running)
    assert "not found" in live.snapshot().message
    live.stop()


class _Vanishing(_Counter):
    def read(self):
        if self.n >= 5:
            raise CameraError("camera 0 stopped delivering frames (unplugged?)")
        return super().read()


def test_a_camera_that_vanishes_stops_the_run_with_a_message():
    live = LivePlates(_Vanishing(), _SlowReader())
    live.start()
    threads = list(live._threads)
    assert _until(lambda: not live.snapshot().running)
    assert live.snapshot().message == "camera 0 stopped delivering frames (unplugged?)"
    assert _until(lambda: not any(t.is_alive() for t in threads), 2)  # both threads end on their own


def test_corrupt_replay_files_are_skipped_and_said(replay, tmp_path):
    folder, _ = replay
    for f in sorted(folder.glob("*.jpg"))[:3]:
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "frame_0001b.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    # 10 fps: the replay lasts longer than a read (50 ms), also on a loaded machine (at 50 fps it sometimes
    # ended before the first read did)
    live = LivePlates(ReplaySource(tmp_path), _SlowReader(), pace_fps=10)
    live.start()
    assert _until(lambda: not live.snapshot().running)
    snap = live.snapshot()
    assert snap.processed >= 1
    assert snap.message.endswith("replay ended")
    live.stop()
    live2 = LivePlates(ReplaySource(tmp_path, loop=True), _SlowReader(), pace_fps=50)
    live2.start()
    assert _until(lambda: (live2.snapshot().message or "").startswith("skipped 1 unreadable"))
    live2.stop()


class _Scripted:
    """A reader whose k-th call reads ``script[k]`` (the last one from then on), whatever the frame."""

    def __init__(self, script: list[list[tuple[str, list[int]]]]):
        self.script, self.calls = script, 0

    def read_photo(self, frame, name=""):
        plates = self.script[min(self.calls, len(self.script) - 1)]
        self.calls += 1
        return Result(name, items=[Item(t, 0.9, box, char_confidences=[0.9] * len(t)) for t, box in plates])


def _played(script: list[list[tuple[str, list[int]]]]) -> LivePlates:
    """A stopped LivePlates whose reader went through ``script`` (and a few frames of its last line)."""
    reader = _Scripted(script)
    live = LivePlates(_Counter(), reader)
    live.start()
    try:
        assert _until(lambda: reader.calls > len(script) + 2)
    finally:
        live.stop()
    return live


def test_a_plate_whose_vote_settles_keeps_one_row_in_the_list():
    near, far = [100, 100, 120, 60], [600, 300, 120, 60]
    live = _played([[("ABC128", near), ("XY9876", far)]] * 3 + [[("ABC123", near), ("XY9876", far)]] * 8)
    rows = live.snapshot().log
    assert [r.text for r in rows] == ["ABC123", "XY9876"]  # ABC128 was the first vote of the same plate
    assert rows[0].first_seen <= rows[0].last_seen and rows[0].frames >= 9
    live.clear_log()
    assert live.snapshot().log == []


def test_two_plates_read_alike_keep_their_row_when_one_settles():
    a, b = [100, 100, 120, 60], [600, 300, 120, 60]
    live = _played([[("ABC128", a), ("ABC128", b)]] * 3 + [[("ABC123", a), ("ABC128", b)]] * 8)
    assert sorted(r.text for r in live.snapshot().log) == ["ABC123", "ABC128"]
