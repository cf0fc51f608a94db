"""``edgeocr bench app``: the Kivy app in a real window (Xvfb when there is no display), measured.

- Plate screen on a replay of 1280x720 frames: end-to-end FPS (frames drawn with their plate
  boxes per second: capture, find, read, draw) with the replay paced like a 30 FPS camera, and
  unpaced (what the pipeline can do); a soak of ``--soak-frames`` frames with RSS at the start and
  end (sampled once a second, plotted).
- Draw screen: last stroke lifted -> the frame showing the reading flipped, over repeated 7s.
- Start: process launch -> first camera frame on screen, median of three starts.
- Screenshots of every screen at 800x480 (Pi touchscreen) and two at 480x800 (portrait phone), into
  ``OUT/screenshots`` (``docs/screenshots`` with ``--publish``).

There is no peer here: Tesseract and RapidOCR have no camera app to compare with; their reading
accuracy and speed are in the plate and page benches.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from datetime import date
from pathlib import Path

from .app_driver import plate_replay, run_scenario, virtual_display
from .char_bench import _machine, write_results
from .publish import output_dir, screenshots_dir, shown_path

FPS_TARGET, DRAW_TARGET_MS, START_TARGET_S = 15.0, 100.0, 3.0


def bench_app(args: argparse.Namespace) -> int:
    """Run the app benchmark; returns the exit code."""
    out_dir, shots_dir = output_dir(args), screenshots_dir(args)
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict = {"date": date.today().isoformat(), "machine": _machine(),
                     "command": f"edgeocr bench app --soak-frames {args.soak_frames}"}
    with tempfile.TemporaryDirectory(prefix="edgeocr-app-") as tmp, virtual_display() as env:
        tmp = Path(tmp)
        frames = tmp / "frames"
        text = plate_replay(frames, frames=120)
        results["replay"] = {"frames": 120, "size": "1280x720", "plate": text, "looped": True}

        def run(name: str, scenario: str, **options) -> dict:
            print(f"{name} ...", flush=True)
            report = run_scenario(scenario, tmp / f"{name}.json", env, timeout=900, **options)
            if report.get("timeout") or report["exit"] != 0:
                raise RuntimeError(f"{name}: the app did not finish cleanly: {report}")
            return report

        soak = run("soak", "soak", replay=frames, frames=args.soak_frames, seconds=3600)
        fast = run("unpaced", "soak", replay=frames, frames=600, seconds=600, replay_fps=240)
        samples = soak.get("rss_samples", [])
        results["plate_screen"] = {
            "fps_paced_30": soak["fps_end_to_end"], "frames": soak["frames"], "seconds": soak["seconds"],
            "dropped": soak["dropped"], "timings_ms": soak["timings_ms"],
            "rss_mb_start": samples[0][1] if samples else soak["rss_mb_start"], "rss_mb_end": soak["rss_mb_after"],
            "rss_samples": samples, "reading": soak["readings"],
            "fps_unpaced": fast["fps_end_to_end"], "unpaced_timings_ms": fast["timings_ms"],
            "unpaced_dropped": fast["dropped"], "unpaced_frames": fast["frames"],
        }
        draw = run("draw", "draw7", repeat=args.draw_repeats)
        lat = [v for v in draw["latency_ms"] if v is not None]
        results["draw_screen"] = {"drawings": len(draw["latency_ms"]), "read_as_7": draw["labels"].count("7"),
                                  "latency_ms_median": round(statistics.median(lat), 1),
                                  "latency_ms_max": round(max(lat), 1), "latency_ms": [round(v, 1) for v in lat]}
        starts = []
        for i in range(3):
            r = run(f"start{i}", "plate", replay=frames, seconds=5)
            starts.append(r["first_frame_wall"] - r["launched"])
        results["start"] = {"launch_to_first_frame_s": [round(s, 2) for s in starts],
                            "median_s": round(statistics.median(starts), 2)}
        shots = tmp / "shots"
        run("shot-plate", "plate", replay=frames, shots=shots, seconds=10)
        run("shot-draw", "draw7", shots=shots)
        run("shot-page", "page", shots=shots)
        run("shot-models", "models", shots=shots)
        portrait = tmp / "portrait"
        run("shot-plate-portrait", "plate", replay=frames, shots=portrait, seconds=10, size="480x800")
        run("shot-draw-portrait", "draw7", shots=portrait, size="480x800")
        shots_dir.mkdir(parents=True, exist_ok=True)
        for name in ("plate", "draw", "page", "models"):
            shutil.copyfile(shots / f"{name}.png", shots_dir / f"{name}.png")
        for name in ("plate", "draw"):
            shutil.copyfile(portrait / f"{name}.png", shots_dir / f"{name}_portrait.png")
        results["screenshots"] = sorted(shown_path(p) for p in shots_dir.glob("*.png"))
    p = results["plate_screen"]
    results["targets"] = {
        "plate_fps_ge_15": p["fps_paced_30"] >= FPS_TARGET,
        "no_memory_growth": p["rss_mb_end"] - p["rss_mb_start"] < 10,
        "draw_le_100ms": results["draw_screen"]["latency_ms_max"] <= DRAW_TARGET_MS,
        "start_lt_3s": results["start"]["median_s"] < START_TARGET_S,
    }
    write_results(out_dir, "app", results, _markdown, _plot)
    return 0


def _listed(reading: str, plate: str) -> str:
    """The Plate screen's list at the end, one sentence, counting the rows that are not the car's plate."""
    rows = [" ".join(line.replace("[b]", "").replace("[/b]", "").split()) for line in reading.splitlines()]
    rows = [row for row in rows if row]
    others = sum(not row.startswith(plate + " ") for row in rows)
    return (f"Readings listed on screen at the end: {'; '.join(rows) or 'none'} "
            f"({others} of {len(rows)} not the car's plate).")


def _markdown(r: dict) -> str:
    p, d, s = r["plate_screen"], r["draw_screen"], r["start"]
    t = p["timings_ms"]
    met = {True: "met", False: "**missed**"}
    lines = [
        "# edgeocr app: Plate, Draw and start-up, in a real window",
        "",
        f"{r['date']}, {r['machine']}; the window is Kivy on Xvfb (Mesa llvmpipe: software OpenGL on the same "
        "2 cores). `" + r["command"] + "`",
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| Plate screen, replay of 1280x720 frames, >= 15 FPS end to end | {p['fps_paced_30']} FPS with the "
        f"replay paced like a 30 FPS camera ({p['fps_unpaced']} FPS unpaced) | "
        f"{met[r['targets']['plate_fps_ge_15']]} |",
        f"| no memory growth over {p['frames']} frames | RSS {p['rss_mb_start']} MB at the start, {p['rss_mb_end']} MB "
        f"at the end | {met[r['targets']['no_memory_growth']]} |",
        f"| Draw: result on screen <= 100 ms after the last stroke | median {d['latency_ms_median']} ms, worst "
        f"{d['latency_ms_max']} ms over {d['drawings']} drawings ({d['read_as_7']} read as 7) | "
        f"{met[r['targets']['draw_le_100ms']]} |",
        f"| app start to first camera frame < 3 s | median {s['median_s']} s (launch of the process to the first "
        f"frame drawn; {', '.join(str(v) for v in s['launch_to_first_frame_s'])}) | "
        f"{met[r['targets']['start_lt_3s']]} |",
        "",
        f"Per-stage times on the Plate screen (ms, moving average; paced run): capture {t.get('capture')}, find "
        f"{t.get('find')}, read {t.get('read')}, draw {t.get('draw')}; {p['dropped']} of the captured frames "
        f"dropped while the reader was busy. Unpaced: capture {p['unpaced_timings_ms'].get('capture')}, find "
        f"{p['unpaced_timings_ms'].get('find')}, read {p['unpaced_timings_ms'].get('read')}, draw "
        f"{p['unpaced_timings_ms'].get('draw')}; {p['unpaced_dropped']} dropped.",
        "",
        f"Replay: {r['replay']['frames']} frames of one car ({r['replay']['plate']}, a held-out plate font) "
        f"driving closer, looped. {_listed(p['reading'], r['replay']['plate'])}",
        "",
        "No peers here: Tesseract and RapidOCR have no camera app; see the plate and page benches for them.",
        "",
    ]
    return "\n".join(lines)


def _plot(r: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    samples = r["plate_screen"]["rss_samples"]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    if samples:
        ax.plot([s[0] for s in samples], [s[1] for s in samples], marker=".")
    ax.set_xlabel("frames shown on the Plate screen")
    ax.set_ylabel("resident memory (MB)")
    lo = min((s[1] for s in samples), default=0)
    ax.set_ylim(max(0, lo - 50), lo + 50)
    ax.set_title("Soak: the app's memory while reading a 1280x720 replay")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)

