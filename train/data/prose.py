"""Real prose for printed-page training and evaluation, from Debian packages.

``fortunes`` (quotations from literature, science, politics, ...) and ``dict-devil`` (Ambrose
Bierce's *The Devil's Dictionary*, public domain) are read as paragraphs. Evaluation pages use four
fortune files that training never sees (:data:`EVAL_FILES`). Book typography is applied on top:
straight quotes become curly ones and ``--`` an em-dash (:func:`book_typography`).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import numpy as np

from edge_app.families.page.spec import PAGE_ALPHABET  # noqa: F401 (the alphabet trained)

FORTUNE_DIR = Path("/usr/share/games/fortunes")
DEVIL = Path("/usr/share/dictd/devil.dict.dz")
EVAL_FILES = ("literature", "wisdom", "humorists", "miscellaneous")
SKIP_FILES = ("ascii-art",)
INSTALL_HINT = "install them with scripts/install_fonts.sh (Debian packages fortunes, dict-devil)"
_ALLOWED = set(PAGE_ALPHABET)


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\t", " ")).strip()
    return text if text and set(text) <= _ALLOWED else ""


def _fortunes(names: list[str]) -> list[str]:
    out = []
    for name in names:
        raw = (FORTUNE_DIR / name).read_text(encoding="latin-1")
        for entry in raw.split("\n%\n"):
            if p := _clean(entry):
                out.append(p)
    return out


def _devil() -> list[str]:
    with gzip.open(DEVIL, "rt", encoding="latin-1") as f:
        raw = f.read()
    return [p for block in re.split(r"\n\s*\n", raw) if len(p := _clean(block)) > 30]


def paragraphs(split: str) -> list[str]:
    """Paragraphs of real prose: ``train`` (most fortune files and the Devil's Dictionary) or
    ``eval`` (the fortune files in :data:`EVAL_FILES`, less any paragraph training also has)."""
    if split not in ("train", "eval"):
        raise ValueError(f"unknown split {split!r}")
    if not FORTUNE_DIR.is_dir() or not DEVIL.is_file():
        missing = FORTUNE_DIR if not FORTUNE_DIR.is_dir() else DEVIL
        raise FileNotFoundError(f"prose source {missing} not found; {INSTALL_HINT}")
    names = sorted(p.name for p in FORTUNE_DIR.iterdir() if "." not in p.name and p.is_file())
    train = _fortunes([n for n in names if n not in EVAL_FILES and n not in SKIP_FILES]) + _devil()
    if split == "train":
        return train
    seen = set(train)  # a few quotations appear in several files: those are training text
    return [p for p in _fortunes([n for n in names if n in EVAL_FILES]) if p not in seen]


def book_typography(text: str) -> str:
    """Curly quotes, em-dashes for ``--`` and en-dashes in number ranges, as a typeset book prints."""
    text = re.sub(r"\s*--+\s*", "\u2014", text) if " -- " in text else text.replace("--", "\u2014")
    text = re.sub(r"(?<=\d)-(?=\d)", "\u2013", text)
    text = re.sub(r"(^|[\s(\[\u2014])\"", "\\1\u201c", text)
    text = text.replace('"', "\u201d")
    text = re.sub(r"(^|[\s(\[\u2014\u201c])'", "\\1\u2018", text)
    return text.replace("'", "\u2019")


def word_stream(paras: list[str], rng: np.random.Generator, smart: float = 0.7):
    """Endless words from randomly chosen paragraphs; ``smart`` of the paragraphs get book typography."""
    while True:
        p = paras[int(rng.integers(len(paras)))]
        if rng.random() < smart:
            p = book_typography(p)
        yield from p.split(" ")
