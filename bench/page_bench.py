"""``edgeocr bench page``: photographed book pages read whole by edgeocr, Tesseract and RapidOCR.

The evaluation set is made here, never trained on (:mod:`train.data.book_page`): prose from the
fortune files kept out of training, set in the five held-out book faces like a paperback (running
head, page number, justified lines, hyphenated ends, curly quotes, dashes, sometimes a picture),
then printed on warm paper and photographed (gutter shadow and curl, skew, perspective, uneven
light, blur, noise, JPEG), about 900x1200 px with 25 lines. A few pages are also read upside down.

Every system's text is normalised the same way before scoring (:func:`normalise`): curly quotes
folded to straight ones, dashes to a hyphen, runs of whitespace and line breaks to one space.
edgeocr's strict CER (nothing folded but whitespace) is reported too. Writes MD, JSON and a plot.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import unicodedata
from datetime import date
from pathlib import Path

import cv2
import numpy as np

from edge_app.annotate import annotate
from edge_app.errors import EdgeOCRError
from edge_app.families.page.reader import PageReader
from edge_app.manifest import get_entry
from edge_app.text_metrics import cer, wer

from . import camera_bench
from .camera_set import PRINTED
from .char_bench import _machine, _record, interpreter_ms, setup, write_results
from .peers import RapidOCR, Tesseract, median_ms, write_images

INT8, FP16, FLOAT_TWIN = "edgeocr page (int8)", "edgeocr page (float16)", "page_fp16"
PAGES, UPSIDE_DOWN = 24, 4
SEED = 20261122  # never used by training (seeds 0 and 1) or development
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-"})


def normalise(text: str) -> str:
    """The text every system is scored on: NFKC, curly quotes straight, dashes as '-', one space."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_FOLD).split())


def strict(text: str) -> str:
    """Only whitespace normalised: curly quotes and dashes must be right."""
    return " ".join(text.split())


def _scores(truth: list[str], pred: list[str]) -> dict:
    t, p = [normalise(x) for x in truth], [normalise(x) for x in pred]
    return {"cer": round(cer(t, p) * 100, 2), "wer": round(wer(t, p) * 100, 2)}


def eval_pages(count: int | None = None, seed: int = SEED) -> list[tuple[np.ndarray, list[str], str]]:
    """The evaluation pages (default :data:`PAGES` of them): (BGR photo, true lines, face)."""
    from train.data.book_page import book_pages
    from train.data.printed import book_fonts
    from train.data.prose import paragraphs

    return book_pages(count or PAGES, seed, paragraphs("eval"), book_fonts("eval"))


def _read(reader: PageReader, images: list[np.ndarray]) -> tuple[list[str], list[float], list]:
    texts, times, results = [], [], []
    for img in images:
        t = time.perf_counter()
        r = reader.read(img)
        times.append(time.perf_counter() - t)
        texts.append(r.text)
        results.append(r)
    return texts, times, results


