"""Build the FastAPI application: ``create_app()``; models load once in the lifespan."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

import logging

from service import errors
from service.auth import ensure_admin, new_token
from service.webhook import Webhook
from service.db import make_engine, make_sessionmaker, migrate
from service.routes import documents, messages, metrics, review, users
from service.settings import Settings


def seed(session, engine, path) -> int:
    """Ingest the sample inbox into an empty database (the demo's sample data)."""
    from sqlalchemy import func, select

    from service.engine import process
    from service.ingest import read_messages
    from service.models import Message
    from service.repository import store

    if session.scalar(select(func.count()).select_from(Message)):
        return 0
    stored = [store(session, message)[0] for _, _, message in read_messages(str(path))]
    process(session, engine, stored)
    return len(stored)

log = logging.getLogger("triage.service")


def create_app(settings: Settings | None = None, engine=None, webhook=None) -> FastAPI:
    """The application. ``engine`` (the triage engine) and ``webhook`` are built from settings unless given (tests)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        database = make_engine(settings.database_url)
        migrate(database)
        app.state.settings = settings
        app.state.sessionmaker = make_sessionmaker(database)
        app.state.webhook = webhook or Webhook(settings.webhook_url)
        admin_token = settings.admin_token
        if not admin_token:
            admin_token = new_token()
            log.warning("no TRIAGE_ADMIN_TOKEN set; this run's manager token is %s", admin_token)
        with app.state.sessionmaker() as session:
            ensure_admin(session, admin_token)
        if engine is not None:
            app.state.engine = engine
        else:
            from service.engine import TriageEngine

            app.state.engine = TriageEngine.load(settings.guidelines, settings.templates)
            with app.state.sessionmaker() as session:
                app.state.engine.restore(session)
        if settings.seed_samples:
            with app.state.sessionmaker() as session:
                seeded = seed(session, app.state.engine, settings.samples)
                if seeded:
                    log.warning("ingested %d sample messages from %s", seeded, settings.samples)
        yield
        database.dispose()

    app = FastAPI(title="triage", summary="Multilingual feedback triage and response assistant", lifespan=lifespan)
    errors.install(app)
    app.include_router(messages.router)
    app.include_router(review.router)
    app.include_router(users.router)
    app.include_router(documents.router)
    app.include_router(metrics.router)

    @app.get("/health", tags=["meta"])
    def health() -> dict:
        return {"status": "ok"}

    return app
