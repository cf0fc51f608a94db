"""What a model family is: its spec, its reader, its ``read`` options and its self-test.

A family is one folder under ``edge_app/families/`` (spec, preprocess, segment, reader, samples)
whose ``__init__`` defines ``FAMILY``; ``edge_app.families`` lists them. Training imports the
spec and preprocessing from the same folder, so training and the device cannot drift apart.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..images import check_frame
from ..results import Result, Timer

ReadFn = Callable[[np.ndarray, str], Result]
"""A reader's entry point: an image (uint8 gray, BGR or BGRA) and its name -> a :class:`Result`."""


@dataclass(frozen=True)
class Spec:
    """What a family's model takes and gives, stated once for training and the device.

    ``input_size`` is (height, width) of one input and ``channels`` its depth; ``normalisation`` says
    how pixels become that input (and names the function); ``stride`` is input pixels per output step
    (CTC models, detector heads), None for a classifier; ``alphabet`` is what training teaches the
    model (the manifest entry records it, and the reader uses the entry's; empty for a detector).
    """

    model: str
    input_size: tuple[int, int]
    normalisation: str
    alphabet: str
    stride: int | None = None
    channels: int = 1

    @property
    def input_shape(self) -> list[int]:
        """The TFLite input shape, batch of one: [1, H, W, C]."""
        return [1, *self.input_size, self.channels]


@dataclass(frozen=True)
class Option:
    """A ``read`` option only this family takes: argparse flags and keywords. The parsed value is
    passed to the family's ``build`` as the keyword ``dest``."""

    flags: tuple[str, ...]
    kwargs: dict[str, Any]

    @property
    def dest(self) -> str:
        return self.kwargs.get("dest") or self.flags[0].lstrip("-").replace("-", "_")


PAPER_OPTION = Option(("--paper",), {"choices": ("auto", "off"), "default": None,
                                     "help": "find the paper (page, card, note, receipt) in the photo and read it "
                                     "rectified (auto, the default), or read the whole frame (off)"})
"""The paper finder's option (:mod:`edge_app.paper`), shared by the families that read photos of paper."""


@dataclass(frozen=True)
class SelfTest:
    """The bundled image a new model of this family must read before it is installed: its text within
    ``max_cer``, or for a detector every box of ``boxes`` ([x, y, w, h]) found at IoU >= 0.5."""

    image: str
    expect: str
    max_cer: float
    boxes: tuple[tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True)
class Family:
    """One model family. ``build(task, models_dir, num_threads, model_name, **options)`` returns the
    task's read function; ``tasks`` maps each task name to its ``--task`` help; ``folder`` is the
    family's folder (by default the one its ``build`` is defined in)."""

    name: str
    spec: Spec
    tasks: dict[str, str]
    build: Callable[..., ReadFn]
    options: tuple[Option, ...] = field(default_factory=tuple)
    folder: Path = field(default=Path())

    def __post_init__(self) -> None:
        if self.folder == Path():
            import sys

            object.__setattr__(self, "folder", Path(sys.modules[self.build.__module__].__file__).resolve().parent)

    @property
    def selftest(self) -> SelfTest:
        """The self-test in ``samples/selftest.json``: image, expected text, allowed CER."""
        import json

        spec = json.loads((self.samples / "selftest.json").read_text(encoding="utf-8"))
        return SelfTest(spec["image"], spec.get("expect", ""), float(spec.get("max_cer", 0.0)),
                        tuple(tuple(b) for b in spec.get("boxes", ())))

    @property
    def samples(self) -> Path:
        """The folder of bundled sample images (``TASK_*.png|jpg``: the demo reads each with TASK)."""
        return self.folder / "samples"

    def sample_files(self, task: str) -> list[Path]:
        """The bundled samples for ``task``, sorted."""
        return sorted(p for p in self.samples.glob(f"{task}_*.*") if p.suffix in (".png", ".jpg"))


