"""Celery workers for scaling out: the API stores messages; workers triage and route them.

    TRIAGE_BROKER_URL=redis://127.0.0.1:6379/0 DATABASE_URL=postgresql://... \\
        celery -A service.worker worker --concurrency 1

Each worker process loads the models once (on its first task). ``triage_pending`` triages and routes
every stored message that is not triaged yet, so a task is safe to repeat and messages stored while no
worker ran are picked up by the next one.
"""

from __future__ import annotations

import os
from functools import lru_cache

from celery import Celery

app = Celery("triage", broker=os.environ.get("TRIAGE_BROKER_URL", "redis://127.0.0.1:6379/0"))
app.conf.task_acks_late = True  # a task whose worker dies is redelivered
app.conf.worker_prefetch_multiplier = 1


@lru_cache(maxsize=1)
def _context():
    from service.db import make_engine, make_sessionmaker, migrate
    from service.engine import TriageEngine
    from service.settings import Settings

    settings = Settings()
    database = make_engine(settings.database_url)
    migrate(database)
    sessionmaker = make_sessionmaker(database)
    engine = TriageEngine.load(settings.guidelines, settings.templates)
    with sessionmaker() as session:
        engine.restore(session)
    return sessionmaker, engine


@app.task(name="triage.triage_pending")
def triage_pending_task() -> int:
    """Triage and route what is stored but not yet triaged; returns how many messages."""
    from service.engine import triage_pending

    sessionmaker, engine = _context()
    with sessionmaker() as session:
        return triage_pending(session, engine)
