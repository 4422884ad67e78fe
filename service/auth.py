"""People and permissions: bearer tokens (API keys) mapped to users with one role each.

Roles: ``manager`` (guidelines, templates, rules, users), ``community_manager`` (review, approve,
correct, ingest) and ``agent`` (their own queue and replies). Tokens are stored only as SHA-256 hashes.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.deps import SessionDep
from service.errors import ApiError
from service.models import User

MANAGER, COMMUNITY_MANAGER, AGENT = "manager", "community_manager", "agent"
ROLES = (MANAGER, COMMUNITY_MANAGER, AGENT)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return "tri_" + secrets.token_urlsafe(24)


def current_user(request: Request, session: SessionDep) -> User:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "unauthorized", "send an API token as 'Authorization: Bearer <token>'")
    user = session.scalar(select(User).where(User.token_hash == hash_token(token.strip())))
    if user is None:
        raise ApiError(401, "unauthorized", "unknown or revoked API token")
    return user


def require(*roles: str):
    """Dependency: the current user, who must have one of ``roles``."""

    def dependency(user: Annotated[User, Depends(current_user)]) -> User:
        if user.role not in roles:
            raise ApiError(403, "forbidden", f"this needs the role {' or '.join(roles)}; you are {user.role}")
        return user

    return dependency


Manager = Annotated[User, Depends(require(MANAGER))]
Reviewer = Annotated[User, Depends(require(MANAGER, COMMUNITY_MANAGER))]
AnyUser = Annotated[User, Depends(require(MANAGER, COMMUNITY_MANAGER, AGENT))]


def ensure_admin(session: Session, token: str) -> User:
    """Make sure a manager with ``token`` exists (bootstrap from TRIAGE_ADMIN_TOKEN)."""
    user = session.scalar(select(User).where(User.token_hash == hash_token(token)))
    if user is None:
        user = User(name="Administrator", email="admin@localhost", role=MANAGER, token_hash=hash_token(token),
                    teams=[], languages=[], capacity=0, available=False)
        session.add(user)
        session.commit()
    return user
