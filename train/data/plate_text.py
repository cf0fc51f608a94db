"""Plate strings for the realistic presets: US-, EU- and Brazil-like layouts of 4-8 characters.

A layout is a pattern of groups: ``L`` letter, ``D`` digit, ``X`` either. Groups are joined by a
separator (``-``, ``·``, space, or an emblem drawn between them). The label is the characters
only, top line then bottom line, as plate readers report them.
"""

from __future__ import annotations

import string

import numpy as np

from edge_app.families.plate.spec import PLATE_ALPHABET  # noqa: F401 (the alphabet trained)

LETTERS, DIGITS = string.ascii_uppercase, string.digits

# (groups, weight). One-line layouts first; two-line ones are (top, bottom) in TWO_LINE.
LAYOUTS = {
    "us": [(("LLL", "DDDD"), 5), (("DDD", "LLL"), 4), (("LLL", "DDD"), 4), (("D", "LLL", "DDD"), 3),
           (("DDD", "DDD"), 2), (("DLL", "DDDD"), 2), (("LL", "DDDDD"), 2), (("DDDDDDD",), 1),
           (("DDDDDD",), 1), (("LLLDDDD",), 1), (("DD", "DDDDD"), 1), (("LL", "DDDD"), 2),
           (("DDD", "DLL"), 1), (("XXXXX",), 2), (("XXXXXX",), 2), (("XXXXXXX",), 2), (("XXXX",), 1),
           (("LLLLLL",), 1), (("LLLLL",), 1), (("LLLL",), 1), (("DLLDDD",), 1), (("LDDDDD",), 1)],
    "eu": [(("LL", "DDD", "LL"), 4), (("LL", "DD", "LLL"), 3), (("L", "LL", "DDDD"), 3), (("LL", "L", "DDD"), 2),
           (("DDDD", "LLL"), 2), (("LLL", "DDD"), 2), (("LL", "DDDD", "L"), 1), (("DD", "LLL", "D"), 1)],
    "br": [(("LLL", "DLDD"), 6), (("LLL", "DDDD"), 4)],
}
TWO_LINE = {
    "us": [(("LL",), ("DDDD",)), (("DDD",), ("LLL",)), (("LLL",), ("DDD",)), (("D", "LL"), ("DDD",))],
    "eu": [(("LL",), ("DDDD",)), (("DDD",), ("LLL",)), (("LL", "D"), ("DDD", "L"))],
    "br": [(("LLL",), ("DLDD",)), (("LLL",), ("DDDD",))],
}
SEPARATORS = ["-", "·", " ", "", "emblem"]
PRESETS = ("digits5", "us", "eu", "br", "world")


def _fill(pattern: str, rng: np.random.Generator) -> str:
    pools = {"L": LETTERS, "D": DIGITS, "X": PLATE_ALPHABET}
    return "".join(pools[c][int(rng.integers(len(pools[c])))] for c in pattern)


def random_plate_text(region: str, rng: np.random.Generator, two_line: bool = False
                      ) -> tuple[list[list[str]], str]:
    """Return ``(lines, label)``: each line a list of character groups, and the label without separators."""
    if two_line:
        options = TWO_LINE[region]
        top, bottom = options[int(rng.integers(len(options)))]
        lines = [[_fill(g, rng) for g in top], [_fill(g, rng) for g in bottom]]
    else:
        options = LAYOUTS[region]
        weights = np.array([w for _, w in options], np.float64)
        groups = options[int(rng.choice(len(options), p=weights / weights.sum()))][0]
        lines = [[_fill(g, rng) for g in groups]]
    return lines, "".join("".join(line) for line in lines)
