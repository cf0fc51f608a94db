"""The page family: a photographed printed page -> its text with line breaks, and words with boxes.

capture -> paper found and rectified (:mod:`edge_app.paper`) -> :mod:`.segment` (light, skew, orientation,
non-text, lines, two pages of a spread, chunks) -> :mod:`.preprocess` (32x512) -> model -> greedy CTC with
character positions (:mod:`edge_app.ctc`) -> :mod:`.reader`.
"""

from __future__ import annotations

from ..base import PAPER_OPTION, Family, Option, ReadFn
from .spec import SPEC


def build(task: str, models_dir=None, num_threads: int | None = None, model_name: str | None = None,
          dehyphenate: bool = False, paper: str | None = None) -> ReadFn:
    """Read a page photo top to bottom (a two-page spread: the left page, then the right); ``paper`` (``auto``,
    the default, or ``off``) finds the paper first."""
    from .reader import PageReader

    return PageReader(models_dir, num_threads, dehyphenate, model_name=model_name or SPEC.model,
                      paper=paper or "auto").read


FAMILY = Family(
    name="page",
    spec=SPEC,
    tasks={"page": "read a photographed printed page"},
    build=build,
    options=(Option(("--dehyphenate",), {"action": "store_true", "help": "join words hyphenated across line ends"}),
             PAPER_OPTION),
)
