#!/usr/bin/env bash
# shellcheck disable=SC2317  # the steps are functions that step() calls indirectly
# Emulated arm64 run of the device runtime: does edgeocr read the bundled samples on arm64 (a Raspberry
# Pi's architecture) exactly as it does here?
#
#   sudo bash scripts/check_arm64.sh          # also: make check-arm64
#
# 1. Builds (first run) or reuses an arm64 Debian bookworm root file system, the base of Raspberry Pi
#    OS (debootstrap --foreign --variant=minbase + qemu-user-static; both apt-installed if missing;
#    binfmt_misc mounted and qemu-aarch64 registered if needed).
# 2. In a chroot there, does what scripts/install_pi.sh does for the runtime: a venv with
#    --system-site-packages and `pip install` of this checkout (core, no extras: the aarch64 wheels of
#    numpy, opencv-python-headless and ai-edge-litert), then prints `pip list`.
# 3. Runs `edgeocr read --json` on every bundled sample (edge_app/families/*/samples, each with its
#    task) on the host (x86) and in the chroot (arm64), and compares: texts equal, confidences within
#    ARM64_CONF_TOL. One line per mismatch; exit 1 if there is any.
# 4. Does 2 and 3 again the way scripts/install_pi.sh makes the venv on Raspberry Pi OS: Debian's
#    python3-numpy from apt (python3-picamera2 pulls it in; picamera2 itself is not in Debian) and
#    numpy pinned to it with scripts/pi_constraints.sh, so pip picks the OpenCV and ml_dtypes that
#    accept it (ARM64_SKIP_PI_VENV=1 skips this). Its differences are reported, not failed: that venv's
#    numpy and OpenCV are other versions than the host's, so they are not arm64's alone.
# 5. Checks `edgeocr app --help` and, where Kivy has an aarch64 wheel for the rootfs Python,
#    `import kivy` (Kivy added to the venv after the reads, wheels only; where none, it says so).
# Every step prints how long it took. Needs root (debootstrap, chroot, mounts) and network access to
# the Debian mirror and PyPI. Not part of CI: it takes minutes (emulated Python is slow).
#
# Environment:
#   ARM64_ROOTFS     the rootfs (default ~/.cache/edgeocr/arm64-rootfs); delete it to rebuild
#   ARM64_MIRROR     Debian mirror (default http://deb.debian.org/debian)
#   HOST_PYTHON      the x86 runtime's Python (default .venv/bin/python, else python3); it must import
#                    edge_app from this checkout (checked)
#   ARM64_CONF_TOL   largest allowed confidence difference (default 0.02)
#   ARM64_SKIP_PI_VENV  1: skip step 4
#   ARM64_SKIP_KIVY  1: skip the Kivy check
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
rootfs="${ARM64_ROOTFS:-$HOME/.cache/edgeocr/arm64-rootfs}"
mirror="${ARM64_MIRROR:-http://deb.debian.org/debian}"
tol="${ARM64_CONF_TOL:-0.02}"
host_py="${HOST_PYTHON:-}"
if [ -z "$host_py" ]; then
  if [ -x "$root/.venv/bin/python" ]; then host_py="$root/.venv/bin/python"; else host_py=python3; fi
fi
# python3 and venv make the runtime's venv; ca-certificates lets pip reach PyPI. opencv-python-headless
# bundles its own libraries (no libgl1/libglib2.0-0 needed: checked with ldd below).
packages="python3,python3-venv,ca-certificates"
src=/opt/edgeocr-src venv=/opt/edgeocr-venv pi_venv=/opt/edgeocr-pi-venv
work="$(mktemp -d)"
t_start=$(date +%s)

log() { printf '== %s\n' "$*"; }
die() { printf 'check_arm64: %s\n' "$*" >&2; exit 2; }

# step NAME CMD...: run CMD (set -e stops the script if it fails), then print how long it took.
timings=() current=""
step() {
  local name="$1" t0 ms
  shift
  current="$name"
  log "$name"
  t0=$(date +%s%N)
  "$@"
  ms=$((($(date +%s%N) - t0) / 1000000))
  timings+=("$(printf '%6d.%d s  %s' $((ms / 1000)) $((ms % 1000 / 100)) "$name")")
  printf -- '-- %s: %d.%d s\n' "$name" $((ms / 1000)) $((ms % 1000 / 100))
  current=""
}

