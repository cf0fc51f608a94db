"""``edgeocr bench training``: where each family's training time goes, in samples per CPU-minute.

For every family that trains on drawn data it measures, on this machine and in one run:

- **render**: drawing and preprocessing samples (one process), as ``edgeocr train`` does before fitting;
- **feed**: the input pipeline alone (cached renders through ``train.data.pipeline``: shuffle, batch,
  on-the-fly jitter, prefetch), no model;
- **step, before**: the model's training step fed the way training used to feed it (the whole array
  as one ``from_tensor_slices`` constant, no jitter);
- **step, after**: the step fed by the input pipeline, jitter included.

CPU time is the process's user + system time (children included), so the figures do not depend
on how many cores ran in parallel. From these it works out a whole run of the family's shipped
training command: before, every run drew its data (the character model never cached it, the
sequence readers cached it inside the run folder, so a new ``--out`` drew again); after, renders
are cached in the shared data cache (:func:`train.data.runs.cache_root`), so only the first run
with a given data recipe draws, and later runs (other seeds, widths, epochs, learning rates)
train at the feed + step rate.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from .char_bench import _machine, write_results
from .publish import output_dir

RENDER = {"char": 600, "handwriting": 400, "page": 200, "plate": 300}  # samples drawn to time rendering
STEPS = 25  # training steps timed per feed


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and its finished children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def per_cpu_minute(n: int, fn: Callable[[], object]) -> float:
    """``n / (CPU minutes fn() took)``."""
    c = cpu_seconds()
    fn()
    return n / max(cpu_seconds() - c, 1e-9) * 60.0


@dataclass
class Family:
    """How one family draws data and builds its model, and its shipped command's size (N drawn, E epochs)."""

    name: str
    render: Callable[[int], tuple[np.ndarray, np.ndarray]]  # n -> (x uint8 N x H x W x 1, targets)
    build: Callable[[], object]  # a compiled model, as its trainer compiles it
    jitter: str | None
    batch: int
    drawn: int  # samples the shipped command draws
    trained: int  # samples the shipped command trains on (epochs x steps x batch)
    command: str


