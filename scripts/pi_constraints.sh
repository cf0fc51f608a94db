#!/usr/bin/env bash
# pip constraints for a venv made with --system-site-packages on Raspberry Pi OS: keep the apt numpy.
#   bash scripts/pi_constraints.sh [PYTHON] > constraints.txt    # then: pip install -c constraints.txt ...
# python3-picamera2 pulls in apt's python3-numpy and python3-simplejpeg, which is compiled against that
# numpy. If pip put a numpy of another major version into the venv (opencv-python-headless >= 4.12 and
# ml_dtypes >= 0.7 ask for numpy >= 2), `import picamera2` would fail there with "numpy.dtype size
# changed" (raspberrypi/picamera2 issues 1088 and 1211). Pinning numpy to the apt version makes pip pick
# the newest opencv-python-headless and ml_dtypes that accept it. Prints nothing if PYTHON has no numpy.
set -euo pipefail
"${1:-python3}" -c 'import numpy; print(f"numpy=={numpy.__version__}")' 2>/dev/null || true
