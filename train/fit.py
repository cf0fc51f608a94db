"""The fit loop every trainer shares: strategy, seed, batching, schedule, compile under the scope, fit.

The character CNN and the CTC sequence readers differ only in their data pipeline, model, loss,
schedule parameters and callbacks; they pass those in and get the same strategy set-up, the same
seeding order and the same Keras progress output (a bar on a terminal, one line per epoch otherwise).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .config import FitConfig


def save_keras_atomic(model: Any, path: Path) -> None:
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


def cosine_schedule(peak: float, total_steps: int, warmup: int | None = None) -> Any:
    """Cosine decay to 2% of ``peak`` over ``total_steps``; with ``warmup`` (a step count, 0 allowed), a
    linear warm-up from 0 to ``peak`` first, the decay taking the remaining steps."""
    import keras

    if warmup is None:
        return keras.optimizers.schedules.CosineDecay(peak, decay_steps=max(1, total_steps), alpha=0.02)
    return keras.optimizers.schedules.CosineDecay(0.0, decay_steps=max(1, total_steps - warmup),
                                                  warmup_target=peak, warmup_steps=warmup, alpha=0.02)


def keras_verbose() -> int:
    """Keras's progress bar on a terminal, one line per epoch in a log."""
    return 1 if sys.stdout.isatty() else 2


def fit_loop(cfg: FitConfig, datasets: Callable[[int], tuple[Any, Any]], steps_in_data: Callable[[int], int],
             build: Callable[[], Any], compile_model: Callable[[Any, int], None], **fit_kwargs: Any
             ) -> tuple[Any, Any]:
    """Train a model the way every trainer does; returns ``(model, history)``.

    In order: the ``cfg.strategy`` strategy (before TensorFlow sets up its devices), the seed,
    ``datasets(global_batch)`` -> (training, validation or None), the steps per epoch
    (``cfg.steps_per_epoch``, repeating the data, or ``steps_in_data(global_batch)``), then
    ``build()`` and ``compile_model(model, steps)`` under the strategy's scope, then ``model.fit``
    with ``fit_kwargs`` (callbacks, class weights).
    """
    import keras

    from .strategy import make_strategy

    strategy = make_strategy(cfg.strategy, cfg.cpu_replicas)
    keras.utils.set_random_seed(cfg.seed)
    global_batch = cfg.batch * strategy.num_replicas_in_sync
    ds, val_ds = datasets(global_batch)
    steps = cfg.steps_per_epoch or steps_in_data(global_batch)
    if cfg.steps_per_epoch:
        ds = ds.repeat()
    with strategy.scope():
        model = build()
        compile_model(model, steps)
    print(f"model: {model.count_params():,} parameters; strategy {cfg.strategy} "
          f"({strategy.num_replicas_in_sync} replica(s)); {cfg.epochs} epochs x {steps} steps", file=sys.stderr)
    if val_ds is not None:
        fit_kwargs["validation_data"] = val_ds
    history = model.fit(ds, epochs=cfg.epochs, steps_per_epoch=steps, verbose=keras_verbose(), **fit_kwargs)
    return model, history
