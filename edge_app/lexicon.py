"""Lexicon-constrained CTC decoding: the most probable text made only of known words, each word
weighted by its frequency (NumPy and plain Python, no custom ops).

    lex = Lexicon.load("words.txt")           # one word per line, optionally "word<TAB>count"
    best = lexicon_search(probs, alphabet, lex)

A prefix beam search where a character may extend the current word only along the lexicon's trie,
and a space (if the alphabet has one) may only close a complete word. A finished word adds
``weight * log(frequency share)`` to the beam's score, so common words win close calls.
:func:`read_with_lexicon` reads a line word by word with it, joining a word the model split.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .ctc import Decoded, beam_decoded, beam_search, ctc_probability, greedy, prefix_beam
from .errors import EdgeOCRError

PREFIX_MEMO = 50_000  # prefixes whose answer a lexicon remembers (a few MB at most)
WORD_WEIGHT = 0.5  # a word's log share counts this much against the scores' log probability


class Lexicon:
    """Words with their log frequency share; prefixes are checked by bisection in the sorted words
    (a few MB and a few tens of ms for 20,000 words, small enough for a Pi)."""

    def __init__(self, counts: dict[str, float]):
        words = {w: c for w, c in counts.items() if w and c > 0}
        if not words:
            raise EdgeOCRError("the lexicon has no words")
        total = sum(words.values())
        self.log_share = {w: math.log(c / total) for w, c in words.items()}
        self.rarest = min(self.log_share.values())  # the rarest word's log share
        self.sorted = sorted(words)
        self.size = len(words)
        self.lowercase = all(w == w.lower() for w in words)  # then "The" and "THE" match "the"
        self._prefixes: dict[str, bool] = {}  # is_prefix's answers so far (at most PREFIX_MEMO)

    def is_prefix(self, prefix: str) -> bool:
        """True if some word starts with ``prefix`` (the empty prefix included)."""
        known = self._prefixes.get(prefix)
        if known is None:
            i = bisect.bisect_left(self.sorted, prefix)
            known = i < len(self.sorted) and self.sorted[i].startswith(prefix)
            if len(self._prefixes) < PREFIX_MEMO:
                self._prefixes[prefix] = known
        return known

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


def lexicon_search(probs: np.ndarray, alphabet: str, lexicon: Lexicon, beam_width: int = 32,
                   weight: float = WORD_WEIGHT) -> Decoded | None:
    """The best text of lexicon words (space-separated if the alphabet has a space); None if none fits.

    :func:`edge_app.ctc.prefix_beam` with the lexicon's trie: a letter may only continue a word
    prefix, and a space (or the end) only finish a word, which adds ``weight`` x its log share.
    """

    def extend(prefix: str, ch: str) -> float | None:
        word = prefix.rsplit(" ", 1)[-1]
        if ch == " ":
            return weight * lexicon.log_share[word] if word in lexicon.log_share else None
        return 0.0 if lexicon.is_prefix(word + ch) else None

    finished = []
    for prefix, pr, bonus in prefix_beam(probs, alphabet, beam_width, extend):
        word = prefix.rsplit(" ", 1)[-1]
        if word in lexicon.log_share:
            finished.append((math.log(max(pr, 1e-300)) + bonus + weight * lexicon.log_share[word], prefix))
    if not finished:
        return None
    finished.sort(reverse=True)
    best_score, best = finished[0]
    share = round(float(math.exp(best_score - np.logaddexp.reduce([s for s, _ in finished]))), 4)
    return beam_decoded(probs, alphabet, best, share)


# A non-word must be likelier than the best word by a margin that grows with its length: e^(TRUST_BASE +
# TRUST_PER_LETTER x its letters), as if every letter of a word outside the list cost a nat more (a long
# reading one letter off a word is a misread, a short one may be a code). Chosen on the handwriting model's
# validation split (held-out faces, words composed from the validation crops, 1,000 each; seeds 777/778),
# the single-word images where the word and the non-word differ: the right one chosen 280/180 (composed/
# fonts) with the earlier flat e^6.9, 293/186 for a flat e^9 to e^12, 294/191 for e^(3 + letters) (2-5 and
# 0.5-1.5 per letter tried); the word's frequency in the margin helped none.
TRUST_BASE, TRUST_PER_LETTER = 3.0, 1.0


def _trust(core: str) -> float:
    """How many times likelier than the best word a non-word reading ``core`` must be to be kept."""
    return math.exp(TRUST_BASE + TRUST_PER_LETTER * len(core))


PUNCT_EDGES = ".,;:!?'\"()&/-"
MAX_JOIN = 4  # a word split by the model is put back together from at most this many pieces
# A piece of a split word that is no word scores as the lexicon's rarest word less this (log units).
# On 1,000 words composed from the validation crops: words right 86.7% (only pieces that are no words
# joined) -> 87.7% (3 and 7 alike). In 933 words of development pages and notes' lines, CER 7.42 ->
# 7.17, 8.02 -> 7.95, 8.33 -> 8.23%: "Tom my" became "Tommy", "a long" became "along" (one each).
NON_WORD = 3.0


def _word_spans(probs: np.ndarray, space: int) -> list[tuple[int, int]]:
    """The frame spans (start, end) between the frames whose best class is a space."""
    spans, start = [], 0
    for c in [*np.flatnonzero(probs.argmax(-1) == space).tolist(), len(probs)]:
        if c > start:
            spans.append((start, c))
        start = c + 1
    return spans


def _gapped(probs: np.ndarray, space: int, blank: int) -> np.ndarray:
    """A copy of the scores where a space is only a gap: its probability added to the blank's."""
    seg = probs.copy()
    seg[:, blank] += seg[:, space]
    seg[:, space] = 0.0
    return seg


