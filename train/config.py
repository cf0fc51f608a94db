"""Typed training configurations: one per model family, built from ``edgeocr train`` arguments.

Field names are the argparse destinations, so :meth:`FitConfig.from_args` copies what the
family's parser has and leaves the rest at their defaults (the CLI's defaults, repeated here
for callers that build a config in code). :meth:`FitConfig.validate` raises
:class:`edge_app.errors.EdgeOCRError` with the flag's name, before any data is drawn.
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

from edge_app.errors import EdgeOCRError

C = TypeVar("C", bound="FitConfig")


@dataclass(frozen=True, kw_only=True)
class FitConfig:
    """What every trainer takes: the run folder, the schedule, the distribution strategy, the seed."""

    out: str
    epochs: int
    batch: int  # per replica
    width: int  # channels of the first layer
    strategy: str = "default"
    seed: int = 0
    steps_per_epoch: int | None = None  # a cap for quick runs; None (or 0): the whole training set
    lr: float = 2e-3  # peak learning rate (after warm-up, where there is one)
    init: str | None = None  # a .keras model of the same architecture to start from
    cpu_replicas: int = 0  # logical CPU devices for ``mirrored`` without a GPU (tests)
    cache: str | None = None  # the shared data cache (train.data.runs.cache_root); trainers that draw data
    augment: float = 0.5  # share of each training batch jittered on the fly (train.data.pipeline)
    command: str = ""  # the command line, recorded in the meta

    AT_LEAST_ONE: ClassVar[tuple[str, ...]] = ("epochs", "batch", "width")  # checked in this order

    @property
    def out_dir(self) -> Path:
        """The run folder as a path."""
        return Path(self.out)

    @classmethod
    def from_args(cls: type[C], args: argparse.Namespace) -> C:
        """The config of ``args`` (an ``edgeocr train MODEL`` namespace); ``command`` is its command line."""
        skip = {"command", "cpu_replicas"}  # args.command is the subcommand ("train"), not the command line
        values = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls)
                  if f.name not in skip and hasattr(args, f.name)}
        return cls(**values, command=getattr(args, "command_line", ""))

    def validate(self) -> None:
        """Raise :class:`EdgeOCRError` naming the first flag with a value the trainer cannot use."""
        for name in self.AT_LEAST_ONE:
            value = getattr(self, name)
            if value < 1:
                raise EdgeOCRError(f"--{name.replace('_', '-')} must be at least 1, not {value}")
        if not 0 < self.lr < 1:
            raise EdgeOCRError(f"--lr must be between 0 and 1, not {self.lr}")
        if not 0 <= self.augment <= 1:
            raise EdgeOCRError(f"--augment must be between 0 and 1, not {self.augment}")


def check_sources(mnist: str | None, real: str | None) -> None:
    """Fail before minutes of rendering, naming a missing MNIST file or ``labels.csv``."""
    from .data.mnist import FILES
    from .data.realchars import list_real_chars

    if mnist:
        for name in FILES["train"]:
            if not (Path(mnist) / name).is_file():
                raise EdgeOCRError(f"MNIST file {Path(mnist) / name} not found")
    if real:
        list_real_chars(real, "train")


@dataclass(frozen=True, kw_only=True)
class CharConfig(FitConfig):
    """``edgeocr train char``: the 62-class character CNN."""

    epochs: int = 12
    batch: int = 256
    width: int = 32
    convs: int = 1  # conv blocks before each of the first two poolings
    mnist: str | None = None  # folder with the MNIST IDX .gz files
    real: str | None = None  # handwritten-chars folder (its train split)
    per_glyph: int = 30
    real_copies: int = 12
    stroke_copies: int = 8
    printed_strokes: int = 0  # tracings per glyph of train.data.fonts.PRINTED_STROKE_FONTS
    mnist_limit: int | None = None
    # No on-the-fly jitter by default: cells are fitted to their ink box by the device's normalisation, which
    # the jitter's scale and shift undo. The one run with it (width 40, 8 epochs) validated worse than the
    # shipped model without it (width 32, 12 epochs): MNIST 98.94 vs 99.26%, real 77.42 vs 79.44%.
    augment: float = 0.0
    AT_LEAST_ONE: ClassVar[tuple[str, ...]] = ("epochs", "batch", "width", "convs")

    def validate(self) -> None:
        """The shared checks, then the data folders."""
        super().validate()
        check_sources(self.mnist, self.real)


@dataclass(frozen=True, kw_only=True)
class CtcConfig(FitConfig):
    """The sequence readers (CTC): how many samples to draw, and with how many processes."""

    count: int
    val: int
    workers: int = 2

    AT_LEAST_ONE: ClassVar[tuple[str, ...]] = ("count", "val", "epochs", "batch", "width", "workers")

    def validate(self) -> None:
        """The shared checks, then that ``--init`` exists."""
        super().validate()
        if self.init and not Path(self.init).is_file():
            raise EdgeOCRError(f"--init model {self.init} not found")


@dataclass(frozen=True, kw_only=True)
class PlateConfig(CtcConfig):
    """``edgeocr train plate``: realistic ``world`` plates plus ``digits5`` plates."""

    epochs: int = 8
    batch: int = 128
    width: int = 14
    count: int = 100_000
    digits5: int = 20_000
    val: int = 4000
    real_crops: str | None = None  # a folder from ``edgeocr train plate-crops``: its labelled real crops
    real_repeat: int = 20  # each real training crop is drawn this many times, jittered

    AT_LEAST_ONE: ClassVar[tuple[str, ...]] = ("count", "digits5", "val", "epochs", "batch", "width", "workers",
                                               "real_repeat")

    def validate(self) -> None:
        """The shared checks, then the real crops' folder."""
        super().validate()
        if self.real_crops and not (Path(self.real_crops) / "labels.csv").is_file():
            raise EdgeOCRError(f"--real-crops: {Path(self.real_crops) / 'labels.csv'} not found "
                               "(make it with edgeocr train plate-crops)")


@dataclass(frozen=True, kw_only=True)
class HandwritingConfig(CtcConfig):
    """``edgeocr train handwriting``: font-drawn words, and words composed from real crops."""

    epochs: int = 6
    batch: int = 128
    width: int = 16
    count: int = 72_000
    val: int = 3000
    mnist: str | None = None
    real: str | None = None

    def validate(self) -> None:
        """The shared checks, then the data folders."""
        super().validate()
        check_sources(self.mnist, self.real)


@dataclass(frozen=True, kw_only=True)
class PageConfig(CtcConfig):
    """``edgeocr train page``: printed lines."""

    epochs: int = 2
    batch: int = 64
    width: int = 16
    count: int = 90_000
    val: int = 2000


@dataclass(frozen=True, kw_only=True)
class PlateDetConfig(FitConfig):
    """``edgeocr train plate-detector``: the plate-photos folder, pasted synthetic plates, the schedule."""

    photos: str = ""
    synthetic: int = 400  # rendered plates to paste into the photos (0: real plates only)
    epochs: int = 30
    batch: int = 16
    width: int = 16
    limit: int | None = None  # use at most this many photos per split (quick runs)

    def validate(self) -> None:
        super().validate()
        if not self.photos or not (Path(self.photos) / "boxes.csv").is_file():
            raise EdgeOCRError(f"--photos {self.photos or '(missing)'}: no boxes.csv (pass the plate-photos folder)")


CONFIGS: dict[str, type[FitConfig]] = {
    "char": CharConfig, "plate": PlateConfig, "handwriting": HandwritingConfig, "page": PageConfig,
    "plate-detector": PlateDetConfig,
}
