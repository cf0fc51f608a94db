#!/usr/bin/env bash
# Install the benches' peers: Tesseract (Debian) and RapidOCR (pip, the `peers` extra) into PIP's
# environment. Bench-time only; the device never needs either.
#   PIP=.venv/bin/pip bash scripts/install_peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/apt_install.sh "bench peers" tesseract-ocr tesseract-ocr-eng
"${PIP:-pip}" install -q -e ".[peers]"
