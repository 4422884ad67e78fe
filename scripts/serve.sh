#!/usr/bin/env bash
# Set everything up, then run the HTTP API with SQLite, the bundled models, the sample brand and the sample
# inbox (ingested into an empty database). TRIAGE_ADMIN_TOKEN is the manager's token (default: dev-admin).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TRIAGE_ADMIN_TOKEN="${TRIAGE_ADMIN_TOKEN:-dev-admin}"
exec .venv/bin/triage serve "$@"
