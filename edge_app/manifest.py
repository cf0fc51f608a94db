"""Which model: ``models/manifest.json`` and the checks made before a model is used.

(Before 0.2 this module was ``edge_app.registry``; the model families' registry is ``edge_app.families``.)

Every shipped model has an entry with its file, task, input shape and normalisation, alphabet,
quantisation, sha256, the commands that made it, the data it saw and its measured metrics.
:func:`load_model` refuses a model whose hash or tensor shapes disagree with its entry.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import EdgeOCRError
from .files import atomic_write_bytes, sha256_file
from .runtime import TFLiteModel

MANIFEST = "manifest.json"


def default_models_dir() -> Path:
    """``$EDGEOCR_MODELS`` if set, else the shipped models: ``edge_app/models`` in an installed wheel,
    the checkout's ``models/`` beside ``edge_app`` otherwise."""
    env = os.environ.get("EDGEOCR_MODELS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    packaged = here / "models"
    return packaged if (packaged / MANIFEST).is_file() else here.parent / "models"


def check_models_dir(models_dir: str | os.PathLike | None) -> None:
    """A ``--models DIR`` that does not exist, or is not a folder, is an :class:`EdgeOCRError`."""
    if models_dir is not None and not Path(models_dir).is_dir():
        raise EdgeOCRError(f"models folder {models_dir} does not exist" if not Path(models_dir).exists()
                           else f"--models {models_dir} is not a folder")


def read_manifest(models_dir: str | os.PathLike | None = None) -> dict[str, Any]:
    """Load the manifest; a missing or malformed one is an :class:`EdgeOCRError`."""
    mdir = Path(models_dir) if models_dir else default_models_dir()
    path = mdir / MANIFEST
    if not path.is_file():
        return {"format": 1, "models": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise EdgeOCRError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("models"), dict):
        raise EdgeOCRError(f"{path} has no 'models' object")
    return data


def write_entry(name: str, entry: dict[str, Any], models_dir: str | os.PathLike | None = None) -> Path:
    """Add or replace one manifest entry, atomically. Returns the manifest path."""
    mdir = Path(models_dir) if models_dir else default_models_dir()
    data = read_manifest(mdir)
    data["models"][name] = entry
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(mdir / MANIFEST, text.encode("utf-8"))
    return mdir / MANIFEST


def get_entry(name: str, models_dir: str | os.PathLike | None = None) -> dict[str, Any]:
    """Return the manifest entry for ``name`` or explain which models exist."""
    mdir = Path(models_dir) if models_dir else default_models_dir()
    models = read_manifest(mdir)["models"]
    if name not in models:
        known = ", ".join(sorted(models)) or "none"
        raise EdgeOCRError(f"no model '{name}' in {mdir / MANIFEST} (it lists: {known})")
    return models[name]


def check_shapes(model: TFLiteModel, entry: dict[str, Any], name: str) -> None:
    """Compare the model's tensor shapes (batch ignored) with its manifest entry."""
    for side, actual in (("input", model.input_shape), ("output", model.output_shape)):
        want = entry.get(side, {}).get("shape")
        if want is None:
            raise EdgeOCRError(f"manifest entry '{name}' has no {side} shape")
        if list(want[1:]) != list(actual[1:]):
            raise EdgeOCRError(
                f"model '{name}' {side} shape {list(actual)} does not match the manifest's {list(want)}"
            )


def load_model(
    name: str, models_dir: str | os.PathLike | None = None, num_threads: int | None = None
) -> tuple[TFLiteModel, dict[str, Any]]:
    """Load a model by manifest name after checking its file, sha256 and shapes."""
    mdir = Path(models_dir) if models_dir else default_models_dir()
    entry = get_entry(name, mdir)
    path = mdir / entry["file"]
    if not path.is_file():
        raise EdgeOCRError(f"model '{name}': file {path} is missing")
    digest = sha256_file(path)
    if digest != entry.get("sha256"):
        raise EdgeOCRError(
            f"model '{name}': sha256 of {path.name} is {digest[:12]}…, the manifest says "
            f"{str(entry.get('sha256'))[:12]}… (corrupt or replaced file)"
        )
    model = TFLiteModel(path, num_threads=num_threads)
    check_shapes(model, entry, name)
    return model, entry
