"""Decode stage for sequence models: CTC scores -> text, in NumPy (the models output scores only).

Scores are ``(T, C + 1)`` per-timestep probabilities over the alphabet plus the blank, which is the
last class. Decoders:

- :func:`greedy`: best class per timestep, repeats merged, blanks dropped;
- :func:`beam_search`: prefix beam search, the N most probable texts (:func:`beam_shares`: as shares);
- :func:`beam_best`: the best beam with its alternatives;
- :func:`constrained`: the most probable text that matches a regular expression (a plate format);
- :func:`align`: where each character of a text sits on its most probable path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import EdgeOCRError

MIN_PROB = 1e-4  # classes below this at a timestep are not extended in beam search


@dataclass
class Decoded:
    """A decoded sequence: its text, one confidence per character, and a whole-text confidence."""

    text: str
    char_confidences: list[float]
    confidence: float


def greedy(probs: np.ndarray, alphabet: str) -> Decoded:
    """Best path decoding.

    A character's confidence is its best frame's probability. The text's confidence is the
    product of its characters' confidences, times one minus the strongest character probability
    seen in any blank frame (a character the best path may have dropped), leaving out the character
    of the run next to that frame (it would only lengthen the run: the same text).
    """
    p = np.asarray(probs, dtype=np.float64)
    blank = len(alphabet)
    best = p.argmax(-1)
    top = p.max(-1)
    text, confs, prev = [], [], blank
    for t, k in enumerate(best):
        if k != blank and k != prev:
            text.append(alphabet[k])
            confs.append(float(top[t]))
        elif k != blank and k == prev:
            confs[-1] = max(confs[-1], float(top[t]))
        prev = k
    dropped = _dropped(p, best, blank)
    conf = float(np.prod(confs)) * (1.0 - dropped) if confs else 1.0 - dropped
    return Decoded("".join(text), [round(c, 4) for c in confs], round(conf, 4))


def _dropped(p: np.ndarray, best: np.ndarray, blank: int) -> float:
    """The strongest character probability in a blank frame of the best path that would have changed
    its text: the character of a neighbouring frame's run only lengthens that run, so it is not counted."""
    blanks = np.nonzero(best == blank)[0]
    if not len(blanks):
        return 0.0
    q = p[blanks, :blank].copy()
    rows = np.arange(len(blanks))
    for nb in (blanks - 1, blanks + 1):
        inside = (nb >= 0) & (nb < len(best))
        k = best[np.clip(nb, 0, len(best) - 1)]
        hit = inside & (k != blank)
        q[rows[hit], k[hit]] = 0.0
    return float(q.max())


def greedy_spans(probs: np.ndarray, alphabet: str) -> list[tuple[str, int, int, float]]:
    """Best path as (character, first timestep, last timestep, confidence) runs, blanks dropped:
    where each character sits in the input (one timestep per stride columns)."""
    p = np.asarray(probs)
    blank = len(alphabet)
    best = p.argmax(-1)
    top = p.max(-1)
    out: list[tuple[str, int, int, float]] = []
    prev = blank
    for t, k in enumerate(best):
        if k != blank and k == prev:
            c, t0, _, conf = out[-1]
            out[-1] = (c, t0, t, max(conf, float(top[t])))
        elif k != blank:
            out.append((alphabet[k], t, t, float(top[t])))
        prev = k
    return out


Extend = Callable[[str, str], "float | None"]
"""``extend(prefix, char)``: the log score appending ``char`` to ``prefix`` adds, or None to forbid it."""


