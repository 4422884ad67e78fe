"""Routing stored messages: priority, team queue, review state and least-loaded assignment."""

from __future__ import annotations

import json
from typing import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.models import Document, Message, User
from triage.routing import Agent, Facts, RuleSet, choose_agent, route

RULES = ("rules", "default")  # (kind, name) of the routing rules document


def latest(session: Session, kind: str, name: str) -> Document | None:
    return session.scalar(select(Document).where(Document.kind == kind, Document.name == name).order_by(Document.version.desc()).limit(1))


def current_rules(session: Session) -> RuleSet:
    document = latest(session, *RULES)
    return RuleSet.model_validate(json.loads(document.content)) if document else RuleSet()


def _agents(session: Session) -> list[Agent]:
    open_counts = dict(session.execute(
        select(Message.assigned_to, func.count()).where(Message.review_status == "pending", Message.assigned_to.is_not(None))
        .group_by(Message.assigned_to)
    ).all())
    users = session.scalars(select(User).where(User.role == "agent"))
    return [Agent(u.id, u.teams or [], u.languages or [], u.capacity, u.available, open_counts.get(u.id, 0)) for u in users]


def facts_of(message: Message) -> Facts:
    labels = message.labels or {}
    customer = message.customer or {}
    return Facts(
        text=message.text,
        intent=(labels.get("intent") or {}).get("label"),
        language=message.language,
        sentiment=(labels.get("sentiment") or {}).get("label"),
        spam=(labels.get("spam") or {}).get("label") == "spam",
        segment=customer.get("segment"),
        revenue_tier=customer.get("revenue_tier"),
        nps_score=message.nps_score,
        cluster=message.cluster_id,
    )


def assign(session: Session, message: Message) -> None:
    agent = choose_agent(message.queue, message.language, _agents(session))
    message.assigned_to = agent.id if agent else None


def route_messages(session: Session, messages: Sequence[Message]) -> None:
    rules = current_rules(session)
    for message in messages:
        decision = route(facts_of(message), rules)
        message.queue, message.priority = decision.queue, decision.priority
        message.priority_reasons = decision.reasons
        has_draft = bool((message.draft or {}).get("draft"))
        message.review_status = "pending" if has_draft or (message.draft or {}).get("escalation") else "none"
        assign(session, message)
        session.flush()  # the next message sees this one's load
