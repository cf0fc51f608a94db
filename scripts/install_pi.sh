#!/usr/bin/env bash
# Install edgeocr and its app on Raspberry Pi OS (Bookworm or later), from a checkout of the project.
#   bash scripts/install_pi.sh            # apt packages, .venv, a check that the camera and models load
#   bash scripts/install_pi.sh --kiosk    # also start the app full screen at boot (systemd unit)
#   bash scripts/install_pi.sh --dry-run  # print what would be done (and the unit), change nothing
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
# the venv sees it through --system-site-packages.
sudo_run apt-get update
sudo_run apt-get install -y python3-picamera2 python3-venv python3-pip libgl1 libegl1 libmtdev1 xclip
run python3 -m venv --system-site-packages .venv
run .venv/bin/pip install -q -U pip
run .venv/bin/pip install -q -e ".[app]"
run .venv/bin/python -c "import picamera2, kivy, ai_edge_litert; print('picamera2, Kivy and LiteRT import')"
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