def prefix_beam(probs: np.ndarray, alphabet: str, beam_width: int = 16,
                extend: Extend | None = None) -> list[tuple[str, float, float]]:
    """Prefix beam search over CTC scores: the one search loop every beam decoder uses.

    Without ``extend`` beams are ranked by probability; with it (a lexicon's trie and word bonus),
    by log probability plus the bonuses ``extend`` gave along the prefix. ``extend`` must depend on its
    arguments only: it is asked once per prefix and character. Returns the kept beams as
    (text, probability, bonus), in rank order.
    """
    p = np.asarray(probs, dtype=np.float64)
    blank = len(alphabet)
    rows = p.tolist()  # Python floats: the same doubles, without NumPy's per-element overhead
    allowed = p > MIN_PROB
    allowed[:, blank] = False
    chars_at: list[list[tuple[str, float]]] = [[] for _ in rows]  # each frame's characters worth adding
    for t, k in zip(*(a.tolist() for a in np.nonzero(allowed))):
        chars_at[t].append((alphabet[k], rows[t][k]))
    index = {c: i for i, c in enumerate(alphabet)}
    beams: list[tuple[str, float, float]] = [("", 1.0, 0.0)]  # (prefix, p_blank, p_nonblank) in rank order
    bonus: dict[str, float] = {"": 0.0}  # the bonus of each prefix extend allowed ...
    barred: set[str] = set()  # ... and the prefixes it forbade
    log = math.log

    for row, chars in zip(rows, chars_at):
        p_blank = row[blank]
        if not chars:  # no character to add (most frames): every beam stays itself, by a blank or a repeat
            entries = [(prefix, (pb + pnb) * p_blank, pnb * row[index[prefix[-1]]] if prefix else 0.0)
                       for prefix, pb, pnb in beams]
        else:
            nxt: dict[str, list[float]] = {}
            for prefix, pb, pnb in beams:
                total = pb + pnb
                here = nxt.get(prefix)
                if here is None:
                    here = nxt[prefix] = [0.0, 0.0]
                here[0] += total * p_blank
                last = prefix[-1] if prefix else ""
                if prefix:
                    here[1] += pnb * row[index[last]]  # repeat without a blank between: same prefix
                for ch, pc in chars:
                    ext = prefix + ch
                    if extend is not None and ext not in bonus:
                        if ext in barred:
                            continue
                        gain = extend(prefix, ch)
                        if gain is None:
                            barred.add(ext)
                            continue
                        bonus[ext] = bonus[prefix] + gain
                    there = nxt.get(ext)
                    if there is None:
                        there = nxt[ext] = [0.0, 0.0]
                    there[1] += (pb if ch == last else total) * pc  # a repeated character needs a blank between
            entries = [(k, v[0], v[1]) for k, v in nxt.items()]
        if extend is None:
            keys = [-(pb + pnb) for _, pb, pnb in entries]
        else:
            keys = [-(log(max(pb + pnb, 1e-300)) + bonus[k]) for k, pb, pnb in entries]
        beams = [entries[i] for i in sorted(range(len(entries)), key=keys.__getitem__)[:beam_width]]
    return [(prefix, pb + pnb, bonus.get(prefix, 0.0)) for prefix, pb, pnb in beams]


def beam_search(probs: np.ndarray, alphabet: str, beam_width: int = 16) -> list[tuple[str, float]]:
    """Prefix beam search; returns up to ``beam_width`` (text, probability) pairs, best first."""
    return sorted(((text, pr) for text, pr, _ in prefix_beam(probs, alphabet, beam_width)), key=lambda kv: -kv[1])


def compile_pattern(pattern: str) -> re.Pattern:
    """Compile a user's format pattern, turning a bad one into a clear error."""
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise EdgeOCRError(f"--pattern {pattern!r} is not a valid regular expression: {exc}") from None


def beam_shares(probs: np.ndarray, alphabet: str, beam_width: int = 16,
                beams: list[tuple[str, float]] | None = None) -> list[tuple[str, float]]:
    """Prefix beam search, each text with its share of the kept beams' probability (they sum to 1).
    ``beams``: :func:`beam_search`'s answer for these scores and width, when the caller has it."""
    beams = beam_search(probs, alphabet, beam_width) if beams is None else beams
    total = sum(pr for _, pr in beams) or 1.0
    return [(text, round(float(pr / total), 4)) for text, pr in beams]


def beam_decoded(probs: np.ndarray, alphabet: str, text: str, share: float) -> Decoded:
    """A beam's text as :class:`Decoded`: per-character confidences from the greedy path where it
    reads the same text, else the beam's share for every character; the text's confidence is the share."""
    g = greedy(probs, alphabet)
    confs = g.char_confidences if g.text == text else [share] * len(text)
    return Decoded(text, confs, share)


