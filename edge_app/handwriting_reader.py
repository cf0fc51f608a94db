"""The handwriting task: a word, a line or a paragraph (photo or touch strokes) -> text.

    reader = HandwritingReader()                  # the shipped English lexicon
    reader.read(image)                            # one item (text, box) per line
    reader.read_strokes(strokes, canvas=(w, h))   # what a touch canvas gives

Lines come from :func:`edge_app.lines.segment_lines`; each line's chunks go through the CTC model
in one batch and are decoded in NumPy: with a lexicon, word by word (:func:`read_with_lexicon`:
lexicon words unless a non-word is far likelier, so numbers and codes survive); without one,
by beam search.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .ctc import Decoded, beam_search, greedy
from .errors import EdgeOCRError
from .lexicon import Lexicon, read_with_lexicon
from .lines import segment_lines
from .pipeline import Item, Result, Timer
from .plate_reader import check_frame
from .preprocess import LINE_SIZE
from .registry import default_models_dir, load_model, sha256_file
from .strokes import Stroke, strokes_to_image

DECODERS = ("greedy", "beam", "lexicon")


def beam_best(probs: np.ndarray, alphabet: str, width: int = 16) -> tuple[Decoded, list[list]]:
    """The most probable text by beam search, and the top three as [text, share] alternatives."""
    beams = beam_search(probs, alphabet, width)
    total = sum(p for _, p in beams) or 1.0
    text, p = beams[0]
    g = greedy(probs, alphabet)
    confs = g.char_confidences if g.text == text else [round(p / total, 4)] * len(text)
    return Decoded(text, confs, round(p / total, 4)), [[t, round(q / total, 4)] for t, q in beams[:3]]


def _shipped_lexicon(entry: dict, models_dir: Path, model_name: str) -> Lexicon | None:
    """The word list named in the model's manifest entry, checked against its sha256."""
    spec = entry.get("lexicon")
    if not spec:
        return None
    path = models_dir / spec["file"]
    if not path.is_file():
        raise EdgeOCRError(f"lexicon {path} of model '{model_name}' not found")
    if sha256_file(path) != spec.get("sha256"):
        raise EdgeOCRError(f"lexicon {path} does not match its manifest sha256 (changed or corrupt); "
                           "re-run 'edgeocr convert --lexicon' or pass --lexicon FILE")
    return Lexicon.load(path)


class HandwritingReader:
    """Reads handwriting with the ``handwriting`` model.

    ``decoder``: ``greedy``, ``beam`` (prefix beam search) or ``lexicon`` (word list, the default);
    ``lexicon``: a word list file (``word`` or ``word count`` per line) instead of the one shipped
    with the model.
    """

    def __init__(self, models_dir: str | Path | None = None, num_threads: int | None = None,
                 decoder: str = "lexicon", lexicon: str | Path | None = None, model_name: str = "handwriting"):
        if decoder not in DECODERS:
            raise EdgeOCRError(f"unknown decoder '{decoder}' (choose from {', '.join(DECODERS)})")
        if lexicon is not None and decoder != "lexicon":
            raise EdgeOCRError("a lexicon file needs the lexicon decoder")
        self.model, self.entry = load_model(model_name, models_dir, num_threads)
        self.alphabet: str = self.entry["alphabet"]
        if tuple(self.model.input_shape[1:3]) != LINE_SIZE:
            raise EdgeOCRError(f"model '{model_name}' takes {self.model.input_shape[1:3]}, not the line size "
                               f"{LINE_SIZE}")
        self.decoder = decoder
        self.lexicon = None
        if decoder == "lexicon":
            self.lexicon = (Lexicon.load(lexicon) if lexicon is not None else
                            _shipped_lexicon(self.entry, Path(models_dir or default_models_dir()), model_name))
            if self.lexicon is None:
                raise EdgeOCRError(f"model '{model_name}' ships no lexicon: pass --lexicon FILE or another decoder")

    def scores(self, chunks: list[np.ndarray]) -> np.ndarray:
        """Per-timestep scores (N, T, C+1) for a list of LINE_SIZE float inputs."""
        return self.model(np.stack(chunks)[..., None].astype(np.float32))

    def decode(self, probs: np.ndarray) -> tuple[Decoded, list[list]]:
        """One chunk's text and its alternatives (the top beams)."""
        if self.decoder == "greedy":
            return greedy(probs, self.alphabet), []
        best, alts = beam_best(probs, self.alphabet)
        if self.lexicon is None:
            return best, alts
        d = read_with_lexicon(probs, self.alphabet, self.lexicon)
        if d.text != best.text:
            alts = [[d.text, d.confidence]] + [a for a in alts if a[0] != d.text][:2]
        return d, alts

    def read(self, image: np.ndarray, name: str = "") -> Result:
        """Read every text line of a word, line or page image, top to bottom."""
        image = check_frame(image)
        timer, t = Timer(), time.perf_counter()
        lines = segment_lines(image)
        t = timer.stage("segment", t)
        if not lines:
            return Result(name, timings_ms=timer.ms)
        probs = self.scores([c for line in lines for c in line.chunks])
        t = timer.stage("model", t)
        items, k = [], 0
        for line in lines:
            parts = [self.decode(probs[k + i]) for i in range(len(line.chunks))]
            k += len(line.chunks)
            text = " ".join(d.text for d, _ in parts if d.text)
            if not text:
                continue
            conf = float(np.prod([d.confidence for d, _ in parts]))
            x0, y0, x1, y1 = line.box
            items.append(Item(text, round(conf, 4), [x0, y0, x1 - x0, y1 - y0],
                              parts[0][1] if len(parts) == 1 else [],
                              [c for d, _ in parts for c in d.char_confidences]))
        timer.stage("decode", t)
        return Result(name, "\n".join(i.text for i in items), min((i.confidence for i in items), default=0.0),
                      items, timer.ms)

    def read_strokes(self, strokes: Sequence[Stroke], canvas: tuple[float, float] | None = None,
                     y_up: bool = False, name: str = "") -> Result:
        """Read touch strokes (lists of (x, y, t)); an empty canvas or a dot reads as nothing."""
        image = strokes_to_image(strokes, canvas, y_up)
        return Result(name) if image is None else self.read(image, name)
