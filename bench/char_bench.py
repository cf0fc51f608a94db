"""``edgeocr bench char``: the character model on MNIST, on real photographed characters it never
saw, on composed lines of them, against its float twin and peer engines. Writes MD, JSON and a plot."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import string
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

from edge_app.errors import EdgeOCRError
from edge_app.families.char.preprocess import normalize_char
from edge_app.families.char.reader import CharReader
from edge_app.images import load_image
from edge_app.manifest import default_models_dir, get_entry
from edge_app.runtime import TFLiteModel
from edge_app.text_metrics import cer

from .peers import available_peers, median_ms
from .publish import output_dir, record_entry

DIGITS = string.digits
FLOAT_TWIN = "char_fp16"
SINGLE = "edgeocr char alone (int8)"
LINES = 60


def _mnist(reader: CharReader, folder: str) -> float:
    from train.data.mnist import load_mnist

    images, labels = load_mnist(folder, "test")
    cells = np.stack([normalize_char(im) for im in images])
    reader.allowed = DIGITS
    pred = [a[0][0] for a in reader.classify(cells, k=1)]
    reader.allowed = None
    return float(np.mean(np.array(pred) == labels.astype(str)) * 100.0)


def _read_cli(files: list[Path], models_dir: Path, task_args: list[str] | None = None) -> tuple[list[dict], float]:
    """One ``edgeocr read --json`` (``--task char`` unless ``task_args``) over a folder holding exactly
    ``files`` (as links); returns its JSON rows and the wall time."""
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            (Path(tmp) / f.name).symlink_to(f.resolve())
        cmd = [sys.executable, "-m", "edge_app", "read", *(task_args or ["--task", "char"]), "--json",
               "--threads", "1", "--models", str(models_dir), tmp]
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise EdgeOCRError(f"edgeocr read failed: {proc.stderr.strip().splitlines()[-1:]}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()], wall


def _accuracies(pred: list[str], truth: list[str]) -> tuple[float, float]:
    exact = np.mean([p == t for p, t in zip(pred, truth)]) * 100.0
    nocase = np.mean([p.lower() == t.lower() for p, t in zip(pred, truth)]) * 100.0
    return float(exact), float(nocase)


def _lines(reader: CharReader, items: list[tuple[Path, str]], seed: int = 7) -> tuple[dict, list]:
    """Compose LINES lines of 2-3 words from the real test crops and read them with ``read_chars``."""
    from train.data.compose import compose_line

    rng = np.random.default_rng(seed)
    refs, hyps, examples = [], [], []
    for i in range(LINES):
        words = [rng.choice(len(items), size=int(rng.integers(2, 6)), replace=False)
                 for _ in range(int(rng.integers(1, 4)))]
        text = " ".join("".join(items[j][1] for j in w) for w in words)
        crops = []
        for w in words:
            for j in w:
                img = load_image(items[j][0])
                crops.append(img if img.ndim == 2 else img.mean(axis=2).astype(np.uint8))
        image = compose_line(crops, text, rng)
        res = reader.read_chars(image, f"line{i}")
        refs.append(text)
        hyps.append(res.text)
        if len(examples) < 3:
            examples.append((image, res))
    no_space = [r.replace(" ", "") for r in refs], [h.replace(" ", "").replace("\n", "") for h in hyps]
    out = {
        "lines": LINES,
        "cer": round(cer(refs, hyps) * 100, 2),
        "cer_no_spaces": round(cer(*no_space) * 100, 2),
        "cer_case_insensitive": round(cer([r.lower() for r in refs], [h.lower() for h in hyps]) * 100, 2),
        "exact_lines": round(float(np.mean([r == h for r, h in zip(refs, hyps)]) * 100), 1),
        "samples": [{"truth": r, "read": h} for r, h in list(zip(refs, hyps))[:5]],
    }
    return out, examples


def interpreter_ms(model_path: Path, repeats: int = 2000) -> float:
    """Median ms of one interpreter call on a random input, one thread (the model alone)."""
    from convert.tflite import latency_ms

    model = TFLiteModel(model_path, num_threads=1)
    x = np.random.default_rng(0).random(model.input_shape, dtype=np.float32)
    return latency_ms(model, x, repeats=repeats)


def setup(args: argparse.Namespace, name: str) -> tuple[Path, Path, dict]:
    """The models folder, the output folder (created: ``--out``, or bench/results with ``--publish``) and the
    manifest entry of the model under test."""
    models_dir = Path(args.models) if args.models else default_models_dir()
    entry = get_entry(name, models_dir)
    out_dir = output_dir(args)
    out_dir.mkdir(parents=True, exist_ok=True)
    return models_dir, out_dir, entry


def write_results(out_dir: Path, task: str, results: dict, markdown, plot) -> None:
    """Write TASK.json, TASK.md (``markdown(results)``) and TASK.png (``plot(results, path)``), and show the MD."""
    (out_dir / f"{task}.json").write_text(json.dumps(results, indent=2) + "\n")
    text = markdown(results)
    (out_dir / f"{task}.md").write_text(text)
    plot(results, out_dir / f"{task}.png")
    print(text)
    print(f"wrote {out_dir}/{task}.md, {task}.json, {task}.png")


def _classified(reader: CharReader, files: list[Path]) -> list[str]:
    """Each file's best character by ``reader`` (cells made as ``edgeocr read`` makes them)."""
    return [a[0][0] for a in reader.classify(np.stack([normalize_char(load_image(f)) for f in files]), k=1)]


