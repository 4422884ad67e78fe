"""Build the FastAPI application: ``create_app()``; models load once in the lifespan."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from service import errors
from service.db import make_engine, make_sessionmaker, migrate
from service.routes import messages
from service.settings import Settings


def create_app(settings: Settings | None = None, engine=None) -> FastAPI:
    """The application. ``engine`` (the triage engine) is loaded in the lifespan unless given (tests)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        database = make_engine(settings.database_url)
        migrate(database)
        app.state.settings = settings
        app.state.sessionmaker = make_sessionmaker(database)
        if engine is not None:
            app.state.engine = engine
        else:
            from service.engine import TriageEngine

            app.state.engine = TriageEngine.load(settings.guidelines, settings.templates)
            with app.state.sessionmaker() as session:
                app.state.engine.restore(session)
        yield
        database.dispose()

    app = FastAPI(title="triage", summary="Multilingual feedback triage and response assistant", lifespan=lifespan)
    errors.install(app)
    app.include_router(messages.router)

    @app.get("/health", tags=["meta"])
    def health() -> dict:
        return {"status": "ok"}

    return app
