"""The audit log: every change through the API is recorded with who, what and when."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.models import AuditEntry, User


def record(session: Session, user: User | None, action: str, target: str, details: dict | None = None) -> None:
    session.add(AuditEntry(user_id=user.id if user else None, action=action, target=target, details=details or {}))
