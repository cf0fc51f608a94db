"""Lexicon-constrained CTC decoding: the most probable text made only of known words, each word
weighted by its frequency (NumPy and plain Python, no custom ops).

    lex = Lexicon.load("words.txt")           # one word per line, optionally "word<TAB>count"
    best = lexicon_search(probs, alphabet, lex)

A prefix beam search where a character may extend the current word only along the lexicon's trie,
and a space (if the alphabet has one) may only close a complete word. A finished word adds
``weight * log(frequency share)`` to the beam's score, so common words win close calls.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .ctc import MIN_PROB, Decoded, greedy
from .errors import EdgeOCRError


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    log_share: float | None = None  # set where a word ends


class Lexicon:
    """Words with their log frequency share, in a trie for prefix checks."""

    def __init__(self, counts: dict[str, float]):
        words = {w: c for w, c in counts.items() if w and c > 0}
        if not words:
            raise EdgeOCRError("the lexicon has no words")
        total = sum(words.values())
        self.root = _Node()
        for word, count in words.items():
            node = self.root
            for ch in word:
                node = node.children.setdefault(ch, _Node())
            node.log_share = math.log(count / total)
        self.size = len(words)

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        """Read a UTF-8 word list: ``word`` or ``word<whitespace>count`` per line; blank lines skipped."""
        p = Path(path)
        if not p.is_file():
            raise EdgeOCRError(f"lexicon {p} not found")
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise EdgeOCRError(f"lexicon {p} is not UTF-8 text (byte {exc.start})") from None
        counts: dict[str, float] = {}
        for n, line in enumerate(text.splitlines(), 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) > 2:
                raise EdgeOCRError(f"lexicon {p} line {n}: expected 'word' or 'word count', got {line.strip()!r}")
            try:
                count = float(parts[1]) if len(parts) == 2 else 1.0
            except ValueError:
                raise EdgeOCRError(f"lexicon {p} line {n}: count {parts[1]!r} is not a number") from None
            counts[parts[0]] = counts.get(parts[0], 0.0) + count
        if not counts:
            raise EdgeOCRError(f"lexicon {p} is empty")
        return cls(counts)

    def walk(self, word: str) -> _Node | None:
        """The trie node reached by ``word``, or None if no lexicon word starts with it."""
        node = self.root
        for ch in word:
            node = node.children.get(ch)  # type: ignore[assignment]
            if node is None:
                return None
        return node


def lexicon_search(probs: np.ndarray, alphabet: str, lexicon: Lexicon, beam_width: int = 32,
                   weight: float = 0.5) -> Decoded | None:
    """The best text of lexicon words (space-separated if the alphabet has a space); None if none fits."""
    p = np.asarray(probs, dtype=np.float64)
    blank = len(alphabet)
    space = alphabet.find(" ")
    # beam: prefix -> [p_blank, p_nonblank]; side tables: its trie node and its finished words' score
    beams: dict[str, list[float]] = {"": [1.0, 0.0]}
    node: dict[str, _Node] = {"": lexicon.root}
    lm: dict[str, float] = {"": 0.0}

    def score(prefix: str, probs_pair: list[float]) -> float:
        return math.log(max(probs_pair[0] + probs_pair[1], 1e-300)) + lm[prefix]

    for t in range(p.shape[0]):
        row = p[t]
        candidates = [k for k in np.flatnonzero(row > MIN_PROB) if k != blank]
        nxt: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for prefix, (pb, pnb) in beams.items():
            total = pb + pnb
            nxt[prefix][0] += total * row[blank]
            if prefix:
                nxt[prefix][1] += pnb * row[alphabet.index(prefix[-1])]
            here = node[prefix]
            for k in candidates:
                ch = alphabet[k]
                if k == space:
                    if here.log_share is None or prefix.endswith(" ") or not prefix:
                        continue
                    child, gain = lexicon.root, weight * here.log_share
                else:
                    child, gain = here.children.get(ch), 0.0  # type: ignore[assignment]
                    if child is None:
                        continue
                ext = prefix + ch
                node[ext], lm[ext] = child, lm[prefix] + gain
                if prefix and ch == prefix[-1]:
                    nxt[ext][1] += pb * row[k]
                else:
                    nxt[ext][1] += total * row[k]
        ranked = sorted(nxt.items(), key=lambda kv: -score(kv[0], kv[1]))[:beam_width]
        beams = {k: v for k, v in ranked}
    finished = []
    for prefix, pair in beams.items():
        end = node[prefix]
        if prefix and end.log_share is not None:
            finished.append((score(prefix, pair) + weight * end.log_share, prefix))
    if not finished:
        return None
    finished.sort(reverse=True)
    best_score, best = finished[0]
    share = math.exp(best_score - np.logaddexp.reduce([s for s, _ in finished]))
    g = greedy(p, alphabet)
    confs = g.char_confidences if g.text == best else [round(share, 4)] * len(best)
    return Decoded(best, confs, round(share, 4))
