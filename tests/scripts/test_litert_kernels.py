"""scripts/litert_kernels.py: whether LiteRT's XNNPACK or its builtin kernels run the int8 models."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from tests.conftest import MODELS, ROOT

SCRIPT = ROOT / "scripts" / "litert_kernels.py"


def test_the_two_kernel_sets_round_int8_differently_but_not_float():
    import importlib.util

    spec = importlib.util.spec_from_file_location("litert_kernels", SCRIPT)
    kernels = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kernels)
    xnnpack, builtin = (kernels.outputs(MODELS / "plate.tflite", d) for d in (True, False))
    assert xnnpack.shape == builtin.shape == (1, 32, 37)
    assert 0 < np.abs(xnnpack - builtin).max() < 0.2  # one int8 model, two roundings: close, not equal


def test_a_real_cpu_runs_xnnpack():
    proc = subprocess.run([sys.executable, str(SCRIPT), str(MODELS)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("LiteRT int8 kernels: XNNPACK;"), proc.stdout
    assert "plate_detector" in proc.stdout and "char_fp16" not in proc.stdout
