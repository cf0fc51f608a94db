"""``edgeocr train char``: build the data, fit the CNN under a tf.distribute strategy, write a report."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from edge_app.families.char.spec import SPEC

from .char_data import ALPHABET, build_char_data
from .data.fonts import HANDWRITING_FONTS, HELD_OUT_FONTS
from .report import write_report

INPUT_SPEC = {"shape": SPEC.input_shape, "normalisation": SPEC.normalisation}


def class_weights(y: np.ndarray, n: int) -> dict[int, float]:
    """Inverse-frequency weights (square-rooted, mean 1) so MNIST's many digits do not drown letters."""
    counts = np.bincount(y, minlength=n).astype(np.float64)
    w = np.where(counts > 0, (counts.sum() / np.maximum(counts, 1) / n) ** 0.5, 0.0)
    w = w / w[counts > 0].mean()
    return {i: float(v) for i, v in enumerate(w)}


def save_keras_atomic(model, path: Path) -> None:
    """Save a Keras model through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".keras", dir=path.parent)
    os.close(fd)
    try:
        model.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def train_char(out: str, mnist: str | None, real: str | None, per_glyph: int, real_copies: int,
               epochs: int, batch: int, width: int, strategy_name: str, seed: int,
               mnist_limit: int | None = None, steps_per_epoch: int | None = None, cpu_replicas: int = 0,
               command: str = "", stroke_copies: int = 0) -> dict:
    """Train the character model and write ``char.keras``, ``char.calib.npz``, ``char.meta.json``, ``report/``."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    train, val = build_char_data(mnist, real, per_glyph, real_copies, mnist_limit, seed, stroke_copies)
    print(f"data: {len(train)} train, {len(val)} validation cells in {time.time() - t0:.0f}s", file=sys.stderr)

    import keras
    import tensorflow as tf

    from .char_model import build_char_model
    from .strategy import make_strategy

    strategy = make_strategy(strategy_name, cpu_replicas)
    keras.utils.set_random_seed(seed)
    x_train = train.x[..., None]
    x_val = val.x[..., None]
    global_batch = batch * strategy.num_replicas_in_sync
    ds = (tf.data.Dataset.from_tensor_slices((x_train, train.y))
          .shuffle(len(train), seed=seed, reshuffle_each_iteration=True).batch(global_batch)
          .prefetch(tf.data.AUTOTUNE))
    val_ds = tf.data.Dataset.from_tensor_slices((x_val, val.y)).batch(512)
    steps = steps_per_epoch or int(np.ceil(len(train) / global_batch))
    if steps_per_epoch:
        ds = ds.repeat()
    with strategy.scope():
        model = build_char_model(len(ALPHABET), width)
        schedule = keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=max(1, epochs * steps), alpha=0.02)
        model.compile(optimizer=keras.optimizers.Adam(schedule),
                      loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
    print(f"model: {model.count_params():,} parameters; strategy {strategy_name} "
          f"({strategy.num_replicas_in_sync} replica(s)); {epochs} epochs x {steps} steps", file=sys.stderr)
    hist = model.fit(ds, validation_data=val_ds, epochs=epochs, steps_per_epoch=steps, shuffle=False,
                     class_weight=class_weights(train.y, len(ALPHABET)), verbose=1 if sys.stdout.isatty() else 2)

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
    rng = np.random.default_rng(seed)
    calib = train.x[rng.choice(len(train), size=min(1000, len(train)), replace=False)]
    np.savez_compressed(out_dir / "char.calib.npz", calib_x=calib, val_x=val.x, val_y=val.y, val_source=val.source)
    counts = {str(s): int(np.sum(train.source == s)) for s in np.unique(train.source)}
    meta = {
        "task": "char",
        "alphabet": ALPHABET,
        "input": INPUT_SPEC,
        "output": {"shape": [1, len(ALPHABET)], "meaning": "softmax scores over the alphabet"},
        "train_command": command,
        "data": {
            "train_samples": counts,
            "fonts_train": [f for f in HANDWRITING_FONTS if f not in HELD_OUT_FONTS],
            "fonts_held_out": HELD_OUT_FONTS,
            "mnist": "train split minus 5,000 held out for validation" if mnist else None,
            "real_chars": "handwritten-chars: first 16 per class train (+jittered copies), next 4 validate, "
            "last 20 never seen" if real else None,
            "strokes": f"training fonts' glyph skeletons as touch strokes, {stroke_copies} jittered copies each, "
            "through edge_app.strokes.strokes_to_cell" if stroke_copies else None,
            "seed": seed,
        },
        "params": int(model.count_params()),
        "epochs": epochs,
        "train_seconds": round(time.time() - t0, 1),
        "validation": metrics,
    }
    (out_dir / "char.meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {out_dir / 'char.keras'} and report in {time.time() - t0:.0f}s", file=sys.stderr)
    return meta
