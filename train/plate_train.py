"""``edgeocr train plate``: synthetic plates -> conv CRNN with CTC loss, under a tf.distribute strategy.

Writes ``plate.keras``, ``plate.calib.npz`` (representative inputs for int8 and the validation set
for ``edgeocr convert``), ``plate.meta.json`` and ``report/``.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from edge_app.families.plate.preprocess import plate_input
from edge_app.families.plate.spec import PLATE_SIZE, SPEC

from .config import PlateConfig
from .ctc_train import CtcData, fit_ctc
from .data.licences import licences
from .data.plate_crops import is_val_photo, jitter_crop, read_labelled
from .data.plate_render import DECO_FONTS, PLATE_FONTS, PLATE_HELD_OUT_FONTS
from .data.plate_text import PLATE_ALPHABET
from .data.runs import cache_root
from .plate_data import build_plate_data

MAX_LABEL = 10
INPUT_SPEC = {"shape": SPEC.input_shape, "normalisation": SPEC.normalisation}


def train_plate(cfg: PlateConfig) -> dict:
    """Train the plate reader; returns the meta dict it writes."""
    cfg.validate()
    t0 = time.time()
    sets = build_plate_data(cache_root(cfg.cache), cfg.count, cfg.digits5, cfg.val, cfg.seed, cfg.workers)
    x8, l_train = sets["train"]
    x_val8, l_val = sets["val"]
    n_d5 = max(1, cfg.val // 5)
    groups = {"world": np.arange(len(l_val)) < len(l_val) - n_d5}
    groups["digits5"] = ~groups["world"]
    real = {"train": 0, "val": 0}
    if cfg.real_crops:
        (rx, rl), (vx, vl) = real_sets(cfg.real_crops, cfg.real_repeat, cfg.seed)
        x8, l_train = np.concatenate([x8, rx]), l_train + rl
        groups = {k: np.concatenate([m, np.zeros(len(vl), bool)]) for k, m in groups.items()}
        groups["real"] = np.arange(len(l_val) + len(vl)) >= len(l_val)
        x_val8, l_val = np.concatenate([x_val8, vx]), l_val + vl
        real = {"train": len(rl) // cfg.real_repeat, "val": len(vl)}
    x_val = x_val8.astype(np.float32) / 255.0
    print(f"data: {len(l_train)} train, {len(l_val)} validation plates ({real['train']} real crops x "
          f"{cfg.real_repeat}, {real['val']} real validating) in {time.time() - t0:.0f}s", file=sys.stderr)

    from .plate_model import build_plate_model

    data = CtcData(x8, l_train, x_val, l_val, groups, PLATE_ALPHABET, MAX_LABEL, "plate", jitter=None)
    return fit_ctc(cfg, data, lambda: build_plate_model(len(PLATE_ALPHABET), cfg.width),
                   lambda model, done, metrics: _meta(model, cfg, l_val, real, done, metrics))


def real_sets(folder: str, repeat: int, seed: int) -> tuple[tuple[np.ndarray, list[str]], tuple[np.ndarray, list[str]]]:
    """The labelled real crops of ``folder`` as model inputs (uint8, x255): the training photos' crops
    ``repeat`` times each, jittered; the validation photos' crops once, as they are."""
    rng = np.random.default_rng(seed)
    train_x, train_l, val_x, val_l = [], [], [], []
    for crop, text, photo in read_labelled(folder):
        if is_val_photo(photo):
            val_x.append(plate_input(crop))
            val_l.append(text)
            continue
        for _ in range(repeat):
            train_x.append(plate_input(jitter_crop(crop, rng)))
            train_l.append(text)

    def stack(xs: list[np.ndarray]) -> np.ndarray:
        if not xs:
            return np.zeros((0, *PLATE_SIZE, 1), np.uint8)
        return np.round(np.stack(xs)[..., None] * 255.0).astype(np.uint8)

    return (stack(train_x), train_l), (stack(val_x), val_l)


def _meta(model, cfg: PlateConfig, l_val: list[str], real: dict[str, int], epochs_done: int, metrics: dict) -> dict:
    return {
        "task": "plate",
        "alphabet": PLATE_ALPHABET,
        "input": INPUT_SPEC,
        "output": {"shape": [1, PLATE_SIZE[1] // 4, len(PLATE_ALPHABET) + 1],
                   "meaning": "per-timestep softmax scores over the alphabet plus the CTC blank (last)",
                   "decode": "edge_app.ctc (greedy, beam search, pattern-constrained)"},
        "train_command": cfg.command,
        "data": {
            "licences": licences("fonts", "plate-photos" if cfg.real_crops else None),
            "train_samples": {"world": cfg.count, "digits5": cfg.digits5},
            "generator": "train.data.plate_render (US/EU/BR layouts, camera augmentation) and digits5",
            "fonts_train": PLATE_FONTS,
            "fonts_held_out": PLATE_HELD_OUT_FONTS,
            "fonts_decoration": DECO_FONTS,
            "validation": f"{len(l_val)} plates in the held-out fonts (seed {cfg.seed + 1})",
            "real_plates": (f"{real['train']} real crops of plate-photos train (CC BY 2.0 photos, CC BY 4.0 boxes), "
                            "labelled by agreement with RapidOCR (Apache-2.0, training time only), each "
                            f"{cfg.real_repeat} times jittered; {real['val']} more validate. plates-us (AGPL-3.0) "
                            "is evaluation only"
                            if cfg.real_crops else "none: plates-us is evaluation only"),
            "seed": cfg.seed,
        },
        "params": int(model.count_params()),
        "epochs": cfg.epochs,
        "epochs_completed": epochs_done,
        "validation": metrics,
    }
