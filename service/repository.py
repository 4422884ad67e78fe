"""Storing messages: idempotent by (channel, external_id), committed before anyone is told "accepted"."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.models import Message, utcnow
from service.schemas import MessageCreate


def find(session: Session, channel: str, external_id: str) -> Message | None:
    return session.scalar(select(Message).where(Message.channel == channel, Message.external_id == external_id))


def store(session: Session, incoming: MessageCreate) -> tuple[Message, bool]:
    """The stored message and whether this call created it. Commits before returning."""
    channel = incoming.channel.value
    existing = find(session, channel, incoming.external_id)
    if existing is not None:
        return existing, False
    message = Message(
        channel=channel,
        external_id=incoming.external_id,
        author=incoming.author,
        thread_id=incoming.thread_id,
        received_at=incoming.received_at or utcnow(),
        stored_at=utcnow(),
        text=incoming.text,
        customer=incoming.customer.model_dump(exclude_none=True) if incoming.customer else None,
        nps_score=incoming.nps_score,
        status="received",
    )
    session.add(message)
    try:
        session.commit()
    except IntegrityError:  # the same message arrived concurrently: the first one wins
        session.rollback()
        existing = find(session, channel, incoming.external_id)
        if existing is None:
            raise
        return existing, False
    return message, True


def pending(session: Session, limit: int = 500) -> list[Message]:
    """Stored messages not triaged yet (for a worker, or after a crash between storing and triage)."""
    return list(session.scalars(select(Message).where(Message.status == "received").order_by(Message.id).limit(limit)))
