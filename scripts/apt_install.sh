#!/usr/bin/env bash
# Install the Debian packages named after LABEL that are not installed yet (sudo when not root).
#   bash scripts/apt_install.sh LABEL PKG...
set -euo pipefail
label="$1"; shift
missing=()
for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "$label: all installed"; exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "$label: installed ${missing[*]}"