def _fold_case(probs: np.ndarray, alphabet: str) -> np.ndarray:
    """Add each capital's scores to its lowercase letter's, so a lowercase lexicon matches any case."""
    pairs = [(i, alphabet.find(c.lower())) for i, c in enumerate(alphabet) if c.isupper()]
    upper, lower = [i for i, j in pairs if j >= 0], [j for _, j in pairs if j >= 0]
    out = probs.copy()
    out[:, lower] += out[:, upper]
    out[:, upper] = 0.0
    return out


def _edges(text: str) -> tuple[str, str, str]:
    core = text.strip(PUNCT_EDGES)
    if not core:
        return "", text, ""
    i = text.index(core)
    return text[:i], core, text[i + len(core):]


@dataclass
class _Word:
    """A word's reading: the text chosen, the unconstrained reading, the chosen text's share of the
    probability read and its characters' confidences."""

    text: str
    free: str
    share: float
    confs: list[float]


def _core(text: str, lexicon: Lexicon) -> str:
    """A reading less the punctuation around it, as the lexicon spells it (lowercase, for a lowercase one)."""
    core = _edges(text)[1]
    return core.lower() if lexicon.lowercase else core


def _is_word(text: str, lexicon: Lexicon) -> bool:
    """Whether a reading, less the punctuation around it, is a lexicon word (in any case, for a lowercase one)."""
    return _core(text, lexicon) in lexicon.log_share


def _log_share(text: str, lexicon: Lexicon, other: float) -> float:
    """A reading's word's log share in the lexicon; ``other`` for no word."""
    return lexicon.log_share.get(_core(text, lexicon), other)


def _read_word(seg: np.ndarray, alphabet: str, lexicon: Lexicon,
               beams: list[tuple[str, float]] | None = None) -> _Word | None:
    """One word's scores read: the best lexicon word, keeping the punctuation read around it, unless the
    unconstrained reading is likelier by the margin its length asks (:func:`_trust`); None when nothing
    is read. ``beams``: the scores' beam search (width 16), when the caller has it."""
    blank = len(alphabet)
    beams = beam_search(seg, alphabet, 16) if beams is None else beams
    free, p_free = beams[0]
    if not free:
        return None
    chosen, p_chosen = free, p_free
    pre, core, post = _edges(free)
    if core:
        punct = [alphabet.index(c) for c in PUNCT_EDGES if c in alphabet]
        letters = seg.copy()
        letters[:, blank] += letters[:, punct].sum(-1)
        letters[:, punct] = 0.0
        if lexicon.lowercase:
            letters = _fold_case(letters, alphabet)
        lex = lexicon_search(letters, alphabet, lexicon)
        if lex is not None and lex.text != core:
            forms = {lex.text, lex.text.capitalize(), lex.text.upper()} if lexicon.lowercase else {lex.text}
            p_cand, cand = max((ctc_probability(seg, pre + f + post, alphabet), pre + f + post) for f in forms)
            if cand != free and p_cand * _trust(core) >= p_free:
                chosen, p_chosen = cand, p_cand
    total = sum(pr for _, pr in beams) + (p_chosen if chosen != free else 0.0)
    share = p_chosen / total if total > 0 else 0.0
    g = greedy(seg, alphabet)
    return _Word(chosen, free, share, g.char_confidences if g.text == chosen else [round(share, 4)] * len(chosen))


