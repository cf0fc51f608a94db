"""``edgeocr train handwriting``: handwritten words and lines -> conv CRNN with CTC loss.

Training words are drawn in the training faces and composed from the training split of real
character crops; validation uses the held-out faces and the validation split. The run folder gets
``handwriting.keras``, ``.calib.npz`` (representative inputs for int8 and the validation set),
``.meta.json``, ``report/`` and the data cache.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from edge_app.families.handwriting.spec import LINE_SIZE, SPEC

from .ctc_train import fit_ctc
from .data.fonts import HANDWRITING_FONTS, HELD_OUT_FONTS
from .data.handwriting import hw_samples
from .data.hw_text import HW_ALPHABET, LEXICON, MAX_CHARS
from .data.runs import cached

MAX_LABEL = 32
INPUT_SPEC = {"shape": SPEC.input_shape, "normalisation": SPEC.normalisation}


def _cached(path: Path, split: str, count: int, seed: int, real: str | None, mnist: str | None, workers: int
            ) -> tuple[np.ndarray, list[str], list[str]]:
    def make() -> dict[str, np.ndarray]:
        x, labels, sources = hw_samples(split, count, seed, real, mnist, workers=workers)
        return {"x": x, "labels": np.array(labels), "sources": np.array(sources)}

    z = cached(path, make, f"{split}: {count} words")
    return z["x"], [str(t) for t in z["labels"]], [str(s) for s in z["sources"]]


def train_handwriting(out: str, count: int, val_count: int, epochs: int, batch: int, width: int,
                      strategy_name: str, seed: int, real: str | None, mnist: str | None,
                      steps_per_epoch: int | None = None, workers: int = 2, cpu_replicas: int = 0,
                      command: str = "") -> dict:
    """Train the handwriting reader; returns the meta dict it writes."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    x8, l_train, s_train = _cached(out_dir / f"data_train_{count}_{seed}.npz", "train", count, seed, real, mnist,
                                   workers)
    xv, l_val, s_val = _cached(out_dir / f"data_val_{val_count}_{seed + 1}.npz", "val", val_count, seed + 1, real,
                               mnist, workers)
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
            "train_command": command,
            "data": {
                "train_samples": {s: int(np.sum(np.array(s_train) == s)) for s in sorted(set(s_train))},
                "text": f"{LEXICON.name} words by frequency ** 0.3, numbers, codes, punctuation; "
                        f"1-4 words, at most {MAX_CHARS} characters",
                "fonts_train": [f for f in HANDWRITING_FONTS if f not in HELD_OUT_FONTS],
                "fonts_held_out": HELD_OUT_FONTS,
                "real_chars": "handwritten-chars train split (first 16 per class); validation split (next 4) "
                              "for validation; the last 20 never seen" if real else "none",
                "mnist": "training digits but the last 5,000 (validation)" if mnist else "none",
                "validation": f"{len(l_val)} words: held-out faces and composed validation crops (seed {seed + 1})",
                "seed": seed,
            },
            "params": int(model.count_params()),
            "epochs": epochs,
            "epochs_completed": done,
            "validation": metrics,
        }

    return fit_ctc(lambda: build_hw_model(len(HW_ALPHABET), width), x8, l_train, xv, l_val,
                   {s: sources == s for s in sorted(set(s_val))}, HW_ALPHABET, MAX_LABEL, out_dir, "handwriting",
                   epochs, batch, strategy_name, seed, steps_per_epoch, cpu_replicas, meta)
