"""Peer OCR engines run side by side in benchmarks, when installed: Tesseract and RapidOCR."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np


class Peer:
    """A peer engine reading one image file; ``read`` returns (text, seconds)."""

    name = "peer"

    def read(self, path: Path) -> tuple[str, float]:  # pragma: no cover - interface
        raise NotImplementedError


class Tesseract(Peer):
    """Tesseract 5 through its command line (apt-get install tesseract-ocr)."""

    def __init__(self, psm: int, whitelist: str):
        self.psm, self.whitelist = psm, whitelist
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout
        self.name = out.splitlines()[0].strip() if out else "tesseract"

    @staticmethod
    def available() -> bool:
        return shutil.which("tesseract") is not None

    def read(self, path: Path) -> tuple[str, float]:
        t = time.perf_counter()
        cmd = ["tesseract", str(path), "stdout", "--psm", str(self.psm),
               "-c", f"tessedit_char_whitelist={self.whitelist}"]
        out = subprocess.run(cmd, capture_output=True, text=True, env={"OMP_THREAD_LIMIT": "1"}).stdout
        return "".join(out.split()), time.perf_counter() - t

    def read_page(self, path: Path) -> tuple[str, float]:
        """A whole page with its own layout analysis (psm 3, English, no whitelist): text with line breaks."""
        t = time.perf_counter()
        out = subprocess.run(["tesseract", str(path), "stdout", "-l", "eng", "--psm", "3"], capture_output=True,
                             text=True).stdout
        return "\n".join(ln for ln in out.splitlines() if ln.strip()), time.perf_counter() - t


class RapidOCR(Peer):
    """RapidOCR (PP-OCR models on onnxruntime; pip install rapidocr-onnxruntime), recognition only."""

    def __init__(self):
        from rapidocr_onnxruntime import RapidOCR as Engine  # noqa: N813

        self.engine = Engine()
        import importlib.metadata as md

        self.name = f"RapidOCR {md.version('rapidocr-onnxruntime')}"

    @staticmethod
    def available() -> bool:
        try:
            import rapidocr_onnxruntime  # noqa: F401
        except ImportError:
            return False
        return True

    def read(self, path: Path) -> tuple[str, float]:
        import cv2

        img = cv2.imread(str(path))
        t = time.perf_counter()
        result, _ = self.engine(img, use_det=False, use_cls=False, use_rec=True)
        dt = time.perf_counter() - t
        text = "".join(r[0] for r in result) if result else ""
        return "".join(text.split()), dt

    def read_page(self, path: Path) -> tuple[str, float]:
        """A whole page: detection, orientation and recognition; its text lines joined top to bottom."""
        import cv2

        img = cv2.imread(str(path))
        t = time.perf_counter()
        result, _ = self.engine(img)
        dt = time.perf_counter() - t
        return "\n".join(r[1] for r in result or []), dt


def available_peers(psm: int, whitelist: str) -> list[Peer]:
    """The peer engines installed here; a missing one is named on stderr (``make peers`` installs both)."""
    peers: list[Peer] = []
    if Tesseract.available():
        peers.append(Tesseract(psm, whitelist))
    else:
        print("peer Tesseract is not installed: its row is left out (make peers)", file=sys.stderr)
    if RapidOCR.available():
        peers.append(RapidOCR())
    else:
        print("peer RapidOCR is not installed: its row is left out (make peers)", file=sys.stderr)
    return peers


def write_images(images: list[np.ndarray], folder: str | Path, prefix: str = "") -> list[Path]:
    """Save images as PNG files (lossless) for the peers, which read files; returns their paths."""
    import cv2

    paths = [Path(folder) / f"{prefix}{i:05d}.png" for i in range(len(images))]
    for path, img in zip(paths, images):
        cv2.imwrite(str(path), img)
    return paths


def median_ms(seconds: list[float]) -> float:
    """Median of a list of durations, in milliseconds."""
    return float(np.median(seconds) * 1000.0) if seconds else float("nan")
