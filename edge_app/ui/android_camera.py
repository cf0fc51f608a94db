"""Capture stage on Android: the phone's camera through camera4kivy (CameraX), as a :class:`Source`.

camera4kivy hands analysis frames (RGBA) to a Preview widget's ``analyze_pixels_callback`` on its own
thread; this source keeps only the newest one (older ones are dropped) and ``read`` returns it as BGR.
The Preview widget must live in the window and be made on the UI thread, so ``open`` and ``close``
hop there. Written against camera4kivy's documented API; it has not been run on a phone here.
"""

from __future__ import annotations

import contextlib
import threading

import cv2
import numpy as np
from kivy.clock import Clock

from ..camera import CameraError, Source

FRAME_TIMEOUT_S = 5.0


class AndroidCameraSource(Source):
    """The back camera of an Android phone or tablet."""

    name = "phone camera"

    def __init__(self, resolution: int = 720):
        self.resolution = resolution
        self._cv = threading.Condition()
        self._frame: np.ndarray | None = None
        self._preview = None

    def _push(self, pixels: bytes, size: tuple[int, int]) -> None:
        w, h = int(size[0]), int(size[1])
        rgba = np.frombuffer(pixels, np.uint8).reshape(h, w, 4)
        with self._cv:
            self._frame = cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGR)
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
            from camera4kivy import Preview
        except ImportError:
            raise CameraError("camera4kivy is missing from this build (see buildozer.spec)") from None
        source = self

        class _Preview(Preview):
            def analyze_pixels_callback(self, pixels, image_size, image_pos, scale, mirror):
                source._push(pixels, image_size)

        def start():
            from kivy.core.window import Window

            self._preview = _Preview(size_hint=(None, None), size=(1, 1))
            Window.add_widget(self._preview)
            self._preview.connect_camera(camera_id="back", enable_analyze_pixels=True,
                                         analyze_pixels_resolution=self.resolution)

        self._on_ui(start)
        return self

    def read(self) -> np.ndarray | None:
        with self._cv:
            if not self._cv.wait_for(lambda: self._frame is not None, FRAME_TIMEOUT_S):
                raise CameraError("the phone camera stopped delivering frames (permission revoked, or in use?)")
            frame, self._frame = self._frame, None
        return frame

    def close(self) -> None:
        preview, self._preview = self._preview, None
        if preview is None:
            return

        def stop():
            from kivy.core.window import Window

            preview.disconnect_camera()
            Window.remove_widget(preview)

        with contextlib.suppress(CameraError):  # closing a camera that is already gone
            self._on_ui(stop)
