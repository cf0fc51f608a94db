"""Capture stage on Android: the phone's camera through Kivy's own Android camera provider, as a :class:`Source`.

Kivy's provider (``kivy.core.camera.camera_android.CameraAndroid``) drives ``android.hardware.Camera``
through pyjnius: it ships no native library of its own, so the APK's native code is only what
python-for-android builds with the NDK in buildozer.spec (16 KB-page aligned from NDK r28), unlike
camera4kivy's CameraX provider (archived in 2023). The caveat: ``android.hardware.Camera`` is the
deprecated Camera1 API (still present on current Android, preview frames in NV21 only, no CameraX
extras); see docs/android.md.

The provider hands each NV21 preview buffer to ``_on_preview_frame`` on a Java thread; this source
keeps only the newest one (older ones are dropped) and ``read`` returns it as BGR. The provider makes
a GL texture, so ``open`` and ``close`` hop to the UI thread. Not run on a phone here.
"""

from __future__ import annotations

import contextlib
import threading

import cv2
import numpy as np
from kivy.clock import Clock

from ..camera import CameraError, Source

FRAME_TIMEOUT_S = 5.0


def nv21_to_bgr(data, width: int, height: int) -> np.ndarray:
    """An NV21 preview buffer (bytes, bytearray, or the list of signed ints pyjnius may give) -> BGR."""
    raw = (bytes(data) if isinstance(data, (bytes, bytearray, memoryview))
           else np.asarray(data, np.int16).astype(np.int8).tobytes())
    need = width * height * 3 // 2
    if len(raw) < need:
        raise CameraError(f"a camera frame of {len(raw)} bytes is too short for {width}x{height} NV21")
    yuv = np.frombuffer(raw[:need], np.uint8).reshape(height * 3 // 2, width)
    return cv2.cvtColor(yuv, cv2.COLOR_YUV2BGR_NV21)


class AndroidCameraSource(Source):
    """The back camera (index 0) of an Android phone or tablet."""

    name = "phone camera"

    def __init__(self, index: int = 0, resolution: tuple[int, int] = (1280, 720)):
        self.index, self.resolution = index, resolution
        self._cv = threading.Condition()
        self._frame: np.ndarray | None = None
        self._camera = None

    def _push(self, data) -> None:
        frame = nv21_to_bgr(data, *self.resolution)
        with self._cv:
            self._frame = frame
            self._cv.notify_all()

    def _on_ui(self, fn) -> None:
        """Run ``fn`` on the UI thread and wait for it; its exception is re-raised here."""
        done, box = threading.Event(), {}

        def call(_dt):
            try:
                fn()
            except Exception as exc:  # reported to the caller below
                box["error"] = exc
            done.set()

        Clock.schedule_once(call, 0)
        if not done.wait(10):
            raise CameraError("the phone camera did not start (UI thread busy)")
        if "error" in box:
            raise CameraError(f"cannot start the phone camera: {box['error']}")

    def open(self) -> AndroidCameraSource:
        try:
            from kivy.core.camera.camera_android import CameraAndroid
        except ImportError:
            raise CameraError("Kivy's Android camera provider is missing (not an Android build?)") from None
        source = self

        class _Camera(CameraAndroid):
            def _on_preview_frame(self, data, camera):
                super()._on_preview_frame(data, camera)  # hands the previous buffer back to the camera
                source._push(data)

        def start():
            self._camera = _Camera(index=self.index, resolution=self.resolution, stopped=True)
            self._camera.start()

        self._on_ui(start)
        return self

    def read(self) -> np.ndarray | None:
        with self._cv:
            if not self._cv.wait_for(lambda: self._frame is not None, FRAME_TIMEOUT_S):
                raise CameraError("the phone camera stopped delivering frames (permission revoked, or in use?)")
            frame, self._frame = self._frame, None
        return frame

    def close(self) -> None:
        camera, self._camera = self._camera, None
        if camera is None:
            return

        def stop():
            camera.stop()
            camera._release_camera()  # frees android.hardware.Camera for other apps

        with contextlib.suppress(CameraError):  # closing a camera that is already gone
            self._on_ui(stop)
