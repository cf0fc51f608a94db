"""``edgeocr train handwriting``: handwritten words and lines -> conv CRNN with CTC loss.

Training words are drawn in the training faces and composed from the training split of real
character crops; validation uses the held-out faces and the validation split. The run folder gets
``handwriting.keras``, ``.calib.npz`` (representative inputs for int8 and the validation set),
``.meta.json`` and ``report/``; the drawn data go to the shared data cache.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from edge_app.families.handwriting.spec import LINE_SIZE, SPEC

from .config import HandwritingConfig
from .ctc_train import CtcData, fit_ctc, start_from
from .data.fonts import HANDWRITING_FONTS, HELD_OUT_FONTS
from .data.handwriting import hw_key_parts, hw_samples
from .data.hw_text import HW_ALPHABET, LEXICON, MAX_CHARS
from .data.licences import licences
from .data.runs import cache_root, cached

MAX_LABEL = 32
INPUT_SPEC = {"shape": SPEC.input_shape, "normalisation": SPEC.normalisation}


def _cached(cfg: HandwritingConfig, split: str, count: int, seed: int) -> tuple[np.ndarray, list[str], list[str]]:
    def make() -> dict[str, np.ndarray]:
        x, labels, sources = hw_samples(split, count, seed, cfg.real, cfg.mnist, workers=cfg.workers)
        return {"x": x, "labels": np.array(labels), "sources": np.array(sources)}

    z = cached(cache_root(cfg.cache), f"data_{split}", hw_key_parts(split, count, seed, cfg.real, cfg.mnist), make,
               f"{split}: {count} words")
    return z["x"], [str(t) for t in z["labels"]], [str(s) for s in z["sources"]]


def train_handwriting(cfg: HandwritingConfig) -> dict:
    """Train the handwriting reader (from ``cfg.init``'s weights when given); returns the meta dict it writes."""
    cfg.validate()
    cfg.out_dir.mkdir(parents=True, exist_ok=True)
    cfg, started_from = start_from(cfg)
    seed, real, mnist = cfg.seed, cfg.real, cfg.mnist
    t0 = time.time()
    x8, l_train, s_train = _cached(cfg, "train", cfg.count, seed)
    xv, l_val, s_val = _cached(cfg, "val", cfg.val, seed + 1)
    x8, xv = x8[..., None], xv[..., None].astype(np.float32) / 255.0
    print(f"data: {len(l_train)} train, {len(l_val)} validation words in {time.time() - t0:.0f}s", file=sys.stderr)
    sources = np.array(s_val)

    from .hw_model import build_hw_model

    def meta(model, done: int, metrics: dict) -> dict:
        return {
            "task": "handwriting",
            "alphabet": HW_ALPHABET,
            "input": INPUT_SPEC,
            "output": {"shape": [1, LINE_SIZE[1] // 4, len(HW_ALPHABET) + 1],
                       "meaning": "per-timestep softmax scores over the alphabet plus the CTC blank (last)",
                       "decode": "edge_app.ctc (greedy, beam search), edge_app.lexicon (lexicon beam search)"},
            "train_command": cfg.command,
            "data": {
                "licences": licences("fonts", "words", "handwritten-chars" if cfg.real else None,
                                     "mnist" if cfg.mnist else None),
                "train_samples": {s: int(np.sum(np.array(s_train) == s)) for s in sorted(set(s_train))},
                "text": f"{LEXICON.name} words by frequency ** 0.3, numbers, codes, punctuation; "
                        f"1-4 words, at most {MAX_CHARS} characters",
                "fonts_train": [f for f in HANDWRITING_FONTS if f not in HELD_OUT_FONTS],
                "fonts_held_out": HELD_OUT_FONTS,
                "real_chars": "handwritten-chars train split (first 16 per class); validation split (next 4) "
                              "for validation; the last 20 never seen" if real else "none",
                "mnist": "training digits but the last 5,000 (validation)" if mnist else "none",
                "validation": f"{len(l_val)} words: held-out faces and composed validation crops (seed {seed + 1})",
                "augment": f"{cfg.augment:.0%} of each batch jittered on the fly (train.data.pipeline, line)",
                "seed": seed,
                **({"started_from": started_from, "fine_tune_peak_lr": cfg.lr} if started_from else {}),
            },
            "params": int(model.count_params()),
            "epochs": cfg.epochs,
            "epochs_completed": done,
            "validation": metrics,
        }

    data = CtcData(x8, l_train, xv, l_val, {s: sources == s for s in sorted(set(s_val))}, HW_ALPHABET, MAX_LABEL,
                   "handwriting")
    return fit_ctc(cfg, data, lambda: build_hw_model(len(HW_ALPHABET), cfg.width), meta)
