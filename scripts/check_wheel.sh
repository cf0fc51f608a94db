#!/usr/bin/env bash
# Build the wheel, install it (not editable) into a fresh venv, and from a folder outside the checkout
# check what a user of the wheel gets: one import package (edge_app), `edgeocr read` on every bundled
# sample, `edgeocr serve` answering an upload, the model store installing and validating a model, and
# the desktop commands (train/convert/bench) saying in one line that they need a checkout.
#   bash scripts/check_wheel.sh            (PY=python3.x to choose the interpreter)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "check_wheel: building the wheel"
"$PY" -m pip wheel -q --no-deps -w "$work/dist" "$root"
wheel=("$work"/dist/edgeocr-*.whl)
"$PY" -m venv "$work/venv"
"$work/venv/bin/pip" install -q -U pip
"$work/venv/bin/pip" install -q "${wheel[0]}[serve]"
cp "$root/scripts/wheel_smoke.py" "$work/"
cd "$work"  # nothing of the checkout is importable from here
"$work/venv/bin/python" wheel_smoke.py "${wheel[0]}"
