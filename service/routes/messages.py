"""Ingestion and reading of messages."""

from __future__ import annotations

from fastapi import APIRouter, status

from service.auth import AnyUser, Reviewer
from service.deps import EngineDep, SessionDep, SettingsDep
from service.engine import process
from service.errors import ApiError
from service.models import Message
from service.repository import store
from service.schemas import BatchCreate, BatchResult, IngestResult, MessageCreate, MessagePublic

router = APIRouter(prefix="/messages", tags=["messages"])


def _check_size(incoming: MessageCreate, settings, index: int | None = None) -> None:
    if len(incoming.text) > settings.max_text_chars:
        where = f"messages[{index}].text" if index is not None else "text"
        raise ApiError(413, "text_too_long", f"{where} has {len(incoming.text)} characters; the limit is {settings.max_text_chars}")


def _ingest(session, engine, incoming: list[MessageCreate]) -> list[IngestResult]:
    stored = [store(session, m) for m in incoming]  # each committed: accepted means durably stored
    new = [message for message, created in stored if created]
    try:
        process(session, engine, new)
    except Exception:  # the message is kept (status "received") and a worker can triage it later
        session.rollback()
        raise
    return [IngestResult(message=MessagePublic.model_validate(m), created=c) for m, c in stored]


@router.post("", response_model=IngestResult, status_code=status.HTTP_201_CREATED)
def ingest_one(incoming: MessageCreate, session: SessionDep, engine: EngineDep, settings: SettingsDep, user: Reviewer) -> IngestResult:
    """Store one message (idempotent by channel and external id) and triage it."""
    _check_size(incoming, settings)
    return _ingest(session, engine, [incoming])[0]


@router.post("/batch", response_model=BatchResult, status_code=status.HTTP_201_CREATED)
def ingest_batch(batch: BatchCreate, session: SessionDep, engine: EngineDep, settings: SettingsDep, user: Reviewer) -> BatchResult:
    """Store and triage up to ``max_batch`` messages in one call."""
    if len(batch.messages) > settings.max_batch:
        raise ApiError(413, "batch_too_large", f"{len(batch.messages)} messages; the limit is {settings.max_batch} per batch")
    for index, incoming in enumerate(batch.messages):
        _check_size(incoming, settings, index)
    return BatchResult(results=_ingest(session, engine, batch.messages))


@router.get("/{message_id}", response_model=MessagePublic)
def read_message(message_id: int, session: SessionDep, user: AnyUser) -> MessagePublic:
    message = session.get(Message, message_id)
    if message is None or (user.role == "agent" and message.assigned_to != user.id):
        raise ApiError(404, "not_found", f"no message with id {message_id}")  # agents see only their own queue
    return MessagePublic.model_validate(message)
