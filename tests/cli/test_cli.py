"""The ``edgeocr`` command as a user runs it: output shape, partial failure, and bad input."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from tests.conftest import ROOT, assert_clean_error, handwriting, run_cli


def test_read_char_json_shape(write_png):
    a = write_png("a.png", handwriting("7", seed=0, height=60))
    proc = run_cli("read", "--task", "char", "--json", str(a))
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout.strip())
    assert set(obj) == {"file", "text", "confidence", "items", "timings_ms"}
    item = obj["items"][0]
    assert set(item) == {"text", "confidence", "box", "alternatives"}
    assert len(item["alternatives"]) == 3 and item["alternatives"][0][0] == obj["text"]
    assert 0 < obj["confidence"] <= 1 and obj["timings_ms"]["total"] > 0


def test_read_directory_with_one_bad_file_reads_the_rest(tmp_path, write_png):
    write_png("x1.png", handwriting("3", seed=1))
    write_png("x2.png", handwriting("K", seed=2))
    (tmp_path / "x3.png").write_bytes(b"")
    proc = run_cli("read", "--task", "char", "--json", str(tmp_path))
    assert proc.returncode == 1
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 3
    bad = [r for r in rows if "error" in r]
    assert len(bad) == 1 and bad[0]["file"].endswith("x3.png") and "empty" in bad[0]["error"]
    assert all(r["text"] for r in rows if "error" not in r)
    assert_clean_error(proc, "x3.png")


def test_annotate_writes_images(tmp_path, write_png):
    src = write_png("line.png", handwriting("AB 12", seed=0, height=80))
    out = tmp_path / "ann"
    proc = run_cli("read", "--task", "chars", "--annotate", str(out), str(src))
    assert proc.returncode == 0, proc.stderr
    assert (out / "line.annotated.png").stat().st_size > 0


def test_unknown_task_is_one_line():
    proc = run_cli("read", "--task", "poem", "x.png")
    assert_clean_error(proc, "invalid choice", code=2)
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unknown_option_is_one_line():
    proc = run_cli("read", "--task", "char", "--frobnicate", "x.png")
    assert_clean_error(proc, "unrecognized arguments", code=2)
    assert len(proc.stderr.strip().splitlines()) == 1


def test_bad_inputs_each_get_a_clean_error(tmp_path, write_png):
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "text.png").write_text("not an image")
    write_png("dot.png", np.zeros((1, 1), np.uint8))
    from tests.runtime.test_images import png_header_only

    (tmp_path / "huge.png").write_bytes(png_header_only(9000, 9000))
    for name, fragment in (("empty.png", "empty"), ("text.png", "not an image"), ("dot.png", "too small"),
                           ("huge.png", "MP limit"), ("absent.png", "no such file")):
        proc = run_cli("read", "--task", "char", str(tmp_path / name))
        assert_clean_error(proc, fragment, code=1)


def test_gray_rgba_and_16bit_inputs_work(write_png):
    gray = handwriting("5", seed=3, height=64)
    rgba = np.dstack([gray, gray, gray, np.full_like(gray, 255)])
    deep = gray.astype(np.uint16) * 257
    paths = [write_png("g.png", gray), write_png("rgba.png", rgba), write_png("d16.png", deep)]
    proc = run_cli("read", "--task", "char", "--json", *map(str, paths))
    assert proc.returncode == 0, proc.stderr
    texts = {json.loads(line)["text"] for line in proc.stdout.splitlines()}
    assert len(texts) == 1  # the same character, whatever the mode


def test_missing_and_corrupt_models_are_clean_errors(models_copy, write_png):
    img = str(write_png("c.png", handwriting("c")))
    (models_copy / "char.tflite").write_bytes(b"garbage")
    assert_clean_error(run_cli("read", "--task", "char", "--models", str(models_copy), img), "sha256", code=2)
    (models_copy / "char.tflite").unlink()
    assert_clean_error(run_cli("read", "--task", "char", "--models", str(models_copy), img), "missing", code=2)
    assert_clean_error(run_cli("read", "--task", "char", "--models", str(models_copy / "nowhere"), img),
                       "does not exist", code=2)


def test_read_never_imports_tensorflow(write_png):
    """edge_app is the device runtime: reading must work where TensorFlow is absent."""
    img = write_png("t.png", handwriting("t"))
    code = (
        "import sys; sys.modules['tensorflow'] = None\n"
        "from edge_app.cli import main\n"
        f"rc = main(['read', '--task', 'char', {str(img)!r}])\n"
        "assert 'keras' not in sys.modules\n"
        "raise SystemExit(rc)\n"
    )

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_demo_writes_annotated_samples(tmp_path):
    proc = run_cli("demo", "--out", str(tmp_path / "demo"))
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.name for p in (tmp_path / "demo").glob("*.annotated.png"))
    assert len(written) >= 4 and "page_0.annotated.png" in written
    assert "Reality is nothing but a collective hunch" in proc.stdout  # the bundled book page
    for family in ("char", "handwriting", "page", "plate", "platedet"):  # each family's kernels check
        assert f"self-test {family}: ok" in proc.stdout


def _scramble_weights(models_dir: Path, name: str) -> None:
    """Reverse the int8 convolution kernels of model ``name`` in place (and update its sha256): a model that
    loads and runs but computes the wrong thing, as a broken int8 kernel on a device would."""
    from ai_edge_litert.interpreter import Interpreter

    manifest = json.loads((models_dir / "manifest.json").read_text())
    path = models_dir / manifest["models"][name]["file"]
    data = bytearray(path.read_bytes())
    interp = Interpreter(model_path=str(path))
    interp.allocate_tensors()
    for t in interp.get_tensor_details():
        if t["dtype"] == np.int8 and len(t["shape"]) == 4 and np.prod(t["shape"]) > 1000:
            try:
                kernel = interp.get_tensor(t["index"]).tobytes()
            except ValueError:  # an activation, not a constant
                continue
            at = data.find(kernel)
            if at > 0:
                data[at : at + len(kernel)] = kernel[::-1]
    path.write_bytes(bytes(data))
    manifest["models"][name]["sha256"] = hashlib.sha256(bytes(data)).hexdigest()
    (models_dir / "manifest.json").write_text(json.dumps(manifest))


def test_demo_fails_when_a_model_misreads_its_self_test(tmp_path, models_copy):
    for name in ("char", "char_small", "char_strokes"):  # the three models the char family reads with
        _scramble_weights(models_copy, name)
    proc = run_cli("demo", "--out", str(tmp_path / "demo"), "--models", str(models_copy))
    assert proc.returncode == 1
    assert "self-test char: FAILED: self-test failed: the model reads char_0_7.png as" in proc.stdout
    assert "self-test handwriting: ok" in proc.stdout and "self-test plate: ok" in proc.stdout


def test_app_option_errors_are_one_line(tmp_path):
    assert_clean_error(run_cli("app", "--size", "big"), "--size must be WIDTHxHEIGHT", 2)
    assert_clean_error(run_cli("app", "--size", "10x10"), "out of range", 2)
    assert_clean_error(run_cli("app", "--replay-fps", "0"), "--replay-fps", 2)
    assert_clean_error(run_cli("app", "--export-dir", str(tmp_path / "nope")), "is not a folder", 2)
    (tmp_path / "manifest.json").write_text("{broken")
    assert_clean_error(run_cli("app", "--models", str(tmp_path)), "not valid JSON", 2)
    assert_clean_error(run_cli("app", "--screen", "nope"), "invalid choice", 2)
    headless = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    proc = subprocess.run([sys.executable, "-m", "edge_app", "app"], capture_output=True, text=True, env=headless,
                          cwd=ROOT, timeout=60)
    assert_clean_error(proc, "no display to open the app on", 2)


def test_the_pi_install_script_writes_a_kiosk_unit_and_refuses_unknown_options():

    script = ROOT / "scripts" / "install_pi.sh"
    dry = subprocess.run(["bash", str(script), "--dry-run", "--kiosk"], capture_output=True, text=True, timeout=30)
    assert dry.returncode == 0, dry.stderr
    assert "+ apt-get install -y python3-picamera2" in dry.stdout.replace("sudo ", "")
    assert "python3 -m venv --system-site-packages .venv" in dry.stdout
    # the apt numpy that picamera2's compiled dependencies need is pinned in the venv
    assert "pi_constraints.sh python3 > .venv/pi-constraints.txt" in dry.stdout
    assert "pip install -q -c .venv/pi-constraints.txt -e .[app]" in dry.stdout
    unit = dry.stdout.split("edgeocr.service:\n", 1)[1]
    assert "ExecStart=" in unit and "/.venv/bin/edgeocr app --source pi --fullscreen" in unit
    assert "WantedBy=graphical.target" in unit and "Restart=on-failure" in unit
    bad = subprocess.run(["bash", str(script), "--bogus"], capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "unknown option '--bogus'" in bad.stderr


def test_edge_app_imports_without_tensorflow_and_only_ui_imports_kivy():
    """Every runtime module imports with TensorFlow and Kivy absent; the app's screens need only Kivy."""

    runtime = sorted(p.stem for p in (ROOT / "edge_app").glob("*.py")
                     if p.stem not in ("__main__", "android_tflite"))  # android_tflite needs pyjnius
    code = (
        "import importlib, sys; sys.modules['tensorflow'] = None; sys.modules['kivy'] = None\n"
        f"for m in {runtime!r}: importlib.import_module('edge_app.' + m if m != '__init__' else 'edge_app')\n"
        "assert 'keras' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    screens = sorted(p.stem for p in (ROOT / "edge_app" / "ui").glob("*_screen.py"))
    assert len(screens) == 4
    code = (
        "import importlib, os, sys; sys.modules['tensorflow'] = None\n"
        "from edge_app.ui.app import configure; configure()\n"
        f"for m in {screens!r}: importlib.import_module('edge_app.ui.' + m)\n"
        "assert 'keras' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_stdin_url_skipped_files_and_plain_output(tmp_path, write_png):
    img = write_png("seven.png", handwriting("7", seed=0, height=60))
    proc = subprocess.run([sys.executable, "-m", "edge_app", "read", "--task", "char", "-"], input=img.read_bytes(),
                          capture_output=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().startswith("-\t7\t")
    proc = subprocess.run([sys.executable, "-m", "edge_app", "read", "--task", "char", "-"], input=b"junk",
                          capture_output=True, text=False, cwd=ROOT, timeout=60)
    assert proc.returncode == 1 and b"standard input: not an image" in proc.stderr
    assert_clean_error(run_cli("read", "--task", "char", "https://example.com/x.png"),
                       "edgeocr reads local files; download it first: https://example.com/x.png", code=2)
    (tmp_path / "notes.txt").write_text("not an image")
    proc = run_cli("read", "--task", "char", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert f"edgeocr: note: {tmp_path / 'notes.txt'}: skipped (not an image file)" in proc.stderr
    assert "INFO: Created TensorFlow Lite" not in proc.stderr
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    assert [(Path(r[0]).name, r[1]) for r in rows] == [("seven.png", "7")] and float(rows[0][2]) > 0.5


def test_multiline_text_keeps_one_record_per_file():
    page = ROOT / "edge_app" / "families" / "page" / "samples" / "page_0.jpg"
    hw = ROOT / "edge_app" / "families" / "handwriting" / "samples" / "handwriting_1.png"
    for task, path in (("page", page), ("handwriting", hw)):
        proc = run_cli("read", "--task", task, str(path))
        assert proc.returncode == 0, proc.stderr
        first, *rest = proc.stdout.rstrip("\n").split("\n")
        assert first.startswith(f"{path}\t") and first.count("\t") == 2
        assert all(line.startswith("\t") and line.count("\t") == 1 for line in rest)
    assert len(rest) >= 2  # the handwritten sample has several lines


def test_options_of_another_family_are_refused():
    img = str(ROOT / "edge_app" / "families" / "char" / "samples" / "char_0_7.png")
    assert_clean_error(run_cli("read", "--task", "char", "--crop", img), "--crop applies to --task plate only", 2)
    assert_clean_error(run_cli("read", "--task", "plate", "--decoder", "beam", img),
                       "--decoder applies to --task handwriting only", 2)
    assert_clean_error(run_cli("read", "--task", "handwriting", "--dehyphenate", img),
                       "--dehyphenate applies to --task page only", 2)


def test_desktop_commands_name_their_extra_without_it(tmp_path):
    code = ("import sys; sys.modules['PIL'] = None; sys.modules['tensorflow'] = None\n"
            "import importlib.util as u; real = u.find_spec\n"
            "u.find_spec = lambda name, *a: None if name in ('PIL', 'tensorflow') else real(name, *a)\n"
            "from edge_app.cli import main\n"
            f"raise SystemExit(main(['train', 'char', '--out', {str(tmp_path)!r}]))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert_clean_error(proc, "needs the [train] extra (missing tensorflow, PIL)", 2)
    assert len(proc.stderr.strip().splitlines()) == 1


def test_written_files_get_the_umask(tmp_path, write_png):
    src = write_png("line.png", handwriting("AB", seed=0, height=80))
    code = (f"import os; os.umask(0o022)\nfrom edge_app.cli import main\n"
            f"raise SystemExit(main(['read', '--task', 'chars', {str(src)!r}, '--annotate', {str(tmp_path / 'a')!r}]))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "a" / "line.annotated.png").stat().st_mode & 0o777 == 0o644
