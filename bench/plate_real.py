"""The plate bench's real-photo figures, which lead its report.

- the finder on plate-photos val: recall at IoU >= 0.5 by plate width and AP50, for the learned
  detector and the classical finder;
- exact reading of the hand-labelled real crops (``bench/data/plate_photos_val_labels.csv``), by
  edgeocr (``read_crop``) and RapidOCR's recogniser on the same crops;
- end to end on the labelled val photos (plates >= 40 px): edgeocr ``read_photo`` (find, rectify,
  read) against RapidOCR's detection + recognition on the whole photo;
- the time of one 1280x720 frame (detector + readers, 1 thread);
- the live Plate screen's engine (``edge_app.live.LivePlates``: camera thread, reader, voter) on a
  replay of the labelled val photos as parked cars, each held for half a second of a 30 FPS camera.
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

from edge_app.errors import EdgeOCRError
from edge_app.families.plate.reader import PlateReader
from edge_app.geometry import iou
from train.data.plate_crops import clean, crop_box

LABELS = Path(__file__).resolve().parent / "data" / "plate_photos_val_labels.csv"
E2E_MIN_WIDTH = 40  # px: plates at least this wide count in the end-to-end figure
FRAME = (720, 1280)
LIVE_FRAMES = 15  # frames each parked car is seen for in the live replay (half a second at 30 FPS)


def read_labels(path: Path = LABELS) -> list[dict]:
    """The hand-labelled val plates: file, box and text (rows whose status is ``ok``)."""
    if not path.is_file():
        raise EdgeOCRError(f"plate labels {path} not found")
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["status"] == "ok"]
    return [{"file": r["file"], "box": [int(r[k]) for k in "xywh"], "text": r["text"]} for r in rows]


def val_boxes(photos: str) -> dict[str, list[list[int]]]:
    """plate-photos val: file -> true boxes."""
    from train.data.plate_photos import read_boxes

    return read_boxes(photos, "val")


def finder_figures(reader: PlateReader, photos: str) -> dict:
    """Recall by width and AP50 on every val photo, for the detector and the classical finder."""
    from edge_app.families.plate.finder import find_plates
    from train.detection_metrics import detection_report

    truth, det, classic = [], [], []
    for name, boxes in sorted(val_boxes(photos).items()):
        img = cv2.imread(str(Path(photos) / "images" / name), cv2.IMREAD_COLOR)
        truth.append(np.array(boxes, np.float64))
        if reader.detector is not None:
            found = reader.detector.detect(img, threshold=0.05)
            det.append((np.array([b for b, _ in found], np.float64).reshape(-1, 4), np.array([s for _, s in found])))
        cands = find_plates(img)
        classic.append((np.array([c.box for c in cands], np.float64).reshape(-1, 4),
                        np.array([c.score for c in cands], np.float64)))
    out = {"photos": len(truth)}
    if det:
        out["detector"] = detection_report(truth, det, threshold=reader.detector.threshold)
    out["classical finder"] = detection_report(truth, classic, threshold=0.0)
    return out


def crop_figures(reader: PlateReader, photos: str, labels: list[dict], peers: list) -> dict:
    """Exact reading of the labelled crops by edgeocr and each peer (same crops)."""
    systems: dict[str, dict] = {}
    crops = [crop_box(cv2.imread(str(Path(photos) / "images" / r["file"]), cv2.IMREAD_COLOR), r["box"]) for r in labels]
    truth = [r["text"] for r in labels]
    t = time.perf_counter()
    pred = [reader.read_crop(c).text for c in crops]
    ms = (time.perf_counter() - t) * 1000 / max(len(crops), 1)
    systems["edgeocr"] = {"exact": _pct(pred, truth), "ms_per_crop": round(ms, 2)}
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, c in enumerate(crops):
            files.append(Path(tmp) / f"{i:04d}.png")
            cv2.imwrite(str(files[-1]), c)
        for peer in peers:
            reads = [peer.read(f) for f in files]
            systems[peer.name] = {"exact": _pct([clean(r[0]) for r in reads], truth),
                                  "ms_per_crop": round(float(np.median([r[1] for r in reads])) * 1000, 2)}
    return {"crops": len(crops), "systems": systems,
            "misread_examples": [[tr, p] for p, tr in zip(pred, truth) if p != tr][:12]}


def _pct(pred: list[str], truth: list[str]) -> float:
    return round(float(np.mean([p == t for p, t in zip(pred, truth)])) * 100, 2) if truth else 0.0


def end_to_end(reader: PlateReader, photos: str, labels: list[dict], rapid) -> dict:
    """Labelled plates >= 40 px read exactly from their whole photos, by edgeocr and RapidOCR (det + rec)."""
    by_file: dict[str, list[dict]] = defaultdict(list)
    for r in labels:
        if r["box"][2] >= E2E_MIN_WIDTH:
            by_file[r["file"]].append(r)
    ours = theirs = total = 0
    ms, rapid_ms = [], []
    for name, rows in sorted(by_file.items()):
        img = cv2.imread(str(Path(photos) / "images" / name), cv2.IMREAD_COLOR)
        t = time.perf_counter()
        res = reader.read_photo(img)
        ms.append(time.perf_counter() - t)
        texts = []
        if rapid is not None:
            t = time.perf_counter()
            out, _ = rapid.engine(img)
            rapid_ms.append(time.perf_counter() - t)
            texts = [clean(o[1]) for o in out or []]
        for r in rows:
            total += 1
            ours += any(iou(it.box, r["box"]) >= 0.5 and it.text == r["text"] for it in res.items)
            theirs += r["text"] in texts
    out = {"plates": total, "photos": len(by_file),
           "edgeocr": {"read_exact": round(ours / max(total, 1) * 100, 2),
                       "ms_per_photo": round(float(np.median(ms)) * 1000, 2) if ms else None}}
    if rapid is not None:
        out[rapid.name] = {"read_exact": round(theirs / max(total, 1) * 100, 2),
                           "ms_per_photo": round(float(np.median(rapid_ms)) * 1000, 2)}
    return out


def as_frame(img: np.ndarray) -> np.ndarray:
    """A photo scaled into a black 1280x720 camera frame (top left, aspect kept)."""
    s = min(FRAME[1] / img.shape[1], FRAME[0] / img.shape[0])
    small = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    frame = np.zeros((*FRAME, 3), np.uint8)
    frame[: small.shape[0], : small.shape[1]] = small
    return frame


def frame_ms(reader: PlateReader, photos: str, labels: list[dict], count: int = 40) -> dict:
    """Median and p90 ms of ``read_photo`` on 1280x720 frames made from labelled val photos, 1 thread."""
    files = sorted({r["file"] for r in labels})[:count]
    times = []
    for name in files:
        frame = as_frame(cv2.imread(str(Path(photos) / "images" / name), cv2.IMREAD_COLOR))
        reader.read_photo(frame)
        t = time.perf_counter()
        reader.read_photo(frame)
        times.append(time.perf_counter() - t)
    return {"frames": len(times), "ms_median": round(float(np.median(times)) * 1000, 2),
            "ms_p90": round(float(np.percentile(times, 90)) * 1000, 2)}


def live_replay(reader: PlateReader, photos: str, labels: list[dict], frames: int = LIVE_FRAMES,
                fps: float = 30.0) -> dict:
    """Each labelled val photo (plates >= 40 px) as a parked car in front of an ``fps`` camera: ``frames``
    1280x720 frames with a little shake and fresh sensor noise, replayed through ``LivePlates`` (what the
    Plate screen runs); counts the labelled plates whose text the screen's readings list gets."""
    from edge_app.camera import ReplaySource
    from edge_app.live import LivePlates

    by_file: dict[str, set[str]] = defaultdict(set)
    for r in labels:
        if r["box"][2] >= E2E_MIN_WIDTH:
            by_file[r["file"]].add(r["text"])
    rng = np.random.default_rng(0)
    listed = other = processed = dropped = 0
    seconds = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for k, (name, texts) in enumerate(sorted(by_file.items())):
            base = as_frame(cv2.imread(str(Path(photos) / "images" / name), cv2.IMREAD_COLOR))
            folder = Path(tmp) / f"{k:04d}"
            folder.mkdir()
            for i in range(frames):
                m = np.float32([[1, 0, rng.normal(0, 2)], [0, 1, rng.normal(0, 2)]])
                f = cv2.warpAffine(base, m, (FRAME[1], FRAME[0]), borderMode=cv2.BORDER_REFLECT)
                f = np.clip(f + rng.normal(0, 3, f.shape), 0, 255).astype(np.uint8)
                cv2.imwrite(str(folder / f"frame_{i:03d}.jpg"), f, [cv2.IMWRITE_JPEG_QUALITY, 90])
            live = LivePlates(ReplaySource(folder), reader, pace_fps=fps)
            t = time.perf_counter()
            live.start()
            while live.snapshot().running:
                time.sleep(0.02)
            live.stop()
            seconds += time.perf_counter() - t
            snap = live.snapshot()
            logged = {r.text for r in snap.log}
            listed += len(texts & logged)
            other += len(logged - texts)
            processed, dropped = processed + snap.processed, dropped + snap.dropped
    plates = sum(len(t) for t in by_file.values())
    return {"photos": len(by_file), "plates": plates, "frames_per_photo": frames,
            "listed_exact": round(listed / max(plates, 1) * 100, 2), "other_readings": other,
            "frames_read_per_s": round(processed / max(seconds, 1e-9), 1), "dropped": dropped}


