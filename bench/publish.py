"""Where a bench's output goes: the one switch between a private run and a published one.

Without ``--publish`` a bench writes only into ``--out DIR`` (default ``bench_out/`` in the current
directory) and leaves ``bench/results/``, ``docs/screenshots/`` and every manifest alone. With
``--publish`` it writes its Markdown, JSON and plots into the checkout's ``bench/results/`` (and the
app bench its screenshots into ``docs/screenshots/``) and records its figures in the manifest of
``--models`` (default: the shipped models).

The published results folder is :data:`RESULTS` unless the environment variable
``EDGEOCR_BENCH_RESULTS`` names another folder (tests point it at a temporary one); see :func:`results_dir`.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from edge_app.manifest import write_entry

CHECKOUT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
SCREENSHOTS = CHECKOUT / "docs" / "screenshots"
RESULTS_ENV = "EDGEOCR_BENCH_RESULTS"
DEFAULT_OUT = "bench_out"


def publishing(args: argparse.Namespace) -> bool:
    """True when the run was asked to publish (``--publish``)."""
    return bool(getattr(args, "publish", False))


def results_dir() -> Path:
    """The published results folder: ``$EDGEOCR_BENCH_RESULTS`` if set, else :data:`RESULTS`."""
    env = os.environ.get(RESULTS_ENV)
    return Path(env) if env else RESULTS


def output_dir(args: argparse.Namespace) -> Path:
    """Where this run's Markdown, JSON and plots go (not yet created)."""
    if publishing(args):
        return results_dir()
    return Path(getattr(args, "out", None) or DEFAULT_OUT)


def screenshots_dir(args: argparse.Namespace) -> Path:
    """Where the app bench's screenshots go: ``docs/screenshots/`` when publishing, else ``OUT/screenshots``."""
    return SCREENSHOTS if publishing(args) else output_dir(args) / "screenshots"


def shown_path(path: Path) -> str:
    """``path`` relative to the checkout where it lies inside it (as published results name files)."""
    try:
        return str(path.resolve().relative_to(CHECKOUT))
    except ValueError:
        return str(path)


def record_entry(args: argparse.Namespace, name: str, entry: dict, models_dir: Path) -> bool:
    """Write the manifest entry ``name`` (with its new metrics) only when publishing; True if written."""
    if not publishing(args):
        return False
    write_entry(name, entry, models_dir)
    return True
