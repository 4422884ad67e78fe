"""Request and response bodies. Requests refuse unknown fields and bad values with a 422."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Channel(str, Enum):
    twitter = "twitter"
    facebook = "facebook"
    instagram = "instagram"
    forum = "forum"
    email = "email"
    chat = "chat"
    review = "review"
    survey = "survey"
    sms = "sms"
    whatsapp = "whatsapp"


class Customer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=200)
    segment: str | None = Field(default=None, max_length=64)
    revenue_tier: str | None = Field(default=None, max_length=64)
    products: list[str] = Field(default_factory=list, max_length=50)


class MessageCreate(BaseModel):
    """An incoming message. ``(channel, external_id)`` identifies it: sending it twice stores it once."""

    model_config = ConfigDict(extra="forbid")
    channel: Channel
    external_id: str = Field(min_length=1, max_length=255)
    text: str = Field(min_length=1)
    author: str | None = Field(default=None, max_length=255)
    thread_id: str | None = Field(default=None, max_length=255)
    received_at: datetime | None = None
    customer: Customer | None = None
    nps_score: int | None = Field(default=None, ge=0, le=10)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty")
        return value


class BatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    messages: list[MessageCreate] = Field(min_length=1)


class MessagePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    channel: str
    external_id: str
    author: str | None
    thread_id: str | None
    received_at: datetime
    text: str
    customer: dict | None
    nps_score: int | None
    status: str
    language: str | None
    labels: dict | None
    cluster_id: str | None
    draft: dict | None


class IngestResult(BaseModel):
    message: MessagePublic
    created: bool  # false when the same (channel, external_id) was already stored


class BatchResult(BaseModel):
    results: list[IngestResult]
