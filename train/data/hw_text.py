"""Text for the handwriting reader: real English words by frequency, numbers, codes, punctuation.

Words come from ``models/lexicon_en.txt`` (20,000 words with counts, made by
``scripts/make_lexicon.py`` from wordfreq), the same file the device decodes against by default.
Sampling flattens the frequencies (count ** 0.3) so rare words are seen too.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

import numpy as np

from edge_app.families.handwriting.spec import HW_ALPHABET, PUNCTUATION  # noqa: F401 (the alphabet trained)
from edge_app.lexicon import Lexicon

CHAR_CLASSES = string.digits + string.ascii_uppercase + string.ascii_lowercase
LEXICON = Path(__file__).resolve().parents[2] / "models" / "lexicon_en.txt"
MAX_CHARS = 18  # longest training text: 64 output steps leave room for blanks between repeats


@lru_cache(maxsize=2)
def word_table(path: str = str(LEXICON)) -> tuple[list[str], np.ndarray]:
    """The lexicon's words and their sampling probabilities (count ** 0.3, normalised)."""
    counts: dict[str, float] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            counts[parts[0]] = float(parts[1]) if len(parts) > 1 else 1.0
    Lexicon(counts)  # same checks as the device's loader
    words = sorted(counts)
    p = np.array([counts[w] for w in words]) ** 0.3
    return words, p / p.sum()


def cased(word: str, rng: np.random.Generator) -> str:
    """lower (65%), Capitalised (22%) or UPPER (13%)."""
    r = rng.random()
    return word if r < 0.65 else word.capitalize() if r < 0.87 else word.upper()


def number(rng: np.random.Generator) -> str:
    """A number as people write them: 7, 42, 1984, 3.50, 12/05, 10-4."""
    a = str(int(rng.integers(0, 10 ** int(rng.integers(1, 5)))))
    r = rng.random()
    if r < 0.6:
        return a
    sep = "." if r < 0.75 else "/" if r < 0.9 else "-"
    return a + sep + str(int(rng.integers(0, 100))).zfill(2)


def code(rng: np.random.Generator, alphabet: str = string.digits + string.ascii_uppercase) -> str:
    """A random product code or name-like string (no language prior)."""
    return "".join(rng.choice(list(alphabet), int(rng.integers(2, 8))))


def token(rng: np.random.Generator, letters_only: bool = False) -> str:
    """One word, number or code; ``letters_only`` keeps to the 62 character classes."""
    words, p = word_table()
    r = rng.random()
    if r < 0.78:
        w = cased(words[rng.choice(len(words), p=p)], rng)
        return w.replace("'", "") if letters_only else w
    if r < 0.9:
        n = number(rng)
        return "".join(c for c in n if c.isdigit()) or "0" if letters_only else n
    alpha = CHAR_CLASSES if rng.random() < 0.5 else string.digits + string.ascii_uppercase
    return code(rng, alpha)


def punctuate(text: str, rng: np.random.Generator) -> str:
    """Sometimes add trailing punctuation, quotes or brackets around ``text``."""
    r = rng.random()
    if r < 0.15:
        text += str(rng.choice(list(".,;:!?")))
    elif r < 0.19:
        text = f'"{text}"'
    elif r < 0.21:
        text = f"({text})"
    elif r < 0.23:
        text = "-" + text if rng.random() < 0.5 else text + " &"
    return text


def sample_text(rng: np.random.Generator, letters_only: bool = False, max_chars: int = MAX_CHARS) -> str:
    """A word (55%) or a short line of words, at most ``max_chars`` characters."""
    n = 1 if rng.random() < 0.55 else int(rng.integers(2, 5))
    parts: list[str] = []
    for _ in range(n):
        t = token(rng, letters_only)
        if not letters_only:
            t = punctuate(t, rng)
        if parts and len(" ".join([*parts, t])) > max_chars:
            break
        parts.append(t[:max_chars])
    return " ".join(parts)