def beam_best(probs: np.ndarray, alphabet: str, width: int = 16,
              beams: list[tuple[str, float]] | None = None) -> tuple[Decoded, list[list]]:
    """The most probable text by beam search, and the top three as [text, share] alternatives
    (``beams``: as for :func:`beam_shares`)."""
    shares = beam_shares(probs, alphabet, width, beams)
    text, share = shares[0]
    return beam_decoded(probs, alphabet, text, share), [[t, q] for t, q in shares[:3]]


def constrained(probs: np.ndarray, alphabet: str, pattern: re.Pattern, beam_width: int = 32) -> Decoded | None:
    """The most probable text that fully matches ``pattern``; None when no beam matches.

    Confidences as in :func:`beam_decoded`: the matched beam's share of all beams kept.
    """
    for text, share in beam_shares(probs, alphabet, beam_width):
        if pattern.fullmatch(text):
            return beam_decoded(probs, alphabet, text, share)
    return None


def _label_sequence(text: str, alphabet: str) -> tuple[np.ndarray, np.ndarray]:
    """CTC's label sequence for ``text`` (a blank around every character) and where a path may skip a
    label (s-2 -> s): onto a character that is not the one two back."""
    blank = len(alphabet)
    ext = np.array([blank] + [k for c in text for k in (alphabet.index(c), blank)])
    skip = np.zeros(len(ext), bool)
    skip[2:] = (ext[2:] != blank) & (ext[2:] != ext[:-2])
    return ext, skip


def ctc_probability(probs: np.ndarray, text: str, alphabet: str) -> float:
    """P(text | scores): the CTC forward algorithm summed over every path that reads ``text``.

    Characters outside the alphabet make the probability 0. Rescaled per timestep, so long
    sequences do not underflow; the result may still be 0.0 for hopeless texts.
    """
    p = np.asarray(probs, dtype=np.float64)
    blank = len(alphabet)
    if any(c not in alphabet for c in text):
        return 0.0
    ext_arr, skip = _label_sequence(text, alphabet)
    n = len(ext_arr)
    alpha = np.zeros(n)
    alpha[0] = p[0, blank]
    if n > 1:
        alpha[1] = p[0, ext_arr[1]]
    log_scale = 0.0
    for t in range(1, p.shape[0]):
        prev = alpha
        alpha = prev.copy()
        alpha[1:] += prev[:-1]
        alpha[2:] += np.where(skip[2:], prev[:-2], 0.0)
        alpha *= p[t, ext_arr]
        s = alpha.sum()
        if s <= 0:
            return 0.0
        alpha /= s
        log_scale += np.log(s)
    tail = alpha[-1] + (alpha[-2] if n > 1 else 0.0)
    return float(np.exp(np.log(max(tail, 1e-300)) + log_scale)) if tail > 0 else 0.0


def align(probs: np.ndarray, text: str, alphabet: str) -> list[tuple[int, int]] | None:
    """Each character's (first, last) timestep on the most probable path that reads ``text`` (Viterbi
    over the CTC label sequence): where it sits in the input, one timestep per stride columns. None when
    no path fits (too few timesteps, or a character outside the alphabet)."""
    if any(c not in alphabet for c in text):
        return None
    if not text:
        return []
    ext, skip = _label_sequence(text, alphabet)
    n, steps = len(ext), len(probs)
    logp = np.log(np.maximum(np.asarray(probs, np.float64)[:, ext], 1e-30))
    jumps = np.flatnonzero(skip)
    score = np.full((steps, n), -np.inf)
    score[0, :2] = logp[0, :2]
    for t in range(1, steps):
        prev, best = score[t - 1], score[t - 1].copy()
        np.maximum(best[1:], prev[:-1], out=best[1:])
        best[jumps] = np.maximum(best[jumps], prev[jumps - 2])
        score[t] = best + logp[t]
    s = n - 1 if score[-1, n - 1] >= score[-1, n - 2] else n - 2
    if not np.isfinite(score[-1, s]):
        return None
    spans: dict[int, tuple[int, int]] = {}
    for t in range(steps - 1, -1, -1):
        if s % 2:
            spans[s // 2] = (t, spans.get(s // 2, (t, t))[1])
        if t:  # the predecessor that gave this state its score
            prev = score[t - 1]
            s = max((q for q in (s, s - 1, s - 2) if q >= 0 and (q != s - 2 or s in jumps)), key=lambda q: prev[q])
    return [spans[i] for i in range(len(text))]
