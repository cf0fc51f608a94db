"""The capture layer: replay folders and videos, webcams that are missing or vanish, picamera2 through a fake."""

from __future__ import annotations

import sys
import types

import cv2
import numpy as np
import pytest

from edge_app.camera import CameraError, OpenCVSource, PiCameraSource, ReplaySource, open_source


def _frames(n: int) -> list[np.ndarray]:
    out = []
    for i in range(n):
        img = np.full((72, 128, 3), 200, np.uint8)
        cv2.putText(img, str(i), (40, 50), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 2)
        out.append(img)
    return out


def test_a_replay_folder_gives_its_frames_in_order_and_skips_corrupt_files(tmp_path):
    for i, f in enumerate(_frames(3)):
        cv2.imwrite(str(tmp_path / f"f{i}.png"), f)
    (tmp_path / "f1b.jpg").write_bytes(b"\xff\xd8\xff\xe0 broken")
    (tmp_path / "notes.txt").write_text("not a frame")
    with open_source(str(tmp_path)) as cam:
        got = [cam.read() for _ in range(4)]
    assert [g is None for g in got] == [False, False, False, True]
    assert np.array_equal(got[0], cv2.imread(str(tmp_path / "f0.png")))
    assert len(cam.skipped) == 1 and "f1b.jpg" in cam.skipped[0]


def test_a_looping_replay_starts_again(tmp_path):
    for i, f in enumerate(_frames(2)):
        cv2.imwrite(str(tmp_path / f"f{i}.png"), f)
    with ReplaySource(tmp_path, loop=True) as cam:
        assert all(cam.read() is not None for _ in range(7))


def test_a_replay_video_file(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (128, 72))
    for f in _frames(5):
        writer.write(f)
    writer.release()
    with open_source(str(path)) as cam:
        frames = []
        while (f := cam.read()) is not None:
            frames.append(f)
    assert len(frames) == 5 and frames[0].shape == (72, 128, 3)


@pytest.mark.parametrize("setup, fragment", [
    (lambda p: p / "missing", "not found"),
    (lambda p: p, "no images"),
    (lambda p: (p / "x.txt").write_text("hi") and p / "x.txt", "neither"),
])
def test_bad_replay_sources_get_one_line(tmp_path, setup, fragment):
    with pytest.raises(CameraError, match=fragment):
        ReplaySource(setup(tmp_path)).open()


def test_a_folder_of_only_corrupt_files_says_so(tmp_path):
    (tmp_path / "a.png").write_bytes(b"\x89PNG broken")
    with pytest.raises(CameraError, match="unreadable"), ReplaySource(tmp_path) as cam:
        cam.read()


def test_no_webcam_is_a_clear_error():
    with pytest.raises(CameraError, match="no camera"):
        OpenCVSource(97).open()


class _VanishingCapture:
    def __init__(self, frames: int):
        self.left = frames

    def read(self):
        self.left -= 1
        return (True, np.zeros((72, 128, 3), np.uint8)) if self.left >= 0 else (False, None)

    def release(self):
        pass


def test_a_webcam_that_disappears_mid_run_is_reported():
    cam = OpenCVSource(0)
    cam._cap = _VanishingCapture(2)
    assert cam.read() is not None and cam.read() is not None
    with pytest.raises(CameraError, match="stopped delivering"):
        for _ in range(10):
            cam.read()


class FakePicamera2:
    """picamera2's documented calls: create_video_configuration, configure, start, capture_array, stop, close."""

    instances: list = []
    fail_after: int | None = None  # frames before capture_array fails, as an unplugged camera does

    def __init__(self):
        self.calls: list[str] = []
        self.config = None
        self.fail_after = FakePicamera2.fail_after
        FakePicamera2.instances.append(self)

    def create_video_configuration(self, main=None, **kw):
        self.calls.append("create_video_configuration")
        return {"main": dict(main or {})}

    def configure(self, config):
        self.calls.append("configure")
        self.config = config

    def start(self):
        self.calls.append("start")

    def capture_array(self, name="main"):
        if self.fail_after is not None:
            self.fail_after -= 1
            if self.fail_after < 0:
                raise RuntimeError("Camera frontend has timed out!")
        w, h = self.config["main"]["size"]
        return np.zeros((h, w, 3), np.uint8)

    def stop(self):
        self.calls.append("stop")

    def close(self):
        self.calls.append("close")


@pytest.fixture
def fake_picamera2(monkeypatch):
    FakePicamera2.instances.clear()
    FakePicamera2.fail_after = None
    monkeypatch.setitem(sys.modules, "picamera2", types.SimpleNamespace(Picamera2=FakePicamera2))
    return FakePicamera2


def test_the_pi_camera_through_picamera2(fake_picamera2):
    with open_source("pi", size=(640, 480)) as cam:
        frame = cam.read()
    fake = fake_picamera2.instances[0]
    assert frame.shape == (480, 640, 3) and frame.dtype == np.uint8
    assert fake.config["main"] == {"size": (640, 480), "format": "RGB888"}
    assert fake.calls == ["create_video_configuration", "configure", "start", "stop", "close"]


def test_a_pi_camera_that_stops_is_reported(fake_picamera2):
    fake_picamera2.fail_after = 2
    with PiCameraSource() as cam:
        cam.read()
        cam.read()
        with pytest.raises(CameraError, match="stopped delivering frames: Camera frontend"):
            cam.read()


def test_no_picamera2_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "picamera2", None)
    with pytest.raises(CameraError, match="apt install python3-picamera2"):
        PiCameraSource().open()


def test_a_pi_without_a_camera_module_says_so(monkeypatch):
    def no_camera():
        raise IndexError("list index out of range")  # what Picamera2() raises when libcamera finds none

    monkeypatch.setitem(sys.modules, "picamera2", types.SimpleNamespace(Picamera2=no_camera))
    with pytest.raises(CameraError, match="cannot start the Pi camera: list index"):
        PiCameraSource().open()
