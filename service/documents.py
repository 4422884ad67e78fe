"""Manager-edited documents kept as versions: routing rules, brand guidelines and reply templates.

Every save validates the content (with located errors) and adds a version with its author and time;
a rollback adds a new version equal to an old one, so history is never rewritten.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit import record
from service.errors import ApiError
from service.models import Document, User
from service.routing import latest
from triage.drafting.files import FileProblems
from triage.routing import RuleSet

KINDS = ("rules", "guidelines", "template")


def validate(kind: str, name: str, content: str) -> None:
    """Raise a 422 with located problems when the content is not a valid document of its kind."""
    if kind == "rules":
        try:
            RuleSet.model_validate(json.loads(content))
        except json.JSONDecodeError as error:
            raise ApiError(422, "invalid_document", f"rules: not valid JSON: {error.msg} at line {error.lineno}") from None
        except ValidationError as error:
            details = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in error.errors()]
            raise ApiError(422, "invalid_document", "rules: the rule set does not validate", details) from None
        return
    from triage.drafting.files import load_model
    from triage.drafting.guidelines import Guidelines
    from triage.drafting.templates import load_template

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.yaml"
        path.write_text(content, encoding="utf-8")
        try:
            if kind == "guidelines":
                load_model(path, Guidelines)
            else:
                load_template(path)
        except FileProblems as error:
            located = [p.replace(str(path), f"{kind}/{name}") for p in error.problems]
            raise ApiError(422, "invalid_document", f"{kind} {name!r} does not validate", [{"msg": p} for p in located]) from None


def save(session: Session, kind: str, name: str, content: str, user: User, note: str | None = None) -> Document:
    if kind not in KINDS:
        raise ApiError(404, "not_found", f"unknown document kind {kind!r}; kinds are {list(KINDS)}")
    validate(kind, name, content)
    current = latest(session, kind, name)
    document = Document(kind=kind, name=name, version=(current.version + 1) if current else 1, content=content, author_id=user.id, note=note)
    session.add(document)
    record(session, user, f"{kind}.save", f"{kind}:{name}", {"version": document.version, "note": note})
    session.commit()
    return document


def versions(session: Session, kind: str, name: str) -> list[Document]:
    return list(session.scalars(select(Document).where(Document.kind == kind, Document.name == name).order_by(Document.version)))


def rollback(session: Session, kind: str, name: str, version: int, user: User) -> Document:
    old = session.scalar(select(Document).where(Document.kind == kind, Document.name == name, Document.version == version))
    if old is None:
        raise ApiError(404, "not_found", f"no version {version} of {kind} {name!r}")
    return save(session, kind, name, old.content, user, note=f"rollback to version {version}")
