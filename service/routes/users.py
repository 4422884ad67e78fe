"""People: managers create users and their API tokens; availability moves open work back to the queue."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.audit import record
from service.auth import AnyUser, Manager, hash_token, new_token
from service.deps import SessionDep
from service.errors import ApiError
from service.models import Message, User
from service.routing import assign
from service.schemas import Availability, UserCreate, UserCreated, UserPublic

router = APIRouter(prefix="/users", tags=["people"])


@router.post("", response_model=UserCreated, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, session: SessionDep, manager: Manager) -> UserCreated:
    token = new_token()
    user = User(**body.model_dump(), token_hash=hash_token(token), available=True)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ApiError(409, "conflict", f"a user with the email {body.email!r} already exists") from None
    record(session, manager, "user.create", f"user:{user.id}", {"role": user.role, "email": user.email})
    session.commit()
    return UserCreated(user=UserPublic.model_validate(user), token=token)


@router.get("", response_model=list[UserPublic])
def list_users(session: SessionDep, manager: Manager) -> list[UserPublic]:
    return [UserPublic.model_validate(u) for u in session.scalars(select(User).order_by(User.id))]


@router.put("/{user_id}/availability", response_model=UserPublic)
def set_availability(user_id: int, body: Availability, session: SessionDep, user: AnyUser) -> UserPublic:
    """Managers set anyone's availability, agents their own. Going offline returns open messages to the queue."""
    target = session.get(User, user_id)
    if target is None:
        raise ApiError(404, "not_found", f"no user with id {user_id}")
    if user.role != "manager" and user.id != user_id:
        raise ApiError(403, "forbidden", "only managers change other people's availability")
    target.available = body.available
    returned = []
    if not body.available:
        open_messages = session.scalars(select(Message).where(Message.assigned_to == user_id, Message.review_status == "pending"))
        for message in open_messages:
            message.assigned_to = None
            session.flush()
            assign(session, message)  # to another available agent of the team, or left in the queue
            returned.append(message.id)
    record(session, user, "user.availability", f"user:{user_id}", {"available": body.available, "returned": returned})
    session.commit()
    return UserPublic.model_validate(target)
