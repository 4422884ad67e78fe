"""Shared fixtures: heavy models load once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

SHARED_DATA = Path(os.environ.get("TRIAGE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.fixture(scope="session")
def encoder():
    from triage.encoder.encoder import Encoder

    return Encoder.load()


@pytest.fixture(scope="session")
def pipeline():
    from triage.pipeline import Pipeline

    return Pipeline.load()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "sentiment").is_dir():
        pytest.skip(f"corpora folder not found at {SHARED_DATA} (set TRIAGE_SHARED_DATA)")
    return SHARED_DATA