def real_figures(reader: PlateReader, photos: str, peers: list) -> dict:
    """Every real-photo figure of the plate bench."""
    labels = read_labels()
    rapid = next((p for p in peers if p.name.startswith("RapidOCR")), None)
    print(f"plate-photos val: finders on {len(val_boxes(photos))} photos ...", file=sys.stderr)
    out = {"finders": finder_figures(reader, photos)}
    print(f"plate-photos val: {len(labels)} hand-labelled crops ...", file=sys.stderr)
    out["labelled_crops"] = crop_figures(reader, photos, labels, peers)
    print("plate-photos val: end to end on the labelled photos ...", file=sys.stderr)
    out["end_to_end"] = end_to_end(reader, photos, labels, rapid)
    out["frame_1280x720"] = frame_ms(reader, photos, labels)
    print("plate-photos val: the live Plate screen's engine on a replay of the labelled photos ...", file=sys.stderr)
    out["live_replay"] = live_replay(reader, photos, labels)
    return out


def markdown(r: dict) -> str:
    """The real-photo tables."""
    f = r["finders"]
    lines = [f"**Finding plates** in the {f['photos']} plate-photos val photos (real street scenes; IoU >= 0.5):",
             "", "| finder | < 40 px | 40-80 px | >= 80 px | all: recall | precision | AP50 |",
             "|---|---|---|---|---|---|---|"]
    for name in ("detector", "classical finder"):
        if name in f:
            s = f[name]
            bins = " | ".join(f"{b['found']}/{b['plates']} = {b['recall'] * 100:.1f}%"
                              for b in s["recall_by_width"].values())
            lines.append(f"| {name} | {bins} | {s['recall'] * 100:.1f}% | {s['precision'] * 100:.1f}% | "
                         f"{s['ap50']:.3f} |")
    c = r["labelled_crops"]
    lines += ["", f"**Reading real crops**: {c['crops']} plates of plate-photos val, labelled by hand "
              "(`bench/data/plate_photos_val_labels.csv`), the same crops for every system:", "",
              "| system | exact % | ms/crop |", "|---|---|---|"]
    lines += [f"| {k} | {v['exact']} | {v['ms_per_crop']} |" for k, v in c["systems"].items()]
    e = r["end_to_end"]
    lines += ["", f"**End to end** on the {e['photos']} labelled val photos ({e['plates']} plates >= 40 px wide): "
              "edgeocr finds and reads (a plate counts when a box at IoU >= 0.5 reads its text exactly); RapidOCR "
              "runs detection + recognition on the whole photo (a plate counts when any of its texts is the plate's):",
              "", "| system | read exactly % | ms/photo |", "|---|---|---|"]
    lines += [f"| {k} | {v['read_exact']} | {v['ms_per_photo']} |" for k, v in e.items() if isinstance(v, dict)]
    fr = r["frame_1280x720"]
    lines += ["", f"One 1280x720 frame, detector + readers, 1 thread: median {fr['ms_median']} ms, "
              f"p90 {fr['ms_p90']} ms ({fr['frames']} frames).", ""]
    if "live_replay" in r:
        lv = r["live_replay"]
        lines += [f"**Live Plate screen** (its engine, `LivePlates`: camera thread, reader, voter) on a replay of the "
                  f"{lv['photos']} labelled val photos as parked cars, each {lv['frames_per_photo']} frames of a 30 "
                  f"FPS camera (1280x720, shake and sensor noise): {lv['listed_exact']}% of the {lv['plates']} plates "
                  f">= 40 px reach the readings list with their exact text; {lv['other_readings']} other texts are "
                  f"listed; {lv['frames_read_per_s']} frames read per second ({lv['dropped']} dropped).", ""]
    return "\n".join(lines)
