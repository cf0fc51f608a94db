"""The CTC training loop shared by the sequence readers (plates, handwriting).

One implementation of the labels, the loss, the exact-reading measure, the learning-rate
schedule, the tf.distribute scope and the per-epoch checkpoint (model, meta, curves), so every
sequence model is trained, validated and reported the same way.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from edge_app.ctc import greedy
from edge_app.errors import EdgeOCRError


def encode_labels(labels: list[str], alphabet: str, max_label: int) -> np.ndarray:
    """Labels as an int32 array padded with -1 (CTC targets)."""
    index = {c: i for i, c in enumerate(alphabet)}
    y = np.full((len(labels), max_label), -1, np.int32)
    for i, text in enumerate(labels):
        y[i, : len(text)] = [index[c] for c in text[:max_label]]
    return y


def ctc_loss(y_true, y_pred):
    """CTC loss of softmax scores (blank last) against -1-padded integer labels."""
    import tensorflow as tf

    y_true = tf.cast(y_true, tf.int32)
    label_len = tf.reduce_sum(tf.cast(y_true >= 0, tf.int32), axis=1)
    logit_len = tf.fill([tf.shape(y_pred)[0]], tf.shape(y_pred)[1])
    return tf.nn.ctc_loss(tf.where(y_true >= 0, y_true, 0), tf.math.log(y_pred + 1e-7), label_len, logit_len,
                          logits_time_major=False, blank_index=-1)


def sequence_accuracy(probs: np.ndarray, labels: list[str], alphabet: str) -> float:
    """Share of exact greedy readings."""
    return float(np.mean([greedy(p, alphabet).text == t for p, t in zip(probs, labels)]))


def fit_ctc(build: Callable[[], object], x8: np.ndarray, labels: list[str], x_val: np.ndarray, l_val: list[str],
            val_groups: dict[str, np.ndarray], alphabet: str, max_label: int, out_dir: Path, name: str,
            epochs: int, batch: int, strategy_name: str, seed: int, steps_per_epoch: int | None,
            cpu_replicas: int, meta: Callable[[object, int, dict], dict], init: str | None = None,
            peak_lr: float = 2e-3) -> dict:
    """Train ``build()`` with CTC on uint8 inputs ``x8`` (x255); after every epoch validate (exact
    readings, overall and per ``val_groups`` mask), save ``NAME.keras`` atomically, ``NAME.meta.json``
    (from ``meta(model, epochs_done, metrics)``) and the curves. Writes ``NAME.calib.npz`` first.
    ``init``: a .keras model of the same architecture to start from (fine-tuning); ``peak_lr``: the
    learning rate reached after warm-up, then cosine-decayed to 2% of it."""
    import keras
    import tensorflow as tf

    from .char_train import save_keras_atomic
    from .report import write_curves, write_sequence_errors
    from .strategy import make_strategy

    t0 = time.time()
    strategy = make_strategy(strategy_name, cpu_replicas)
    keras.utils.set_random_seed(seed)
    y_train = encode_labels(labels, alphabet, max_label)
    global_batch = batch * strategy.num_replicas_in_sync
    ds = (tf.data.Dataset.from_tensor_slices((x8, y_train))
          .shuffle(len(y_train), seed=seed, reshuffle_each_iteration=True).batch(global_batch, drop_remainder=True)
          .map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, y), num_parallel_calls=tf.data.AUTOTUNE)
          .prefetch(tf.data.AUTOTUNE))
    steps = steps_per_epoch or len(y_train) // global_batch
    if steps_per_epoch:
        ds = ds.repeat()
    warmup = min(50 if init else 300, steps)
    with strategy.scope():
        model = build()
        if init:
            try:
                model.set_weights(keras.models.load_model(init, compile=False).get_weights())
            except Exception as exc:  # a missing file, another architecture
                raise EdgeOCRError(f"cannot start from {init}: {str(exc).splitlines()[0]}") from None
        schedule = keras.optimizers.schedules.CosineDecay(
            0.0, decay_steps=max(1, epochs * steps - warmup), warmup_target=peak_lr, warmup_steps=warmup,
            alpha=0.02)
        model.compile(optimizer=keras.optimizers.Adam(schedule, clipnorm=5.0), loss=ctc_loss)
    print(f"model: {model.count_params():,} parameters; strategy {strategy_name} "
          f"({strategy.num_replicas_in_sync} replica(s)); {epochs} epochs x {steps} steps", file=sys.stderr)

    rng = np.random.default_rng(seed)
    calib = x8[rng.choice(len(x8), size=min(1000, len(x8)), replace=False)].astype(np.float32) / 255.0
    source = np.array(["val"] * len(l_val), dtype=object)
    for group, mask in val_groups.items():
        source[mask] = group
    np.savez_compressed(out_dir / f"{name}.calib.npz", calib_x=calib, val_x=x_val, val_text=np.array(l_val),
                        val_source=source.astype(str))
    history: dict[str, list[float]] = {"loss": [], "val_accuracy": []}

    def finish(model, epochs_done: int) -> dict:
        probs = model.predict(x_val, batch_size=256, verbose=0)
        metrics = {"val_sequence_accuracy": sequence_accuracy(probs, l_val, alphabet)}
        for group, mask in val_groups.items():
            idx = np.flatnonzero(mask)
            metrics[f"val_sequence_accuracy_{group}"] = sequence_accuracy(probs[idx], [l_val[i] for i in idx],
                                                                          alphabet)
        save_keras_atomic(model, out_dir / f"{name}.keras")
        m = meta(model, epochs_done, metrics)
        m["train_seconds"] = round(time.time() - t0, 1)
        (out_dir / f"{name}.meta.json").write_text(json.dumps(m, indent=2) + "\n")
        write_curves(out_dir / "report", history, name)
        if epochs_done == epochs:
            pred = [greedy(p, alphabet).text for p in probs]
            write_sequence_errors(out_dir / "report", x_val, l_val, pred, name)
        return m

    class EpochEnd(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            history["loss"].append(float(logs["loss"]))
            m = finish(self.model, epoch + 1)
            history["val_accuracy"].append(m["validation"]["val_sequence_accuracy"])
            print(f"epoch {epoch + 1}: loss {logs['loss']:.4f}  validation " + ", ".join(
                f"{k}={v:.4f}" for k, v in m["validation"].items()) + f" ({time.time() - t0:.0f}s)",
                file=sys.stderr, flush=True)

    model.fit(ds, epochs=epochs, steps_per_epoch=steps, callbacks=[EpochEnd()],
              verbose=1 if sys.stdout.isatty() else 2)
    print(f"wrote {out_dir / (name + '.keras')} and report in {time.time() - t0:.0f}s", file=sys.stderr)
    return json.loads((out_dir / f"{name}.meta.json").read_text())
