"""Capture stage: one interface over the cameras a device has, and a replay source for demos and tests.

    with open_source("pi") as cam:         # picamera2 on a Raspberry Pi
    with open_source("0") as cam:          # OpenCV VideoCapture: USB or desktop webcam 0
    with open_source("frames/") as cam:    # replay: a folder of images or a video file
        frame = cam.read()                 # BGR uint8, or None when a replay has ended

Every failure is a :class:`CameraError` with one line saying what is wrong (no camera, a camera that
stopped delivering frames, picamera2 missing); a replay skips corrupt files and lists them in
``skipped``. No Kivy here: the app's UI wraps these.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import EdgeOCRError
from .images import IMAGE_SUFFIXES, load_image

VIDEO_SUFFIXES = {".mp4", ".avi", ".mkv", ".mov", ".webm", ".mjpg", ".mjpeg"}
MAX_FAILED_READS = 5  # consecutive failed reads before a live camera counts as gone


class CameraError(EdgeOCRError):
    """A camera cannot be opened or stopped delivering frames."""


class Source:
    """A frame source; use as a context manager. ``read`` gives BGR uint8 frames, None at a replay's end."""

    name = "source"
    live = True  # a camera; a replay sets False (its None means the end, not a dropped read)

    def open(self) -> Source:
        return self

    def read(self) -> np.ndarray | None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        """Release the device; safe to call twice."""

    def __enter__(self) -> Source:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()


def _bgr(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return np.repeat(frame[..., None], 3, axis=2)
    return frame[..., :3] if frame.shape[2] == 4 else frame


class ReplaySource(Source):
    """Frames from a folder of images (name order) or a video file; ``loop`` starts again at the end."""

    def __init__(self, path: str | Path, loop: bool = False):
        self.path, self.loop = Path(path), loop
        self.name = f"replay {self.path}"
        self.live = False
        self.skipped: list[str] = []
        self._files: list[Path] = []
        self._i = 0
        self._video = None

    def open(self) -> ReplaySource:
        import cv2

        if not self.path.exists():
            raise CameraError(f"replay source {self.path} not found")
        if self.path.is_dir():
            self._files = sorted(p for p in self.path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            if not self._files:
                raise CameraError(f"replay folder {self.path} has no images")
        elif self.path.suffix.lower() in VIDEO_SUFFIXES:
            self._video = cv2.VideoCapture(str(self.path))
            if not self._video.isOpened():
                raise CameraError(f"cannot open video {self.path}")
        else:
            raise CameraError(f"{self.path} is neither a folder of images nor a video file")
        return self

    def read(self) -> np.ndarray | None:
        if self._video is not None:
            ok, frame = self._video.read()
            if not ok and self.loop:
                self._video.set(1, 0)  # CAP_PROP_POS_FRAMES
                ok, frame = self._video.read()
            return _bgr(frame) if ok else None
        for _ in range(len(self._files)):  # at most one pass of corrupt files
            if self._i >= len(self._files):
                if not self.loop:
                    return None
                self._i = 0
            f = self._files[self._i]
            self._i += 1
            try:
                return _bgr(load_image(f))
            except EdgeOCRError as exc:
                if str(exc) not in self.skipped:
                    self.skipped.append(str(exc))
        if len(self.skipped) >= len(self._files):
            raise CameraError(f"every image in {self.path} is unreadable")
        return None

    def close(self) -> None:
        if self._video is not None:
            self._video.release()
            self._video = None


class OpenCVSource(Source):
    """A USB or desktop webcam (or a stream URL) through OpenCV's VideoCapture."""

    def __init__(self, device: int | str = 0, size: tuple[int, int] | None = (1280, 720)):
        self.device, self.size = device, size
        self.name = f"camera {device}"
        self._cap = None
        self._failed = 0

    def open(self) -> OpenCVSource:
        import cv2

        log = cv2.utils.logging
        level = log.getLogLevel()
        log.setLogLevel(log.LOG_LEVEL_ERROR)  # OpenCV's own probe warnings; CameraError says it in one line
        try:
            self._cap = cv2.VideoCapture(self.device)
        finally:
            log.setLogLevel(level)
        if not self._cap.isOpened():
            self._cap.release()
            self._cap = None
            raise CameraError(f"no camera at {self.device!r} (is one connected, and free?)")
        if self.size:
            self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.size[0])
            self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.size[1])
        return self

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            raise CameraError(f"{self.name} is not open")
        ok, frame = self._cap.read()
        if ok and frame is not None:
            self._failed = 0
            return _bgr(frame)
        self._failed += 1
        if self._failed >= MAX_FAILED_READS:
            raise CameraError(f"{self.name} stopped delivering frames (unplugged?)")
        return None

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class PiCameraSource(Source):
    """The Raspberry Pi camera through picamera2 (apt install python3-picamera2)."""

    def __init__(self, size: tuple[int, int] = (1280, 720)):
        self.size = size
        self.name = "Pi camera"
        self._cam = None

    def open(self) -> PiCameraSource:
        try:
            from picamera2 import Picamera2
        except ImportError:
            raise CameraError("picamera2 is not installed: sudo apt install python3-picamera2, and make the venv "
                              "with --system-site-packages") from None
        try:
            cam = Picamera2()
            # "RGB888" is 24-bit pixels stored B, G, R: what OpenCV calls BGR
            cam.configure(cam.create_video_configuration(main={"size": tuple(self.size), "format": "RGB888"}))
            cam.start()
        except Exception as exc:  # libcamera raises RuntimeError/IndexError when no camera is attached
            why = str(exc).splitlines()[0] if str(exc) else repr(exc)
            raise CameraError(f"cannot start the Pi camera: {why}") from None
        self._cam = cam
        return self

    def read(self) -> np.ndarray | None:
        if self._cam is None:
            raise CameraError("the Pi camera is not open")
        try:
            return _bgr(np.asarray(self._cam.capture_array("main")))
        except Exception as exc:
            raise CameraError(f"the Pi camera stopped delivering frames: {exc}") from None

    def close(self) -> None:
        if self._cam is not None:
            cam, self._cam = self._cam, None
            try:
                cam.stop()
            finally:
                cam.close()


def open_source(spec: str, size: tuple[int, int] = (1280, 720), loop: bool = False) -> Source:
    """A source from a user's words: ``pi``, a webcam index (``0``), a stream URL, or a folder/video to replay."""
    if spec == "pi":
        return PiCameraSource(size)
    if spec.isdigit():
        return OpenCVSource(int(spec), size)
    if "://" in spec:
        return OpenCVSource(spec, None)
    return ReplaySource(spec, loop)
