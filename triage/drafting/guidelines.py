"""One brand's voice, as managers write it in ``guidelines/<brand>.yaml`` (format: guidelines/README.md)."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from triage.drafting.files import load_model

PLACEHOLDERS = {"name", "agent", "agent_initials", "brand"}
CHANNELS = {"twitter", "facebook", "instagram", "forum", "email", "chat", "review", "survey", "sms", "whatsapp", "default"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_placeholders(text: str) -> str:
    fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    unknown = fields - PLACEHOLDERS
    if unknown:
        raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}}; use only {sorted(PLACEHOLDERS)}")
    return text


class PerChannel(Strict):
    """Text per channel with a required default, e.g. greetings and sign-offs."""

    model_config = ConfigDict(extra="allow")
    default: str

    @model_validator(mode="after")
    def _placeholders(self) -> "PerChannel":
        unknown = set(self.model_extra or {}) - CHANNELS
        if unknown:
            raise ValueError(f"unknown channel {sorted(unknown)[0]!r}; channels are {sorted(CHANNELS)}")
        for value in self.by_channel().values():
            if not isinstance(value, str):
                raise ValueError("every channel's text must be a string")
            _check_placeholders(value)
        return self

    def by_channel(self) -> dict[str, str]:
        return {"default": self.default, **(self.model_extra or {})}

    def for_channel(self, channel: str | None) -> str:
        return self.by_channel().get(channel or "default", self.default)


class ChannelRules(Strict):
    max_length: int = Field(gt=0)
    max_emoji: int = Field(ge=0)


class Avoid(Strict):
    phrase: str = Field(min_length=1)
    replacement: str | None = None


class LanguageVoice(Strict):
    formality: Literal["formal", "informal"]
    formality_markers: list[str] = []
    greeting: PerChannel
    greeting_no_name: PerChannel
    sign_off: PerChannel
    apology_words: list[str] = Field(min_length=1)
    apology: str | None = None  # sentence added when an unhappy customer's draft has no apology yet
    self_help_intro: str | None = None  # e.g. "This guide may help:" before the self-help link
    disclosure: str = Field(min_length=1)
    avoid: list[Avoid] = []


class Required(Strict):
    apology_when_negative: bool = True
    help_link_for_support: bool = True
    disclosure_for_sales: bool = True


class Escalation(Strict):
    situation: str = Field(pattern=r"^[a-z0-9_-]+$")
    keywords: dict[str, list[str]]


class Playbook(Strict):
    template: str
    alert: bool = False


class NpsPlaybooks(Strict):
    detractor: Playbook
    passive: Playbook
    promoter: Playbook


class SelfHelpArticle(Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    url: str = Field(pattern=r"^https?://\S+$")
    title: dict[str, str]
    questions: dict[str, list[str]]


class Guidelines(Strict):
    brand: str = Field(min_length=1)
    fallback_language: str = Field(min_length=2)
    channels: dict[str, ChannelRules]
    entities: dict[str, str] = {}
    help_centre: str = Field(pattern=r"^https?://\S+$")
    languages: dict[str, LanguageVoice]
    required: Required = Required()
    escalate: list[Escalation] = []
    nps: NpsPlaybooks
    self_help: list[SelfHelpArticle] = []

    @field_validator("channels")
    @classmethod
    def _default_channel(cls, value: dict[str, ChannelRules]) -> dict[str, ChannelRules]:
        if "default" not in value:
            raise ValueError("a 'default' channel is required (used for channels not listed)")
        unknown = set(value) - CHANNELS
        if unknown:
            raise ValueError(f"unknown channel {sorted(unknown)[0]!r}; channels are {sorted(CHANNELS)}")
        return value

    @field_validator("entities")
    @classmethod
    def _patterns_compile(cls, value: dict[str, str]) -> dict[str, str]:
        for name, pattern in value.items():
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"entities -> {name}: not a valid regular expression ({error})") from None
        return value

    @model_validator(mode="after")
    def _fallback_exists(self) -> "Guidelines":
        if self.fallback_language not in self.languages:
            raise ValueError(f"fallback_language {self.fallback_language!r} has no block under languages")
        return self

    def channel(self, name: str | None) -> ChannelRules:
        return self.channels.get(name or "default", self.channels["default"])

    def voice(self, language: str) -> LanguageVoice:
        return self.languages[language]


def load_guidelines(path: str | Path) -> Guidelines:
    """Validated guidelines; raises :class:`~triage.drafting.files.FileProblems` with located lines."""
    return load_model(path, Guidelines)