def bench_page(args: argparse.Namespace) -> int:
    """Run the benchmark; returns the exit code."""
    models_dir, out_dir, entry = setup(args, "page")
    readers = {t: PageReader(models_dir, num_threads=t) for t in (1, 2)}
    systems: dict[str, dict] = {INT8: {"size_kb": round(entry["size_bytes"] / 1024, 1),
                                       "ms_per_chunk_model": round(interpreter_ms(models_dir / entry["file"], 200), 3)}}
    twin = None
    try:
        tw = get_entry(FLOAT_TWIN, models_dir)
        twin = PageReader(models_dir, num_threads=2, model_name=FLOAT_TWIN)
        systems[FP16] = {"size_kb": round(tw["size_bytes"] / 1024, 1)}
    except EdgeOCRError:
        pass
    peers = [p for p in (Tesseract(3, "") if Tesseract.available() else None,
                         RapidOCR() if RapidOCR.available() else None) if p is not None]
    camera = camera_bench.run_camera(args, out_dir, "page", PRINTED, readers[2], _scores, peers, big=True)
    count = getattr(args, "pages", PAGES)
    if count < 1:
        raise EdgeOCRError(f"--pages must be at least 1, not {count}")
    print(f"making {count} evaluation pages ...", file=sys.stderr)
    pages = eval_pages(count)
    images, truth = [p[0] for p in pages], ["\n".join(p[1]) for p in pages]
    results: dict = {"date": date.today().isoformat(), "machine": _machine(), "model_sha256": entry["sha256"],
                     "camera": camera, "pages": count, "lines": sum(len(p[1]) for p in pages),
                     "chars": sum(len(normalise(t)) for t in truth),
                     "faces": sorted({p[2] for p in pages}),
                     "size_px": [int(np.median([i.shape[1] for i in images])),
                                 int(np.median([i.shape[0] for i in images]))],
                     "systems": systems}
    for threads, reader in readers.items():
        print(f"edgeocr int8, {threads} thread(s) ...", file=sys.stderr)
        pred, times, res = _read(reader, images)
        systems[INT8][f"s_per_page_{threads}t"] = round(float(np.median(times)), 3)
        if threads == 2:
            systems[INT8].update(_scores(truth, pred))
            systems[INT8]["s_per_page"] = systems[INT8]["s_per_page_2t"]
            systems[INT8]["cer_strict"] = round(cer([strict(t) for t in truth], [strict(p) for p in pred]) * 100, 2)
            lines_right = [len(r.text.split("\n")) == len(p[1]) for r, p in zip(res, pages)]
            systems[INT8]["line_count_right_pct"] = round(float(np.mean(lines_right)) * 100, 1)
            stages = {k: round(float(np.median([r.timings_ms.get(k, 0) for r in res])), 1)
                      for k in ("segment", "model", "decode")}
            systems[INT8]["ms_by_stage"] = stages
            per_face: dict[str, list] = {}
            for p, t in zip(pages, pred):
                per_face.setdefault(p[2], []).append((p[1], t))
            results["edgeocr_cer_by_face"] = {
                f: _scores(["\n".join(x[0]) for x in v], [x[1] for x in v])["cer"] for f, v in per_face.items()}
            per_page = [_scores([t], [p])["cer"] for t, p in zip(truth, pred)]
            worst = int(np.argmax(per_page))
            rest = [i for i in range(len(pred)) if i != worst]
            results["edgeocr_cer_per_page"] = {
                "median": round(float(np.median(per_page)), 2), "worst": per_page[worst], "worst_page": worst,
                "worst_face": pages[worst][2],
                "all_but_worst": _scores([truth[i] for i in rest], [pred[i] for i in rest])["cer"] if rest else None}
            _example(images[0], res[0], out_dir / "page_example.png")
    if twin is not None:
        pred, times, _ = _read(twin, images)
        systems[FP16].update(_scores(truth, pred))
        systems[FP16]["s_per_page"] = round(float(np.median(times)), 3)
        results["int8_minus_float_cer"] = round(systems[INT8]["cer"] - systems[FP16]["cer"], 2)
    print("upside-down pages ...", file=sys.stderr)
    flipped = [cv2.rotate(i, cv2.ROTATE_180) for i in images[:UPSIDE_DOWN]]
    pred, _, res = _read(readers[2], flipped)
    results["upside_down"] = {"pages": len(flipped), "detected": sum(any("upside down" in n for n in r.notes)
                                                                     for r in res),
                              **_scores(truth[: len(flipped)], pred)}
    with tempfile.TemporaryDirectory() as tmp:
        files = write_images(images, tmp, "page")
        for peer in peers:
            print(f"{peer.name} ...", file=sys.stderr)
            reads = [peer.read_page(f) for f in files]
            systems[peer.name] = {**_scores(truth, [r[0] for r in reads]),
                                  "s_per_page": round(median_ms([r[1] for r in reads]) / 1000, 3)}
    _record(models_dir, {"page": INT8, FLOAT_TWIN: FP16}, results, args)
    write_results(out_dir, "page", results, _markdown, _plot)
    if camera is not None:
        camera_bench.plot(camera, out_dir / "page_camera.png", "camera set: printed photos")
    return 0


