#!/usr/bin/env bash
# Build the Android APK: stage edge_app + models + main.py, run buildozer with scripts/android/buildozer.spec.
#   bash scripts/android/build.sh            # debug APK in scripts/android/bin/
#   bash scripts/android/build.sh deploy run # also install and start it on a USB-connected phone
# Then check the APK's native libraries for 16 KB pages (Google Play, Android 15+): docs/android.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
command -v buildozer >/dev/null || { echo "install buildozer first: pip install buildozer (and its Android SDK/NDK prerequisites)" >&2; exit 2; }
rm -rf "$here/stage"
mkdir -p "$here/stage"
cp -r "$root/edge_app" "$root/models" "$here/stage/"
cp "$here/main.py" "$here/stage/"
find "$here/stage" -name "__pycache__" -prune -exec rm -rf {} +
cd "$here"
buildozer android debug "$@"
