"""Triage runs outside the web process: a Celery task over messages stored by the API."""

from service import worker
from service.db import make_engine, make_sessionmaker, migrate
from service.models import Message
from service.repository import store
from service.schemas import MessageCreate
from tests.service.conftest import FakeEngine


def test_worker_task_triages_and_routes_what_is_stored(tmp_path, monkeypatch):
    database = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    migrate(database)
    sessionmaker = make_sessionmaker(database)
    with sessionmaker() as session:
        for i in range(3):
            store(session, MessageCreate(channel="chat", external_id=str(i), text=f"Wo ist mein Paket {i}?"))
    monkeypatch.setattr(worker, "_context", lambda: (sessionmaker, FakeEngine()))
    worker.app.conf.task_always_eager = True
    try:
        assert worker.triage_pending_task.delay().get() == 3
        assert worker.triage_pending_task.delay().get() == 0  # safe to repeat
    finally:
        worker.app.conf.task_always_eager = False
    with sessionmaker() as session:
        rows = session.query(Message).all()
        assert {m.status for m in rows} == {"triaged"} and {m.queue for m in rows} == {"support"}
