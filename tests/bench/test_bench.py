"""``edgeocr bench char`` end to end on a tiny stand-in for the real data (benchmarks are not tests,
but a benchmark that cannot run is a bug)."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import assert_clean_error, handwriting, run_cli
from tests.train.test_data_loaders import _idx


def _char_data(tmp_path: Path) -> tuple[Path, Path]:
    """A tiny handwritten-chars folder (three classes, 40 crops each) and a 20-digit MNIST test split."""
    real = tmp_path / "real"
    real.mkdir()
    rows = ["file,label"]
    for label in "7Kb":
        for i in range(40):
            name = f"{label}_{i:03d}.png"
            cv2.imwrite(str(real / name), handwriting(label, seed=i % 3, height=32))
            rows.append(f"{name},{label}")
    (real / "labels.csv").write_text("\n".join(rows) + "\n")
    mnist = tmp_path / "mnist"
    mnist.mkdir()
    digits = np.zeros((20, 28, 28), np.uint8)
    for i in range(20):
        cv2.putText(digits[i], str(i % 10), (6, 22), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 255, 2)
    _idx(mnist / "t10k-images-idx3-ubyte.gz", digits)
    _idx(mnist / "t10k-labels-idx1-ubyte.gz", np.arange(20) % 10)
    return mnist, real


DEFAULT_CHAR = "edgeocr char + char_small + char_strokes (int8, averaged)"


def test_bench_char_writes_markdown_json_and_plot(tmp_path, models_copy):
    mnist, real = _char_data(tmp_path)
    manifest = models_copy / "manifest.json"
    before = manifest.read_bytes()

    out = tmp_path / "results"
    proc = run_cli("bench", "char", "--mnist", str(mnist), "--real", str(real), "--out", str(out),
                   "--models", str(models_copy))
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads((out / "char.json").read_text())
    assert result["default"] == DEFAULT_CHAR  # what `edgeocr read` uses, first
    ours, alone = result["systems"][DEFAULT_CHAR], result["systems"]["edgeocr char alone (int8)"]
    assert 0 <= ours["mnist_digits"] <= 100 and ours["ms_per_char"] > alone["ms_per_char"] > 0
    sizes = [json.loads(before)["models"][n]["size_bytes"] / 1024 for n in ("char", "char_small", "char_strokes")]
    assert ours["size_kb"] == pytest.approx(sum(sizes), abs=0.2)
    assert alone["size_kb"] == pytest.approx(sizes[0], abs=0.1)
    assert ours["real_exact"] >= 50 and alone["real_exact"] >= 50  # 60 held-out-font crops of 3 characters
    assert result["chars_lines"]["lines"] > 0
    assert f"| {DEFAULT_CHAR} |" in (out / "char.md").read_text()
    assert (out / "char.png").stat().st_size > 0
    assert manifest.read_bytes() == before  # not published: the manifest is left alone

    published = tmp_path / "published"
    proc = run_cli("bench", "char", "--mnist", str(mnist), "--real", str(real), "--publish",
                   "--models", str(models_copy), env={"EDGEOCR_BENCH_RESULTS": str(published)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    ours = json.loads((published / "char.json").read_text())["systems"][DEFAULT_CHAR]
    assert (published / "char.md").is_file() and (published / "char.png").is_file()
    recorded = json.loads(manifest.read_text())["models"]["char"]["metrics"]["bench"]
    assert recorded["real_exact"] == ours["real_exact"] and recorded["command"].startswith("edgeocr bench char")
    assert recorded["read_with"] == DEFAULT_CHAR and "real_exact" in recorded["char_alone"]


def test_bench_char_without_data_flags_is_one_line_and_writes_nothing(tmp_path):
    proc = run_cli("bench", "char", cwd=tmp_path)
    assert_clean_error(proc, "--mnist", code=2)
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert list(tmp_path.iterdir()) == []  # no bench_out/, nothing else


def test_bench_data_folders_are_checked_before_anything_is_written(tmp_path):
    proc = run_cli("bench", "plate", "--plates", str(tmp_path / "no-such-plates"), cwd=tmp_path)
    assert_clean_error(proc, "--plates", code=2)
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_cli("bench", "handwriting", "--mnist", str(empty), "--real", str(empty), cwd=tmp_path)
    assert_clean_error(proc, "t10k-images", code=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


def test_bench_publish_with_out_is_one_line(tmp_path):
    proc = run_cli("bench", "page", "--publish", "--out", str(tmp_path / "x"), cwd=tmp_path)
    assert_clean_error(proc, "--publish", code=2)
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_bench_tasks_come_from_the_family_registry():
    from bench.cli import BENCHES, DATA_FLAGS, TASKS
    from edge_app.families import FAMILIES

    assert set(TASKS) == set(FAMILIES) | {"app", "training"} == set(BENCHES) == set(DATA_FLAGS)


def test_plate_error_kinds_sort_misreads_without_keeping_texts():
    from bench.plate_bench import error_kinds

    kinds = error_kinds(["ABC123", "ABC123", "ABC123", "ABC123", "ABC123"],
                        ["ABC123", "5ABC123", "BC123", "ABCI23", "ABX123"])
    assert kinds == {"extra characters": 1, "missing characters": 1, "only O/0 or I/1 swapped": 1,
                     "other substitutions": 1}


def test_word_error_rate_and_page_length_edit_distance():
    from edge_app.text_metrics import edit_distance, wer

    assert wer(["the cat sat on it"], ["the cat sat on it"]) == 0.0
    assert wer(["the cat sat"], ["the bat sat down"]) == 2 / 3
    page = "lorem ipsum dolor sit amet " * 80
    assert edit_distance(page, page.replace("dolor", "color", 3)) == 3
    assert edit_distance(["a", "b"], ["a", "c", "b"]) == 1


def test_page_bench_normalises_every_system_alike():
    from bench.page_bench import normalise, strict

    assert normalise("\u201cYes\u201d\u2014he said\u2019s  \n next") == "\"Yes\"-he said's next"
    assert strict("\u201cYes\u201d \n  no") == "\u201cYes\u201d no"


def test_bench_page_writes_markdown_json_and_plot(tmp_path, models_copy):
    before = (models_copy / "manifest.json").read_bytes()
    proc = run_cli("bench", "page", "--pages", "2", "--models", str(models_copy), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    r = json.loads((tmp_path / "out" / "page.json").read_text())
    e = r["systems"]["edgeocr page (int8)"]
    assert r["pages"] == 2 and 0 <= e["cer"] < 10 and e["s_per_page"] > 0 and r["upside_down"]["pages"] == 2
    assert (tmp_path / "out" / "page.png").stat().st_size > 0 and (tmp_path / "out" / "page_example.png").exists()
    assert (models_copy / "manifest.json").read_bytes() == before  # not published


def test_plate_live_replay_lists_what_the_screen_engine_reads(tmp_path):
    import shutil

    from bench.plate_real import live_replay
    from edge_app.families import FAMILIES
    from edge_app.families.plate.reader import PlateReader

    (tmp_path / "images").mkdir()
    shutil.copyfile(FAMILIES["plate"].samples / "plate_1.jpg", tmp_path / "images" / "car.jpg")
    box = [0, 0, 120, 40]  # only the width matters here: >= 40 px counts
    labels = [{"file": "car.jpg", "box": box, "text": "KQ812YH"}, {"file": "car.jpg", "box": box, "text": "ZZ999ZZ"}]
    out = live_replay(PlateReader(num_threads=1), str(tmp_path), labels, frames=6, fps=5)  # slow: none dropped
    assert (out["photos"], out["plates"]) == (1, 2)
    assert out["listed_exact"] == 50.0  # the real plate is listed, the made-up one is not
    assert out["frames_read_per_s"] > 0


def test_training_bench_measures_a_family_and_works_out_its_runs():
    """bench training on a tiny stand-in family: every rate measured, the runs derived from them."""
    pytest.importorskip("tensorflow")
    import keras

    from bench.train_speed import Family, markdown, measure

    def render(n: int):  # some real work per sample, as drawing is
        rng = np.random.default_rng(0)
        x = np.stack([cv2.GaussianBlur(rng.integers(0, 255, (280, 280), dtype=np.uint8), (15, 15), 3)[::10, ::10]
                      for _ in range(n)])
        return x[..., None], rng.integers(0, 3, n).astype(np.int64)

    def build():
        model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(3, "softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model

    f = measure(Family("char", render, build, "cell", 8, drawn=1000, trained=8000, command="tiny"))
    assert all(f[k] > 0 for k in ("render", "feed", "step_before", "step_after", "run_before", "run_first"))
    assert f["run_cached"] == f["step_after"] and 0 < f["render_share_before"] < 1
    assert f["run_before"] < f["step_before"]  # rendering costs something in a run before
    assert f["gain_cached"] == pytest.approx(f["run_cached"] / f["run_before"], abs=0.006)  # rounded before and after
    md = markdown({"date": "d", "machine": "m", "command": "c", "families": {"tiny": f}})
    assert "| tiny |" in md and "x cached" in md


def test_a_missing_peer_is_named_not_silently_dropped(monkeypatch, capsys):
    from bench import peers

    monkeypatch.setattr(peers.Tesseract, "available", staticmethod(lambda: False))
    monkeypatch.setattr(peers.RapidOCR, "available", staticmethod(lambda: False))
    assert peers.available_peers(psm=10, whitelist="0123456789") == []
    err = capsys.readouterr().err
    assert "peer Tesseract is not installed" in err and "peer RapidOCR is not installed" in err
    assert "make peers" in err


def test_app_bench_counts_listed_readings_that_are_not_the_replayed_plate():
    from bench.app_bench import _listed

    screen = "[b]EUW500[/b]  1.00  11:47:16\n[b]STOP[/b]  1.00  11:47:16\n"
    assert _listed(screen, "EUW500") == ("Readings listed on screen at the end: EUW500 1.00 11:47:16; "
                                         "STOP 1.00 11:47:16 (1 of 2 not the car's plate).")
    assert _listed("[b]EUW500[/b]  0.98  10:00:00", "EUW500").endswith("(0 of 1 not the car's plate).")
    assert _listed("", "EUW500").startswith("Readings listed on screen at the end: none (0 of 0")
