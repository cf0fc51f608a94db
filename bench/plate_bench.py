"""``edgeocr bench plate``: the plate reader on fresh digits5 plates in held-out fonts, on real US
plate crops (evaluation only), on whole 1280x720 scenes, against its float twin and peer engines.
Writes plate.md, plate.json and plate.png."""

from __future__ import annotations

import argparse
import csv
import string
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

from edge_app.errors import EdgeOCRError
from edge_app.families.plate.reader import PlateReader
from edge_app.geometry import iou
from edge_app.images import load_image
from edge_app.manifest import get_entry
from train.data.plate_crops import clean

from .char_bench import _machine, _read_cli, _record, interpreter_ms, setup, write_results
from .peers import RapidOCR, Tesseract, median_ms
from .publish import record_entry

FLOAT_TWIN = "plate_fp16"
INT8 = "edgeocr plate (int8)"
FP16 = "edgeocr plate (float16)"
DIGITS5_TEST, DIGITS5_SEED = 5000, 20261122
SCENES, EMPTY_SCENES, SCENE_SEED = 300, 100, 7


def _seq_acc(reader: PlateReader, images: list[np.ndarray], truth: list[str]) -> float:
    """Exact greedy readings of plate crops, in %."""
    from train.ctc_train import sequence_accuracy

    probs = np.concatenate([reader.scores(images[i : i + 64]) for i in range(0, len(images), 64)])
    return sequence_accuracy(probs, truth, reader.alphabet) * 100.0


LOOK_ALIKE = {frozenset("O0"), frozenset("I1")}


def error_kinds(truth: list[str], pred: list[str]) -> dict[str, int]:
    """Count misreads by kind (no plate texts are kept: the set is evaluation-only)."""
    kinds = {"extra characters": 0, "missing characters": 0, "only O/0 or I/1 swapped": 0, "other substitutions": 0}
    for t, p in zip(truth, pred):
        if p == t:
            continue
        if len(p) > len(t):
            kinds["extra characters"] += 1
        elif len(p) < len(t):
            kinds["missing characters"] += 1
        elif all(a == b or frozenset((a, b)) in LOOK_ALIKE for a, b in zip(t, p)):
            kinds["only O/0 or I/1 swapped"] += 1
        else:
            kinds["other substitutions"] += 1
    return kinds


def plates_us(folder: str) -> tuple[list[Path], list[str]]:
    """The real US crops and their texts from ``labels.csv`` (file, region, text)."""
    labels = Path(folder) / "labels.csv"
    if not labels.is_file():
        raise EdgeOCRError(f"plate labels {labels} not found")
    with open(labels, newline="") as f:
        rows = list(csv.DictReader(f))
    files = [Path(folder) / r["file"] for r in rows]
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise EdgeOCRError(f"plate image {missing[0]} not found ({len(missing)} missing)")
    return files, [r["text"].upper() for r in rows]


def _scenes(reader: PlateReader, plates: list[tuple[np.ndarray, str]], empty: int, seed: int) -> dict:
    """Found rate (IoU >= 0.5), exact reading and ms per frame over composed scenes."""
    from train.data.plate_render import plate_fonts
    from train.data.plate_scenes import compose_scene

    _, deco = plate_fonts(held_out=True)
    rng = np.random.default_rng(seed)
    found = exact = false_pos = 0
    times = []
    for plate, text in plates:
        scene, box = compose_scene(rng, plate, deco)
        t = time.perf_counter()
        res = reader.read_photo(scene)
        times.append(time.perf_counter() - t)
        hits = [it for it in res.items if iou(it.box, box) >= 0.5]
        found += bool(hits)
        exact += any(it.text == text for it in hits)
        false_pos += len(res.items) - len(hits)
    empty_with_items = 0
    for _ in range(empty):
        scene, _ = compose_scene(rng, None, deco)
        t = time.perf_counter()
        res = reader.read_photo(scene)
        times.append(time.perf_counter() - t)
        empty_with_items += bool(res.items)
    n = len(plates)
    return {"scenes": n, "found_iou50": round(found / n * 100, 2), "read_exact": round(exact / n * 100, 2),
            "extra_items_per_scene": round(false_pos / n, 3), "empty_scenes": empty,
            "empty_scenes_with_a_reading": round(empty_with_items / max(empty, 1) * 100, 2),
            "ms_per_frame": round(median_ms(times), 2),
            "ms_per_frame_p90": round(float(np.percentile(times, 90)) * 1000, 2)}


