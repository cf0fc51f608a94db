"""The handwriting family: handwritten words, lines and pages (photos or touch strokes), read with CTC.

capture -> paper found and rectified (:mod:`edge_app.paper`) -> :mod:`.segment` (text lines, chunks)
-> :mod:`.preprocess` (32x256) -> model
-> CTC decode (greedy, beam, lexicon: :mod:`edge_app.ctc`, :mod:`edge_app.lexicon`) -> :mod:`.reader`.
"""

from __future__ import annotations

from ..base import PAPER_OPTION, Family, Option, ReadFn
from .spec import SPEC


def build(task: str, models_dir=None, num_threads: int | None = None, model_name: str | None = None,
          decoder: str | None = None, lexicon: str | None = None, paper: str | None = None) -> ReadFn:
    """Read every line of a word, line or page photo; ``decoder`` defaults to ``lexicon``, ``paper`` to
    ``auto`` (find the note in the photo first)."""
    from .reader import HandwritingReader

    return HandwritingReader(models_dir, num_threads, decoder or "lexicon", lexicon,
                             model_name=model_name, paper=paper or "auto").read


FAMILY = Family(
    name="handwriting",
    spec=SPEC,
    tasks={"handwriting": "read handwritten words, lines or paragraphs"},
    build=build,
    options=(
        Option(("--decoder",), {"choices": ("greedy", "beam", "lexicon"), "default": None,
                                "help": "CTC decoding (default lexicon: words from a list unless a non-word is far "
                                "likelier)"}),
        Option(("--lexicon",), {"metavar": "FILE", "help": "decode against this UTF-8 word list ('word' or "
                                "'word count' per line) instead of the shipped English one"}),
        PAPER_OPTION,
    ),
)
