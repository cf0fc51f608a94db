"""Typed training configs: the CLI's defaults, the namespace they come from, and the checks they run."""

from __future__ import annotations

import dataclasses

import pytest

from edge_app.cli import build_parser
from edge_app.errors import EdgeOCRError
from tests.conftest import assert_clean_error, run_cli
from train.config import CONFIGS, CharConfig, HandwritingConfig, PageConfig, PlateConfig


def _args(*argv: str):
    argv = ("train", *argv)
    args = build_parser(list(argv)).parse_args(list(argv))
    args.command_line = "edgeocr " + " ".join(argv)
    return args


REQUIRED = {"plate-detector": {"photos": "p"}}  # flags a model cannot go without, besides --out


@pytest.mark.parametrize("model", sorted(CONFIGS))
def test_config_defaults_are_the_cli_defaults(model):
    extra = REQUIRED.get(model, {})
    flags = [v for k, val in extra.items() for v in (f"--{k}", val)]
    cfg = CONFIGS[model].from_args(_args(model, "--out", "run", *flags))
    assert cfg == CONFIGS[model](out="run", command=" ".join(["edgeocr train", model, "--out run", *flags]), **extra)
    assert cfg.strategy == "default" and cfg.seed == 0 and cfg.steps_per_epoch is None and cfg.cpu_replicas == 0


def test_from_args_takes_every_flag():
    cfg = PageConfig.from_args(_args("page", "--out", "r", "--count", "5", "--val", "3", "--epochs", "4",
                                     "--batch", "2", "--width", "6", "--strategy", "mirrored", "--seed", "9",
                                     "--workers", "1", "--steps-per-epoch", "7", "--init", "m.keras", "--lr", "0.01"))
    assert (cfg.count, cfg.val, cfg.epochs, cfg.batch, cfg.width, cfg.strategy, cfg.seed, cfg.workers,
            cfg.steps_per_epoch, cfg.init, cfg.lr) == (5, 3, 4, 2, 6, "mirrored", 9, 1, 7, "m.keras", 0.01)
    char = CharConfig.from_args(_args("char", "--out", "r", "--per-glyph", "2", "--real-copies", "0",
                                      "--stroke-copies", "1", "--mnist-limit", "50"))
    assert (char.per_glyph, char.real_copies, char.stroke_copies, char.mnist_limit) == (2, 0, 1, 50)
    hw = HandwritingConfig.from_args(_args("handwriting", "--out", "r", "--cache", "c", "--augment", "0.25"))
    assert (hw.cache, hw.augment, char.cache, char.augment) == ("c", 0.25, None, 0.0)
    plate = PlateConfig.from_args(_args("plate", "--out", "r", "--digits5", "3"))
    assert plate.digits5 == 3 and plate.init is None and plate.lr == 2e-3
    with pytest.raises(dataclasses.FrozenInstanceError):
        plate.count = 1


@pytest.mark.parametrize(("cfg", "message"), [
    (PlateConfig(out="r", count=0), "--count must be at least 1, not 0"),
    (PlateConfig(out="r", digits5=0, val=0), "--digits5 must be at least 1, not 0"),
    (PlateConfig(out="r", workers=0), "--workers must be at least 1, not 0"),
    (HandwritingConfig(out="r", val=-1), "--val must be at least 1, not -1"),
    (HandwritingConfig(out="r", batch=0), "--batch must be at least 1, not 0"),
    (PageConfig(out="r", width=0), "--width must be at least 1, not 0"),
    (PageConfig(out="r", lr=1.5), "--lr must be between 0 and 1, not 1.5"),
    (CharConfig(out="r", augment=1.5), "--augment must be between 0 and 1, not 1.5"),
    (PageConfig(out="r", init="/nowhere/page.keras"), "--init model /nowhere/page.keras not found"),
    (HandwritingConfig(out="r", init="/nowhere/hw.keras"), "--init model /nowhere/hw.keras not found"),
    (CharConfig(out="r", epochs=0), "--epochs must be at least 1, not 0"),
    (CharConfig(out="r", convs=0), "--convs must be at least 1, not 0"),
    (CharConfig(out="r", real="/nowhere"), "labels.csv"),
])
def test_validate_names_the_flag(cfg, message):
    with pytest.raises(EdgeOCRError, match=message):
        cfg.validate()


def test_validate_names_missing_mnist_files(tmp_path):
    with pytest.raises(EdgeOCRError, match="train-images-idx3-ubyte.gz not found"):
        HandwritingConfig(out="r", mnist=str(tmp_path)).validate()
    PlateConfig(out="r").validate()
    HandwritingConfig(out="r").validate()


def test_cli_refuses_bad_values_before_drawing(tmp_path):
    run = tmp_path / "run"
    assert_clean_error(run_cli("train", "plate", "--out", str(run), "--count", "0"),
                       "--count must be at least 1, not 0", code=2)
    assert_clean_error(run_cli("train", "handwriting", "--out", str(run), "--workers", "0"),
                       "--workers must be at least 1, not 0", code=2)
    assert_clean_error(run_cli("train", "page", "--out", str(run), "--lr", "0"), "--lr must be between 0 and 1",
                       code=2)
    assert not run.exists()
