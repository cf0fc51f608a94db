"""``edgeocr train char``: build the data, fit the CNN under a tf.distribute strategy, write a report."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from edge_app.families.char.spec import SPEC

from .char_data import ALPHABET, CharData, build_char_data
from .config import CharConfig
from .data.fonts import HANDWRITING_FONTS, HELD_OUT_FONTS, PRINTED_STROKE_FONTS, installed_font_files
from .data.licences import licences
from .data.pipeline import training_batches
from .data.runs import cache_root, cached
from .fit import cosine_schedule, fit_loop, save_keras_atomic
from .report import write_report

INPUT_SPEC = {"shape": SPEC.input_shape, "normalisation": SPEC.normalisation}


def class_weights(y: np.ndarray, n: int) -> dict[int, float]:
    """Inverse-frequency weights (square-rooted, mean 1) so MNIST's many digits do not drown letters."""
    counts = np.bincount(y, minlength=n).astype(np.float64)
    w = np.where(counts > 0, (counts.sum() / np.maximum(counts, 1) / n) ** 0.5, 0.0)
    w = w / w[counts > 0].mean()
    return {i: float(v) for i, v in enumerate(w)}


def char_key_parts(cfg: CharConfig) -> dict:
    """What shapes :func:`build_char_data`'s output, for the data cache."""
    return {"generator": "train.char_data", "mnist": Path(cfg.mnist) if cfg.mnist else None,
            "real": Path(cfg.real) if cfg.real else None, "per_glyph": cfg.per_glyph,
            "real_copies": cfg.real_copies, "mnist_limit": cfg.mnist_limit, "seed": cfg.seed,
            "stroke_copies": cfg.stroke_copies, "fonts": installed_font_files(HANDWRITING_FONTS),
            **({"printed_strokes": cfg.printed_strokes, "printed_fonts": installed_font_files(PRINTED_STROKE_FONTS)}
               if cfg.printed_strokes else {})}


def cached_char_data(cfg: CharConfig) -> tuple[CharData, CharData]:
    """:func:`build_char_data` for ``cfg``, drawn once into the shared data cache: the training cells as
    uint8 (x255, what the input pipeline takes), the validation cells as float in [0, 1]."""
    def make() -> dict[str, np.ndarray]:
        train, val = build_char_data(cfg.mnist, cfg.real, cfg.per_glyph, cfg.real_copies, cfg.mnist_limit,
                                     cfg.seed, cfg.stroke_copies, cfg.printed_strokes)
        return {"x": np.round(train.x * 255).astype(np.uint8), "y": train.y, "source": train.source,
                "val_x": np.round(val.x * 255).astype(np.uint8), "val_y": val.y, "val_source": val.source}

    z = cached(cache_root(cfg.cache), "char", char_key_parts(cfg), make, "character cells")
    return (CharData(z["x"], z["y"], z["source"]),
            CharData(z["val_x"].astype(np.float32) / 255.0, z["val_y"], z["val_source"]))


def train_char(cfg: CharConfig) -> dict:
    """Train the character model and write ``char.keras``, ``char.calib.npz``, ``char.meta.json``, ``report/``."""
    cfg.validate()
    out_dir = cfg.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    train, val = cached_char_data(cfg)
    print(f"data: {len(train)} train, {len(val)} validation cells in {time.time() - t0:.0f}s", file=sys.stderr)

    import keras
    import tensorflow as tf

    from .char_model import build_char_model

    x_val = val.x[..., None]

    def datasets(global_batch: int) -> tuple[tf.data.Dataset, tf.data.Dataset]:
        ds = training_batches(train.x[..., None], train.y, global_batch, cfg.seed, "cell", cfg.augment)
        return ds, tf.data.Dataset.from_tensor_slices((x_val, val.y)).batch(512)

    def compile_model(model, steps: int) -> None:
        model.compile(optimizer=keras.optimizers.Adam(cosine_schedule(cfg.lr, cfg.epochs * steps)),
                      loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])

    model, hist = fit_loop(cfg, datasets, lambda global_batch: int(np.ceil(len(train) / global_batch)),
                           lambda: build_char_model(len(ALPHABET), cfg.width, cfg.convs), compile_model, shuffle=False,
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
    calib = train.x[rng.choice(len(train), size=min(1000, len(train)), replace=False)].astype(np.float32) / 255.0
    np.savez_compressed(out_dir / "char.calib.npz", calib_x=calib, val_x=val.x, val_y=val.y, val_source=val.source)
    counts = {str(s): int(np.sum(train.source == s)) for s in np.unique(train.source)}
    meta = {
        "task": "char",
        "alphabet": ALPHABET,
        "input": INPUT_SPEC,
        "output": {"shape": [1, len(ALPHABET)], "meaning": "softmax scores over the alphabet"},
        "train_command": cfg.command,
        "data": {
            "licences": licences("fonts", "mnist" if cfg.mnist else None,
                                 "handwritten-chars" if cfg.real else None),
            "train_samples": counts,
            "fonts_train": [f for f in HANDWRITING_FONTS if f not in HELD_OUT_FONTS],
            "fonts_held_out": HELD_OUT_FONTS,
            "mnist": "train split minus 5,000 held out for validation" if cfg.mnist else None,
            "real_chars": "handwritten-chars: first 16 per class train (+jittered copies), next 4 validate, "
            "last 20 never seen" if cfg.real else None,
            "strokes": f"training fonts' glyph skeletons as touch strokes, {cfg.stroke_copies} jittered copies "
            "each, through edge_app.strokes.strokes_to_cell" if cfg.stroke_copies else None,
            "printed_strokes": f"{cfg.printed_strokes} jittered tracings of each glyph of the printed faces "
            "(train.data.fonts.PRINTED_STROKE_FONTS)" if cfg.printed_strokes else None,
            "augment": f"{cfg.augment:.0%} of each batch jittered on the fly (train.data.pipeline, cell)",
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
