"""``edgeocr train page``: printed text lines -> conv CRNN with CTC loss (the page reader).

Lines of real prose are set in the training book faces, printed and photographed
(:mod:`train.data.printed`); validation lines use the held-out faces. The run folder gets
``page.keras``, ``.calib.npz`` (representative inputs for int8 and the validation set),
``.meta.json`` and ``report/``; the drawn data go to the shared data cache.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from edge_app.families.page.spec import PRINT_SIZE, SPEC

from .config import PageConfig
from .ctc_train import CtcData, fit_ctc, start_from
from .data.licences import licences
from .data.printed import BOOK_FONTS, HELD_OUT_BOOK_FONTS, printed_key_parts, printed_samples
from .data.prose import EVAL_FILES, PAGE_ALPHABET
from .data.runs import cache_root, cached

MAX_LABEL = 96
INPUT_SPEC = {"shape": SPEC.input_shape, "normalisation": SPEC.normalisation}


def _cached(cfg: PageConfig, split: str, count: int, seed: int) -> tuple[np.ndarray, list[str]]:
    def make() -> dict[str, np.ndarray]:
        x, labels = printed_samples(split, count, seed, workers=cfg.workers)
        return {"x": x, "labels": np.array(labels)}

    z = cached(cache_root(cfg.cache), f"data_{split}", printed_key_parts(split, count, seed), make,
               f"{split}: {count} printed lines")
    return z["x"], [str(t) for t in z["labels"]]


def train_page(cfg: PageConfig) -> dict:
    """Train the printed-line reader (from ``cfg.init``'s weights when given); returns the meta dict it writes."""
    cfg.validate()
    out_dir = cfg.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    cfg, started_from = start_from(cfg)
    t0 = time.time()
    x8, l_train = _cached(cfg, "train", cfg.count, cfg.seed)
    xv, l_val = _cached(cfg, "val", cfg.val, cfg.seed + 1)
    x8, xv = x8[..., None], xv[..., None].astype(np.float32) / 255.0
    print(f"data: {len(l_train)} train, {len(l_val)} validation lines in {time.time() - t0:.0f}s", file=sys.stderr)
    seed, lr = cfg.seed, cfg.lr

    from .hw_model import build_hw_model

    def meta(model, done: int, metrics: dict) -> dict:
        return {
            "task": "page",
            "alphabet": PAGE_ALPHABET,
            "input": INPUT_SPEC,
            "output": {"shape": [1, PRINT_SIZE[1] // 4, len(PAGE_ALPHABET) + 1],
                       "meaning": "per-timestep softmax scores over the alphabet plus the CTC blank (last)",
                       "decode": "edge_app.ctc (greedy)"},
            "train_command": cfg.command,
            "data": {
                "licences": licences("fonts", "prose"),
                "train_lines": len(l_train),
                "text": "real prose: Debian 'fortunes' (all files but " + ", ".join(EVAL_FILES)
                        + ", kept for the bench) and 'dict-devil' (Bierce, The Devil's Dictionary); 70% of "
                        "paragraphs with book typography (curly quotes, em/en dashes); headings, page numbers, "
                        "hyphenated ends and symbol tokens mixed in",
                "fonts_train": BOOK_FONTS,
                "fonts_held_out": HELD_OUT_BOOK_FONTS,
                "validation": f"{len(l_val)} lines in the held-out faces (seed {seed + 1})",
                "augment": f"{cfg.augment:.0%} of each batch jittered on the fly (train.data.pipeline, line)",
                "seed": seed,
                **({"started_from": started_from, "fine_tune_peak_lr": lr} if started_from else {}),
            },
            "params": int(model.count_params()),
            "epochs": cfg.epochs,
            "epochs_completed": done,
            "validation": metrics,
        }

    data = CtcData(x8, l_train, xv, l_val, {}, PAGE_ALPHABET, MAX_LABEL, "page")
    return fit_ctc(cfg, data, lambda: build_hw_model(len(PAGE_ALPHABET), cfg.width, "page_crnn", PRINT_SIZE), meta)
