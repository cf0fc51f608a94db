"""The Models screen's logic, without a window: what is loaded, and installing a new model safely.

    rows = model_rows()                            # name, task, quantisation, size, accuracy, date
    name = install_model("runs/char/char.tflite")  # validated, then it replaces the old 'char'

A new model comes as ``edgeocr convert`` leaves it: a ``.tflite`` file with a ``manifest.json``
beside it whose entry names that file. Before anything in the models folder changes, the model is
checked in a scratch folder: its sha256 against the entry, its tensor shapes, and a self-test (it
must read its family's bundled sample image, as ``families/<name>/samples/selftest.json`` says).
Only then are the file(s) and the entry written, each atomically. Any failure is an :class:`EdgeOCRError` saying why.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .errors import EdgeOCRError
from .families import FAMILIES
from .files import atomic_write_bytes, sha256_file
from .geometry import iou
from .images import load_image
from .manifest import MANIFEST, default_models_dir, load_model, read_manifest, write_entry
from .text_metrics import edit_distance

REQUIRED = ("file", "task", "alphabet", "input", "output", "quantization", "sha256")


def _accuracy(entry: dict[str, Any]) -> str:
    """The headline accuracy of an entry, as a short label."""
    m = entry.get("metrics", {})
    bench = m.get("bench", {})
    for key, label in (("real_exact", "% real chars exact"), ("plates_us_exact", "% real plates exact"),
                       ("fonts_lexicon_word_acc", "% held-out words"), ("cer", "% page CER"),
                       ("val_ap50", " AP50 on real photos")):
        if key in bench:
            return f"{bench[key]}{label}"
    if "tflite_val_accuracy" in m:
        return f"{m['tflite_val_accuracy']}% validation"
    return "not measured"


def model_rows(models_dir: str | Path | None = None) -> list[dict[str, str]]:
    """One row per manifest entry: name, task, quantisation, size, accuracy, created date."""
    rows = []
    for name, e in sorted(read_manifest(models_dir)["models"].items()):
        rows.append({"name": name, "task": str(e.get("task", "?")), "quantization": str(e.get("quantization", "?")),
                     "size": f"{e.get('size_bytes', 0) / 1024:.0f} KB", "accuracy": _accuracy(e),
                     "created": str(e.get("created", "?")), "sha256": str(e.get("sha256", ""))[:12]})
    return rows


def _find_entry(tflite: Path, entry_file: Path | None) -> tuple[str, dict[str, Any]]:
    """The entry for ``tflite``: from ``entry_file`` (a manifest or one entry) or the manifest beside it."""
    src = entry_file or tflite.parent / MANIFEST
    if not src.is_file():
        raise EdgeOCRError(f"no manifest entry for {tflite.name}: expected {src} (as 'edgeocr convert' writes it)")
    try:
        data = json.loads(src.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
        raise EdgeOCRError(f"{src} is not a readable JSON manifest: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("models"), dict):
        found = [(n, e) for n, e in data["models"].items() if isinstance(e, dict) and e.get("file") == tflite.name]
        if not found:
            raise EdgeOCRError(f"{src} has no entry whose file is {tflite.name}")
        return found[0]
    if isinstance(data, dict) and data.get("file") == tflite.name:
        return tflite.stem, data
    raise EdgeOCRError(f"{src} is neither a manifest nor an entry for {tflite.name}")


def self_test(task: str, models_dir: str | Path | None, name: str | None = None) -> str:
    """What the model ``name`` (default: the family's reader's own) in ``models_dir`` reads from its
    family's self-test image (``task``: the family's name); a one-line error when that is not the
    expected text (within its CER). A detector must find the sample's boxes instead."""
    if task not in FAMILIES:
        raise EdgeOCRError(f"no self-test for task '{task}' (known: {', '.join(FAMILIES)})")
    family = FAMILIES[task]
    test = family.selftest
    result = family.build(next(iter(family.tasks)), models_dir, 1, name)(load_image(family.samples / test.image),
                                                                          test.image)
    missed = [b for b in test.boxes if not any(iou(list(b), it.box) >= 0.5 for it in result.items)]
    if missed:
        raise EdgeOCRError(f"self-test failed: the model finds {len(result.items)} box(es) in {test.image} and misses "
                           f"{len(missed)} of the {len(test.boxes)} expected")
    text = result.text
    cer = edit_distance(test.expect, text) / max(len(test.expect), 1) if not test.boxes else 0.0
    if cer > test.max_cer:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise EdgeOCRError(f"self-test failed: the model reads {test.image} as {shown!r}, expected "
                           f"{test.expect[:40]!r} (CER {cer:.0%}, allowed {test.max_cer:.0%})")
    return text


def validate_model(tflite: str | Path, entry_file: str | Path | None = None) -> tuple[str, dict[str, Any]]:
    """Check a new model (entry fields, sha256, shapes, self-test) without touching the models folder.

    Returns its manifest name and entry.
    """
    tflite = Path(tflite)
    if tflite.suffix != ".tflite" or not tflite.is_file():
        raise EdgeOCRError(f"{tflite} is not a .tflite file")
    name, entry = _find_entry(tflite, Path(entry_file) if entry_file else None)
    missing = [k for k in REQUIRED if k not in entry]
    if missing:
        raise EdgeOCRError(f"manifest entry '{name}' lacks {', '.join(missing)}")
    with tempfile.TemporaryDirectory(prefix="edgeocr-check-") as tmp:
        scratch = Path(tmp)
        shutil.copyfile(tflite, scratch / tflite.name)
        entry = {**entry, "file": tflite.name}
        lex = entry.get("lexicon")
        if lex:
            src = tflite.parent / lex["file"]
            if not src.is_file():
                raise EdgeOCRError(f"model '{name}' needs its lexicon {src}, which is missing")
            shutil.copyfile(src, scratch / lex["file"])
        write_entry(name, entry, scratch)
        load_model(name, scratch, 1)  # sha256 and shapes, with the manifest's own messages
        self_test(str(entry["task"]), scratch, name)
    return name, entry


def install_model(tflite: str | Path, models_dir: str | Path | None = None,
                  entry_file: str | Path | None = None) -> str:
    """Validate ``tflite`` and, only if it passes, copy it (and its lexicon) in and write its entry.

    Returns the manifest name it was installed under (an existing model of that name is replaced).
    """
    tflite = Path(tflite)
    name, entry = validate_model(tflite, entry_file)
    mdir = Path(models_dir) if models_dir else default_models_dir()
    try:
        lex = entry.get("lexicon")
        if lex:
            atomic_write_bytes(mdir / lex["file"], (tflite.parent / lex["file"]).read_bytes())
        atomic_write_bytes(mdir / entry["file"], tflite.read_bytes())
        if sha256_file(mdir / entry["file"]) != entry["sha256"]:
            raise EdgeOCRError(f"copy of {tflite.name} into {mdir} does not match its sha256")
        write_entry(name, entry, mdir)
    except OSError as exc:
        raise EdgeOCRError(f"cannot write into {mdir}: {exc.strerror or exc}") from None
    return name
