"""``edgeocr train plate``: synthetic plates -> conv CRNN with CTC loss, under a tf.distribute strategy.

Writes ``plate.keras``, ``plate.calib.npz`` (representative inputs for int8 and the validation set
for ``edgeocr convert``), ``plate.meta.json`` and ``report/``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from edge_app.ctc import greedy
from edge_app.preprocess import PLATE_SIZE

from .char_train import save_keras_atomic
from .data.plate_render import DECO_FONTS, PLATE_FONTS, PLATE_HELD_OUT_FONTS
from .data.plate_text import PLATE_ALPHABET
from .plate_data import build_plate_data

MAX_LABEL = 10
INPUT_SPEC = {
    "shape": [1, *PLATE_SIZE, 1],
    "normalisation": "edge_app.preprocess.plate_input: gray, resized to 64x128 (aspect not kept), "
    "1st-99th percentile stretched to [0, 1]",
}


def encode_labels(labels: list[str], alphabet: str = PLATE_ALPHABET) -> np.ndarray:
    """Labels as an int32 array padded with -1 (CTC targets)."""
    index = {c: i for i, c in enumerate(alphabet)}
    y = np.full((len(labels), MAX_LABEL), -1, np.int32)
    for i, text in enumerate(labels):
        y[i, : len(text)] = [index[c] for c in text[:MAX_LABEL]]
    return y


def ctc_loss(y_true, y_pred):
    """CTC loss of softmax scores (blank last) against -1-padded integer labels."""
    import tensorflow as tf

    y_true = tf.cast(y_true, tf.int32)
    label_len = tf.reduce_sum(tf.cast(y_true >= 0, tf.int32), axis=1)
    logit_len = tf.fill([tf.shape(y_pred)[0]], tf.shape(y_pred)[1])
    return tf.nn.ctc_loss(tf.where(y_true >= 0, y_true, 0), tf.math.log(y_pred + 1e-7), label_len, logit_len,
                          logits_time_major=False, blank_index=-1)


def sequence_accuracy(probs: np.ndarray, labels: list[str], alphabet: str = PLATE_ALPHABET) -> float:
    """Share of exact greedy readings."""
    return float(np.mean([greedy(p, alphabet).text == t for p, t in zip(probs, labels)]))


def train_plate(out: str, count: int, digits5_count: int, val_count: int, epochs: int, batch: int, width: int,
                strategy_name: str, seed: int, steps_per_epoch: int | None = None, workers: int = 2,
                cpu_replicas: int = 0, command: str = "") -> dict:
    """Train the plate reader; returns the meta dict it writes."""
    out_dir = Path(out)
    t0 = time.time()
    sets = build_plate_data(out_dir, count, digits5_count, val_count, seed, workers)
    x8, l_train = sets["train"]
    x_val, l_val = sets["val"][0].astype(np.float32) / 255.0, sets["val"][1]
    print(f"data: {len(l_train)} train, {len(l_val)} validation plates in {time.time() - t0:.0f}s", file=sys.stderr)

    import keras
    import tensorflow as tf

    from .plate_model import build_plate_model
    from .report import write_curves, write_sequence_errors
    from .strategy import make_strategy

    strategy = make_strategy(strategy_name, cpu_replicas)
    keras.utils.set_random_seed(seed)
    y_train = encode_labels(l_train)
    global_batch = batch * strategy.num_replicas_in_sync
    ds = (tf.data.Dataset.from_tensor_slices((x8, y_train))
          .shuffle(len(y_train), seed=seed, reshuffle_each_iteration=True).batch(global_batch, drop_remainder=True)
          .map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, y), num_parallel_calls=tf.data.AUTOTUNE)
          .prefetch(tf.data.AUTOTUNE))
    steps = steps_per_epoch or len(y_train) // global_batch
    if steps_per_epoch:
        ds = ds.repeat()
    with strategy.scope():
        model = build_plate_model(len(PLATE_ALPHABET), width)
        schedule = keras.optimizers.schedules.CosineDecay(
            0.0, decay_steps=max(1, epochs * steps - min(300, steps)), warmup_target=2e-3,
            warmup_steps=min(300, steps), alpha=0.02)
        model.compile(optimizer=keras.optimizers.Adam(schedule, clipnorm=5.0), loss=ctc_loss)
    print(f"model: {model.count_params():,} parameters; strategy {strategy_name} "
          f"({strategy.num_replicas_in_sync} replica(s)); {epochs} epochs x {steps} steps", file=sys.stderr)

    n_d5 = max(1, val_count // 5)
    rng = np.random.default_rng(seed)
    calib = x8[rng.choice(len(x8), size=min(1000, len(x8)), replace=False)].astype(np.float32) / 255.0
    np.savez_compressed(out_dir / "plate.calib.npz", calib_x=calib, val_x=x_val, val_text=np.array(l_val),
                        val_source=np.array(["world"] * (len(l_val) - n_d5) + ["digits5"] * n_d5))
    history: dict[str, list[float]] = {"loss": [], "val_accuracy": []}

    def finish(model, epochs_done: int) -> dict:
        """Validate, then write the model, its meta and the curves (after every epoch)."""
        probs = model.predict(x_val, batch_size=256, verbose=0)
        metrics = {"val_sequence_accuracy": sequence_accuracy(probs, l_val),
                   "val_sequence_accuracy_world": sequence_accuracy(probs[:-n_d5], l_val[:-n_d5]),
                   "val_sequence_accuracy_digits5": sequence_accuracy(probs[-n_d5:], l_val[-n_d5:])}
        save_keras_atomic(model, out_dir / "plate.keras")
        meta = _meta(model, command, count, digits5_count, l_val, seed, epochs, epochs_done, metrics, t0)
        (out_dir / "plate.meta.json").write_text(json.dumps(meta, indent=2) + "\n")
        write_curves(out_dir / "report", history, "plate")
        if epochs_done == epochs:
            pred = [greedy(p, PLATE_ALPHABET).text for p in probs]
            write_sequence_errors(out_dir / "report", x_val, l_val, pred, "plate")
        return meta

    class EpochEnd(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            history["loss"].append(float(logs["loss"]))
            meta = finish(self.model, epoch + 1)
            history["val_accuracy"].append(meta["validation"]["val_sequence_accuracy"])
            print(f"epoch {epoch + 1}: loss {logs['loss']:.4f}  validation " + ", ".join(
                f"{k}={v:.4f}" for k, v in meta["validation"].items()) + f" ({time.time() - t0:.0f}s)",
                file=sys.stderr, flush=True)

    model.fit(ds, epochs=epochs, steps_per_epoch=steps, callbacks=[EpochEnd()],
              verbose=1 if sys.stdout.isatty() else 2)
    meta = json.loads((out_dir / "plate.meta.json").read_text())
    print(f"wrote {out_dir / 'plate.keras'} and report in {time.time() - t0:.0f}s", file=sys.stderr)
    return meta


def _meta(model, command: str, count: int, digits5_count: int, l_val: list[str], seed: int, epochs: int,
          epochs_done: int, metrics: dict, t0: float) -> dict:
    return {
        "task": "plate",
        "alphabet": PLATE_ALPHABET,
        "input": INPUT_SPEC,
        "output": {"shape": [1, PLATE_SIZE[1] // 4, len(PLATE_ALPHABET) + 1],
                   "meaning": "per-timestep softmax scores over the alphabet plus the CTC blank (last)",
                   "decode": "edge_app.ctc (greedy, beam search, pattern-constrained)"},
        "train_command": command,
        "data": {
            "train_samples": {"world": count, "digits5": digits5_count},
            "generator": "train.data.plate_render (US/EU/BR layouts, camera augmentation) and digits5",
            "fonts_train": PLATE_FONTS,
            "fonts_held_out": PLATE_HELD_OUT_FONTS,
            "fonts_decoration": DECO_FONTS,
            "validation": f"{len(l_val)} plates in the held-out fonts (seed {seed + 1})",
            "real_plates": "none: plates-us is evaluation only",
            "seed": seed,
        },
        "params": int(model.count_params()),
        "epochs": epochs,
        "epochs_completed": epochs_done,
        "train_seconds": round(time.time() - t0, 1),
        "validation": metrics,
    }
