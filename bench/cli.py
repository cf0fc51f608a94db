"""``edgeocr bench TASK`` arguments."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``edgeocr bench``."""
    p = sub.add_parser("bench", help="measure accuracy, latency and size (Markdown + JSON + plots)")
    p.add_argument("task", choices=("char", "plate", "handwriting", "page", "app"), metavar="TASK",
                   help="char, plate, handwriting, page, or app (the Kivy app in a real window: FPS, memory, "
                   "draw latency, start time, screenshots)")
    p.add_argument("--mnist", metavar="DIR", help="folder with the MNIST IDX .gz files (test split is used)")
    p.add_argument("--real", metavar="DIR", help="handwritten-chars folder (its never-trained split is used)")
    p.add_argument("--plates", metavar="DIR", help="plates-us folder (labels.csv; evaluation only)")
    p.add_argument("--models", metavar="DIR", help="models folder (default: shipped models)")
    p.add_argument("--pages", type=int, default=24, help="page: evaluation pages to make and read (default 24)")
    p.add_argument("--soak-frames", type=int, default=2000, help="app: frames in the Plate screen soak (default 2000)")
    p.add_argument("--draw-repeats", type=int, default=20, help="app: drawings timed on the Draw screen (default 20)")
    p.add_argument("--out", default="bench/results", metavar="DIR", help="where results go (default bench/results)")


def run(args: argparse.Namespace) -> int:
    """Run ``edgeocr bench``."""
    if args.task == "app":
        from .app_bench import bench_app

        return bench_app(args)
    if args.task == "page":
        from .page_bench import bench_page

        return bench_page(args)
    if args.task == "handwriting":
        from .hw_bench import bench_handwriting

        return bench_handwriting(args)
    if args.task == "plate":
        from .plate_bench import bench_plate

        return bench_plate(args)
    from .char_bench import bench_char

    return bench_char(args)