@dataclass
class Found:
    """What a reader's find stage gives: its regions (characters, plates, lines: the reader's own type),
    one model input per region part, in order, notes on what it saw (a turned page), and the paper it
    found in the photo (corners TL, TR, BR, BL; see :mod:`edge_app.paper`), which the result carries."""

    regions: Any
    inputs: list[np.ndarray]
    notes: list[str] = field(default_factory=list)
    paper: list[list[int]] | None = None


def ensemble_name(models_dir: str | Path | None, members: tuple[str, ...]) -> str | None:
    """``members`` the models folder has, joined by ``+`` (a name :class:`ModelReader` averages), or None."""
    from ..manifest import read_manifest

    names = read_manifest(models_dir)["models"]
    return "+".join(n for n in members if n in names) or None


class ModelReader:
    """The skeleton every family's reader shares.

    On construction: its model loaded from the manifest (sha256 and shapes checked; several names joined
    by ``+`` load several models whose scores are averaged), the alphabet from the model's entry, and a
    check that the model takes the family's input. :meth:`read` is the one path an image takes: check
    the frame, :meth:`find` the regions and their inputs, run all inputs in one batch, :meth:`decode`
    the scores into a :class:`Result`, timing each stage. Subclasses set ``spec`` and ``find_stage``
    and implement :meth:`find` and :meth:`decode`; ``read`` options named in ``find_options`` go to
    :meth:`find`, the others to :meth:`decode`.
    """

    spec: Spec
    find_stage = "segment"
    find_options: tuple[str, ...] = ()

    def __init__(self, models_dir: str | Path | None = None, num_threads: int | None = None,
                 model_name: str | None = None):
        from ..errors import EdgeOCRError
        from ..manifest import load_model
        from ..runtime import AveragedModel

        name = self.model_name = model_name or self.spec.model
        loaded = [load_model(n, models_dir, num_threads) for n in name.split("+")]
        self.entry = loaded[0][1]
        self.alphabet: str = self.entry["alphabet"]
        if any(entry["alphabet"] != self.alphabet for _, entry in loaded):
            raise EdgeOCRError(f"models '{name}' do not share one alphabet: they cannot be averaged")
        self.model = loaded[0][0] if len(loaded) == 1 else AveragedModel([m for m, _ in loaded])
        if tuple(self.model.input_shape[1:3]) != self.spec.input_size:
            raise EdgeOCRError(f"model '{name}' takes {tuple(self.model.input_shape[1:3])} inputs, not the "
                               f"{self.spec.model} reader's {self.spec.input_size}")

    def infer(self, inputs: list[np.ndarray] | np.ndarray) -> np.ndarray:
        """Model scores for a batch of float32 inputs of ``spec.input_size``."""
        return self.model(np.asarray(inputs, np.float32).reshape(-1, *self.spec.input_size, self.spec.channels))

    def find(self, image: np.ndarray, **options: Any) -> Found:
        """Where the text is in a checked frame, and the model inputs for it."""
        raise NotImplementedError

    def decode(self, found: Found, scores: np.ndarray, **options: Any) -> Result:
        """The text, items and confidence from the scores of ``found.inputs`` (file and timings are set
        by :meth:`read`)."""
        raise NotImplementedError

    def read(self, image: np.ndarray, name: str = "", **options: Any) -> Result:
        """Read one image (uint8 gray, BGR or BGRA): find -> model -> decode, each stage timed."""
        image = check_frame(image)
        timer, t = Timer(), time.perf_counter()
        found = self.find(image, **{k: options.pop(k) for k in self.find_options if k in options})
        t = timer.stage(self.find_stage, t)
        if not found.inputs:
            return Result(name, timings_ms=timer.ms, notes=list(found.notes), paper=found.paper)
        scores = self.infer(found.inputs)
        t = timer.stage("model", t)
        result = self.decode(found, scores, **options)
        timer.stage("decode", t)
        result.file, result.timings_ms, result.paper = name, timer.ms, found.paper
        return result
