"""Video use: vote over the readings of the same plate in successive frames for one stable reading.

    voter = PlateVoter(min_frames=3)
    for frame in camera:
        for stable in voter.update(reader.read_photo(frame)):
            print(stable.text, stable.confidence)

Plates are followed from frame to frame by box overlap. The vote picks the most supported text
length, then each position's character weighted by its confidence; the stable reading's
confidence is how strongly the frames agree (the weakest position's share times the length's).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .geometry import iou
from .results import Result


@dataclass
class Reading:
    """One frame's reading of a plate."""

    text: str
    char_confidences: list[float]
    box: list[int]


@dataclass
class StableReading:
    """The voted text of one tracked plate."""

    text: str
    confidence: float
    box: list[int]
    frames: int
    track: int  # which followed plate (a number the voter never reuses)


@dataclass
class _Track:
    id: int
    readings: list[Reading] = field(default_factory=list)
    missed: int = 0


def vote(readings: list[Reading]) -> tuple[str, float]:
    """The voted text and its agreement confidence in [0, 1] (empty text and 0 for no readings)."""
    readings = [r for r in readings if r.text]
    if not readings:
        return "", 0.0
    by_len: dict[int, float] = {}
    for r in readings:
        by_len[len(r.text)] = by_len.get(len(r.text), 0.0) + sum(r.char_confidences) / len(r.text)
    length = max(by_len, key=lambda n: by_len[n])
    len_share = by_len[length] / sum(by_len.values())
    same = [r for r in readings if len(r.text) == length]
    text, shares = [], []
    for i in range(length):
        weights: dict[str, float] = {}
        for r in same:
            weights[r.text[i]] = weights.get(r.text[i], 0.0) + max(r.char_confidences[i], 1e-3)
        best = max(weights, key=lambda c: weights[c])
        text.append(best)
        shares.append(weights[best] / sum(weights.values()))
    return "".join(text), round(min(shares) * len_share, 4)


class PlateVoter:
    """Follows plates across frames and yields one stable reading per plate once seen ``min_frames`` times.

    ``window`` is how many recent readings a plate keeps; a plate not seen for ``max_missed``
    frames in a row is forgotten.
    """

    def __init__(self, min_frames: int = 3, window: int = 15, max_missed: int = 5, min_iou: float = 0.2):
        if min_frames < 1 or window < min_frames:
            raise ValueError("need 1 <= min_frames <= window")
        self.min_frames, self.window, self.max_missed, self.min_iou = min_frames, window, max_missed, min_iou
        self.tracks: list[_Track] = []
        self._next_id = 0

    def update(self, result: Result) -> list[StableReading]:
        """Add one frame's result; return the stable readings of the plates seen in it."""
        seen: set[int] = set()
        for item in result.items:
            if item.unreadable or not item.text:
                continue
            reading = Reading(item.text, list(item.char_confidences or [item.confidence] * len(item.text)), item.box)
            best, best_iou = None, self.min_iou
            for i, tr in enumerate(self.tracks):
                overlap = iou(tr.readings[-1].box, item.box)
                if i not in seen and overlap >= best_iou:
                    best, best_iou = i, overlap
            if best is None:
                self.tracks.append(_Track(self._next_id, [reading]))
                self._next_id += 1
                best = len(self.tracks) - 1
            else:
                tr = self.tracks[best]
                tr.readings = (tr.readings + [reading])[-self.window :]
                tr.missed = 0
            seen.add(best)
        for i, tr in enumerate(self.tracks):
            if i not in seen:
                tr.missed += 1
        out = []
        for i in sorted(seen):
            tr = self.tracks[i]
            if len(tr.readings) >= self.min_frames:
                text, conf = vote(tr.readings)
                out.append(StableReading(text, conf, tr.readings[-1].box, len(tr.readings), tr.id))
        self.tracks = [tr for tr in self.tracks if tr.missed <= self.max_missed]
        return out
