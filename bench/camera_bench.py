"""The camera development set's section of ``edgeocr bench page`` and ``edgeocr bench handwriting``.

The photos (:mod:`bench.camera_set`) are read whole by edgeocr with the paper finder (``paper="auto"``,
the default) and without it (``paper="off"``), and by the peers (Tesseract ``--psm 3`` and RapidOCR's
detection + recognition, on lossless PNG copies of the same photos). Reported: CER and WER (or words
right) overall and per kind, seconds per photo, how many photos edgeocr turned upside down (every
photo is upright within 10 degrees, so each turn is wrong), and the paper finder's corners against the
true ones. The worst photos are kept in ``OUT/camera_TASK_worst/`` (the photo with the true outline in
green and the found one in red, and the truth and edgeocr's readings), every photo's readings in
``OUT/camera_TASK_reads.json``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from edge_app.paper import TEXT_REGION

from .camera_set import COUNTS, CameraPhoto, big_photo, camera_set, corner_error
from .peers import write_images

AUTO, OFF = "edgeocr (paper auto)", "edgeocr (paper off)"
UPSIDE = "upside down"  # what the page reader's note says when it turned a page
WORST = 6
CORNER_OK = 0.02  # a found paper whose corners are within this share of the diagonal, on average, is right
BIG_REPEATS = 3

Score = Callable[[list[str], list[str]], dict]


def words_right(truth: list[str], pred: list[str]) -> float:
    """Share (%) of the true words read exactly, in order (longest matching blocks of the word sequences)."""
    right = total = 0
    for t, p in zip(truth, pred):
        tw, pw = t.split(), p.split()
        right += sum(b.size for b in difflib.SequenceMatcher(None, tw, pw, autojunk=False).get_matching_blocks())
        total += len(tw)
    return round(100.0 * right / total, 2) if total else 0.0


def found_paper(result) -> list | None:
    """The corners of the paper a read found; None when it found none, or read the text's region instead
    (no paper edge seen: that box is no paper's outline)."""
    return None if any(f"by {TEXT_REGION}" in n for n in result.notes) else result.paper


def _by_kind(photos: list[CameraPhoto], pred: list[str], score: Score) -> dict:
    out = {"all": score([p.text for p in photos], pred)}
    for kind in dict.fromkeys(p.kind for p in photos):
        idx = [i for i, p in enumerate(photos) if p.kind == kind]
        out[kind] = score([photos[i].text for i in idx], [pred[i] for i in idx])
    return out


def run_camera(args: argparse.Namespace, out_dir: Path, task: str, kinds: tuple[str, ...], reader, score: Score,
               peers: list, crops=None, big: bool = False, threads: int = 2) -> dict | None:
    """Make the camera set's photos of ``kinds`` and read them with ``reader`` (paper auto and off, on
    ``threads`` threads) and the peers; with ``big``, time the 12 MP photo too. None when no ``--scenes``
    was given."""
    scenes = getattr(args, "scenes", None)
    if not scenes:
        return None
    counts = {k: args.camera or COUNTS[k] for k in kinds}
    print(f"making the camera set ({', '.join(f'{v} {k}s' for k, v in counts.items())}) ...", file=sys.stderr)
    photos = camera_set(scenes, counts=counts, crops=crops)
    c: dict = {"photos": len(photos), "counts": counts, "faces": sorted({p.face for p in photos}),
               "share_range": [min(p.info["share"] for p in photos), max(p.info["share"] for p in photos)],
               "fingers": sum("finger_edge" in p.info for p in photos),
               "shadows": sum("shadow" in p.info for p in photos), "systems": {}}
    reads: dict[str, list] = {}
    results: dict[str, list] = {}
    for name, mode in ((AUTO, "auto"), (OFF, "off")):
        print(f"camera set: {name} ...", file=sys.stderr)
        texts, times, res = [], [], []
        for p in photos:
            t = time.perf_counter()
            r = reader.read(p.image, paper=mode)
            times.append(time.perf_counter() - t)
            texts.append(r.text)
            res.append(r)
        reads[name], results[name] = texts, res
        c["systems"][name] = {**_by_kind(photos, texts, score), "s_per_photo": round(float(np.median(times)), 3),
                              "upside_down": sum(any(UPSIDE in n for n in r.notes) for r in res)}
    errors = [corner_error(found_paper(r), p.corners, p.image.shape) for r, p in zip(results[AUTO], photos)]
    found = [e for e in errors if e is not None]
    c["corners"] = {"found": len(found), "of": len(photos),
                    "mean_error": round(float(np.mean(found)), 4) if found else None,
                    "median_error": round(float(np.median(found)), 4) if found else None,
                    "within": sum(e <= CORNER_OK for e in found)}
    with tempfile.TemporaryDirectory() as tmp:
        files = write_images([p.image for p in photos], tmp, "camera")
        for peer in peers:
            print(f"camera set: {peer.name} ...", file=sys.stderr)
            out = [peer.read_page(f) for f in files]
            reads[peer.name] = [o[0] for o in out]
            c["systems"][peer.name] = {**_by_kind(photos, reads[peer.name], score),
                                       "s_per_photo": round(float(np.median([o[1] for o in out])), 3)}
    if big:
        c["big"] = {**_big(scenes, reader, score), "threads": threads}
    per_photo = [score([p.text], [t])["cer"] for p, t in zip(photos, reads[AUTO])]
    c["cer_per_photo"] = {"median": round(float(np.median(per_photo)), 2), "worst": round(max(per_photo), 2)}
    _keep(out_dir, task, photos, reads, results[AUTO], errors, per_photo)
    return c


def _big(scenes: str, reader, score: Score) -> dict:
    """A whole read of the 12 MP photo on the reader's threads: the median of :data:`BIG_REPEATS`."""
    print("camera set: the 12 MP photo ...", file=sys.stderr)
    p = big_photo(scenes)
    times, r = [], None
    for _ in range(BIG_REPEATS):
        t = time.perf_counter()
        r = reader.read(p.image)
        times.append(time.perf_counter() - t)
    return {"size_px": [p.image.shape[1], p.image.shape[0]], "s": round(float(np.median(times)), 3),
            "paper_found": found_paper(r) is not None, **score([p.text], [r.text])}


def _keep(out_dir: Path, task: str, photos: list[CameraPhoto], reads: dict[str, list], res: list, errors: list,
          per_photo: list[float]) -> None:
    """Every photo's truth and readings (JSON), and the worst photos drawn with their outlines."""
    rows = []
    for i, p in enumerate(photos):
        rows.append({"index": i, "kind": p.kind, "face": p.face, "info": p.info, "truth": p.lines,
                     "corners": p.corners.round(1).tolist(), "found": res[i].paper, "corner_error": errors[i],
                     "notes": res[i].notes, "cer_auto": per_photo[i],
                     "reads": {name: texts[i] for name, texts in reads.items()}})
    (out_dir / f"camera_{task}_reads.json").write_text(json.dumps(rows, indent=1) + "\n")
    folder = out_dir / f"camera_{task}_worst"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.*"):  # an earlier run's worst photos are not this run's
        old.unlink()
    for i in sorted(range(len(photos)), key=lambda k: -per_photo[k])[:WORST]:
        p = photos[i]
        img = p.image.copy()
        thick = max(2, img.shape[1] // 400)
        cv2.polylines(img, [np.int32(p.corners)], True, (0, 200, 0), thick)
        if res[i].paper is not None:
            cv2.polylines(img, [np.int32(res[i].paper)], True, (0, 0, 255), thick)
        s = 1200 / max(img.shape[:2])
        stem = f"{i:03d}_{p.kind}"
        cv2.imwrite(str(folder / f"{stem}.png"), cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA))
        (folder / f"{stem}.txt").write_text(
            f"CER {per_photo[i]}%  notes {res[i].notes}  corner error {errors[i]}\n--- truth\n{p.text}\n"
            + "".join(f"--- {n}\n{t[i]}\n" for n, t in reads.items()))


def targets_table(rows: list[tuple[str, str, float | None, float, str]]) -> list[str]:
    """Markdown rows of issue 15's targets: (what, target shown, measured, limit, unit); met when measured <= limit."""
    out = ["| issue 15 target | target | measured | met |", "|---|---|---|---|"]
    for what, shown, value, limit, unit in rows:
        measured = "not run" if value is None else f"{value:g}{unit}"
        met = "–" if value is None else ("yes" if value <= limit else "no")
        out.append(f"| {what} | {shown} | {measured} | {met} |")
    return out


def markdown(c: dict | None, what: str, second: str, second_label: str) -> list[str]:
    """The camera section's lines (``second``: the other score's key, e.g. ``wer``, and its column label)."""
    if c is None:
        return ["## Camera development set", "",
                "Not run: no `--scenes DIR` given (the plate-photos folder, whose photos are the scenes).", ""]
    kinds = list(c["counts"])
    lines = ["## Camera development set", "",
             f"{c['photos']} phone photos of {what} ({', '.join(f'{v} {k}s' for k, v in c['counts'].items())}), "
             f"made by `bench/camera_set.py` from a fixed seed and never trained on: held-out text and faces/hands "
             f"({', '.join(c['faces'])}), warped into random crops of real street photos (`--scenes`); perspective "
             f"tilt up to 25 degrees, paper covering {c['share_range'][0]:.0%}-{c['share_range'][1]:.0%} of the "
             f"frame, a shadow band on {c['shadows']}, a finger over the edge on {c['fingers']}, white balance, "
             "blur, noise, JPEG 40-90; frames 1600x1200 and 2000x1500. Every system reads the same photos whole.",
             "",
             f"| system | CER % | {second_label} | " + " | ".join(f"{k} CER %" for k in kinds) + " | s/photo |",
             "|---" * (len(kinds) + 4) + "|"]
    for name, s in c["systems"].items():
        lines.append(f"| {name} | {s['all']['cer']:.2f} | {s['all'][second]:.2f} | "
                     + " | ".join(f"{s[k]['cer']:.2f}" for k in kinds) + f" | {s['s_per_photo']:.2f} |")
    k = c["corners"]
    lines += ["", f"Turned upside down by edgeocr (all photos are upright): {c['systems'][AUTO]['upside_down']} with "
              f"the paper finder, {c['systems'][OFF]['upside_down']} without.",
              f"Paper finder: found on {k['found']}/{k['of']} photos; mean corner error "
              + (f"{k['mean_error']:.2%} of the frame's diagonal (median {k['median_error']:.2%}); "
                 f"{k['within']} within {CORNER_OK:.0%}." if k["found"] else "–."),
              f"edgeocr (paper auto) CER per photo: median {c['cer_per_photo']['median']:.2f}%, "
              f"worst {c['cer_per_photo']['worst']:.2f}%."]
    if "big" in c:
        b = c["big"]
        lines.append(f"The 12 MP photo ({b['size_px'][0]}x{b['size_px'][1]}, a page): whole read "
                     f"{b['s']:.2f} s on {b['threads']} threads (median of {BIG_REPEATS}), paper "
                     f"{'found' if b['paper_found'] else 'not found'}, CER {b['cer']:.2f}%.")
    return lines + [""]


def plot(c: dict, path: Path, title: str) -> None:
    """CER per kind, per system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names, kinds = list(c["systems"]), ["all", *c["counts"]]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(names) * len(kinds) / 2 + 1.8))
    h = 0.8 / len(kinds)
    for j, k in enumerate(kinds):
        ax.barh(np.arange(len(names)) + j * h, [min(c["systems"][n][k]["cer"], 100) for n in names], h, label=k)
    ax.set_yticks(np.arange(len(names)) + h * (len(kinds) - 1) / 2, names)
    ax.invert_yaxis()
    ax.set_xlabel("character error rate (%, capped at 100), lower is better")
    ax.set_title(title)
    ax.legend()
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
