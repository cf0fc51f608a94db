"""The CTC training loop shared by the sequence readers (plates, handwriting, printed pages).

One implementation of the labels, the loss, the exact-reading measure, the warm-up schedule and
the per-epoch checkpoint (model, meta, curves), so every sequence model is trained, validated and
reported the same way; the strategy, seeding and fit itself are :func:`train.fit.fit_loop`, which
the character model uses too. ``fit_ctc(cfg, data, build, meta)`` takes the family's
:class:`train.config.FitConfig` and a :class:`CtcData`.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from edge_app.ctc import greedy
from edge_app.errors import EdgeOCRError

from .config import CtcConfig, FitConfig
from .data.pipeline import training_batches
from .fit import cosine_schedule, fit_loop, save_keras_atomic

C = TypeVar("C", bound=CtcConfig)


def start_from(cfg: C) -> tuple[C, dict | None]:
    """A fine-tuning run's start (``cfg.init``): the model copied into the run folder as ``init.keras`` (the
    run may overwrite the file it started from) and what its meta says of it, for this run's meta (None
    without ``init``). Returns the config pointing at the copy."""
    if not cfg.init:
        return cfg, None
    init_meta = Path(cfg.init).with_suffix(".meta.json")
    keys = ("train_command", "epochs", "epochs_completed", "train_seconds", "validation")
    previous = json.loads(init_meta.read_text()) if init_meta.is_file() else {}
    started_from = {"file": str(cfg.init), **{k: v for k, v in previous.items() if k in keys}}
    init_copy = cfg.out_dir / "init.keras"
    if Path(cfg.init).resolve() != init_copy.resolve():
        shutil.copyfile(cfg.init, init_copy)
    return dataclasses.replace(cfg, init=str(init_copy)), started_from


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


@dataclass
class CtcData:
    """What the CTC loop trains and validates on, and the names it writes under."""

    x8: np.ndarray  # training inputs, uint8 (x255), N x H x W x 1
    labels: list[str]
    x_val: np.ndarray  # validation inputs, float32 in [0, 1]
    l_val: list[str]
    val_groups: dict[str, np.ndarray]  # group name -> boolean mask over the validation set
    alphabet: str
    max_label: int  # label padding (longest text trained)
    name: str  # file stem: NAME.keras, NAME.meta.json, NAME.calib.npz
    jitter: str | None = "line"  # on-the-fly jitter (train.data.pipeline.JITTERS), None for photo-like inputs


def fit_ctc(cfg: FitConfig, data: CtcData, build: Callable[[], Any], meta: Callable[[Any, int, dict], dict]
            ) -> dict:
    """Train ``build()`` with CTC on ``data.x8`` (uint8, x255) under ``cfg`` (strategy, seed, epochs, batch,
    steps, ``init`` weights and ``lr``, the peak learning rate after warm-up, cosine-decayed to 2% of it).

    Writes ``NAME.calib.npz`` when training starts; after every epoch validates (exact readings, overall and per
    ``data.val_groups`` mask) and saves ``NAME.keras`` atomically, ``NAME.meta.json`` (from
    ``meta(model, epochs_done, metrics)``) and the curves. Returns the last meta.
    """
    import keras

    from .report import write_curves, write_sequence_errors

    t0 = time.time()
    out_dir, name, alphabet = cfg.out_dir, data.name, data.alphabet
    out_dir.mkdir(parents=True, exist_ok=True)
    x_val, l_val = data.x_val, data.l_val
    y_train = encode_labels(data.labels, alphabet, data.max_label)
    history: dict[str, list[float]] = {"loss": [], "val_accuracy": []}

    def datasets(global_batch: int) -> tuple[Any, None]:
        return training_batches(data.x8, y_train, global_batch, cfg.seed, data.jitter, cfg.augment,
                                drop_remainder=True), None

    def build_model() -> Any:
        model = build()
        if cfg.init:
            try:
                model.set_weights(keras.models.load_model(cfg.init, compile=False).get_weights())
            except Exception as exc:  # a missing file, another architecture
                raise EdgeOCRError(f"cannot start from {cfg.init}: {str(exc).splitlines()[0]}") from None
        return model

    def compile_model(model: Any, steps: int) -> None:
        warmup = min(50 if cfg.init else 300, steps)
        model.compile(optimizer=keras.optimizers.Adam(cosine_schedule(cfg.lr, cfg.epochs * steps, warmup),
                                                      clipnorm=5.0), loss=ctc_loss)

    def write_calib() -> None:
        rng = np.random.default_rng(cfg.seed)
        pick = rng.choice(len(data.x8), size=min(1000, len(data.x8)), replace=False)
        source = np.array(["val"] * len(l_val), dtype=object)
        for group, mask in data.val_groups.items():
            source[mask] = group
        np.savez_compressed(out_dir / f"{name}.calib.npz", calib_x=data.x8[pick].astype(np.float32) / 255.0,
                            val_x=x_val, val_text=np.array(l_val), val_source=source.astype(str))

    def finish(model: Any, epochs_done: int) -> dict:
        probs = model.predict(x_val, batch_size=256, verbose=0)
        metrics = {"val_sequence_accuracy": sequence_accuracy(probs, l_val, alphabet)}
        for group, mask in data.val_groups.items():
            idx = np.flatnonzero(mask)
            metrics[f"val_sequence_accuracy_{group}"] = sequence_accuracy(probs[idx], [l_val[i] for i in idx],
                                                                          alphabet)
        save_keras_atomic(model, out_dir / f"{name}.keras")
        m = meta(model, epochs_done, metrics)
        m["train_seconds"] = round(time.time() - t0, 1)
        (out_dir / f"{name}.meta.json").write_text(json.dumps(m, indent=2) + "\n")
        write_curves(out_dir / "report", history, name)
        if epochs_done == cfg.epochs:
            pred = [greedy(p, alphabet).text for p in probs]
            write_sequence_errors(out_dir / "report", x_val, l_val, pred, name)
        return m

    class EpochEnd(keras.callbacks.Callback):
        """The calibration set when training starts; the per-epoch checkpoint: validate, save the model,
        the meta and the curves."""

        def on_train_begin(self, logs=None):
            write_calib()

        def on_epoch_end(self, epoch, logs=None):
            history["loss"].append(float(logs["loss"]))
            m = finish(self.model, epoch + 1)
            history["val_accuracy"].append(m["validation"]["val_sequence_accuracy"])
            print(f"epoch {epoch + 1}: loss {logs['loss']:.4f}  validation " + ", ".join(
                f"{k}={v:.4f}" for k, v in m["validation"].items()) + f" ({time.time() - t0:.0f}s)",
                file=sys.stderr, flush=True)

    fit_loop(cfg, datasets, lambda global_batch: len(y_train) // global_batch, build_model, compile_model,
             callbacks=[EpochEnd()])
    print(f"wrote {out_dir / (name + '.keras')} and report in {time.time() - t0:.0f}s", file=sys.stderr)
    return json.loads((out_dir / f"{name}.meta.json").read_text())
