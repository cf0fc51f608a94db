"""``edgeocr train page``: printed text lines -> conv CRNN with CTC loss (the page reader).

Lines of real prose are set in the training book faces, printed and photographed
(:mod:`train.data.printed`); validation lines use the held-out faces. The run folder gets
``page.keras``, ``.calib.npz`` (representative inputs for int8 and the validation set),
``.meta.json``, ``report/`` and the data cache.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np

from edge_app.errors import EdgeOCRError
from edge_app.families.page.spec import PRINT_SIZE, SPEC

from .ctc_train import fit_ctc
from .data.printed import BOOK_FONTS, HELD_OUT_BOOK_FONTS, printed_samples
from .data.prose import EVAL_FILES, PAGE_ALPHABET
from .data.runs import cached

MAX_LABEL = 96
INPUT_SPEC = {"shape": SPEC.input_shape, "normalisation": SPEC.normalisation}


def _cached(path: Path, split: str, count: int, seed: int, workers: int) -> tuple[np.ndarray, list[str]]:
    def make() -> dict[str, np.ndarray]:
        x, labels = printed_samples(split, count, seed, workers=workers)
        return {"x": x, "labels": np.array(labels)}

    z = cached(path, make, f"{split}: {count} printed lines")
    return z["x"], [str(t) for t in z["labels"]]


def train_page(out: str, count: int, val_count: int, epochs: int, batch: int, width: int, strategy_name: str,
               seed: int, steps_per_epoch: int | None = None, workers: int = 2, cpu_replicas: int = 0,
               command: str = "", init: str | None = None, lr: float = 2e-3) -> dict:
    """Train the printed-line reader (from ``init``'s weights when given); returns the meta dict it writes."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    started_from = None
    if init:
        if not Path(init).is_file():
            raise EdgeOCRError(f"--init model {init} not found")
        init_meta = Path(init).with_suffix(".meta.json")
        keys = ("train_command", "epochs", "epochs_completed", "train_seconds", "validation")
        previous = json.loads(init_meta.read_text()) if init_meta.is_file() else {}
        started_from = {"file": str(init), **{k: v for k, v in previous.items() if k in keys}}
        init_copy = out_dir / "init.keras"  # the run may overwrite page.keras
        if Path(init).resolve() != init_copy.resolve():
            shutil.copyfile(init, init_copy)
        init = str(init_copy)
    t0 = time.time()
    x8, l_train = _cached(out_dir / f"data_train_{count}_{seed}.npz", "train", count, seed, workers)
    xv, l_val = _cached(out_dir / f"data_val_{val_count}_{seed + 1}.npz", "val", val_count, seed + 1, workers)
    x8, xv = x8[..., None], xv[..., None].astype(np.float32) / 255.0
    print(f"data: {len(l_train)} train, {len(l_val)} validation lines in {time.time() - t0:.0f}s", file=sys.stderr)

    from .hw_model import build_hw_model

    def meta(model, done: int, metrics: dict) -> dict:
        return {
            "task": "page",
            "alphabet": PAGE_ALPHABET,
            "input": INPUT_SPEC,
            "output": {"shape": [1, PRINT_SIZE[1] // 4, len(PAGE_ALPHABET) + 1],
                       "meaning": "per-timestep softmax scores over the alphabet plus the CTC blank (last)",
                       "decode": "edge_app.ctc (greedy)"},
            "train_command": command,
            "data": {
                "train_lines": len(l_train),
                "text": "real prose: Debian 'fortunes' (all files but " + ", ".join(EVAL_FILES)
                        + ", kept for the bench) and 'dict-devil' (Bierce, The Devil's Dictionary); 70% of "
                        "paragraphs with book typography (curly quotes, em/en dashes); headings, page numbers, "
                        "hyphenated ends and symbol tokens mixed in",
                "fonts_train": BOOK_FONTS,
                "fonts_held_out": HELD_OUT_BOOK_FONTS,
                "validation": f"{len(l_val)} lines in the held-out faces (seed {seed + 1})",
                "seed": seed,
                **({"started_from": started_from, "fine_tune_peak_lr": lr} if started_from else {}),
            },
            "params": int(model.count_params()),
            "epochs": epochs,
            "epochs_completed": done,
            "validation": metrics,
        }

    return fit_ctc(lambda: build_hw_model(len(PAGE_ALPHABET), width, "page_crnn", PRINT_SIZE), x8, l_train, xv,
                   l_val, {}, PAGE_ALPHABET, MAX_LABEL, out_dir, "page", epochs, batch, strategy_name, seed,
                   steps_per_epoch, cpu_replicas, meta, init=init, peak_lr=lr)
