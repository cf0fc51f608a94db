"""The handwriting family's reader: a word, a line or a paragraph (photo or touch strokes) -> text.

    reader = HandwritingReader()                  # the shipped English lexicon
    reader.read(image)                            # one item (text, box) per line
    reader.read_strokes(strokes, canvas=(w, h))   # what a touch canvas gives

Lines come from :func:`edge_app.families.handwriting.segment.segment_lines`; each line's chunks go through the CTC model
in one batch and are decoded in NumPy: with a lexicon, word by word (:func:`read_with_lexicon`:
lexicon words unless a non-word is far likelier, so numbers and codes survive); without one,
by beam search. Photos go through the paper finder first (:mod:`edge_app.paper`, ``paper="auto"``): lines
are found on the rectified note (or, where no paper edge shows, on the text's region cut out of the photo),
and their boxes mapped back onto the photo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from ...ctc import Decoded, beam_best, beam_search, greedy
from ...errors import EdgeOCRError
from ...files import sha256_file
from ...lexicon import Lexicon, read_with_lexicon
from ...manifest import default_models_dir
from ...paper import check_mode, crop_paper
from ...results import Item, Result
from ...strokes import Stroke, strokes_to_image
from ..base import Found, ModelReader, ensemble_name
from .case import first_letter_case
from .segment import segment_lines
from .spec import ENSEMBLE, SPEC

DECODERS = ("greedy", "beam", "lexicon")
# Each input is read as it is and shifted a row up and a row down, and the scores averaged (a third of
# a model's cost each). On the validation split (held-out faces, words composed from the validation crops,
# 1,000 each), words right with the lexicon: 77.8 / 89.1% (fonts / composed) as it is, 78.5 / 89.9 with
# one shift, 78.6 / 90.2 with both, 78.5 / 89.5 with two rows each way too; thicker, thinner, blurred or
# brighter ink: -0.4 to +0.4.
SHIFTS = (0, 1, -1)


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


class HandwritingReader(ModelReader):
    """Reads handwriting with the ``handwriting`` and ``handwriting2`` models, their scores averaged (those
    of the two the models folder has); ``model_name`` names one model, or several joined by ``+``.

    ``decoder``: ``greedy``, ``beam`` (prefix beam search) or ``lexicon`` (word list, the default);
    ``lexicon``: a word list file (``word`` or ``word count`` per line) instead of the one shipped
    with the model; ``paper``: ``auto`` (find the note in the photo and read it rectified) or ``off``.
    """

    spec = SPEC
    find_options = ("paper",)

    def __init__(self, models_dir: str | Path | None = None, num_threads: int | None = None,
                 decoder: str = "lexicon", lexicon: str | Path | None = None, model_name: str | None = None,
                 paper: str | None = "auto"):
        self.paper = check_mode(paper)
        if decoder not in DECODERS:
            raise EdgeOCRError(f"unknown decoder '{decoder}' (choose from {', '.join(DECODERS)})")
        if lexicon is not None and decoder != "lexicon":
            raise EdgeOCRError("a lexicon file needs the lexicon decoder")
        model_name = model_name or ensemble_name(models_dir, ENSEMBLE) or SPEC.model
        super().__init__(models_dir, num_threads, model_name)
        self.decoder = decoder
        self.lexicon = None
        if decoder == "lexicon":
            self.lexicon = (Lexicon.load(lexicon) if lexicon is not None else
                            _shipped_lexicon(self.entry, Path(models_dir or default_models_dir()),
                                             model_name.split("+")[0]))
            if self.lexicon is None:
                raise EdgeOCRError(f"model '{model_name}' ships no lexicon: pass --lexicon FILE or another decoder")

    def infer(self, inputs: list[np.ndarray] | np.ndarray) -> np.ndarray:
        """Per-timestep scores (N, T, C+1) for 32x256 float inputs (:func:`line_input`): the average over
        the inputs shifted by :data:`SHIFTS` rows, in one batch."""
        x = np.asarray(inputs, np.float32).reshape(-1, *self.spec.input_size)
        scores = super().infer(np.concatenate([np.roll(x, s, axis=1) for s in SHIFTS]))
        return scores.reshape(len(SHIFTS), len(x), *scores.shape[1:]).mean(0)

    def scores(self, chunks: list[np.ndarray]) -> np.ndarray:
        """Per-timestep scores (N, T, C+1) for a list of 32x256 float inputs (:func:`line_input`)."""
        return self.infer(chunks)

    def decode_chunk(self, probs: np.ndarray) -> tuple[Decoded, list[list]]:
        """One chunk's text and its alternatives (the top beams)."""
        if self.decoder == "greedy":
            return greedy(probs, self.alphabet), []
        beams = beam_search(probs, self.alphabet, 16)
        best, alts = beam_best(probs, self.alphabet, 16, beams)
        if self.lexicon is None:
            return best, alts
        d = read_with_lexicon(probs, self.alphabet, self.lexicon, beams=beams)
        if d.text != best.text:
            alts = [[d.text, d.confidence]] + [a for a in alts if a[0] != d.text][:2]
        return d, alts

    def find(self, image: np.ndarray, paper: str | None = None) -> Found:
        """The paper found and rectified (``paper``: ``auto``/``off``, default the reader's), then its text
        lines top to bottom, each cut into chunks the model takes. Regions: (lines, the paper crop)."""
        crop = crop_paper(image, self.paper if paper is None else paper)
        lines = segment_lines(crop.image)
        notes = crop.notes + ([] if lines else ["no text found"])
        return Found((lines, crop), [c for line in lines for c in line.chunks], notes,
                     crop.paper.corners() if crop.paper else None)

    def decode(self, found: Found, scores: np.ndarray, **options) -> Result:
        """One item per line: its chunks decoded (each word's first letter in the case its height shows:
        :mod:`.case`) and joined; alternatives when the line is one chunk.
        Boxes are on the photo (the box around a line's outline, when it was read on a rectified paper)."""
        items, k = [], 0
        lines, crop = found.regions
        for line in lines:
            parts = []
            for chunk, probs in zip(found.inputs[k : k + len(line.chunks)], scores[k : k + len(line.chunks)]):
                d, alts = self.decode_chunk(probs)
                cased = first_letter_case(chunk, probs, d.text, self.alphabet, self.spec.stride)
                if cased != d.text:  # the reading's alternatives follow its case (once each)
                    shares: dict[str, float] = {}
                    for t, p in alts:
                        shares.setdefault(cased if t == d.text else t, p)
                    alts = [[t, p] for t, p in shares.items()]
                parts.append((replace(d, text=cased), alts))
            k += len(line.chunks)
            text = " ".join(d.text for d, _ in parts if d.text)
            if not text:
                continue
            conf = float(np.prod([d.confidence for d, _ in parts]))
            x0, y0, x1, y1 = line.box
            items.append(Item(text, round(conf, 4), crop.photo_box([x0, y0, x1 - x0, y1 - y0]),
                              parts[0][1] if len(parts) == 1 else [],
                              [c for d, _ in parts for c in d.char_confidences]))
        notes = list(found.notes) if items else found.notes + ["no readable text"]
        return Result("", "\n".join(i.text for i in items), min((i.confidence for i in items), default=0.0), items,
                      notes=notes)

    def read_strokes(self, strokes: Sequence[Stroke], canvas: tuple[float, float] | None = None,
                     y_up: bool = False, name: str = "") -> Result:
        """Read touch strokes (lists of (x, y, t)); an empty canvas or a dot reads as nothing. A canvas
        is no photo: the paper finder is off (a drawn box is not a paper)."""
        image = strokes_to_image(strokes, canvas, y_up)
        return Result(name) if image is None else self.read(image, name, paper="off")

    def read(self, image: np.ndarray, name: str = "", paper: str | None = None) -> Result:
        """Read a photo of handwriting: one item per line. ``paper`` overrides the reader's setting."""
        return super().read(image, name, paper=paper)
