"""NPS, first-response time and detractor alerts, for managers and community managers."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from sqlalchemy import select

from service.auth import Reviewer
from service.deps import SessionDep
from service.models import Message
from service.schemas import MessagePublic
from triage.nps import DETRACTOR_MAX
from triage.nps import summary as nps_summary

router = APIRouter(prefix="/metrics", tags=["metrics"])


@router.get("/nps")
def nps(session: SessionDep, user: Reviewer, since: datetime | None = None) -> dict:
    """NPS = % promoters (9-10) - % detractors (0-6) over survey answers with a score."""
    query = select(Message.nps_score).where(Message.nps_score.is_not(None))
    if since:
        query = query.where(Message.received_at >= since)
    return nps_summary(session.scalars(query))


@router.get("/first-response")
def first_response(session: SessionDep, user: Reviewer) -> dict:
    """Seconds from receipt to the first sent reply, over answered messages."""
    rows = session.execute(select(Message.received_at, Message.first_response_at).where(Message.first_response_at.is_not(None))).all()
    seconds = sorted(
        (sent.replace(tzinfo=None) - received.replace(tzinfo=None)).total_seconds() for received, sent in rows
    )
    if not seconds:
        return {"answered": 0, "median_seconds": None, "p90_seconds": None}
    return {"answered": len(seconds), "median_seconds": seconds[len(seconds) // 2], "p90_seconds": seconds[int(0.9 * (len(seconds) - 1))]}


@router.get("/detractor-alerts", response_model=list[MessagePublic])
def detractor_alerts(session: SessionDep, user: Reviewer) -> list[MessagePublic]:
    """Unanswered survey answers from detractors (0-6), newest first."""
    query = select(Message).where(Message.nps_score <= DETRACTOR_MAX, Message.first_response_at.is_(None)).order_by(Message.received_at.desc())
    return [MessagePublic.model_validate(m) for m in session.scalars(query)]
