"""Service settings, from environment variables prefixed ``TRIAGE_`` (or ``DATABASE_URL``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from triage.settings import PROJECT_ROOT


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///triage.db", validation_alias=AliasChoices("DATABASE_URL", "TRIAGE_DATABASE_URL")
    )
    guidelines: Path = PROJECT_ROOT / "guidelines" / "nimbus-mobile.yaml"
    templates: Path = PROJECT_ROOT / "templates"
    max_text_chars: int = 20_000  # documented limit: longer messages are refused with 413
    max_batch: int = 500  # documented limit: larger batches are refused with 413
    admin_token: str | None = None  # TRIAGE_ADMIN_TOKEN: a manager with this token is created at start-up
    webhook_url: str | None = None  # TRIAGE_WEBHOOK_URL: where approved replies are posted
    seed_samples: bool = False  # TRIAGE_SEED_SAMPLES: ingest the sample inbox into an empty database at start-up
    samples: Path = PROJECT_ROOT / "data" / "samples" / "messages.jsonl"
