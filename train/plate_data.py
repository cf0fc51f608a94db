"""The plate reader's training and validation sets, cached in the shared data cache.

Training: realistic ``world`` plates in the training fonts, plus ``digits5`` plates in the 18
reference fonts not held out. Validation: the same mix in held-out fonts. Every image goes
through :func:`edge_app.preprocess.plate_input`, the device's own preprocessing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edge_app.families.plate.preprocess import plate_input

from .data.plates import plate_key_parts, plate_samples
from .data.runs import cached


def _cached(out: Path, split: str, preset: str, count: int, seed: int, held_out: bool, workers: int
            ) -> tuple[np.ndarray, list[str]]:
    def make() -> dict[str, np.ndarray]:
        images, labels = plate_samples(preset, count, seed, held_out, workers)
        return {"images": images, "labels": np.array(labels)}

    z = cached(out, f"data_{split}_{preset}", plate_key_parts(preset, count, seed, held_out), make,
               f"{preset}: {count} plates")
    return z["images"], [str(t) for t in z["labels"]]


def build_plate_data(cache: str | Path, count: int, digits5_count: int, val_count: int, seed: int,
                     workers: int = 2) -> dict[str, tuple[np.ndarray, list[str]]]:
    """{"train": (x, labels), "val": (x, labels)}: x is N x 64 x 128 x 1, ``plate_input``'s output
    stored as uint8 (x 255) to keep 100k+ plates in memory; divide by 255 for the model. The drawn
    plates are cached in ``cache`` (``data_SPLIT_PRESET-KEY/`` shards, keyed by what shapes them)."""
    out = Path(cache)
    sets = {}
    for split, held_out, n_world, n_d5, s in (("train", False, count, digits5_count, seed),
                                               ("val", True, val_count, max(1, val_count // 5), seed + 1)):
        w, wl = _cached(out, split, "world", n_world, s, held_out, workers)
        d, dl = _cached(out, split, "digits5", n_d5, s, held_out, workers)
        images = np.concatenate([w, d])
        x = np.empty((len(images), *images.shape[1:], 1), np.uint8)
        for i, im in enumerate(images):
            x[i, ..., 0] = np.round(plate_input(im) * 255.0)
        sets[split] = (x, wl + dl)
    return sets