def _lm_score(probs: np.ndarray, text: str, alphabet: str, lexicon: Lexicon, other: float) -> float:
    """``text``'s score as a unigram language model gives it: its log probability under ``probs`` plus
    WORD_WEIGHT x each word's log share (``other`` for no word)."""
    return (math.log(max(ctc_probability(probs, text, alphabet), 1e-300))
            + WORD_WEIGHT * sum(_log_share(w, lexicon, other) for w in text.split(" ")))


def _may_join(pieces: list[_Word], lexicon: Lexicon) -> bool:
    """Whether pieces of a line may be one word split: each has letters, and each but the last is no word
    as the model reads it (``DAU GHT ER``) or together they spell a word (``SURF ACES``)."""
    if not all(any(c.isalpha() for c in w.text) for w in pieces):
        return False
    return (not any(_is_word(w.free, lexicon) for w in pieces[:-1])
            or "".join(_core(w.text, lexicon) for w in pieces) in lexicon.log_share)


def _join_split(probs: np.ndarray, read: list[tuple[int, int, _Word]], alphabet: str,
                lexicon: Lexicon) -> list[tuple[int, int, _Word]]:
    """Put back together a word the model split with spaces (``DAU GHT ER``, ``SURF ACES``). A run of up to
    MAX_JOIN pieces that may be one word (:func:`_may_join`) is read again as one (:func:`_read_word`) over their
    frames, each space there a gap (its probability counted as the blank's), and kept as one when that
    reading is a lexicon word that a unigram language model prefers: each text scores its log probability
    under the scores (the pieces' as read, the word's with the spaces as gaps) plus ``WORD_WEIGHT`` x each
    word's log share, a piece that is no word counted as the rarest word less :data:`NON_WORD`. The
    model's spaces inside a word (gaps between capitals) are no evidence, the words' frequencies are:
    ``OF THE`` stays apart (no word ``ofthe``), ``OF TEN`` too unless ``often`` is commoner than ``of``
    and ``ten`` together. Longest runs first."""
    space, blank = alphabet.find(" "), len(alphabet)
    rarest = lexicon.rarest - NON_WORD
    out, i = [], 0
    while i < len(read):
        for j in range(min(len(read), i + MAX_JOIN) - 1, i, -1):
            pieces = [w for _, _, w in read[i : j + 1]]
            if not _may_join(pieces, lexicon):
                continue
            a, b = read[i][0], read[j][1]
            gapped = _gapped(probs[a:b], space, blank)
            joined = _read_word(gapped, alphabet, lexicon)
            if joined is None or not _is_word(joined.text, lexicon):
                continue
            split = " ".join(w.text for w in pieces)
            if (_lm_score(gapped, joined.text, alphabet, lexicon, rarest)
                    > _lm_score(probs[a:b], split, alphabet, lexicon, rarest)):
                out.append((a, b, joined))
                i = j + 1
                break
        else:
            out.append(read[i])
            i += 1
    return out


def read_with_lexicon(probs: np.ndarray, alphabet: str, lexicon: Lexicon,
                      beams: list[tuple[str, float]] | None = None) -> Decoded:
    """Word by word: each word is the best lexicon word (keeping the punctuation read around it)
    unless the unconstrained reading is far likelier (:func:`_trust`), so numbers, codes and names
    outside the lexicon are still read. Words are cut where the best class is a space, and a word
    the model split in pieces is joined again where the word list prefers it (:func:`_join_split`). ``beams``:
    ``beam_search(probs, alphabet, 16)`` when the caller has it (a word read whole reuses it)."""
    p = np.asarray(probs, dtype=np.float64)
    blank, space = len(alphabet), alphabet.find(" ")
    spans = _word_spans(p, space) if space >= 0 else [(0, len(p))]
    read = []
    for a, b in spans:
        seg = _gapped(p[a:b], space, blank) if space >= 0 else p
        whole = beams is not None and np.array_equal(seg, p)
        word = _read_word(seg, alphabet, lexicon, beams if whole else None)
        if word is not None:
            read.append((a, b, word))
    if space >= 0:
        read = _join_split(p, read, alphabet, lexicon)
    text = " ".join(w.text for _, _, w in read)
    conf = 1.0
    for _, _, w in read:
        conf *= w.share
    confs = [c for _, _, w in read for c in w.confs][: len(text.replace(" ", ""))]
    return Decoded(text, confs, round(conf, 4))
