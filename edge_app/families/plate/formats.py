"""Plate formats: which region a reading's shape points to (US, a European country, Brazil).

A format is a region, a name and a shape of letters (``L``) and digits (``D``) over the characters the
reader reports (separators and bands are not read). Shapes overlap (``LLLDDDD`` is an old Brazilian plate
and a New York one), so a guess is a share of probability, not a verdict:

    guess_region([("ABC1D23", 0.9), ("ABC1023", 0.1)])   # Region("BR", "Mercosul", 0.9)

Each beam reading's share is split among the formats it fits, by their prior weights; the guess is the
region with the most probability, and its best format. Readings that fit no format count against every
region, so a guess from an unsure or unknown reading has a low confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One registration format: ``shape`` in L (letter) and D (digit); ``weight`` is its prior."""

    region: str  # US, BR, or a European country's code (GB, FR, ...)
    name: str
    shape: str
    weight: float = 1.0

    @property
    def pattern(self) -> re.Pattern:
        """The regular expression of ``shape``."""
        return re.compile("".join("[A-Z]" if c == "L" else "[0-9]" for c in self.shape))


FORMATS = [
    Format("BR", "Mercosul", "LLLDLDD", 2.0),
    Format("BR", "old grey", "LLLDDDD"),
    Format("GB", "current", "LLDDLLL", 2.0),
    Format("FR", "SIV", "LLDDDLL"),
    Format("IT", "current", "LLDDDLL"),
    Format("ES", "current", "DDDDLLL", 2.0),
    Format("NL", "sidecode 9", "DDLLLD"),
    Format("NL", "sidecode 6", "LLDDLL"),
    Format("NL", "sidecode 8", "DLLLDD"),
    Format("NL", "sidecode 11", "LLLDDL"),
    Format("PL", "district", "LLDDDDD", 0.5),
    Format("DE", "city + serial", "LLLDDDD", 0.3),
    Format("DE", "city + serial", "LLDDDD", 0.3),
    Format("US", "California", "DLLLDDD", 2.0),
    Format("US", "LLL DDDD", "LLLDDDD", 1.5),
    Format("US", "LLL DDD", "LLLDDD"),
    Format("US", "DDD LLL", "DDDLLL"),
    Format("US", "LL DDDDD", "LLDDDDD", 0.5),
    Format("US", "D LL DDD", "DLLDDD", 0.5),
]
_COMPILED = [(f, f.pattern) for f in FORMATS]


@dataclass(frozen=True)
class Region:
    """A region guess: ``region`` (US, BR, GB, FR, ...), its best ``format`` and the guess's confidence."""

    region: str
    format: str
    confidence: float

    def to_dict(self) -> dict[str, object]:
        return {"region": self.region, "format": self.format, "confidence": round(self.confidence, 3)}


def fitting(text: str) -> list[Format]:
    """The formats a reading fits."""
    return [f for f, p in _COMPILED if p.fullmatch(text)]


def guess_region(readings: list[tuple[str, float]]) -> Region | None:
    """The most probable region of a plate from its beam readings ``[(text, share), ...]`` (shares summing
    to at most 1); None when no reading fits a known format."""
    by_format: dict[Format, float] = {}
    for text, share in readings:
        fits = fitting(text)
        total = sum(f.weight for f in fits)
        for f in fits:
            by_format[f] = by_format.get(f, 0.0) + share * f.weight / total
    if not by_format:
        return None
    by_region: dict[str, float] = {}
    for f, p in by_format.items():
        by_region[f.region] = by_region.get(f.region, 0.0) + p
    region = max(by_region, key=by_region.__getitem__)
    best = max((f for f in by_format if f.region == region), key=by_format.__getitem__)
    return Region(region, best.name, min(1.0, by_region[region]))


UNFORMATTED_PRIOR = 0.25  # how much less likely, a priori, a reading is when it fits no known format


def prefer_formatted(best: str, readings: list[tuple[str, float]]) -> tuple[str, float] | None:
    """A beam reading as long as ``best`` that fits a known format and beats ``best`` once readings
    that fit none are weighted by :data:`UNFORMATTED_PRIOR`: an unsure ``I`` where a UK plate has a
    digit becomes ``1``. None when ``best`` fits a format already or no such reading wins; readings of
    other lengths never win (a dropped or added character is not a likely misread)."""
    if fitting(best):
        return None
    best_share = dict(readings).get(best, 0.0)
    same = [(t, s) for t, s in readings if len(t) == len(best) and t != best and fitting(t)]
    if not same:
        return None
    text, share = max(same, key=lambda r: r[1])
    return (text, share) if share > best_share * UNFORMATTED_PRIOR else None
