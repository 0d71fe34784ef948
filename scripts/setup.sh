#!/usr/bin/env bash
# Installs everything gridwatch needs on a fresh Debian 12 machine with Python 3.11:
# system packages (GStreamer RTSP server for simulated cameras, Redis), a virtual environment in
# .venv and the project with its dev tools. Set GRIDWATCH_EXTRAS=dev,train for the training stack.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${GRIDWATCH_EXTRAS:-dev}"
apt_pkgs=(gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly python3-gi
  chromium fonts-noto-cjk)  # chromium + CJK fonts: the console's browser tests
command -v redis-server >/dev/null 2>&1 || apt_pkgs+=(redis-server)

missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($py --version)"
  "$py" -m venv .venv
fi
echo "setup: installing gridwatch[$extras] into .venv"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]" 2>&1 \
  | grep -v "is ignored: it is neither a file nor a directory" || true
.venv/bin/python -c "import gridwatch, cv2, av, onnxruntime" \
  || { echo "setup: the install did not complete" >&2; exit 1; }
echo "setup: done"