def bench_plate(args: argparse.Namespace) -> int:
    """Run the benchmark; returns the exit code."""
    from train.data.plates import plate_samples

    models_dir, out_dir, entry = setup(args, "plate")
    reader = PlateReader(models_dir, num_threads=1)
    systems: dict[str, dict] = {INT8: {"size_kb": round(entry["size_bytes"] / 1024, 1),
                                       "ms_per_plate": round(interpreter_ms(models_dir / entry["file"], 1000), 3)}}
    twin = None
    try:
        tw = get_entry(FLOAT_TWIN, models_dir)
        twin = PlateReader(models_dir, num_threads=1, model_name=FLOAT_TWIN)
        systems[FP16] = {"size_kb": round(tw["size_bytes"] / 1024, 1),
                         "ms_per_plate": round(interpreter_ms(models_dir / tw["file"], 1000), 3)}
    except EdgeOCRError:
        pass
    results: dict = {"date": date.today().isoformat(), "machine": _machine(), "model_sha256": entry["sha256"],
                     "systems": systems}

    print(f"digits5: {DIGITS5_TEST} fresh plates in held-out fonts ...", file=sys.stderr)
    d5, d5_text = plate_samples("digits5", DIGITS5_TEST, DIGITS5_SEED, held_out=True)
    d5_images = list(d5)
    systems[INT8]["digits5_seq_acc"] = round(_seq_acc(reader, d5_images, d5_text), 2)
    if twin:
        systems[FP16]["digits5_seq_acc"] = round(_seq_acc(twin, d5_images, d5_text), 2)

    from .plate_real import real_figures

    results["real_photos"] = real_figures(reader, args.photos, _peers())
    real: list[tuple[np.ndarray, str]] = []
    if args.plates:
        files, truth = plates_us(args.plates)
        print(f"plates-us: {len(files)} real crops through edgeocr read --task plate --crop ...", file=sys.stderr)
        rows, wall = _read_cli(files, models_dir, ["--task", "plate", "--crop"])
        by_name = {Path(r["file"]).name: r.get("text", "") for r in rows}
        pred = [by_name.get(f.name, "") for f in files]
        systems[INT8]["plates_us_exact"] = round(float(np.mean([p == t for p, t in zip(pred, truth)])) * 100, 2)
        systems[INT8]["read_cli_ms_per_crop"] = round(wall * 1000 / len(files), 2)
        results["plates_us_error_kinds"] = error_kinds(truth, pred)
        images = [load_image(f) for f in files]
        real = list(zip(images, truth))
        if twin:
            systems[FP16]["plates_us_exact"] = round(_seq_acc(twin, images, truth), 2)
        for peer in _peers():
            print(f"peer {peer.name} ...", file=sys.stderr)
            reads = [peer.read(f) for f in files]
            acc = float(np.mean([clean(r[0]) == t for r, t in zip(reads, truth)])) * 100
            systems[peer.name] = {"plates_us_exact": round(acc, 2),
                                  "ms_per_plate": round(median_ms([r[1] for r in reads]), 2)}

    from train.data.plate_render import plate_fonts, render_plate

    print(f"scenes: {SCENES} synthetic plates + {EMPTY_SCENES} empty scenes ...", file=sys.stderr)
    fonts, deco = plate_fonts(held_out=True)
    rng = np.random.default_rng(SCENE_SEED)
    synthetic = [render_plate(rng, fonts, deco) for _ in range(SCENES)]
    results["scenes_synthetic"] = _scenes(reader, synthetic, EMPTY_SCENES, SCENE_SEED)
    if real:
        print(f"scenes: {len(real)} real crops composed into scenes ...", file=sys.stderr)
        results["scenes_real_crops"] = _scenes(reader, real, 0, SCENE_SEED + 1)
    _record(models_dir, {"plate": INT8, FLOAT_TWIN: FP16}, results, args)
    record_scenes(models_dir, results, args)
    write_results(out_dir, "plate", results, _markdown, _plot)
    return 0


