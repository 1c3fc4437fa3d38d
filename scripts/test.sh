#!/usr/bin/env bash
# The whole test suite: unit, integration against real emulators and a real
# Prefect server (started and stopped by the tests on free ports), end to end,
# after lint, format and strict type checks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
exec .venv/bin/pytest "$@"