def _example(image: np.ndarray, result, path: Path) -> None:
    """The first page with its word boxes (the README's picture) and its text beside it in page_example.txt."""
    cv2.imwrite(str(path), annotate(image, result))
    path.with_suffix(".txt").write_text(result.text + "\n")


def _markdown(r: dict) -> str:
    s = r["systems"]
    c = r.get("camera")
    e, big = (c["systems"][camera_bench.AUTO], c.get("big")) if c else (None, None)
    lines = [
        "# edgeocr bench page",
        "",
        *camera_bench.markdown(c, "printed papers", "wer", "WER %"),
        *camera_bench.targets_table([
            ("camera printed CER (paper auto)", "<= 2%", e["all"]["cer"] if e else None, 2.0, "%"),
            ("camera pages wrongly upside down", "0", e["upside_down"] if e else None, 0, ""),
            ("12 MP photo whole read, 2 threads", "<= 0.5 s", big["s"] if big else None, 0.5, " s"),
            ("camera notes CER (paper auto)", "<= 10%", None, 10.0, "%")]),
        "",
        "(camera notes: see `edgeocr bench handwriting`.)",
        "",
        "## Full-frame renders",
        "",
        f"{r['date']}, {r['machine']}. {r['pages']} photographed-looking book pages (~{r['size_px'][0]}x"
        f"{r['size_px'][1]} px, {r['lines']} lines, {r['chars']:,} characters): prose never trained on, in the "
        f"held-out faces {', '.join(r['faces'])}; gutter shadow and curl, skew, perspective, uneven light, "
        "JPEG. Text normalised the same way for every system (curly quotes and dashes folded, whitespace "
        "collapsed).",
        "",
        "| system | CER % | WER % | s/page | size |",
        "|---|---|---|---|---|",
    ]
    for name, v in s.items():
        size = f"{v['size_kb']:.0f} KB" if "size_kb" in v else "–"
        lines.append(f"| {name} | {v.get('cer', float('nan')):.2f} | {v.get('wer', float('nan')):.2f} | "
                     f"{v.get('s_per_page', float('nan')):.2f} | {size} |")
    e = s[INT8]
    lines += [
        "",
        f"edgeocr int8: {e['s_per_page_1t']:.2f} s/page on 1 thread, {e['s_per_page_2t']:.2f} s on 2 "
        f"(median; stages on 2 threads: {', '.join(f'{k} {v:.0f} ms' for k, v in e['ms_by_stage'].items())}); "
        f"the model alone {e['ms_per_chunk_model']:.1f} ms per 32x512 line chunk (1 thread). "
        f"Strict CER (curly quotes and dashes must match): {e['cer_strict']:.2f}%. "
        f"Line count right on {e['line_count_right_pct']:.0f}% of pages.",
    ]
    if "int8_minus_float_cer" in r:
        lines.append(f"int8 minus float16 CER: {r['int8_minus_float_cer']:+.2f} points.")
    pp = r["edgeocr_cer_per_page"]
    lines.append(f"edgeocr CER per page: median {pp['median']:.2f}%, worst {pp['worst']:.2f}% "
                 f"(page {pp['worst_page']}, {pp['worst_face']}); all pages but the worst: {pp['all_but_worst']}%.")
    u = r["upside_down"]
    lines += ["", f"Upside-down pages: {u['detected']}/{u['pages']} detected and turned; CER {u['cer']:.2f}%.",
              "", "CER by held-out face: " + ", ".join(f"{k} {v:.2f}%" for k, v in
                                                      sorted(r["edgeocr_cer_by_face"].items())), ""]
    return "\n".join(lines)


def _plot(r: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(r["systems"])
    cers = [r["systems"][n].get("cer", 0) for n in names]
    secs = [r["systems"][n].get("s_per_page", 0) for n in names]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
    for ax, vals, title in ((axes[0], cers, "CER % (lower is better)"), (axes[1], secs, "seconds per page")):
        ax.barh(names, vals, color=["#2a7" if n.startswith("edgeocr") else "#888" for n in names])
        ax.set_title(title)
        ax.invert_yaxis()
        for i, v in enumerate(vals):
            ax.text(v, i, f" {v:.2f}", va="center")
    axes[1].set_yticklabels([])
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
