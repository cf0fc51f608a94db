"""scripts/compare_reads.py: two ``edgeocr read --json`` runs (x86 and arm64 in check_arm64.sh) compared."""

from __future__ import annotations

import importlib.util
import json

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("compare_reads", ROOT / "scripts" / "compare_reads.py")
compare_reads = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_reads)


def _read(file, text, conf, items=None):
    items = items if items is not None else [(text, conf)]
    return {"file": file, "text": text, "confidence": conf,
            "items": [{"text": t, "confidence": c} for t, c in items], "timings_ms": {"total": 1.0}}


def _write(path, reads):
    path.write_text("".join(json.dumps(r) + "\n" for r in reads), encoding="utf-8")
    return str(path)


def test_equal_runs_pass_within_tolerance(tmp_path, capsys):
    two_lines = [("AB", 0.5), ("CD", 0.9)]
    a = _write(tmp_path / "a.jsonl", [_read("x.png", "7", 0.99), _read("y.jpg", "AB\nCD", 0.5, two_lines)])
    b = _write(tmp_path / "b.jsonl", [_read("y.jpg", "AB\nCD", 0.51, [("AB", 0.51), ("CD", 0.9)]),
                                      _read("x.png", "7", 0.98)])
    assert compare_reads.main([a, b]) == 0
    out = capsys.readouterr().out
    assert "MISMATCH" not in out
    assert "2 files compared" in out and "texts all equal" in out and "0.0100" in out


@pytest.mark.parametrize("other, reason", [
    (_read("x.png", "1", 0.99), "x.png: text '7' != '1'"),
    (_read("x.png", "7", 0.95), "x.png: confidence 0.99 vs 0.95"),
    (_read("x.png", "7", 0.99, [("7", 0.99), ("2", 0.1)]), "x.png: 1 items != 2 items"),
    (_read("x.png", "7", 0.99, [("1", 0.99)]), "x.png item 0: text '7' != '1'"),
    (_read("x.png", "7", 0.99, [("7", 0.9)]), "x.png item 0: confidence 0.99 vs 0.9 (differs by 0.0900 > 0.02)"),
])
def test_each_mismatch_is_one_line_and_fails(tmp_path, capsys, other, reason):
    a = _write(tmp_path / "a.jsonl", [_read("x.png", "7", 0.99)])
    b = _write(tmp_path / "b.jsonl", [other])
    assert compare_reads.main([a, b]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("MISMATCH")]
    assert len(lines) == 1 and reason in lines[0]


def test_a_file_missing_from_one_run_fails(tmp_path, capsys):
    a = _write(tmp_path / "a.jsonl", [_read("x.png", "7", 0.99), _read("y.png", "8", 0.9)])
    b = _write(tmp_path / "b.jsonl", [_read("x.png", "7", 0.99)])
    assert compare_reads.main([a, b]) == 1
    assert "MISMATCH y.png: missing from the second run" in capsys.readouterr().out


def test_unreadable_input_exits_2(tmp_path, capsys):
    a = _write(tmp_path / "a.jsonl", [_read("x.png", "7", 0.99)])
    (tmp_path / "b.jsonl").write_text("not json\n", encoding="utf-8")
    assert compare_reads.main([a, str(tmp_path / "b.jsonl")]) == 2
    assert "not JSON" in capsys.readouterr().err


def _boxes(file, boxes, conf=0.4):
    return {"file": file, "text": "\n".join(" ".join(str(v) for v in b) for b in boxes), "confidence": conf,
            "items": [{"text": "", "confidence": conf, "box": b} for b in boxes]}  # as edgeocr read --json writes


def test_boxes_are_compared_by_overlap_not_digits(tmp_path, capsys):
    """plate-boxes' text is its boxes: a few pixels of int8 rounding pass, another box fails."""
    a = _write(tmp_path / "a.jsonl", [_boxes("p.jpg", [[309, 554, 291, 83], [1046, 85, 137, 57]])])
    near = _write(tmp_path / "b.jsonl", [_boxes("p.jpg", [[316, 557, 277, 77], [1044, 85, 122, 57]])])
    assert compare_reads.main([a, near]) == 0
    assert "texts all equal" in capsys.readouterr().out
    far = _write(tmp_path / "c.jsonl", [_boxes("p.jpg", [[309, 554, 291, 83], [1000, 85, 100, 57]])])
    assert compare_reads.main([a, far]) == 1
    out = capsys.readouterr().out
    assert "MISMATCH p.jpg item 1: box [1046, 85, 137, 57] vs [1000, 85, 100, 57]" in out
    assert compare_reads.box_iou([0, 0, 10, 10], [5, 0, 10, 10]) == pytest.approx(1 / 3)