def models_cost(models_dir: Path, names: list[str], ms_key: str, digits: int, repeats: int = 2000) -> dict:
    """What reading with these models costs: their summed size (``size_kb``) and interpreter time, 1 thread
    (``ms_key``, rounded to ``digits``)."""
    entries = [get_entry(n, models_dir) for n in names]
    return {"size_kb": round(sum(e["size_bytes"] for e in entries) / 1024, 1),
            ms_key: round(sum(interpreter_ms(models_dir / e["file"], repeats) for e in entries), digits)}


def bench_char(args: argparse.Namespace) -> int:
    """Run the benchmark; returns the exit code."""
    models_dir, out_dir, entry = setup(args, "char")
    reader = CharReader(models_dir, num_threads=1)  # what ``edgeocr read --task char`` uses
    members = reader.model_name.split("+")
    default = f"edgeocr {' + '.join(members)} (int8{', averaged' if len(members) > 1 else ''})"

    def cost(names: list[str]) -> dict:
        return models_cost(models_dir, names, "ms_per_char", 4)

    systems: dict[str, dict] = {default: cost(members)}
    alone = None
    if len(members) > 1:
        alone = CharReader(models_dir, num_threads=1, model_name="char")
        systems[SINGLE] = cost(["char"])
    twin = None
    try:
        twin = CharReader(models_dir, num_threads=1, model_name=FLOAT_TWIN)
        systems["edgeocr char (float16)"] = cost([FLOAT_TWIN])
    except EdgeOCRError:
        pass
    others = [(name, r) for name, r in ((SINGLE, alone), ("edgeocr char (float16)", twin)) if r is not None]
    t = time.perf_counter()
    cells = [normalize_char(load_image(p)) for p in sorted(Path(args.real).glob("*.png"))[:200]] if args.real else []
    pre_ms = (time.perf_counter() - t) * 1000 / max(len(cells), 1)

    results: dict = {"date": date.today().isoformat(), "machine": _machine(), "default": default,
                     "model_sha256": entry["sha256"], "systems": systems,
                     "preprocess_ms_per_char": round(pre_ms, 3)}
    if args.mnist:
        print("MNIST test set ...", file=sys.stderr)
        for name, r in [(default, reader), *others]:
            systems[name]["mnist_digits"] = round(_mnist(r, args.mnist), 2)
    examples = []
    if args.real:
        from train.data.realchars import list_real_chars

        items = list_real_chars(args.real, "test")
        files, truth = [p for p, _ in items], [c for _, c in items]
        print(f"real characters: {len(files)} never-trained crops through edgeocr read ...", file=sys.stderr)
        rows, wall = _read_cli(files, models_dir)
        by_name = {Path(r["file"]).name: r.get("text", "") for r in rows}
        pred = [by_name.get(f.name, "") for f in files]
        ex, ci = _accuracies(pred, truth)
        systems[default].update(real_exact=round(ex, 2), real_case_insensitive=round(ci, 2),
                                read_cli_ms_per_image=round(wall * 1000 / len(files), 3))
        results["real_split"] = "handwritten-chars files 20-39 of each class (name order), 1,240 crops"
        for name, r in others:
            ex, ci = _accuracies(_classified(r, files), truth)
            systems[name].update(real_exact=round(ex, 2), real_case_insensitive=round(ci, 2))
        print("composed lines ...", file=sys.stderr)
        results["chars_lines"], examples = _lines(reader, items)
        for peer in available_peers(psm=10, whitelist=string.digits + string.ascii_letters):
            print(f"peer {peer.name} ...", file=sys.stderr)
            reads = [peer.read(f) for f in files]
            ex, ci = _accuracies([r[0][:1] for r in reads], truth)
            systems[peer.name] = {"real_exact": round(ex, 2), "real_case_insensitive": round(ci, 2),
                                  "ms_per_char": round(median_ms([r[1] for r in reads]), 2)}
    _record(models_dir, {"char": default, FLOAT_TWIN: "edgeocr char (float16)"}, results, args, ("char", SINGLE))
    _save_examples(examples, out_dir)
    write_results(out_dir, "char", results, _markdown, _plot)
    return 0


