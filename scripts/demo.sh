#!/usr/bin/env bash
# Set everything up, then run the main job on the bundled sample inbox: labels, clusters, drafted replies.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "--- labels (triage label) ---" >&2
.venv/bin/triage label data/samples/messages.jsonl
echo "--- recurring pain points (triage cluster --summary) ---" >&2
.venv/bin/triage cluster --summary data/samples/messages.jsonl
echo "--- drafted replies for the sample brand (triage draft) ---" >&2
.venv/bin/triage draft data/samples/messages.jsonl --guidelines guidelines/nimbus-mobile.yaml --agent "Sam Lee"
