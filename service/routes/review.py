"""Review: list suggested replies by queue and priority, approve (as is or edited), reject, correct labels."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends
from fastapi.responses import PlainTextResponse
from sqlalchemy import select
from typing import Annotated

from service.audit import record
from service.auth import AnyUser, Reviewer
from service.deps import SessionDep, get_webhook
from service.errors import ApiError
from service.models import Correction, Message, utcnow
from service.schemas import Approval, LabelCorrection, MessagePublic, Rejection
from service.webhook import Webhook, WebhookError
from triage.drafting.templates import PLACEHOLDER

router = APIRouter(tags=["review"])
WebhookDep = Annotated[Webhook, Depends(get_webhook)]


@router.get("/review", response_model=list[MessagePublic])
def review_list(session: SessionDep, user: AnyUser, queue: str | None = None, limit: int = 50) -> list[MessagePublic]:
    """Suggested replies waiting for review, most urgent first. Agents see only what is assigned to them."""
    if not 1 <= limit <= 500:
        raise ApiError(422, "validation_error", "limit must be between 1 and 500")
    query = select(Message).where(Message.review_status == "pending")
    if queue:
        query = query.where(Message.queue == queue)
    if user.role == "agent":
        query = query.where(Message.assigned_to == user.id)
    query = query.order_by(Message.priority.desc(), Message.received_at).limit(limit)
    return [MessagePublic.model_validate(m) for m in session.scalars(query)]


def _pending(session, message_id: int, allowed=("pending",)) -> Message:
    message = session.get(Message, message_id)
    if message is None:
        raise ApiError(404, "not_found", f"no message with id {message_id}")
    if message.review_status not in allowed:
        raise ApiError(409, "conflict", f"message {message_id} is {message.review_status}, not {' or '.join(allowed)}")
    return message


@router.post("/messages/{message_id}/approve", response_model=MessagePublic)
def approve(message_id: int, body: Approval, session: SessionDep, user: Reviewer, webhook: WebhookDep) -> MessagePublic:
    """Approve the draft (or an edited reply) and send it out through the outgoing webhook.

    An approved reply whose sending failed (502) can be approved again to retry."""
    message = _pending(session, message_id, allowed=("pending", "approved"))
    reply = body.reply_text or (message.draft or {}).get("draft")
    if not reply:
        raise ApiError(422, "validation_error", "this message has no draft: send reply_text")
    reply = reply.replace("[agent.name]", user.name)  # the person who approves signs the reply
    missing = sorted(set(PLACEHOLDER.findall(reply)))
    if missing:
        raise ApiError(422, "missing_values", f"fill in {', '.join(f'[{m}]' for m in missing)} before sending: send reply_text")
    now = utcnow()
    message.reply_text, message.reviewed_by, message.reviewed_at = reply, user.id, now
    message.review_status = "approved"
    record(session, user, "reply.approve", f"message:{message_id}", {"edited": body.reply_text is not None})
    session.commit()
    payload = {
        "message_id": message.id, "channel": message.channel, "external_id": message.external_id,
        "thread_id": message.thread_id, "reply": reply, "approved_by": {"id": user.id, "name": user.name},
        "approved_at": now.isoformat(),
    }
    try:
        webhook.send(payload)
    except WebhookError as error:  # approved and kept; sending can be retried
        raise ApiError(502, "webhook_failed", str(error)) from None
    message.review_status = "sent"
    message.first_response_at = message.first_response_at or utcnow()
    record(session, user, "reply.sent", f"message:{message_id}", {})
    session.commit()
    return MessagePublic.model_validate(message)


@router.post("/messages/{message_id}/reject", response_model=MessagePublic)
def reject(message_id: int, body: Rejection, session: SessionDep, user: Reviewer) -> MessagePublic:
    message = _pending(session, message_id)
    message.review_status, message.rejection_reason = "rejected", body.reason
    message.reviewed_by, message.reviewed_at = user.id, utcnow()
    record(session, user, "reply.reject", f"message:{message_id}", {"reason": body.reason})
    session.commit()
    return MessagePublic.model_validate(message)


@router.post("/messages/{message_id}/corrections", response_model=MessagePublic)
def correct_labels(message_id: int, body: LabelCorrection, session: SessionDep, user: Reviewer) -> MessagePublic:
    """Store a reviewer's corrected sentiment / intent / spam label (exported for training)."""
    message = session.get(Message, message_id)
    if message is None:
        raise ApiError(404, "not_found", f"no message with id {message_id}")
    changes = body.model_dump(exclude_none=True)
    if not changes:
        raise ApiError(422, "validation_error", "give at least one of sentiment, intent, spam")
    for task, label in changes.items():
        old = ((message.labels or {}).get(task) or {}).get("label")
        session.add(Correction(message_id=message.id, task=task, old_label=old, new_label=label, user_id=user.id))
    record(session, user, "labels.correct", f"message:{message_id}", changes)
    session.commit()
    return MessagePublic.model_validate(message)


@router.get("/corrections/export", response_class=PlainTextResponse)
def export_corrections(session: SessionDep, user: Reviewer) -> str:
    """JSONL of corrected labels in the shape of data/labelled (text, lang, and the corrected tasks)."""
    rows: dict[int, dict] = {}
    query = select(Correction, Message).join(Message, Message.id == Correction.message_id).order_by(Correction.id)
    for correction, message in session.execute(query):
        row = rows.setdefault(message.id, {"id": f"review-{message.id}", "text": message.text, "lang": message.language, "channel": message.channel})
        row[correction.task] = correction.new_label  # the latest correction wins
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows.values())