def _char(args: argparse.Namespace) -> Family:
    from train.char_data import font_cells, mnist_cells, real_cells, stroke_cells
    from train.data.fonts import HANDWRITING_FONTS, HELD_OUT_FONTS, font_paths
    from train.data.mnist import load_mnist
    from train.data.realchars import list_real_chars

    fonts = font_paths([f for f in HANDWRITING_FONTS if f not in HELD_OUT_FONTS])
    mix = {"font": len(fonts) * 62 * 30, "stroke": len(fonts) * 62 * 8, "mnist": 55_000, "real": 62 * 16 * 13}

    def render(n: int) -> tuple[np.ndarray, np.ndarray]:
        """The shipped mix of sources, each drawn in proportion (timed as one)."""
        rng = np.random.default_rng(0)
        share = {k: max(1, round(n * v / sum(mix.values()))) for k, v in mix.items()}
        xs, ys = [], []
        per_glyph = max(1, share["font"] // (2 * 62))
        strokes = stroke_cells(fonts[:2], max(1, share["stroke"] // 124), rng)
        for cells in (font_cells(fonts[:2], per_glyph, rng), strokes):
            xs += cells[0]
            ys += cells[1]
        if args.mnist:
            images, labels = load_mnist(args.mnist, "train")
            xs_m, ys_m = mnist_cells(images[: share["mnist"]], labels[: share["mnist"]], rng)
            xs, ys = xs + xs_m, ys + ys_m
        if args.real:
            items = list_real_chars(args.real, "train")[: max(1, share["real"] // 13)]
            xs_r, ys_r = real_cells(items, 12, rng)
            xs, ys = xs + xs_r, ys + ys_r
        return np.round(np.stack(xs)[..., None] * 255).astype(np.uint8), np.array(ys, np.int64)

    def build() -> object:
        import keras

        from train.char_model import build_char_model

        model = build_char_model(62, 40)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.SparseCategoricalCrossentropy())
        return model

    drawn = sum(mix.values())
    return Family("char", render, build, "cell", 256, drawn, drawn * 8,
                  "edgeocr train char ... --per-glyph 30 --real-copies 12 --stroke-copies 8 --width 40 --epochs 8")


def _ctc_build(build_model: Callable[[], object]) -> Callable[[], object]:
    def build() -> object:
        import keras

        from train.ctc_train import ctc_loss

        model = build_model()
        model.compile(optimizer=keras.optimizers.Adam(1e-3, clipnorm=5.0), loss=ctc_loss)
        return model

    return build


def _labels(texts: list[str], alphabet: str) -> np.ndarray:
    from train.ctc_train import encode_labels

    return encode_labels(texts, alphabet, 32)


def _handwriting(args: argparse.Namespace) -> Family:
    from train.data.handwriting import hw_samples
    from train.data.hw_text import HW_ALPHABET
    from train.hw_model import build_hw_model

    def render(n: int) -> tuple[np.ndarray, np.ndarray]:
        x, texts, _ = hw_samples("train", n, 0, args.real, args.mnist)
        return x[..., None], _labels(texts, HW_ALPHABET)

    return Family("handwriting", render, _ctc_build(lambda: build_hw_model(len(HW_ALPHABET), 16)), "line", 128,
                  90_000, 90_000 * 6, "edgeocr train handwriting ... --count 90000 --epochs 6")


def _page(args: argparse.Namespace) -> Family:
    from edge_app.families.page.spec import PRINT_SIZE
    from train.data.printed import printed_samples
    from train.data.prose import PAGE_ALPHABET
    from train.hw_model import build_hw_model

    def render(n: int) -> tuple[np.ndarray, np.ndarray]:
        x, texts = printed_samples("train", n, 0)
        return x[..., None], _labels(texts, PAGE_ALPHABET)

    build = _ctc_build(lambda: build_hw_model(len(PAGE_ALPHABET), 16, "page_crnn", PRINT_SIZE))
    return Family("page", render, build, "line", 64, 150_000, 800 * 64,
                  "edgeocr train page ... --count 150000 --epochs 1 --steps-per-epoch 800")


def _plate(args: argparse.Namespace) -> Family:
    from edge_app.families.plate.preprocess import plate_input
    from train.data.plate_text import PLATE_ALPHABET
    from train.data.plates import plate_samples
    from train.plate_model import build_plate_model

    def render(n: int) -> tuple[np.ndarray, np.ndarray]:
        images, texts = plate_samples("world", n, 0)
        x = np.stack([np.round(plate_input(im) * 255.0) for im in images]).astype(np.uint8)
        return x[..., None], _labels(texts, PLATE_ALPHABET)

    return Family("plate", render, _ctc_build(lambda: build_plate_model(len(PLATE_ALPHABET), 14)), None, 128,
                  120_000, 120_000 * 7, "edgeocr train plate ... --count 100000 --digits5 20000 --epochs 7")


FAMILIES: dict[str, Callable[[argparse.Namespace], Family]] = {
    "char": _char, "handwriting": _handwriting, "page": _page, "plate": _plate}


def _fill(x: np.ndarray, y: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``x, y`` repeated to ``n`` samples (enough batches to time without re-rendering)."""
    reps = -(-n // len(y))
    return np.concatenate([x] * reps)[:n], np.concatenate([y] * reps)[:n]


def _old_feed(x8: np.ndarray, y: np.ndarray, batch: int) -> object:
    """How training fed the model before: the arrays as one constant, shuffled, batched, scaled."""
    import tensorflow as tf

    return (tf.data.Dataset.from_tensor_slices((x8, y)).shuffle(len(y), seed=0).batch(batch, drop_remainder=True)
            .map(lambda a, b: (tf.cast(a, tf.float32) / 255.0, b), num_parallel_calls=tf.data.AUTOTUNE)
            .prefetch(tf.data.AUTOTUNE).repeat())


def _new_feed(fam: Family, x8: np.ndarray, y: np.ndarray) -> object:
    from train.data.pipeline import training_batches

    return training_batches(x8, y, fam.batch, 0, fam.jitter, 0.5, drop_remainder=True).repeat()


def measure(fam: Family) -> dict:
    """One family's rates (samples per CPU-minute) and its shipped run before and after."""
    print(f"{fam.name}: rendering {RENDER[fam.name]} ...", file=sys.stderr, flush=True)
    c = cpu_seconds()
    x8, y = fam.render(RENDER[fam.name])
    render = len(y) / max(cpu_seconds() - c, 1e-9) * 60.0
    x8, y = _fill(x8, y, fam.batch * (STEPS + 5))

    it = iter(_new_feed(fam, x8, y))
    next(it)
    feed = per_cpu_minute(fam.batch * STEPS, lambda: [next(it) for _ in range(STEPS)])

    steps = {}
    for which, ds in (("before", _old_feed(x8, y, fam.batch)), ("after", _new_feed(fam, x8, y))):
        model = fam.build()
        model.fit(ds, steps_per_epoch=3, epochs=1, verbose=0)  # trace and warm up
        steps[which] = per_cpu_minute(fam.batch * STEPS, lambda m=model, d=ds: m.fit(d, steps_per_epoch=STEPS,
                                                                                          epochs=1, verbose=0))
    render_cpu, step_cpu = fam.drawn / render, fam.trained / steps["before"]
    run_before = fam.trained / (fam.drawn / render + fam.trained / steps["before"])
    run_first = fam.trained / (fam.drawn / render + fam.trained / steps["after"])
    run_cached = steps["after"]
    return {"render": round(render), "feed": round(feed), "step_before": round(steps["before"]),
            "step_after": round(steps["after"]), "drawn": fam.drawn, "trained": fam.trained,
            "command": fam.command, "jitter": fam.jitter,
            "render_share_before": round(render_cpu / (render_cpu + step_cpu), 3),
            "run_before": round(run_before), "run_first": round(run_first), "run_cached": round(run_cached),
            "gain_first": round(run_first / run_before, 2), "gain_cached": round(run_cached / run_before, 2)}


def markdown(r: dict) -> str:
    lines = [f"# Training throughput ({r['date']})", "", f"Machine: {r['machine']}. `{r['command']}`", "",
             "Samples per CPU-minute (user + system CPU time, so independent of the core count). "
             "*render*: drawing + device preprocessing, one process; *feed*: cached renders through "
             "`train.data.pipeline` (shuffle, batch, jitter, prefetch) with no model; *step*: the training step "
             "fed the old way (one in-graph constant, no jitter) and by the pipeline (jitter included).", "",
             "| family | render | feed | step before | step after | render share of a run before |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, f in r["families"].items():
        lines.append(f"| {name} | {f['render']:,} | {f['feed']:,} | {f['step_before']:,} | {f['step_after']:,} | "
                     f"{f['render_share_before']:.0%} |")
    lines += ["", "A whole run of the shipped command (drawn samples rendered once per run before; "
              "with the shared cache, once per data recipe):", "",
              "| family | command | drawn | trained | before | after, first run | after, cached | gain |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for name, f in r["families"].items():
        lines.append(f"| {name} | `{f['command']}` | {f['drawn']:,} | {f['trained']:,} | {f['run_before']:,} | "
                     f"{f['run_first']:,} | {f['run_cached']:,} | {f['gain_first']}x first, "
                     f"{f['gain_cached']}x cached |")
    return "\n".join(lines) + "\n"


def plot(r: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(r["families"])
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for i, (key, label) in enumerate((("run_before", "before"), ("run_first", "after, first run"),
                                      ("run_cached", "after, cached"))):
        ax.bar(np.arange(len(names)) + (i - 1) * 0.27, [r["families"][n][key] for n in names], 0.27, label=label)
    ax.set_xticks(np.arange(len(names)), names)
    ax.set_yscale("log")
    ax.set_ylabel("samples per CPU-minute (a run)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def bench_training(args: argparse.Namespace) -> int:
    """Run the benchmark; returns the exit code."""
    out_dir = output_dir(args)
    out_dir.mkdir(parents=True, exist_ok=True)
    t = time.time()
    results: dict = {"date": date.today().isoformat(), "machine": _machine(),
                     "command": "edgeocr bench training --mnist DIR --real DIR", "families": {}}
    for name, make in FAMILIES.items():
        results["families"][name] = measure(make(args))
    results["seconds"] = round(time.time() - t)
    write_results(out_dir, "training", results, markdown, plot)
    return 0
