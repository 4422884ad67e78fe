#!/usr/bin/env bash
# Set everything up, then run the main job on the bundled sample inbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/triage label data/samples/messages.jsonl
