#!/usr/bin/env bash
# The whole test suite: unit, integration against real emulators and a real
# Prefect server (started and stopped by the tests on free ports), end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/pytest "$@"
