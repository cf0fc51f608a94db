#!/usr/bin/env bash
# Install the Debian packages the app's window tests and `edgeocr bench app` need on a desktop or CI
# machine: Xvfb (a virtual screen), Mesa (software OpenGL for Kivy), xclip (the clipboard), mtdev.
set -euo pipefail
PKGS=(xvfb libgl1 libgl1-mesa-dri libegl1 xclip libmtdev1)
exec bash "$(dirname "$0")/apt_install.sh" "app packages" "${PKGS[@]}"
