#!/usr/bin/env bash
# The main job: set up, start the local stack, send the sample invoices through
# the event chain and print the warehouse rows and the Prefect UI address.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/invoiceflow demo "$@"
