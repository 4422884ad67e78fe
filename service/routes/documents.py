"""Guidelines, templates and routing rules managed through the API, with versions and rollback.

``PUT /documents/{kind}/{name}`` takes the document as text: YAML for ``guidelines`` and ``template``
(the formats of guidelines/README.md and templates/README.md), JSON for ``rules`` (``triage.routing.RuleSet``).
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict

from service import documents
from service.auth import Manager, Reviewer
from service.deps import EngineDep, SessionDep, SettingsDep
from service.errors import ApiError
from service.routing import latest

router = APIRouter(prefix="/documents", tags=["guidelines, templates and rules"])


class DocumentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    kind: str
    name: str
    version: int
    content: str
    author_id: int | None
    note: str | None
    at: datetime


class VersionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    version: int
    author_id: int | None
    note: str | None
    at: datetime


@router.put("/{kind}/{name}", response_model=DocumentPublic)
def save_document(kind: str, name: str, session: SessionDep, manager: Manager, engine: EngineDep, settings: SettingsDep,
                  content: str = Body(..., media_type="text/plain")) -> DocumentPublic:
    """Validate and store a new version (422 with located problems when it does not validate).

    A new guidelines or template version takes effect for the next drafts; rules apply at once."""
    document = documents.save(session, kind, name, content, manager)
    _apply(kind, session, engine, settings)
    return DocumentPublic.model_validate(document)


def _apply(kind: str, session, engine, settings) -> None:
    if kind in ("guidelines", "template") and hasattr(engine, "reload_brand"):
        engine.reload_brand(session, settings.guidelines, settings.templates)


@router.get("/{kind}/{name}", response_model=DocumentPublic)
def read_document(kind: str, name: str, session: SessionDep, user: Reviewer) -> DocumentPublic:
    document = latest(session, kind, name)
    if document is None:
        raise ApiError(404, "not_found", f"no {kind} named {name!r}")
    return DocumentPublic.model_validate(document)


@router.get("/{kind}/{name}/versions", response_model=list[VersionPublic])
def list_versions(kind: str, name: str, session: SessionDep, user: Reviewer) -> list[VersionPublic]:
    return [VersionPublic.model_validate(d) for d in documents.versions(session, kind, name)]


@router.post("/{kind}/{name}/rollback/{version}", response_model=DocumentPublic)
def rollback_document(kind: str, name: str, version: int, session: SessionDep, manager: Manager, engine: EngineDep,
                      settings: SettingsDep) -> DocumentPublic:
    document = documents.rollback(session, kind, name, version, manager)
    _apply(kind, session, engine, settings)
    return DocumentPublic.model_validate(document)
