"""``edgeocr train plate``: synthetic plates -> conv CRNN with CTC loss, under a tf.distribute strategy.

Writes ``plate.keras``, ``plate.calib.npz`` (representative inputs for int8 and the validation set
for ``edgeocr convert``), ``plate.meta.json`` and ``report/``.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from edge_app.families.plate.spec import PLATE_SIZE, SPEC

from .config import PlateConfig
from .ctc_train import CtcData, fit_ctc
from .data.plate_render import DECO_FONTS, PLATE_FONTS, PLATE_HELD_OUT_FONTS
from .data.plate_text import PLATE_ALPHABET
from .plate_data import build_plate_data

MAX_LABEL = 10
INPUT_SPEC = {"shape": SPEC.input_shape, "normalisation": SPEC.normalisation}


def train_plate(cfg: PlateConfig) -> dict:
    """Train the plate reader; returns the meta dict it writes."""
    cfg.validate()
    t0 = time.time()
    sets = build_plate_data(cfg.out_dir, cfg.count, cfg.digits5, cfg.val, cfg.seed, cfg.workers)
    x8, l_train = sets["train"]
    x_val, l_val = sets["val"][0].astype(np.float32) / 255.0, sets["val"][1]
    print(f"data: {len(l_train)} train, {len(l_val)} validation plates in {time.time() - t0:.0f}s", file=sys.stderr)

    from .plate_model import build_plate_model

    n_d5 = max(1, cfg.val // 5)
    is_d5 = np.arange(len(l_val)) >= len(l_val) - n_d5
    data = CtcData(x8, l_train, x_val, l_val, {"world": ~is_d5, "digits5": is_d5}, PLATE_ALPHABET, MAX_LABEL,
                   "plate")
    return fit_ctc(cfg, data, lambda: build_plate_model(len(PLATE_ALPHABET), cfg.width),
                   lambda model, done, metrics: _meta(model, cfg, l_val, done, metrics))


def _meta(model, cfg: PlateConfig, l_val: list[str], epochs_done: int, metrics: dict) -> dict:
    return {
        "task": "plate",
        "alphabet": PLATE_ALPHABET,
        "input": INPUT_SPEC,
        "output": {"shape": [1, PLATE_SIZE[1] // 4, len(PLATE_ALPHABET) + 1],
                   "meaning": "per-timestep softmax scores over the alphabet plus the CTC blank (last)",
                   "decode": "edge_app.ctc (greedy, beam search, pattern-constrained)"},
        "train_command": cfg.command,
        "data": {
            "train_samples": {"world": cfg.count, "digits5": cfg.digits5},
            "generator": "train.data.plate_render (US/EU/BR layouts, camera augmentation) and digits5",
            "fonts_train": PLATE_FONTS,
            "fonts_held_out": PLATE_HELD_OUT_FONTS,
            "fonts_decoration": DECO_FONTS,
            "validation": f"{len(l_val)} plates in the held-out fonts (seed {cfg.seed + 1})",
            "real_plates": "none: plates-us is evaluation only",
            "seed": cfg.seed,
        },
        "params": int(model.count_params()),
        "epochs": cfg.epochs,
        "epochs_completed": epochs_done,
        "validation": metrics,
    }