def record_scenes(models_dir: Path, results: dict, args: argparse.Namespace) -> None:
    """Add the whole-photo figures to the plate model's manifest entry (beside the crop figures; only with
    ``--publish``)."""
    entry = get_entry("plate", models_dir)
    bench = entry.setdefault("metrics", {}).setdefault("bench", {})
    for key in ("scenes_synthetic", "scenes_real_crops"):
        if key in results:
            bench[key] = {k: results[key][k] for k in ("scenes", "found_iou50", "read_exact", "ms_per_frame")}
    real = results.get("real_photos")
    if real:
        bench["real_labelled_crops_exact"] = real["labelled_crops"]["systems"]["edgeocr"]["exact"]
        bench["real_end_to_end_exact"] = real["end_to_end"]["edgeocr"]["read_exact"]
    record_entry(args, "plate", entry, models_dir)
    if real and "detector" in real["finders"]:
        det = get_entry("plate_detector", models_dir)
        figures = real["finders"]["detector"]
        det.setdefault("metrics", {})["bench"] = {
            "val_ap50": figures["ap50"], "val_recall": figures["recall"], "val_precision": figures["precision"],
            "recall_by_width": {k: v["recall"] for k, v in figures["recall_by_width"].items()},
            "frame_1280x720_ms": real["frame_1280x720"]["ms_median"], "date": results["date"],
            "command": args.command_line}
        record_entry(args, "plate_detector", det, models_dir)


def _peers() -> list:
    peers = []
    if Tesseract.available():
        peers.append(Tesseract(7, string.ascii_uppercase + string.digits))
    if RapidOCR.available():
        peers.append(RapidOCR())
    return peers


def _markdown(r: dict) -> str:
    from .plate_real import markdown as real_markdown

    lead = ""
    if "real_photos" in r:
        lead = real_markdown(r["real_photos"]) + "\n**Real US crops and synthetic plates**\n\n"
    return lead + _crops_markdown(r)


def _crops_markdown(r: dict) -> str:
    cols = [("digits5_seq_acc", "digits5 held-out fonts %"), ("plates_us_exact", "plates-us exact %"),
            ("ms_per_plate", "ms/plate (1 thread)"), ("size_kb", "size KB")]
    lines = [f"digits5: {DIGITS5_TEST:,} fresh 64x128 images in fonts never trained on (sequence accuracy). "
             "plates-us: 751 real US crops, evaluation only, read by one `edgeocr read --task plate --crop` "
             "(peers on the same files: RapidOCR's recogniser on the whole crop, Tesseract `--psm 7` with an A-Z0-9 "
             "whitelist; their output upper-cased and stripped to A-Z0-9).", "",
             "| system | " + " | ".join(c[1] for c in cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, s in r["systems"].items():
        lines.append(f"| {name} | " + " | ".join(str(s.get(k, "–")) for k, _ in cols) + " |")
    text = "\n".join(lines) + "\n\nWhole 1280x720 scenes (`read_photo`: find, rectify, read; 1 thread):\n\n"
    text += ("| scenes | plate found (IoU >= 0.5) % | read exactly % | ms/frame (median) | ms/frame (p90) | "
             "empty scenes with a reading % |\n|---|---|---|---|---|---|\n")
    for key, label in (("scenes_synthetic", "synthetic plates, held-out fonts"),
                       ("scenes_real_crops", "real plates-us crops")):
        if key in r:
            s = r[key]
            empty = f"{s['empty_scenes_with_a_reading']} (of {s['empty_scenes']})" if s["empty_scenes"] else "–"
            text += (f"| {s['scenes']} {label} | {s['found_iou50']} | {s['read_exact']} | {s['ms_per_frame']} | "
                     f"{s['ms_per_frame_p90']} | {empty} |\n")
    if "plates_us_error_kinds" in r:
        text += "\nedgeocr's plates-us misreads by kind: " + ", ".join(
            f"{k} {v}" for k, v in r["plates_us_error_kinds"].items()) + ".\n"
    e2e = r["systems"][INT8].get("read_cli_ms_per_crop")
    text += ("\nms/plate for edgeocr is the interpreter alone"
             + (f"; `edgeocr read --crop` end to end (file load, preprocessing, model, decoding, JSON) takes {e2e} ms "
                "per crop" if e2e else "")
             + f". Peers' times are their whole call. Machine: {r['machine']}, {r['date']}.\n")
    return text


def _plot(r: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for i, (name, s) in enumerate(r["systems"].items()):
        if "plates_us_exact" in s and "ms_per_plate" in s:
            ax.scatter(s["ms_per_plate"], s["plates_us_exact"], s=60)
            ax.annotate(name, (s["ms_per_plate"], s["plates_us_exact"]), textcoords="offset points",
                        xytext=(6, 6) if i % 2 == 0 else (6, -16))  # neighbours' labels apart
    ax.set_xscale("log")
    ax.set_xlabel("ms per plate crop, 1 thread (log)")
    ax.set_ylabel("plates-us exact plate text (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
