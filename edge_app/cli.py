"""The ``edgeocr`` command: read, serve, app, demo on the device; train, convert, bench on the desktop.

``read``, ``serve``, ``app`` and ``demo`` need only the device runtime and never import ``train``,
``convert``, ``bench`` or TensorFlow. Those three live in a checkout of edgeocr (not in the wheel)
and are imported only when their command runs, after checking that the ``[train]`` extra is there.
The tasks and their options come from the family registry, :mod:`edge_app.families`.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import shlex
import sys
from pathlib import Path
from types import ModuleType

from . import __version__
from .errors import EdgeOCRError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line: ``edgeocr: error: ...``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"edgeocr: error: {message} (see '{self.prog} --help')\n")
        sys.exit(EXIT_USAGE)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _add_read(sub: argparse._SubParsersAction) -> None:
    from .families import FAMILIES, TASKS

    p = sub.add_parser("read", help="read characters, handwriting, plates or pages from images",
                       description="Read images and print the text: per file, 'FILE<TAB>TEXT<TAB>CONFIDENCE', "
                       "and each further line of a multi-line text as '<TAB>LINE'.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="image files, directories of images, or - (standard input)")
    p.add_argument("--task", required=True, choices=tuple(TASKS),
                   help="; ".join(f"{t}: {h}" for f in FAMILIES.values() for t, h in f.tasks.items()))
    groups: dict[str, argparse._ArgumentGroup] = {}
    for family in FAMILIES.values():
        for opt in family.options:
            if opt.flags[0] in groups:  # shared with an earlier family (--paper): added once
                continue
            tasks = option_tasks(opt.dest)
            if tasks not in groups:
                groups[tasks] = p.add_argument_group(f"--task {tasks} only")
            groups[tasks].add_argument(*opt.flags, **opt.kwargs)
            groups[opt.flags[0]] = groups[tasks]
    p.add_argument("--json", action="store_true", help="print one JSON object per input")
    p.add_argument("--annotate", metavar="DIR", help="write annotated copies of the images to DIR")
    p.add_argument("--models", metavar="DIR", help="models folder with manifest.json (default: shipped models)")
    p.add_argument("--threads", type=_positive_int, default=None, help="interpreter threads (default: the runtime's)")


def option_tasks(dest: str) -> str:
    """The tasks whose families take the option ``dest``, as 'page/handwriting'."""
    from .families import FAMILIES

    return "/".join(t for f in FAMILIES.values() if any(o.dest == dest for o in f.options) for t in f.tasks)


def family_options(task: str, given: dict) -> dict:
    """The options for ``task``'s family out of every family's parsed options; an option of another
    family that was set is an :class:`EdgeOCRError` naming the tasks it belongs to."""
    from .families import FAMILIES, family_of

    family = family_of(task)
    mine = {opt.dest for opt in family.options}
    own = {dest: given[dest] for dest in mine if dest in given}
    for other in FAMILIES.values():
        for opt in other.options:
            if opt.dest not in mine and given.get(opt.dest) not in (None, False):
                raise EdgeOCRError(f"{opt.flags[0]} applies to --task {option_tasks(opt.dest)} only")
    return own


def _add_serve(sub: argparse._SubParsersAction) -> None:
    from .families import TASKS
    from .server import MAX_UPLOAD_MB, QUEUE

    p = sub.add_parser("serve", help="read photos over HTTP (any --task): an upload page and a JSON endpoint",
                       description="A small web service (needs the [serve] extra: Flask). A request names its "
                       f"task ({', '.join(TASKS)}; default page) in the form field or query parameter 'task', "
                       "and its options likewise: dehyphenate (page), crop and pattern (plate), decoder "
                       "(handwriting), paper (page, handwriting). It listens on loopback only unless --host says "
                       "otherwise.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free port)")
    p.add_argument("--max-upload-mb", type=float, default=MAX_UPLOAD_MB,
                   help=f"largest upload accepted (default {MAX_UPLOAD_MB})")
    p.add_argument("--queue", type=int, default=QUEUE,
                   help=f"images that may wait while one is read; more get 503 (default {QUEUE})")
    p.add_argument("--keep-uploads", metavar="DIR", help="save every upload in DIR (default: nothing is kept)")
    p.add_argument("--models", metavar="DIR", help="models folder with manifest.json (default: shipped models)")
    p.add_argument("--threads", type=_positive_int, default=None, help="interpreter threads (default: the runtime's)")


def run_serve(args: argparse.Namespace) -> int:
    """Run ``edgeocr serve`` until interrupted."""
    try:
        import flask  # noqa: F401
    except ImportError:
        raise EdgeOCRError("edgeocr serve needs Flask: pip install 'edgeocr[serve]'") from None
    from .manifest import check_models_dir
    from .server import ReadService, serve

    if not 0 <= args.port <= 65535:
        raise EdgeOCRError(f"--port must be 0-65535, not {args.port}")
    if args.max_upload_mb <= 0 or args.queue < 0:
        raise EdgeOCRError("--max-upload-mb must be positive and --queue at least 0")
    check_models_dir(args.models)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"edgeocr serve: listening on {args.host}: other machines can reach this service", file=sys.stderr)
    service = ReadService(args.models, args.threads, args.queue, args.keep_uploads)
    try:
        serve(args.host, args.port, service, int(args.max_upload_mb * 1024 * 1024))
    except OSError as exc:
        raise EdgeOCRError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return EXIT_OK


def _add_app(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("app", help="the touch app: live plates, drawing, pages, models (needs Kivy)",
                       description="Open the Kivy app (needs the [app] extra). The camera is picamera2 on a "
                       "Raspberry Pi, the phone's camera on Android, else webcam 0.")
    p.add_argument("--source", metavar="SOURCE",
                   help="pi, a webcam index (0), a stream URL, or a folder of images / a video to replay")
    p.add_argument("--screen", choices=("plate", "draw", "page", "models"), default="plate",
                   help="the screen to start on (default plate)")
    p.add_argument("--size", metavar="WxH", help="window size, e.g. 800x480 (default: Kivy's)")
    p.add_argument("--fullscreen", action="store_true", help="fill the screen (a kiosk)")
    p.add_argument("--replay-fps", type=float, default=30.0, help="pace of a replayed folder or video (default 30)")
    p.add_argument("--export-dir", default=".", metavar="DIR", help="where Export CSV writes (default: .)")
    p.add_argument("--models", metavar="DIR", help="models folder with manifest.json (default: shipped models)")
    p.add_argument("--threads", type=_positive_int, default=None, help="interpreter threads (default: the runtime's)")


def run_app(args: argparse.Namespace) -> int:
    """Check the options, then open the app's window."""
    size = None
    if args.size:
        try:
            w, h = (int(v) for v in args.size.lower().split("x"))
        except ValueError:
            raise EdgeOCRError(f"--size must be WIDTHxHEIGHT such as 800x480, not {args.size!r}") from None
        if not (200 <= w <= 8192 and 200 <= h <= 8192):
            raise EdgeOCRError(f"--size {args.size} is out of range (200-8192 per side)")
        size = (w, h)
    if not 1 <= args.replay_fps <= 240:
        raise EdgeOCRError(f"--replay-fps must be 1-240, not {args.replay_fps}")
    if not Path(args.export_dir).is_dir():
        raise EdgeOCRError(f"--export-dir {args.export_dir} is not a folder")
    import importlib.util

    if importlib.util.find_spec("kivy") is None:
        raise EdgeOCRError("edgeocr app needs Kivy: pip install 'edgeocr[app]'")
    from .manifest import check_models_dir, read_manifest

    check_models_dir(args.models)
    read_manifest(args.models)  # a broken models folder is a one-line error before any window opens
    import os

    if (sys.platform.startswith("linux") and "ANDROID_ARGUMENT" not in os.environ
            and not any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"))):
        raise EdgeOCRError("no display to open the app on: run it on the desktop (or set DISPLAY), or "
                           "SDL_VIDEODRIVER=kmsdrm for a bare console")
    from .ui.app import run

    return run(args.source, args.models, args.threads, args.screen, size, args.fullscreen, args.replay_fps,
               args.export_dir)


def _add_demo(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="read the bundled samples and write annotated copies")
    p.add_argument("--out", default="demo_out", metavar="DIR", help="where annotated images go (default: demo_out)")
    p.add_argument("--models", metavar="DIR", help="models folder with manifest.json")


def format_plain(result) -> str:
    """The plain-text record of one result, the same for every task: ``FILE<TAB>TEXT<TAB>CONFIDENCE``,
    then each further line of a multi-line text as ``<TAB>LINE``."""
    first, *rest = result.text.split("\n")
    return "\n".join([f"{result.file}\t{first}\t{result.confidence:.3f}", *(f"\t{line}" for line in rest)])


def read_files(paths: list[str], task: str, as_json: bool, annotate_dir: str | None,
               models_dir: str | None, threads: int | None, out=sys.stdout, **options) -> int:
    """Read every image; one bad file is reported and skipped. Returns the exit code.

    ``options`` are the task family's own (``crop``, ``pattern``, ``decoder``, ...); setting another
    family's is an error.
    """
    import time

    from .families import make_reader
    from .images import collect_inputs, read_input
    from .manifest import check_models_dir
    from .results import Result

    files, skipped = collect_inputs(paths)
    for f in skipped:
        print(f"edgeocr: note: {f}: skipped (not an image file)", file=sys.stderr)
    if not files:
        raise EdgeOCRError(f"no images found in {' '.join(paths)}")
    own = family_options(task, options)
    check_models_dir(models_dir)
    run = make_reader(task, models_dir, threads, **own)
    failed = 0
    for f in files:
        t0 = time.perf_counter()
        try:
            image = read_input(f)
            load_ms = (time.perf_counter() - t0) * 1000.0
            result = run(image, str(f))
            result.timings_ms = {"load": round(load_ms, 3), **result.timings_ms,
                                 "total": round((time.perf_counter() - t0) * 1000.0, 3)}
            if annotate_dir:
                _write_annotated(image, result, Path(annotate_dir), f)
        except EdgeOCRError as exc:
            failed += 1
            result = Result(str(f), error=str(exc).removeprefix(f"{f}: "))
            print(f"edgeocr: error: {f}: {result.error}", file=sys.stderr)
        for note in result.notes:
            print(f"edgeocr: note: {f}: {note}", file=sys.stderr)
        if as_json:
            print(json.dumps(result.to_dict(), ensure_ascii=False), file=out)
        elif result.error is None:
            print(format_plain(result), file=out)
    return EXIT_FAILED if failed else EXIT_OK


def _write_annotated(image, result, out_dir: Path, src: Path) -> Path:
    import cv2

    from .annotate import annotate
    from .files import atomic_write_bytes

    ok, buf = cv2.imencode(".png", annotate(image, result))
    if not ok:
        raise EdgeOCRError(f"cannot encode annotated image for {src}")
    dest = out_dir / f"{src.stem if str(src) != '-' else 'stdin'}.annotated.png"
    try:
        atomic_write_bytes(dest, buf.tobytes())
    except OSError as exc:
        raise EdgeOCRError(f"cannot write {dest}: {exc.strerror or exc}") from None
    return dest


def run_demo(out_dir: str, models_dir: str | None) -> int:
    """Read every family's bundled samples with the shipped models and write annotated copies, then run
    each family's self-test (its sample must read as expected: on a new device, a check of its kernels)."""
    from .families import FAMILIES
    from .model_store import self_test

    code = EXIT_OK
    for family in FAMILIES.values():
        for task in family.tasks:
            files = [str(p) for p in family.sample_files(task)]
            if files:
                code = max(code, read_files(files, task, False, out_dir, models_dir, None))
    print(f"annotated images written to {out_dir}/")
    for name, family in FAMILIES.items():
        if not (family.samples / "selftest.json").is_file():
            continue
        try:
            self_test(name, models_dir)
            print(f"self-test {name}: ok ({family.selftest.image})")
        except EdgeOCRError as exc:
            print(f"self-test {name}: FAILED: {exc}")
            code = EXIT_FAILED
    return code


DEV_COMMANDS = {
    "train": "train a model (from a checkout, with the [train] extra)",
    "convert": "quantise a trained Keras model to TFLite and add it to the manifest ([train] extra)",
    "bench": "measure accuracy, latency and size against Tesseract and RapidOCR ([train] extra)",
}
TRAIN_EXTRA = ("tensorflow", "keras", "PIL", "matplotlib")


def dev_module(command: str) -> ModuleType:
    """``train.cli``, ``convert.cli`` or ``bench.cli`` from the checkout this ``edge_app`` sits in.

    They are not part of the installed package; without a checkout, or without the ``[train]``
    extra, the error says what is missing in one line.
    """
    root = Path(__file__).resolve().parent.parent
    if not (root / command / "cli.py").is_file():
        raise EdgeOCRError(f"edgeocr {command} runs from a checkout of edgeocr (clone it, then "
                           "pip install -e '.[train]'); this install is the device runtime only")
    missing = [m for m in TRAIN_EXTRA if importlib.util.find_spec(m) is None]
    if missing:
        raise EdgeOCRError(f"edgeocr {command} needs the [train] extra (missing {', '.join(missing)}): "
                           "pip install -e '.[train]'")
    if sys.path[:1] != [str(root)]:
        sys.path.insert(0, str(root))  # the checkout's train/convert/bench, not a user's module of that name
    return importlib.import_module(f"{command}.cli")


def _command_of(argv: list[str]) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command-line parser. ``train``, ``convert`` and ``bench`` get their full parsers (from the
    checkout) only when ``argv`` runs one of them; otherwise they are listed with a one-line help."""
    parser = _Parser(prog="edgeocr",
                     description="OCR for the edge: read handwriting, plates and printed pages with TFLite models.")
    parser.add_argument("--version", action="version", version=f"edgeocr {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    _add_read(sub)
    wanted = _command_of(argv or [])
    for command, help_text in DEV_COMMANDS.items():
        if command == wanted:
            dev_module(command).add_parser(sub)
        else:
            stub = sub.add_parser(command, help=help_text, add_help=False)
            stub.add_argument("rest", nargs=argparse.REMAINDER)
    _add_serve(sub)
    _add_app(sub)
    _add_demo(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``edgeocr`` console script."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser(argv).parse_args(argv)
        args.command_line = "edgeocr " + shlex.join(argv)
        if args.command == "read":
            return read_files(args.paths, args.task, args.json, args.annotate, args.models, args.threads,
                              **family_options(args.task, vars(args)))
        if args.command == "serve":
            return run_serve(args)
        if args.command == "app":
            return run_app(args)
        if args.command == "demo":
            return run_demo(args.out, args.models)
        return dev_module(args.command).run(args)
    except EdgeOCRError as exc:
        print(f"edgeocr: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("edgeocr: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (`edgeocr read ... | head`): stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
