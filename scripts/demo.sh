#!/usr/bin/env bash
# Installs everything, then runs the full demo: simulated RTSP cameras → worker → Redis → alerts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/gridwatch demo "$@"
