"""``edgeocr train char``: build the data, fit the CNN under a tf.distribute strategy, write a report."""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from edge_app.families.char.spec import SPEC

from .char_data import ALPHABET, build_char_data
from .config import CharConfig
from .data.fonts import HANDWRITING_FONTS, HELD_OUT_FONTS
from .fit import cosine_schedule, fit_loop, save_keras_atomic
from .report import write_report

INPUT_SPEC = {"shape": SPEC.input_shape, "normalisation": SPEC.normalisation}


def class_weights(y: np.ndarray, n: int) -> dict[int, float]:
    """Inverse-frequency weights (square-rooted, mean 1) so MNIST's many digits do not drown letters."""
    counts = np.bincount(y, minlength=n).astype(np.float64)
    w = np.where(counts > 0, (counts.sum() / np.maximum(counts, 1) / n) ** 0.5, 0.0)
    w = w / w[counts > 0].mean()
    return {i: float(v) for i, v in enumerate(w)}


def train_char(cfg: CharConfig) -> dict:
    """Train the character model and write ``char.keras``, ``char.calib.npz``, ``char.meta.json``, ``report/``."""
    cfg.validate()
    out_dir = cfg.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    train, val = build_char_data(cfg.mnist, cfg.real, cfg.per_glyph, cfg.real_copies, cfg.mnist_limit, cfg.seed,
                                 cfg.stroke_copies)
    print(f"data: {len(train)} train, {len(val)} validation cells in {time.time() - t0:.0f}s", file=sys.stderr)

    import keras
    import tensorflow as tf

    from .char_model import build_char_model

    x_train = train.x[..., None]
    x_val = val.x[..., None]

    def datasets(global_batch: int) -> tuple[tf.data.Dataset, tf.data.Dataset]:
        ds = (tf.data.Dataset.from_tensor_slices((x_train, train.y))
              .shuffle(len(train), seed=cfg.seed, reshuffle_each_iteration=True).batch(global_batch)
              .prefetch(tf.data.AUTOTUNE))
        return ds, tf.data.Dataset.from_tensor_slices((x_val, val.y)).batch(512)

    def compile_model(model, steps: int) -> None:
        model.compile(optimizer=keras.optimizers.Adam(cosine_schedule(cfg.lr, cfg.epochs * steps)),
                      loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])

    model, hist = fit_loop(cfg, datasets, lambda global_batch: int(np.ceil(len(train) / global_batch)),
                           lambda: build_char_model(len(ALPHABET), cfg.width), compile_model, shuffle=False,
                           class_weight=class_weights(train.y, len(ALPHABET)))

    pred = model.predict(x_val, batch_size=512, verbose=0).argmax(-1)
    metrics = {"val_accuracy": float(np.mean(pred == val.y))}
    for src in np.unique(val.source):
        sel = val.source == src
        metrics[f"val_accuracy_{src}"] = float(np.mean(pred[sel] == val.y[sel]))
        metrics[f"val_count_{src}"] = int(sel.sum())
    print("validation: " + ", ".join(f"{k}={v:.4f}" for k, v in metrics.items() if "accuracy" in k),
          file=sys.stderr)
    write_report(out_dir / "report", hist.history, val.y, pred, ALPHABET, "char")

    save_keras_atomic(model, out_dir / "char.keras")
    rng = np.random.default_rng(cfg.seed)
    calib = train.x[rng.choice(len(train), size=min(1000, len(train)), replace=False)]
    np.savez_compressed(out_dir / "char.calib.npz", calib_x=calib, val_x=val.x, val_y=val.y, val_source=val.source)
    counts = {str(s): int(np.sum(train.source == s)) for s in np.unique(train.source)}
    meta = {
        "task": "char",
        "alphabet": ALPHABET,
        "input": INPUT_SPEC,
        "output": {"shape": [1, len(ALPHABET)], "meaning": "softmax scores over the alphabet"},
        "train_command": cfg.command,
        "data": {
            "train_samples": counts,
            "fonts_train": [f for f in HANDWRITING_FONTS if f not in HELD_OUT_FONTS],
            "fonts_held_out": HELD_OUT_FONTS,
            "mnist": "train split minus 5,000 held out for validation" if cfg.mnist else None,
            "real_chars": "handwritten-chars: first 16 per class train (+jittered copies), next 4 validate, "
            "last 20 never seen" if cfg.real else None,
            "strokes": f"training fonts' glyph skeletons as touch strokes, {cfg.stroke_copies} jittered copies "
            "each, through edge_app.strokes.strokes_to_cell" if cfg.stroke_copies else None,
            "seed": cfg.seed,
        },
        "params": int(model.count_params()),
        "epochs": cfg.epochs,
        "train_seconds": round(time.time() - t0, 1),
        "validation": metrics,
    }
    (out_dir / "char.meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {out_dir / 'char.keras'} and report in {time.time() - t0:.0f}s", file=sys.stderr)
    return meta
