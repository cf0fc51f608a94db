"""The page family's reader: a photographed printed page -> its text with line breaks, and words with boxes.

    reader = PageReader()
    result = reader.read(image)          # result.text: lines; result.items: words, boxes, confidences

Lines come from :func:`edge_app.families.page.segment.segment_page` (light, skew, orientation, non-text, the
two pages of a spread: the left page's lines, then the right's); every chunk goes through the ``page``
model in one batch and is decoded greedily in NumPy; a word's box comes from where its characters sit in
the CTC output. On fixed-pitch print (a till receipt) the spaces come from the character grid
(:mod:`edge_app.families.page.pitch`). ``dehyphenate`` joins words broken across
lines (``exam-`` / ``ple`` -> ``example``). Before that, the paper is found in the photo and rectified
(:mod:`edge_app.paper`, ``paper="auto"``), or, where no paper edge shows, the text's region is cut out
(:mod:`edge_app.text_region`): segmentation runs on the upright paper (or the region), and the words'
boxes are mapped back onto the photo (the box around each word's outline there).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ...ctc import greedy_spans
from ...paper import TEXT_REGION, check_mode, crop_paper
from ...preprocess import LINE_PAD
from ...results import Item, Result
from ..base import Found, ModelReader
from .pitch import page_pitch, respace
from .segment import MAX_SIDE, PageLayout, PageLine, segment_page
from .spec import SPEC

STRIDE = SPEC.stride  # input columns per output timestep
EDGE = 6  # model columns added on each side of a word's first and last character
CUT_LETTERS = 6  # a paper crop whose left or right edge cuts this many letters cut through the text
JUNK_CONF, JUNK_LETTERS = 0.6, 3  # a line is junk when its characters' mean confidence is below this and it
# has at most this many letters and digits (a speck, a cut-off scrap of the facing page read as text)
_HYPHENATED = re.compile(r"[A-Za-z]-$")


def join_hyphenated(lines: list[str]) -> list[str]:
    """Join a word hyphenated at a line's end with its rest on the next line (when that starts in
    lowercase); the joined word stays on the first line."""
    out = list(lines)
    for i in range(len(out) - 1):
        nxt = out[i + 1].lstrip()
        if _HYPHENATED.search(out[i]) and nxt[:1].islower():
            head, _, rest = nxt.partition(" ")
            out[i] = out[i][:-1] + head
            out[i + 1] = rest
    return [ln for ln in out if ln.strip()]


def line_confidence(words: list[Item]) -> float:
    """A line's confidence: the mean of its characters' confidences (0 for a line with none)."""
    confs = [c for w in words for c in (w.char_confidences or [])]
    return float(np.mean(confs)) if confs else 0.0


class PageReader(ModelReader):
    """Reads printed pages with the ``page`` model."""

    spec = SPEC
    find_options = ("paper",)

    def __init__(self, models_dir: str | Path | None = None, num_threads: int | None = None,
                 dehyphenate: bool = False, model_name: str = "page", paper: str | None = "auto"):
        self.paper = check_mode(paper)
        super().__init__(models_dir, num_threads, model_name)
        self.dehyphenate = dehyphenate

    def _line_words(self, layout: PageLayout, line: PageLine, probs: list[np.ndarray],
                    pitch: float | None = None) -> tuple[str, list[Item]]:
        """A line's text and its words (boxes in the input image) from its chunks' scores; on fixed-pitch
        print (``pitch``: the grid's in working-image pixels) spaced by the grid."""
        words: list[Item] = []
        y0, y1 = line.box[1], line.box[3]
        for chunk, p in zip(line.chunks, probs):
            cur: list[tuple[str, int, int, float]] = []
            spans = greedy_spans(p, self.alphabet)
            if pitch:
                spans = respace(spans, chunk.input, pitch * chunk.sx, STRIDE)
            for span in spans + [(" ", 0, 0, 1.0)]:
                if span[0] != " ":
                    cur.append(span)
                    continue
                if cur:
                    # CTC fires near a letter's middle: widen by about half a letter each side
                    u0, u1 = cur[0][1] * STRIDE - EDGE, (cur[-1][2] + 1) * STRIDE + EDGE
                    x0 = chunk.x0 + (u0 - LINE_PAD) / chunk.sx
                    x1 = chunk.x0 + (u1 - LINE_PAD) / chunk.sx
                    confs = [c for *_, c in cur]
                    words.append(Item("".join(c for c, *_ in cur), round(float(np.prod(confs)), 4),
                                      layout.input_box((max(0.0, x0), y0, x1, y1)),
                                      char_confidences=[round(c, 4) for c in confs]))
                cur = []
        return " ".join(w.text for w in words), words

    def find(self, image: np.ndarray, paper: str | None = None) -> Found:
        """The paper found and rectified, or else the text's region (``paper``: ``auto``/``off``, default the
        reader's), then the page's layout on it (light, skew, orientation, non-text removed) and its lines'
        chunks."""
        crop = crop_paper(image, self.paper if paper is None else paper, max_side=MAX_SIDE, gray=True)
        layout = segment_page(crop.image, paper=crop.paper is not None)
        if crop.paper is not None and layout.cut >= CUT_LETTERS:  # the crop's edge runs through the text
            found = TEXT_REGION if crop.paper.cue == TEXT_REGION else "paper"
            crop = crop_paper(image, "off")
            layout = segment_page(crop.image)
            layout.notes.insert(0, f"the {found} found cut through the text: the whole photo read instead")
        layout.to_photo = crop.to_photo
        layout.notes[:0] = crop.notes
        return Found(layout, [c.input for line in layout.lines for c in line.chunks], layout.notes,
                     crop.paper.corners() if crop.paper else None)

    def decode(self, found: Found, scores: np.ndarray, dehyphenate: bool | None = None, **options) -> Result:
        """Lines in reading order (top to bottom; a spread's left page, then its right) from their chunks'
        scores; items are the words with their boxes."""
        layout: PageLayout = found.regions
        lines, items, info, k, junk = [], [], [], 0, 0
        pitch = page_pitch([(c.input, c.sx) for line in layout.lines for c in line.chunks])
        for line in layout.lines:
            text, words = self._line_words(layout, line, [scores[k + i] for i in range(len(line.chunks))], pitch)
            k += len(line.chunks)
            if not text:
                continue
            conf = line_confidence(words)
            if conf < JUNK_CONF and sum(c.isalnum() for c in text) <= JUNK_LETTERS:
                junk += 1
                continue
            lines.append(text)
            items.extend(words)
            info.append({"text": text, "confidence": round(conf, 4), "box": layout.input_box(line.box)})
        if self.dehyphenate if dehyphenate is None else dehyphenate:
            lines = join_hyphenated(lines)
        conf = float(np.mean([i.confidence for i in items])) if items else 0.0
        notes = list(layout.notes)
        if junk:
            notes.append(f"{junk} line(s) read with low confidence and few letters left out as marks, not text")
        if not lines:
            notes.append("no readable text")
        return Result("", "\n".join(lines), round(conf, 4), items, notes=notes, lines=info)

    def read(self, image: np.ndarray, name: str = "", dehyphenate: bool | None = None,
             paper: str | None = None) -> Result:
        """Read a page photo: text lines top to bottom (a spread's left page first); items are the words.
        ``dehyphenate`` and ``paper`` override the reader's settings for this page."""
        return super().read(image, name, dehyphenate=dehyphenate, paper=paper)
