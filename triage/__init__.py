"""Self-hosted multilingual feedback triage and response assistant."""

__version__ = "0.1.0"
