#!/usr/bin/env bash
# Install the Debian packages the app's window tests and `edgeocr bench app` need on a desktop or CI
# machine: Xvfb (a virtual screen), Mesa (software OpenGL for Kivy), xclip (the clipboard), mtdev.
set -euo pipefail
PKGS=(xvfb libgl1 libgl1-mesa-dri libegl1 xclip libmtdev1)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "app packages: all installed"; exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "app packages: installed ${missing[*]}"
