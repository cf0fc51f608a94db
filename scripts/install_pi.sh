#!/usr/bin/env bash
# Install edgeocr and its app on Raspberry Pi OS (64-bit, Bookworm or Trixie), from a checkout of the project.
#   bash scripts/install_pi.sh            # apt packages, .venv, a check that the camera and models load
#   bash scripts/install_pi.sh --kiosk    # also start the app full screen at boot (systemd unit)
#   bash scripts/install_pi.sh --dry-run  # print what would be done (and the unit), change nothing
# See docs/raspberry_pi.md (what was checked, the numpy pin, expected speed).
set -euo pipefail
cd "$(dirname "$0")/.."
kiosk=0 dry=0
for arg in "$@"; do
  case "$arg" in
    --kiosk) kiosk=1 ;;
    --dry-run) dry=1 ;;
    *) echo "install_pi.sh: unknown option '$arg' (use --kiosk, --dry-run)" >&2; exit 2 ;;
  esac
done
run() { if [ "$dry" = 1 ]; then echo "+ $*"; else "$@"; fi; }
sudo_run() { if [ "$(id -u)" = 0 ]; then run "$@"; else run sudo "$@"; fi; }

# picamera2 comes from Raspberry Pi's apt repository (it is tied to libcamera), never from pip;
# the venv sees it through --system-site-packages. The apt picamera2 does not depend on LiteRT (only its
# examples import ai_edge_litert, installed with pip): LiteRT, OpenCV and Kivy come from PyPI into the
# venv, which takes precedence over any system copy. numpy stays the apt one (pi_constraints.sh says why).
sudo_run apt-get update
sudo_run apt-get install -y python3-picamera2 python3-venv python3-pip libgl1 libegl1 libmtdev1 xclip
run python3 -m venv --system-site-packages .venv
if [ "$dry" = 1 ]; then
  echo "+ bash scripts/pi_constraints.sh python3 > .venv/pi-constraints.txt"
else
  bash scripts/pi_constraints.sh python3 > .venv/pi-constraints.txt
fi
run .venv/bin/pip install -q -U pip
run .venv/bin/pip install -q -c .venv/pi-constraints.txt -e ".[app]"
run .venv/bin/python -c "import picamera2, kivy, ai_edge_litert, numpy, cv2
print('picamera2, Kivy and LiteRT import; numpy', numpy.__version__, 'from', numpy.__file__)
print('LiteRT', ai_edge_litert.__file__, '- OpenCV', cv2.__version__)"
run .venv/bin/edgeocr read --task char edge_app/families/char/samples/char_0_7.png

if [ "$kiosk" = 1 ]; then
  user="${SUDO_USER:-$(id -un)}"
  unit="[Unit]
Description=edgeocr kiosk (plate reader on the Pi camera)
After=graphical.target
Wants=graphical.target

[Service]
Type=simple
User=$user
WorkingDirectory=$PWD
Environment=DISPLAY=:0
Environment=XDG_RUNTIME_DIR=/run/user/$(id -u "$user")
ExecStart=$PWD/.venv/bin/edgeocr app --source pi --fullscreen --export-dir $PWD
Restart=on-failure
RestartSec=3

[Install]
WantedBy=graphical.target"
  if [ "$dry" = 1 ]; then
    echo "+ write /etc/systemd/system/edgeocr.service:"
    echo "$unit"
  else
    echo "$unit" | sudo_run tee /etc/systemd/system/edgeocr.service >/dev/null
  fi
  sudo_run systemctl daemon-reload
  sudo_run systemctl enable --now edgeocr.service
  echo "kiosk: edgeocr starts at boot (sudo systemctl disable --now edgeocr to stop it)"
fi
echo "done: .venv/bin/edgeocr app --source pi"
