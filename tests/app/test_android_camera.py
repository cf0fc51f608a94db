"""The Android camera source over a fake of Kivy's Android camera provider (no phone here).

The fake ``kivy.core.camera.camera_android`` delivers NV21 buffers the way the real provider's
Java preview callback does; the source must turn the newest one into a BGR frame.
"""

from __future__ import annotations

import sys
import types

import cv2
import numpy as np
import pytest

pytest.importorskip("kivy")

from edge_app.camera import CameraError  # noqa: E402
from edge_app.ui import android_camera  # noqa: E402

W, H = 64, 48


def _nv21(bgr: np.ndarray) -> bytes:
    """BGR -> NV21 (Y plane, then interleaved V/U at half resolution), as android.hardware.Camera gives."""
    yuv = cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV_I420)  # Y, U plane, V plane
    y, u, v = yuv[:H], yuv[H:H + H // 4].reshape(-1), yuv[H + H // 4:].reshape(-1)
    return y.tobytes() + np.stack([v, u], axis=1).reshape(-1).tobytes()


class _FakeCameraAndroid:
    made: list = []

    def __init__(self, index=0, resolution=(640, 480), stopped=False):
        self.index, self.resolution, self.started, self.released, self.returned = index, resolution, False, False, 0
        _FakeCameraAndroid.made.append(self)

    def start(self):
        self.started = True

    def stop(self):
        self.started = False

    def _release_camera(self):
        self.released = True

    def _on_preview_frame(self, data, camera):
        self.returned += 1  # the real one hands the previous buffer back with addCallbackBuffer


@pytest.fixture
def fake_provider(monkeypatch):
    module = types.ModuleType("kivy.core.camera.camera_android")
    module.CameraAndroid = _FakeCameraAndroid
    monkeypatch.setitem(sys.modules, "kivy.core.camera.camera_android", module)
    monkeypatch.setattr(android_camera.Clock, "schedule_once", lambda fn, _t=0: fn(0))  # no UI loop in tests
    _FakeCameraAndroid.made.clear()
    return _FakeCameraAndroid


def test_nv21_buffers_become_bgr_frames_in_every_form_pyjnius_gives():
    bgr = np.zeros((H, W, 3), np.uint8)
    bgr[:, : W // 2] = (0, 0, 200)  # red left half, blue right half
    bgr[:, W // 2:] = (200, 0, 0)
    data = _nv21(bgr)
    signed = np.frombuffer(data, np.int8).tolist()
    for form in (data, bytearray(data), signed):
        out = android_camera.nv21_to_bgr(form, W, H)
        assert out.shape == (H, W, 3) and out.dtype == np.uint8
        assert np.abs(out[:, 4 : W // 2 - 4].astype(int) - (0, 0, 200)).max() < 12
        assert np.abs(out[:, W // 2 + 4 : -4].astype(int) - (200, 0, 0)).max() < 12
    with pytest.raises(CameraError, match="too short"):
        android_camera.nv21_to_bgr(data[:100], W, H)


def test_the_source_keeps_the_newest_frame_and_releases_the_camera(fake_provider):
    src = android_camera.AndroidCameraSource(resolution=(W, H))
    with src:
        cam = fake_provider.made[0]
        assert cam.started and cam.resolution == (W, H)
        grey = [np.full((H, W, 3), v, np.uint8) for v in (60, 180)]
        for g in grey:
            cam._on_preview_frame(_nv21(g), None)
        assert cam.returned == 2  # the provider's buffer recycling still runs
        frame = src.read()
        assert abs(int(frame.mean()) - 180) < 3  # the newest; the older one was dropped
        android_camera.FRAME_TIMEOUT_S, saved = 0.05, android_camera.FRAME_TIMEOUT_S
        try:
            with pytest.raises(CameraError, match="stopped delivering frames"):
                src.read()
        finally:
            android_camera.FRAME_TIMEOUT_S = saved
    assert not cam.started and cam.released
    src.close()  # twice is fine


def test_without_the_provider_the_error_is_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "kivy.core.camera.camera_android", None)
    with pytest.raises(CameraError, match="Android camera provider is missing"):
        android_camera.AndroidCameraSource().open()