# Everything mounted into the rootfs is unmounted on any exit.
mounts=()
cleanup() {
  local rc=$? i
  [ -z "$current" ] || echo "check_arm64: FAILED in step '$current' (exit $rc)" >&2
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# in_chroot CMD: run a bash command line in the rootfs with a clean environment (the host's PIP_* and
# paths do not leak in; the host's CA bundle does, for a proxied network).
in_chroot() {
  chroot "$rootfs" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 PIP_CERT=/etc/ssl/certs/host-ca.crt \
    ${PIP_INDEX_URL:+PIP_INDEX_URL="$PIP_INDEX_URL"} /bin/bash -euo pipefail -c "$1"
}

host_tools() {
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  [ -x /usr/libexec/qemu-binfmt/aarch64-binfmt-P ] || command -v qemu-aarch64-static >/dev/null \
    || missing+=(qemu-user-static)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing ${missing[*]} from Debian's packages"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  fi
  if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    echo "mounting binfmt_misc"
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  fi
  if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    echo "registering qemu-aarch64 with binfmt_misc"
    # The F flag: the kernel opens the interpreter now, so it works inside the chroot too.
    cat /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register
  fi
  echo "qemu: $(qemu-aarch64-static --version | head -1); $(head -1 /proc/sys/fs/binfmt_misc/qemu-aarch64)"
  echo "debootstrap: $(dpkg-query -W -f '${Version}' debootstrap)"
}

build_rootfs() {
  if [ -f "$rootfs/.edgeocr-rootfs-ok" ]; then
    echo "reusing $rootfs (built $(cat "$rootfs/.edgeocr-rootfs-ok"))"
    return
  fi
  rm -rf "$rootfs"
  mkdir -p "$rootfs"
  debootstrap --foreign --arch=arm64 --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror"
  cp "$(command -v qemu-aarch64-static)" "$rootfs/usr/bin/"  # for kernels without binfmt's F flag
  chroot "$rootfs" /debootstrap/debootstrap --second-stage
  date -u +%FT%TZ > "$rootfs/.edgeocr-rootfs-ok"
}

mount_rootfs() {
  mount -t proc proc "$rootfs/proc" && mounts+=("$rootfs/proc")
  mount --bind /dev "$rootfs/dev" && mounts+=("$rootfs/dev")
  # No /sys: the host's is an x86 machine's, and with it the emulated reads crashed (a segmentation
  # fault under qemu; the same reads run without it). Without it LiteRT's cpuinfo prints errors and
  # falls back to the CPU that qemu reports; a real Pi has its own /sys.
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/host-ca.crt"
  # shellcheck disable=SC2016  # expanded in the chroot
  in_chroot 'echo "rootfs: $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -m), $(python3 --version)"'
}

copy_checkout() {
  # What the wheel is built from: the package, its models and the project files (no .git, no .venv).
  rm -rf "${rootfs:?}$src"
  mkdir -p "$rootfs$src"
  (cd "$root" && tar --exclude=__pycache__ -cf - pyproject.toml README.md edge_app models scripts/pi_constraints.sh scripts/litert_kernels.py) | tar -xf - -C "$rootfs$src"
}

install_runtime() {
  in_chroot "rm -rf $venv && python3 -m venv --system-site-packages $venv
    $venv/bin/pip install -q -U pip
    $venv/bin/pip install -q $src
    echo 'pip list (arm64 venv):'
    $venv/bin/pip list --format=freeze | sed 's/^/  /'
    cd / && $venv/bin/python -c 'import edge_app, cv2, numpy, ai_edge_litert; print(\"imports edge_app from\", edge_app.__file__)'
    so=\$(find $venv/lib -name 'cv2*.so' | head -1)
    if ldd \"\$so\" | grep -q 'not found'; then ldd \"\$so\" | grep 'not found'; exit 1; fi
    echo \"OpenCV's libraries all resolve (ldd \${so##*/})\""
}

# samples: 'TASK<TAB>PATH' for every bundled sample, PATH relative to the checkout (the wheel ships the same).
list_samples() {
  (cd "$root" && "$host_py" - <<'EOF'
from pathlib import Path

from edge_app.families import FAMILIES

for family in FAMILIES.values():
    for task in family.tasks:
        for p in family.sample_files(task):
            print(f"{task}\t{p.resolve().relative_to(Path.cwd().resolve())}")
EOF
  )
}

read_x86() {
  local here
  here=$(cd "$root" && "$host_py" -c 'import edge_app; print(edge_app.__file__)')
  [ "$here" = "$root/edge_app/__init__.py" ] || die "$host_py imports edge_app from $here, not this checkout (set HOST_PYTHON)"
  echo "x86: $host_py ($("$host_py" --version)), edge_app from $here"
  : > "$work/x86.jsonl"
  while IFS=$'\t' read -r task path; do
    (cd "$root" && "$host_py" -m edge_app read --json --task "$task" "$path") >> "$work/x86.jsonl"
  done < "$work/samples.tsv"
  echo "$(wc -l < "$work/x86.jsonl") samples read"
}

# read_arm64 VENV NAME: every sample read with VENV's edgeocr in the rootfs, to $work/NAME.jsonl.
read_arm64() {
  cp "$work/samples.tsv" "$rootfs/tmp/samples.tsv"
  in_chroot "cd $src
    while IFS=\$'\t' read -r task path; do $1/bin/edgeocr read --json --task \"\$task\" \"\$path\"; done \
      < /tmp/samples.tsv > /tmp/$2.jsonl"
  cp "$rootfs/tmp/$2.jsonl" "$work/$2.jsonl"
  echo "$(wc -l < "$work/$2.jsonl") samples read"
}

# Which LiteRT kernels each side's reads ran (see scripts/litert_kernels.py): XNNPACK on the host; under
# qemu-user, cpuinfo cannot identify the emulated CPU, so LiteRT uses its builtin kernels (a Pi runs XNNPACK).
kernels() {
  echo "x86: $(cd "$root" && "$host_py" scripts/litert_kernels.py 2>/dev/null)"
  echo "arm64: $(in_chroot "cd / && $venv/bin/python $src/scripts/litert_kernels.py 2>/dev/null")"
}

mismatch=0
# compare NAME [info]: $work/NAME.jsonl against the x86 reads; with "info", differences are reported but do
# not fail the check (the Pi-like venv runs other numpy and OpenCV versions than the host, so a difference
# there need not be arm64's).
compare() {
  if python3 "$root/scripts/compare_reads.py" --tol "$tol" "$work/x86.jsonl" "$work/$1.jsonl"; then return; fi
  if [ "${2:-}" = info ]; then
    echo "(reported, not failed: this venv's numpy/OpenCV differ from the host's, so these are not arm64's alone)"
  else
    mismatch=1
  fi
}

install_pi_like() {
  in_chroot "if ! dpkg -s python3-numpy >/dev/null 2>&1; then
      apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-numpy
    fi
    echo \"apt: python3-numpy \$(dpkg-query -W -f '\${Version}' python3-numpy)\"
    rm -rf $pi_venv && python3 -m venv --system-site-packages $pi_venv
    bash $src/scripts/pi_constraints.sh python3 > $pi_venv/pi-constraints.txt
    echo \"constraints: \$(cat $pi_venv/pi-constraints.txt)\"
    $pi_venv/bin/pip install -q -U pip
    $pi_venv/bin/pip install -q -c $pi_venv/pi-constraints.txt $src
    echo 'pip list (Pi-like venv, packages in the venv itself):'
    $pi_venv/bin/pip list --local --format=freeze | sed 's/^/  /'
    cd / && $pi_venv/bin/python -c 'import numpy, cv2, ai_edge_litert; print(\"numpy\", numpy.__version__, \"from\", numpy.__file__, \"- OpenCV\", cv2.__version__)'"
}

check_app() {
  in_chroot "$venv/bin/edgeocr app --help"
  if [ "${ARM64_SKIP_KIVY:-0}" = 1 ]; then echo "Kivy: skipped (ARM64_SKIP_KIVY=1)"; return; fi
  # The [app] extra's Kivy, wheels only (no wheel for this Python on aarch64 means no build attempt),
  # added to the runtime venv now that the reads are done.
  local kivy_spec
  kivy_spec=$(cd "$root" && python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["app"][0])')
  in_chroot "if $venv/bin/pip install -q --only-binary=:all: '$kivy_spec'; then
      $venv/bin/pip list --format=freeze | grep -i '^kivy' | sed 's/^/  /'
      cd / && KIVY_NO_ARGS=1 KIVY_NO_CONSOLELOG=1 $venv/bin/python -c 'import kivy; print(\"import kivy: ok, Kivy\", kivy.__version__)'
    else
      echo \"Kivy: no aarch64 wheel of '$kivy_spec' for \$(python3 --version) on PyPI: import kivy not checked\"
    fi"
}

log "edgeocr arm64 check: $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo 'no git'), $(date -u +%FT%TZ), host $(uname -m)"
list_samples > "$work/samples.tsv"
[ -s "$work/samples.tsv" ] || die "no bundled samples found"
echo "$(wc -l < "$work/samples.tsv") bundled samples:"
sed 's/^/  /' "$work/samples.tsv"

step "host tools (debootstrap, qemu-user-static, binfmt_misc)" host_tools
step "arm64 bookworm rootfs (debootstrap --variant=minbase)" build_rootfs
step "mount /proc and /dev in the rootfs" mount_rootfs
step "copy the checkout into the rootfs" copy_checkout
step "arm64 venv + pip install (runtime, no extras)" install_runtime
step "x86 reads (host runtime)" read_x86
step "arm64 reads (emulated)" read_arm64 "$venv" arm64
step "compare x86 and arm64" compare arm64
step "LiteRT kernels used (x86, arm64)" kernels
if [ "${ARM64_SKIP_PI_VENV:-0}" != 1 ]; then
  step "Pi-like arm64 venv: apt python3-numpy, numpy pinned (as install_pi.sh)" install_pi_like
  step "arm64 reads, Pi-like venv (emulated)" read_arm64 "$pi_venv" arm64-pi
  step "compare x86 and arm64 (Pi-like venv, other library versions: informational)" compare arm64-pi info
fi
step "edgeocr app --help and import kivy (arm64)" check_app

log "summary"
printf '%s\n' "${timings[@]}"
printf '%8d s  total\n' "$(($(date +%s) - t_start))"
if [ "$mismatch" = 0 ]; then echo "check_arm64: OK (x86 and arm64 read every sample alike)"; exit 0; fi
echo "check_arm64: FAILED (x86 and arm64 read differently, see above)"
exit 1
