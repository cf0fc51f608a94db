"""``edgeocr bench TASK`` arguments, the checks made before anything is written, and the dispatch."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path

from edge_app.errors import EdgeOCRError
from edge_app.families import FAMILIES

from .publish import DEFAULT_OUT, RESULTS

# Each task's bench, as (module in this package, function): imported only when that task runs.
BENCHES: dict[str, tuple[str, str]] = {
    "char": ("char_bench", "bench_char"),
    "plate": ("plate_bench", "bench_plate"),
    "handwriting": ("hw_bench", "bench_handwriting"),
    "page": ("page_bench", "bench_page"),
    "app": ("app_bench", "bench_app"),
    "platedet": ("plate_bench", "bench_plate"),  # the plate bench measures the detector first
    "training": ("train_speed", "bench_training"),
}
TASKS: tuple[str, ...] = (*FAMILIES, "app", "training")

# The data folders each task needs (their flags' argparse dests).
DATA_FLAGS: dict[str, tuple[str, ...]] = {
    "char": ("mnist", "real"),
    "plate": ("plates", "photos"),
    "handwriting": ("mnist", "real"),
    "page": (),
    "app": (),
    "platedet": ("plates", "photos"),
    "training": ("mnist", "real"),
}
# The data folders a task can use but runs without (the section they feed is then skipped, and said so).
OPTIONAL_FLAGS: dict[str, tuple[str, ...]] = {"page": ("scenes",), "handwriting": ("scenes",)}
# Per data flag: what the folder is, and the files it must hold (each as its accepted names).
FOLDERS: dict[str, tuple[str, tuple[tuple[str, ...], ...]]] = {
    "mnist": ("the folder with the MNIST IDX files",
              (("t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte"),
               ("t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte"))),
    "real": ("the handwritten-chars folder", (("labels.csv",),)),
    "plates": ("the plates-us folder", (("labels.csv",),)),
    "photos": ("the plate-photos folder", (("boxes.csv",),)),
    "scenes": ("the plate-photos folder, whose images/*.jpg are the camera set's scenes", (("images/*.jpg",),)),
}


def _page_sources() -> None:
    """The held-out book faces and the evaluation prose the page bench renders its pages from."""
    from train.data.printed import book_fonts
    from train.data.prose import DEVIL, FORTUNE_DIR, INSTALL_HINT

    book_fonts("eval")  # none installed: an EdgeOCRError naming scripts/install_fonts.sh
    for source in (FORTUNE_DIR, DEVIL):
        if not source.exists():
            raise EdgeOCRError(f"bench page needs the prose in {source}: {INSTALL_HINT}")


# Further things a task needs installed, checked before it starts.
SOURCES: dict[str, Callable[[], None]] = {"page": _page_sources, "training": _page_sources}


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``edgeocr bench``."""
    p = sub.add_parser("bench", help="measure accuracy, latency and size (Markdown + JSON + plots)",
                       description="Run one benchmark. Results go to --out (default bench_out/); --publish "
                       "writes them into the checkout's bench/results/ and records the figures in the manifest.")
    p.add_argument("task", choices=TASKS, metavar="TASK",
                   help=f"{', '.join(TASKS[:-2])}; app (the Kivy app in a real window: FPS, memory, "
                   "draw latency, start time, screenshots); or training (samples per CPU-minute of each "
                   "family's training: rendering, input pipeline, model step)")
    p.add_argument("--mnist", metavar="DIR", help="char, handwriting: folder with the MNIST IDX files (test split)")
    p.add_argument("--real", metavar="DIR", help="char, handwriting: handwritten-chars folder (never-trained split)")
    p.add_argument("--plates", metavar="DIR", help="plate: plates-us folder (labels.csv; evaluation only)")
    p.add_argument("--photos", metavar="DIR", help="plate: plate-photos folder (boxes.csv; its val split is used)")
    p.add_argument("--scenes", metavar="DIR",
                   help="page, handwriting: plate-photos folder; its images/*.jpg are the scenes the camera "
                   "development set's papers are photographed in (without it the camera section is skipped)")
    p.add_argument("--camera", type=int, default=0, metavar="N",
                   help="page, handwriting: N camera photos of each kind instead of the full set (default: "
                   "20 pages, 15 cards, 15 receipts, 20 notes)")
    p.add_argument("--models", metavar="DIR", help="models folder (default: shipped models)")
    p.add_argument("--pages", type=int, default=24, help="page: evaluation pages to make and read (default 24)")
    p.add_argument("--soak-frames", type=int, default=2000, help="app: frames in the Plate screen soak (default 2000)")
    p.add_argument("--draw-repeats", type=int, default=20, help="app: drawings timed on the Draw screen (default 20)")
    p.add_argument("--out", metavar="DIR", help=f"where results go (default {DEFAULT_OUT}/)")
    p.add_argument("--publish", action="store_true",
                   help=f"write into {RESULTS.parent.name}/{RESULTS.name}/ of the checkout and record the figures "
                   "in the manifest of --models (not with --out)")


def _check_folder(flag: str, value: str | None, task: str) -> None:
    """``--FLAG DIR`` is given, is a folder and holds what it should; else an :class:`EdgeOCRError`."""
    what, files = FOLDERS[flag]
    if not value:
        raise EdgeOCRError(f"bench {task} needs --{flag} DIR ({what})")
    folder = Path(value)
    if not folder.is_dir():
        raise EdgeOCRError(f"--{flag} {value}: no such folder")
    for names in files:
        if not any(any(folder.glob(n)) if "*" in n else (folder / n).is_file() for n in names):
            raise EdgeOCRError(f"--{flag} {value}: {names[0]} not found (pass {what})")


def check(args: argparse.Namespace) -> None:
    """Everything a bench needs, checked before it writes anything; a problem is an :class:`EdgeOCRError`."""
    if args.publish and args.out:
        raise EdgeOCRError("--publish writes into bench/results; it cannot be combined with --out")
    for flag in FOLDERS:
        if flag in DATA_FLAGS[args.task] or (flag in OPTIONAL_FLAGS.get(args.task, ()) and getattr(args, flag)):
            _check_folder(flag, getattr(args, flag), args.task)
        elif getattr(args, flag):
            users = " and ".join(t for t, flags in DATA_FLAGS.items() if flag in flags + OPTIONAL_FLAGS.get(t, ()))
            raise EdgeOCRError(f"--{flag} applies to bench {users} only")
    if args.camera < 0:
        raise EdgeOCRError(f"--camera must be at least 0, not {args.camera}")
    if args.camera and not getattr(args, "scenes", None):
        raise EdgeOCRError("--camera needs --scenes DIR (the scenes the camera set is photographed in)")
    for flag in ("pages", "soak_frames", "draw_repeats"):
        if getattr(args, flag) < 1:
            raise EdgeOCRError(f"--{flag.replace('_', '-')} must be at least 1, not {getattr(args, flag)}")
    if args.models:
        from edge_app.manifest import check_models_dir

        check_models_dir(args.models)
    try:
        importlib.import_module("matplotlib")
    except ImportError:
        raise EdgeOCRError("edgeocr bench needs matplotlib for its plots (the [train] extra): "
                           "pip install -e '.[train]'") from None
    if args.task in SOURCES:
        SOURCES[args.task]()


def run(args: argparse.Namespace) -> int:
    """Run ``edgeocr bench``: check, then hand over to the task's bench."""
    check(args)
    module, function = BENCHES[args.task]
    bench: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(f".{module}", __package__), function)
    return bench(args)
