#!/usr/bin/env bash
# Installs everything (system packages, .venv with the dev and training extras), makes sure a
# Redis answers on 127.0.0.1:6379, then runs the linters and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

GRIDWATCH_EXTRAS="${GRIDWATCH_EXTRAS:-dev,train}" bash scripts/setup.sh

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "test: no Redis on 127.0.0.1:6379; starting one"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --logfile "$(mktemp -d)/redis.log"
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

echo "test: ruff"
.venv/bin/ruff check gridwatch tests bench
echo "test: mypy"
.venv/bin/mypy gridwatch
echo "test: pytest"
.venv/bin/python -m pytest "$@"
