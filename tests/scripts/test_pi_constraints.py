"""scripts/pi_constraints.sh: the Pi venv keeps the system (apt) numpy that picamera2's dependencies need."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "pi_constraints.sh"


def test_pins_the_given_pythons_numpy():
    proc = subprocess.run(["bash", str(SCRIPT), sys.executable], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"numpy=={np.__version__}\n"


def test_a_python_without_numpy_gives_no_constraint(tmp_path):
    fake = tmp_path / "python-without-numpy"
    fake.write_text("#!/bin/sh\necho 'ModuleNotFoundError: numpy' >&2\nexit 1\n")
    fake.chmod(0o755)
    proc = subprocess.run(["bash", str(SCRIPT), str(fake)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout == ""
