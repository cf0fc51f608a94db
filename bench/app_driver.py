"""Drive the real Kivy app in a real window and report what it shows: for the UI tests and ``bench app``.

    python -m bench.app_driver SCENARIO --out report.json [--replay DIR] [--shots DIR] [--size 800x480]

Each scenario starts the app (``edge_app.ui.app.make_app``), acts on it through Kivy's own event
loop (synthetic touches, button presses, screen switches), reads the labels it shows, and writes a
JSON report; ``--shots`` saves a PNG of the window. It needs a display: :func:`virtual_display`
starts Xvfb when there is none. Scenarios: draw7, plate, soak, page, models, nocamera, vanish, corrupt.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

SCENARIOS = ("draw7", "plate", "soak", "page", "models", "nocamera", "vanish", "corrupt")


@contextlib.contextmanager
def virtual_display(size: str = "1280x800") -> Iterator[dict[str, str]]:
    """Environment for a child process with a display: the current one, or a fresh Xvfb."""
    env = dict(os.environ)
    if env.get("DISPLAY"):
        yield env
        return
    if shutil.which("Xvfb") is None:
        raise RuntimeError("no display and no Xvfb (apt-get install xvfb)")
    for num in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{num}").exists() and not Path(f"/tmp/.X{num}-lock").exists():
            break
    proc = subprocess.Popen(["Xvfb", f":{num}", "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{num}").exists():
                break
            time.sleep(0.05)
        env["DISPLAY"] = f":{num}"
        yield env
    finally:
        proc.terminate()
        proc.wait(5)


def run_scenario(scenario: str, out: Path, env: dict[str, str], timeout: float = 240, **options) -> dict:
    """Run one scenario in a child process (a Kivy window per process) and return its report."""
    cmd = [sys.executable, "-m", "bench.app_driver", scenario, "--out", str(out)]
    for key, value in options.items():
        if value is not None:
            cmd += [f"--{key.replace('_', '-')}", str(value)]
    launched = time.time()
    log = out.with_suffix(".log")
    with open(log, "w") as f:  # a file, not a pipe: xclip (the clipboard) outlives the app and would hold a pipe
        proc = subprocess.run(cmd, env=env, stdout=f, stderr=subprocess.STDOUT, timeout=timeout,
                              cwd=Path(__file__).resolve().parent.parent)
    if not out.is_file():
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"scenario {scenario} wrote no report (exit {proc.returncode}): {tail}")
    report = json.loads(out.read_text())
    report["exit"] = proc.returncode
    report["launched"] = launched
    return report


def plate_replay(folder: Path, frames: int = 60, seed: int = 3, text: str | None = None) -> str:
    """A folder of 1280x720 JPEG frames of one car driving closer; returns the plate's text.

    The plate is rendered in a held-out font and composed into a street scene; the frames zoom in
    slowly and shake a little, with fresh sensor noise each, as a camera would see it.
    """
    import cv2
    import numpy as np

    from train.data.plate_render import plate_fonts, render_plate
    from train.data.plate_scenes import compose_scene

    fonts = plate_fonts(held_out=True)
    rng = np.random.default_rng(seed)
    while True:
        plate, plate_text = render_plate(rng, *fonts, region="us")
        if plate.shape[1] >= 1.8 * plate.shape[0] and (text is None or plate_text == text):
            break
    scene, _ = compose_scene(np.random.default_rng(seed), plate, fonts[1], plate_width=(230, 250))
    folder.mkdir(parents=True, exist_ok=True)
    h, w = scene.shape[:2]
    for i in range(frames):
        zoom = 1.0 + 0.12 * i / max(frames - 1, 1)
        dx, dy = rng.normal(0, 3, 2)
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(rng.normal(0, 0.4)), zoom)
        m[:, 2] += (dx, dy)
        frame = cv2.warpAffine(scene, m, (w, h), borderMode=cv2.BORDER_REFLECT)
        frame = np.clip(frame + rng.normal(0, 3, frame.shape), 0, 255).astype(np.uint8)
        cv2.imwrite(str(folder / f"frame_{i:04d}.jpg"), frame, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return plate_text


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


# ---- inside the child process ------------------------------------------------------------------

class Driver:
    """Steps run one per Kivy frame (or after a wait), so the app draws between them."""

    def __init__(self, app, args):
        self.app, self.args = app, args
        self.report: dict = {"scenario": args.scenario}
        self.t0 = time.perf_counter()

    def screen(self, name: str):
        return self.app.sm.get_screen(name)

    def shot(self, name: str) -> None:
        if self.args.shots:
            Path(self.args.shots).mkdir(parents=True, exist_ok=True)
            from kivy.core.window import Window

            path = Path(self.args.shots) / f"{name}.png"
            made = Window.screenshot(str(Path(self.args.shots) / f"{name}_.png"))  # the real framebuffer
            if made:
                os.replace(made, path)
            self.report.setdefault("shots", []).append(str(path))

    def touch_path(self, widget, points: list[tuple[float, float]]) -> None:
        """A finger down at the first point, moving through the rest, lifted at the last (widget share 0-1)."""
        from kivy.base import EventLoop
        from kivy.tests.common import UnitTestTouch

        def at(p):
            return widget.x + p[0] * widget.width, widget.y + p[1] * widget.height

        touch = UnitTestTouch(*at(points[0]))
        touch.touch_down()
        for p in points[1:]:
            x, y = at(p)
            touch.touch_move(x, y)
        touch.touch_up()
        EventLoop.idle()

    def finish(self) -> None:
        self.report["message"] = self.app.message.text if self.app.message else ""
        self.report["rss_mb_end"] = round(_rss_mb(), 1)
        Path(self.args.out).write_text(json.dumps(self.report, indent=1))
        self.app.stop()


def _wait(cond, timeout: float, then, every: float = 0.05) -> None:
    """Call ``then(ok)`` once ``cond()`` is true or ``timeout`` seconds have passed."""
    from kivy.clock import Clock

    start = time.perf_counter()

    def check(_dt):
        ok = cond()
        if ok or time.perf_counter() - start > timeout:
            Clock.unschedule(check)
            then(bool(ok))

    Clock.schedule_interval(check, every)


def _draw7(d: Driver) -> None:
    """Draw a 7 (two strokes would also do; one is how most people write it) and read the label."""
    d.app.go("draw")
    scr = d.screen("draw")
    latencies = []

    def draw_once(i: int) -> None:
        scr.result.text = ""
        scr.latency_ms = None
        d.touch_path(scr.canvas_widget, [(0.3, 0.8), (0.45, 0.8), (0.6, 0.8), (0.7, 0.8), (0.6, 0.55),
                                         (0.52, 0.35), (0.45, 0.15)])
        _wait(lambda: scr.latency_ms is not None, 5, lambda ok: after(i, ok))

    def after(i: int, ok: bool) -> None:
        latencies.append(scr.latency_ms)
        d.report.setdefault("labels", []).append(scr.result.text)
        if i == 0:
            d.report["label"] = scr.result.text
            d.report["alternatives"] = scr.alternatives.text
            d.shot("draw")
        scr.clear()
        if i + 1 < d.args.repeat:
            _wait(lambda: scr.result.text == "", 2, lambda ok: draw_once(i + 1))
        else:
            _wait(lambda: scr.result.text == "", 2, lambda ok: done(ok))

    def done(cleared: bool) -> None:
        d.report["cleared"] = cleared
        d.report["latency_ms"] = latencies
        d.finish()

    _wait(lambda: scr.canvas_widget.width > 150, 5, lambda ok: draw_once(0))  # laid out after the switch


def _plate(d: Driver, soak: bool = False) -> None:
    """Let the Plate screen read the replay; report its labels (and, for soak, FPS and memory)."""
    scr = d.screen("plate")
    state: dict = {}

    def started(ok: bool) -> None:
        d.report["first_frame_s"] = d.app.first_frame_s
        d.report["first_frame_wall"] = time.time()
        state["rss0"], state["t0"] = _rss_mb(), time.perf_counter()
        state["shown0"] = scr.live.snapshot().shown if scr.live else 0
        samples = d.report.setdefault("rss_samples", [])  # [frames shown, RSS MB], once a second

        def sample(_dt):
            if scr.live is not None:
                samples.append([scr.live.snapshot().shown - state["shown0"], round(_rss_mb(), 1)])

        from kivy.clock import Clock

        Clock.schedule_interval(sample, 1.0)
        target = d.args.frames if soak else 10**9
        _wait(lambda: scr.live is None or scr.live.snapshot().shown - state["shown0"] >= target
              or (not soak and scr.readings.text), d.args.seconds, measured)

    def measured(ok: bool) -> None:
        snap = scr.live.snapshot() if scr.live else None
        dt = time.perf_counter() - state["t0"]
        d.report.update({"readings": scr.readings.text, "stats": scr.stats.text,
                         "rss_mb_start": round(state["rss0"], 1), "rss_mb_after": round(_rss_mb(), 1)})
        if snap:
            shown = snap.shown - state["shown0"]
            d.report.update({"frames": shown, "seconds": round(dt, 2), "fps_end_to_end": round(shown / dt, 2),
                             "captured": snap.captured, "read": snap.processed, "dropped": snap.dropped,
                             "timings_ms": snap.timings_ms})
        _later(0.5, lambda: (d.shot("plate"), d.finish()))

    _wait(lambda: d.app.first_frame_s is not None or d.app.message.text.startswith("Camera"), 30, started)


def _page(d: Driver) -> None:
    d.app.go("page")
    scr = d.screen("page")
    scr.read_file(Path(d.args.image) if d.args.image else Path("edge_app/families/page/samples/page_0.jpg"))

    def done(ok):
        d.report["text"] = scr.text.text
        d.report["paper"] = scr.result.paper
        scr.copy()
        _later(0.3, lambda: (d.shot("page"), d.finish()))

    _wait(lambda: scr.result is not None, 30, done)


def _later(seconds: float, then) -> None:
    """Call ``then()`` after ``seconds`` of frames (so what was just changed is drawn)."""
    _wait(lambda: False, seconds, lambda ok: then())


def _models(d: Driver) -> None:
    d.app.go("models")
    scr = d.screen("models")
    d.report["rows"] = [r["name"] for r in scr.rows]
    _later(0.5, lambda: _load_model(d, scr))


def _load_model(d: Driver, scr) -> None:
    d.shot("models")
    if not d.args.load:
        d.finish()
        return
    scr.load(d.args.load)

    def done(ok):
        d.report["after_load"] = d.app.message.text
        d.report["rows_after"] = [r["name"] for r in scr.rows]
        _draw7(d)  # the app still works after a rejected model

    _wait(lambda: not d.app.message.text.startswith("Models: checking"), 30, done)


def _camera_trouble(d: Driver) -> None:
    """No camera, a vanishing camera or a corrupt replay: the message line, then the Draw screen still works."""
    scr = d.screen("plate")

    def seen(ok):
        d.report["camera_message"] = d.app.message.text
        d.report["frames_shown"] = scr.shown_seq
        d.shot(d.args.scenario)
        _draw7(d)

    want = "skipped" if d.args.scenario == "corrupt" else "Camera"
    _wait(lambda: want in d.app.message.text and (d.args.scenario != "corrupt" or scr.shown_seq > 0), 20, seen)


def child_main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.app_driver")
    p.add_argument("scenario", choices=SCENARIOS)
    p.add_argument("--out", required=True)
    p.add_argument("--replay", help="folder of frames for the plate scenarios")
    p.add_argument("--source", default="0", help="camera spec (nocamera: an index with no camera)")
    p.add_argument("--shots", help="save a PNG of the window here")
    p.add_argument("--size", default="800x480")
    p.add_argument("--replay-fps", type=float, default=30.0, help="pace of the replay (a camera's rate)")
    p.add_argument("--frames", type=int, default=2000, help="soak: frames to read")
    p.add_argument("--seconds", type=float, default=30, help="plate: how long to wait for a reading")
    p.add_argument("--repeat", type=int, default=1, help="draw7: drawings to time")
    p.add_argument("--image", help="page: the photo to read")
    p.add_argument("--load", help="models: a .tflite to load")
    p.add_argument("--models", help="models folder")
    args = p.parse_args(argv)

    from edge_app.ui.app import configure, make_app

    w, h = (int(v) for v in args.size.split("x"))
    configure((w, h))
    factory = None
    if args.scenario == "vanish":
        factory = _vanishing_source(Path(args.replay))
    elif args.replay:
        from edge_app.camera import ReplaySource

        factory = lambda: ReplaySource(args.replay, loop=True)  # noqa: E731
    screen = "plate" if args.scenario in ("plate", "soak", "nocamera", "vanish", "corrupt") else "draw"
    app = make_app(args.source, args.models, None, screen, args.replay_fps, str(Path(args.out).parent), factory)
    driver = Driver(app, args)
    from kivy.clock import Clock

    step = {"draw7": _draw7, "plate": _plate, "soak": lambda d: _plate(d, soak=True), "page": _page,
            "models": _models, "nocamera": _camera_trouble, "vanish": _camera_trouble,
            "corrupt": _camera_trouble}[args.scenario]
    Clock.schedule_once(lambda _dt: step(driver), 0.3)
    Clock.schedule_once(lambda _dt: (driver.report.setdefault("timeout", True), driver.finish()), 600)
    app.run()
    return 0


def _vanishing_source(folder: Path):
    """A camera that delivers the folder's frames, then is unplugged (reads fail)."""
    from edge_app.camera import CameraError, ReplaySource

    class Vanishing(ReplaySource):
        def __init__(self):
            super().__init__(folder, loop=False)
            self.live, self.name = True, "camera 0"

        def read(self):
            frame = super().read()
            if frame is None:
                raise CameraError("camera 0 stopped delivering frames (unplugged?)")
            return frame

    return Vanishing


if __name__ == "__main__":
    sys.exit(child_main())
