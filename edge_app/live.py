"""Live plate reading off the UI thread: capture -> find -> read -> vote, dropping frames when busy.

    live = LivePlates(open_source("pi"), PlateReader())
    live.start()
    snap = live.snapshot()      # from the UI's clock: newest read frame, its result, stable readings, stats
    live.note_draw(ms)          # the UI says how long drawing took, for the per-stage timings
    live.stop()

Two threads: one captures at the camera's pace (a replay is paced to ``pace_fps``) into a one-frame
slot; the other reads whatever frame is in the slot when it is free. A frame that arrives while the
slot is still full replaces the waiting one and counts as dropped, so the reader never falls behind
the camera. Camera failures become ``snapshot().message``, never an exception in the UI.
No Kivy here: the Plate screen draws what ``snapshot`` gives.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from .camera import Source
from .errors import EdgeOCRError
from .results import Result
from .voting import PlateVoter, StableReading

STAGES = ("capture", "find", "read", "draw")
LOG_LIMIT = 200  # stable readings kept in the list (oldest dropped)


@dataclass
class LoggedReading:
    """One plate in the list of stable readings: when it was first and last seen, and how sure."""

    text: str
    confidence: float
    first_seen: str
    last_seen: str
    frames: int


@dataclass
class LiveSnapshot:
    """What the UI needs for one redraw; ``seq`` grows by one per read frame."""

    seq: int = 0
    frame: np.ndarray | None = None
    result: Result | None = None
    stable: list[StableReading] = field(default_factory=list)
    log: list[LoggedReading] = field(default_factory=list)
    fps: float = 0.0
    timings_ms: dict[str, float] = field(default_factory=dict)
    captured: int = 0
    processed: int = 0
    shown: int = 0
    dropped: int = 0
    message: str | None = None
    running: bool = False


class _Ema:
    """Exponential moving averages of stage times."""

    def __init__(self, alpha: float = 0.2):
        self.alpha, self.ms = alpha, {}

    def add(self, stage: str, ms: float) -> None:
        old = self.ms.get(stage)
        self.ms[stage] = round(ms if old is None else old + self.alpha * (ms - old), 2)


class LivePlates:
    """Runs a plate reader on a camera source in the background; see the module docstring."""

    def __init__(self, source: Source, reader, voter: PlateVoter | None = None, pace_fps: float | None = None):
        self.source, self.reader = source, reader
        self.voter = voter or PlateVoter(min_frames=3)
        self.pace_fps = pace_fps
        self._lock = threading.Condition()
        self._pending: tuple[int, np.ndarray] | None = None
        self._snap = LiveSnapshot()
        self._ema = _Ema()
        self._log: dict[str, LoggedReading] = {}
        self._track_text: dict[int, str] = {}  # track -> the text logged for it last
        self._shown: deque[float] = deque(maxlen=30)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._notes: list[str] = []

    # -- control -------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the source and start both threads (opening happens in the capture thread)."""
        if self._threads:
            return
        self._stop.clear()
        self._snap.running = True
        self._threads = [threading.Thread(target=self._capture, name="capture", daemon=True),
                         threading.Thread(target=self._infer, name="infer", daemon=True)]
        for t in self._threads:
            t.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop both threads and release the camera."""
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        for t in self._threads:
            t.join(timeout)
        self._threads = []
        self._snap.running = False

    def snapshot(self) -> LiveSnapshot:
        """A consistent copy of the newest state (cheap: frames are shared, not copied)."""
        with self._lock:
            s = self._snap
            return LiveSnapshot(s.seq, s.frame, s.result, list(s.stable), list(self._log.values()), s.fps,
                                dict(self._ema.ms), s.captured, s.processed, s.shown, s.dropped, s.message,
                                s.running)

    def note_draw(self, ms: float) -> None:
        """Record the UI's drawing time of one frame, and that a frame was shown (for FPS)."""
        now = time.perf_counter()
        with self._lock:
            self._ema.add("draw", ms)
            self._snap.shown += 1
            self._shown.append(now)
            if len(self._shown) > 1:
                self._snap.fps = round((len(self._shown) - 1) / max(self._shown[-1] - self._shown[0], 1e-6), 1)

    def clear_log(self) -> None:
        """Empty the list of stable readings."""
        with self._lock:
            self._log.clear()
            self._track_text.clear()

    def log_csv(self) -> str:
        """The stable readings as CSV text (plate, confidence, first seen, last seen, frames)."""
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["plate", "confidence", "first_seen", "last_seen", "frames"])
        for r in self.snapshot().log:
            w.writerow([r.text, f"{r.confidence:.3f}", r.first_seen, r.last_seen, r.frames])
        return out.getvalue()

    # -- threads -------------------------------------------------------------------------------
    def _say(self, message: str | None, running: bool | None = None) -> None:
        with self._lock:
            self._snap.message = message
            if running is not None:
                self._snap.running = running
            self._lock.notify_all()

    def _capture(self) -> None:
        try:
            self.source.open()
        except EdgeOCRError as exc:
            self._say(str(exc), running=False)
            self._stop.set()
            return
        seq, period = 0, 1.0 / self.pace_fps if self.pace_fps else 0.0
        next_t = time.perf_counter()
        skipped = 0
        try:
            while not self._stop.is_set():
                t0 = time.perf_counter()
                frame = self.source.read()
                cap_ms = (time.perf_counter() - t0) * 1000.0
                notes = getattr(self.source, "skipped", [])
                if len(notes) != skipped:
                    skipped = len(notes)
                    self._say(f"skipped {skipped} unreadable file(s); last: {notes[-1]}")
                if frame is None:
                    if self.source.live:
                        continue  # a dropped read; a camera that is gone raises CameraError
                    self._say(f"{self.source.name}: replay ended", running=False)
                    break
                seq += 1
                with self._lock:
                    self._ema.add("capture", cap_ms)
                    self._snap.captured += 1
                    if self._pending is not None:
                        self._snap.dropped += 1
                    self._pending = (seq, frame)
                    self._lock.notify_all()
                if period:
                    next_t = max(next_t + period, time.perf_counter() - period)
                    self._stop.wait(max(0.0, next_t - time.perf_counter()))
        except EdgeOCRError as exc:
            self._say(str(exc), running=False)
        finally:
            self._stop.set()
            with self._lock:
                self._lock.notify_all()
            self.source.close()

    def _infer(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._stop.is_set():
                    self._lock.wait(0.5)
                if self._pending is None:
                    return
                seq, frame = self._pending
                self._pending = None
            try:
                result = self.reader.read_photo(frame)
            except EdgeOCRError as exc:
                self._say(f"frame {seq}: {exc}")
                continue
            stable = self.voter.update(result)
            now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            with self._lock:
                t = result.timings_ms
                self._ema.add("find", t.get("find", 0.0))
                self._ema.add("read", t.get("model", 0.0) + t.get("decode", 0.0))
                for s in stable:
                    self._remember(s, now)
                self._snap.seq, self._snap.frame, self._snap.result = seq, frame, result
                self._snap.stable = stable
                self._snap.processed += 1

    def _remember(self, s: StableReading, now: str) -> None:
        """Log a plate's stable reading. A plate is one row: when its vote changes (more frames settle a
        character), its row takes the new text (or goes, when another row has that text already), unless
        another plate was also read as the old text."""
        if not s.text:
            return
        before = self._track_text.get(s.track)
        self._track_text[s.track] = s.text
        while len(self._track_text) > 4 * LOG_LIMIT:
            self._track_text.pop(next(iter(self._track_text)))
        if before not in (None, s.text) and before in self._log and before not in self._track_text.values():
            # only this plate was read as ``before``: its row takes the new text
            if s.text in self._log:  # a row has the new text already
                del self._log[before]
            else:  # renamed in place (the list keeps its order)
                row = self._log[before]
                row.text, row.confidence = s.text, s.confidence
                self._log = {(s.text if k == before else k): v for k, v in self._log.items()}
        old = self._log.get(s.text)
        if old is None:
            self._log[s.text] = LoggedReading(s.text, s.confidence, now, now, s.frames)
            while len(self._log) > LOG_LIMIT:
                self._log.pop(next(iter(self._log)))
        else:
            old.confidence, old.last_seen = max(old.confidence, s.confidence), now
            old.frames += 1
