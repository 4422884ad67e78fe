"""Request and response bodies. Requests refuse unknown fields and bad values with a 422."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Literal

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
    priority: int | None = None
    priority_reasons: list | None = None
    queue: str | None = None
    assigned_to: int | None = None
    review_status: str | None = None
    reply_text: str | None = None
    rejection_reason: str | None = None
    first_response_at: datetime | None = None


class IngestResult(BaseModel):
    message: MessagePublic
    created: bool  # false when the same (channel, external_id) was already stored


class BatchResult(BaseModel):
    results: list[IngestResult]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=255, pattern=r"^[^@\s]+@[^@\s]+$")
    role: Literal["manager", "community_manager", "agent"]
    teams: list[str] = []
    languages: list[str] = []
    capacity: int = Field(default=10, ge=0, le=1000)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    email: str
    role: str
    teams: list[str]
    languages: list[str]
    capacity: int
    available: bool


class UserCreated(BaseModel):
    user: UserPublic
    token: str  # shown once


class Availability(BaseModel):
    model_config = ConfigDict(extra="forbid")
    available: bool


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reply_text: str | None = Field(default=None, min_length=1, max_length=20_000)  # an edited reply; default: the draft


class Rejection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000)


class LabelCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sentiment: Literal["negative", "neutral", "positive"] | None = None
    intent: Literal["sales", "support", "marketing", "other"] | None = None
    spam: Literal["spam", "ham"] | None = None
