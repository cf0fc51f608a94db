"""Compare two runs of ``edgeocr read --json`` (one JSON object per line), e.g. x86 against arm64.

    python3 scripts/compare_reads.py [--tol 0.02] REFERENCE.jsonl OTHER.jsonl

Files are matched by their ``file`` field. Each file's text and every item's text must be equal, its
confidence and every item's confidence within ``--tol``, and items' boxes must overlap by at least
``--box-iou`` (intersection over union). A result whose text is only its items' box coordinates (the
``plate-boxes`` task) is compared by those boxes' overlap, not by the coordinates' digits: int8
kernels round differently on arm64 and x86, which moves a box by a few pixels. Prints one line per mismatch, then a
summary (files compared, the largest confidence difference); exits 1 on any mismatch, 2 on unreadable
input. Standard library only: it runs with the host's python3, outside any venv.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def load(path: str | Path) -> dict[str, dict]:
    """``file`` -> the JSON object, for each non-empty line of a ``edgeocr read --json`` output."""
    reads = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
            reads[obj["file"]] = obj
    return reads


def _conf_diff(x: dict, y: dict) -> float:
    return abs(float(x.get("confidence", 0.0)) - float(y.get("confidence", 0.0)))


def box_iou(a: list[float], b: list[float]) -> float:
    """Intersection over union of two ``[x, y, w, h]`` boxes."""
    iw = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else float(a == b)


def _boxes_only(obj: dict) -> bool:
    """Is this result's text just its items' boxes, one ``x y w h`` line each (the plate-boxes task)?"""
    items = obj.get("items", [])
    return bool(items) and all("box" in it for it in items) and obj.get("text") == "\n".join(
        " ".join(str(v) for v in it["box"]) for it in items)


def _differences(where: str, x: dict, y: dict, tol: float, min_iou: float, boxes_only: bool = False) -> list[str]:
    found = []
    if not boxes_only and x.get("text") != y.get("text"):
        found.append(f"{where}: text {x.get('text')!r} != {y.get('text')!r}")
    if "box" in x and "box" in y and box_iou(x["box"], y["box"]) < min_iou:
        found.append(f"{where}: box {x['box']} vs {y['box']} (IoU {box_iou(x['box'], y['box']):.2f} < {min_iou})")
    diff = _conf_diff(x, y)
    if diff > tol:
        found.append(f"{where}: confidence {x.get('confidence')} vs {y.get('confidence')} "
                     f"(differs by {diff:.4f} > {tol})")
    return found


def compare(ref: dict[str, dict], other: dict[str, dict], tol: float = 0.02, min_iou: float = 0.8
            ) -> tuple[list[str], float]:
    """The mismatches (one line each) and the largest confidence difference seen."""
    problems, worst = [], 0.0
    for name in sorted(set(ref) - set(other)):
        problems.append(f"{name}: missing from the second run")
    for name in sorted(set(other) - set(ref)):
        problems.append(f"{name}: missing from the first run")
    for name in sorted(set(ref) & set(other)):
        a, b = ref[name], other[name]
        if "error" in a or "error" in b:
            if a.get("error") != b.get("error"):
                problems.append(f"{name}: error {a.get('error')!r} != {b.get('error')!r}")
            continue
        # The file's own text and confidence first; its items' only if those agree (one line per mismatch).
        boxes_only = _boxes_only(a) and _boxes_only(b)
        found = _differences(name, a, b, tol, min_iou, boxes_only)
        items_a, items_b = a.get("items", []), b.get("items", [])
        if not found and len(items_a) != len(items_b):
            found.append(f"{name}: {len(items_a)} items != {len(items_b)} items")
        if not found:
            for i, (x, y) in enumerate(zip(items_a, items_b)):
                found += _differences(f"{name} item {i}", x, y, tol, min_iou)
        worst = max([worst] + [_conf_diff(x, y) for x, y in [(a, b), *zip(items_a, items_b)]])
        problems += found
    return problems, worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference")
    parser.add_argument("other")
    parser.add_argument("--tol", type=float, default=0.02, help="largest allowed confidence difference")
    parser.add_argument("--box-iou", type=float, default=0.8, help="least overlap of an item's two boxes")
    args = parser.parse_args(argv)
    try:
        ref, other = load(args.reference), load(args.other)
    except (OSError, ValueError, KeyError) as exc:
        print(f"compare_reads: {exc}", file=sys.stderr)
        return 2
    problems, worst = compare(ref, other, args.tol, args.box_iou)
    for line in problems:
        print(f"MISMATCH {line}")
    same = len(set(ref) & set(other))
    texts_equal = all(ref[n].get("text") == other[n].get("text") or (_boxes_only(ref[n]) and _boxes_only(other[n]))
                      for n in set(ref) & set(other))
    print(f"{same} files compared ({len(ref)} and {len(other)} read); texts "
          f"{'all equal' if texts_equal else 'NOT all equal'}; "
          f"largest confidence difference {worst:.4f} (tolerance {args.tol}); boxes overlap >= {args.box_iou}")
    return 1 if problems or not ref else 0


if __name__ == "__main__":
    sys.exit(main())