def _machine() -> str:
    """CPU model and core count, for the record."""
    name = platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    return f"{name}, {os.cpu_count()} cores"


def _record(models_dir: Path, names: dict[str, str], results: dict, args: argparse.Namespace,
            alone: tuple[str, str] | None = None) -> None:
    """Store the figures in each benchmarked model's manifest entry, with the command that measured them
    (only with ``--publish``). ``alone``: (model, system) where the default reader averages that model with
    others: each averaged model's entry gets the default's figures and what it reads with, and that model's
    its own figures as ``MODEL_alone``."""
    for name, system in names.items():
        if system not in results["systems"]:
            continue
        entry = get_entry(name, models_dir)
        figures = dict(results["systems"][system])
        if alone and alone[1] in results["systems"] and system == results["default"]:  # several models averaged
            figures = {"read_with": results["default"], **figures}
            if name == alone[0]:
                figures[f"{name}_alone"] = results["systems"][alone[1]]
        if name == "char" and "chars_lines" in results:
            figures["chars_lines_cer"] = results["chars_lines"]["cer"]
            figures["chars_lines_cer_case_insensitive"] = results["chars_lines"]["cer_case_insensitive"]
        entry.setdefault("metrics", {})["bench"] = {**figures, "date": results["date"], "command": args.command_line}
        record_entry(args, name, entry, models_dir)


def _markdown(r: dict) -> str:
    cols = [("mnist_digits", "MNIST test (digits) %"), ("real_exact", "real chars exact %"),
            ("real_case_insensitive", "real chars case-insens. %"), ("ms_per_char", "ms/char (1 thread)"),
            ("size_kb", "size KB")]
    lines = [f"MNIST: the 10,000 test digits, answer restricted to 0-9. Real chars: {r.get('real_split', 'not run')}, "
             f"read by one `edgeocr read --task char` over them (peers on the same files). `edgeocr read` uses "
             f"{r['default'].removeprefix('edgeocr ')}; the other edgeocr rows classify the same cells.", "",
             "| system | " + " | ".join(c[1] for c in cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, s in r["systems"].items():
        lines.append(f"| {name} | " + " | ".join(str(s.get(k, "–")) for k, _ in cols) + " |")
    text = "\n".join(lines) + "\n"
    if "chars_lines" in r:
        c = r["chars_lines"]
        text += (f"\n`--task chars` on {c['lines']} composed lines of never-trained real crops: CER {c['cer']}% "
                 f"(ignoring spaces {c['cer_no_spaces']}%, ignoring case {c['cer_case_insensitive']}%), "
                 f"{c['exact_lines']}% of lines exact.\n")
    e2e = r["systems"][r["default"]].get("read_cli_ms_per_image")
    text += (f"\nms/char for edgeocr is the interpreter alone (for averaged models, their sum); decoding the "
             f"file and preprocessing add "
             f"{r['preprocess_ms_per_char']} ms"
             + (f", and `edgeocr read` end to end (file load, preprocessing, model, JSON) takes {e2e} ms per image"
                if e2e else "")
             + f". Peers' times are their whole recognition call. Machine: {r['machine']}, {r['date']}.\n")
    return text


def _plot(r: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(r["systems"])
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    for key, label, off in (("real_exact", "exact", -0.2), ("real_case_insensitive", "case-insensitive", 0.2)):
        axes[0].barh(np.arange(len(names)) + off, [r["systems"][n].get(key, 0) for n in names], 0.4, label=label)
    axes[0].set_yticks(range(len(names)), names)
    axes[0].set_xlabel("accuracy on never-trained real characters (%)")
    axes[0].legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)
    axes[1].barh(range(len(names)), [r["systems"][n].get("ms_per_char", 0) for n in names], color="gray")
    axes[1].set_xscale("log")
    axes[1].set_yticks(range(len(names)), [""] * len(names))
    axes[1].set_xlabel("ms per character, 1 thread (log)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _save_examples(examples: list, out_dir: Path) -> None:
    import cv2

    from edge_app.annotate import annotate

    for i, (image, res) in enumerate(examples[:2]):
        cv2.imwrite(str(out_dir / f"char_line{i}.png"), annotate(image, res))
