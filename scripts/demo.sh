#!/usr/bin/env bash
# Set everything up, then run the main job on the bundled sample inbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/triage label data/samples/messages.jsonl
echo "--- recurring pain points in the same inbox (triage cluster --summary) ---" >&2
.venv/bin/triage cluster --summary data/samples/messages.jsonl
