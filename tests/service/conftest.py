"""Service fixtures: the app on a throwaway database with the pipeline swapped for a fast fake."""

from __future__ import annotations

import os
import uuid

import pytest
from fastapi.testclient import TestClient

from service.main import create_app
from service.models import utcnow
from service.settings import Settings


ADMIN_TOKEN = "admin-test-token"


class FakeEngine:
    """Stands in for the triage engine: deterministic labels, one cluster, a canned draft.

    Words in the text steer it: "Paket" -> German, "buy" -> sales, "WIN" -> spam, "angry" -> negative.
    """

    def __init__(self) -> None:
        self.calls = 0

    def triage(self, messages) -> None:
        self.calls += 1
        for message in messages:
            message.language = "de" if "Paket" in message.text else "en"
            message.labels = {
                "language": message.language,
                "intent": {"label": "sales" if "buy" in message.text else "support"},
                "sentiment": {"label": "negative" if "angry" in message.text else "neutral"},
                "spam": {"label": "spam" if "WIN" in message.text else "ham"},
            }
            message.cluster_id = "c000001"
            message.draft = {"draft": f"Reply to {message.external_id}", "template": "delivery-delay"}
            message.status = "triaged"
            message.triaged_at = utcnow()


class RecordingWebhook:
    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.fail = False

    def send(self, payload: dict) -> None:
        from service.webhook import WebhookError

        if self.fail:
            raise WebhookError("the outgoing webhook failed: connection refused")
        self.sent.append(payload)


def _client(url: str):
    engine, webhook = FakeEngine(), RecordingWebhook()
    app = create_app(Settings(database_url=url, admin_token=ADMIN_TOKEN), engine=engine, webhook=webhook)
    client = TestClient(app, raise_server_exceptions=False, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    client.webhook = webhook
    return client, engine


@pytest.fixture
def client(tmp_path):
    test_client, engine = _client(f"sqlite:///{tmp_path / 'test.db'}")
    with test_client:
        test_client.fake_engine = engine
        yield test_client


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL database (the server runs on this machine and on CI's)."""
    psycopg = pytest.importorskip("psycopg")
    admin = os.environ.get("TRIAGE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"triage_test_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL not reachable at {admin}: {error}")
    yield admin.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_client(postgres_url):
    test_client, engine = _client(postgres_url)
    with test_client:
        yield test_client
