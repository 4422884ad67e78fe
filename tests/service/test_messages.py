"""Ingestion through the HTTP interface: idempotency, durability, limits and the one error shape."""

import pytest

MESSAGE = {"channel": "twitter", "external_id": "1789", "text": "Wo ist mein Paket? Bestellung NM-2026-004512", "author": "@anna"}


def test_ingest_stores_and_triages(client):
    response = client.post("/messages", json=MESSAGE)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["created"] is True
    message = body["message"]
    assert message["status"] == "triaged" and message["language"] == "de" and message["cluster_id"] == "c000001"
    assert client.get(f"/messages/{message['id']}").json()["draft"]["template"] == "delivery-delay"


def test_same_channel_and_external_id_is_stored_once(client):
    first = client.post("/messages", json=MESSAGE).json()
    second = client.post("/messages", json={**MESSAGE, "text": "edited copy"}).json()
    assert second["created"] is False and second["message"]["id"] == first["message"]["id"]
    assert second["message"]["text"] == MESSAGE["text"]
    assert client.fake_engine.calls == 1  # the duplicate is not triaged again
    other_channel = client.post("/messages", json={**MESSAGE, "channel": "facebook"}).json()
    assert other_channel["created"] is True


def test_batch(client):
    batch = {"messages": [{**MESSAGE, "external_id": str(i)} for i in range(5)] + [MESSAGE]}
    results = client.post("/messages/batch", json=batch).json()["results"]
    assert [r["created"] for r in results] == [True] * 5 + [True]
    again = client.post("/messages/batch", json=batch).json()["results"]
    assert [r["created"] for r in again] == [False] * 6


def test_a_message_is_kept_when_triage_fails(client):
    def broken(messages):
        raise RuntimeError("model crashed")

    client.fake_engine.triage = broken
    response = client.post("/messages", json={**MESSAGE, "external_id": "survivor"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "model crashed" not in response.text  # internals are logged, not returned
    client.fake_engine.triage = lambda messages: None
    kept = client.post("/messages", json={**MESSAGE, "external_id": "survivor"}).json()
    assert kept["created"] is False and kept["message"]["status"] == "received"  # stored; a worker triages it


def _error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    return body["error"]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({**MESSAGE, "text": ""}, "text"),
        ({**MESSAGE, "text": "   "}, "text"),
        ({**MESSAGE, "channel": "pigeon"}, "channel"),
        ({**MESSAGE, "mood": "angry"}, "mood"),
        ({**MESSAGE, "nps_score": 11}, "nps_score"),
        ({k: v for k, v in MESSAGE.items() if k != "external_id"}, "external_id"),
    ],
)
def test_bad_fields_get_a_422_in_the_error_shape(client, payload, field):
    error = _error(client.post("/messages", json=payload), 422, "validation_error")
    assert any(field in detail["loc"] for detail in error["details"])


def test_oversized_text_and_batch_get_413(client):
    _error(client.post("/messages", json={**MESSAGE, "text": "x" * 20_001}), 413, "text_too_long")
    batch = {"messages": [{**MESSAGE, "external_id": str(i)} for i in range(501)]}
    _error(client.post("/messages/batch", json=batch), 413, "batch_too_large")


def test_invalid_json_and_utf8_get_400(client):
    _error(client.post("/messages", content=b'{"channel": "twitter", "text": "caf\xe9"', headers={"content-type": "application/json"}), 400, "invalid_json")
    _error(client.post("/messages", content=b"not json", headers={"content-type": "application/json"}), 400, "invalid_json")


def test_unknown_route_and_message(client):
    _error(client.get("/messages/999"), 404, "not_found")
    _error(client.get("/nowhere"), 404, "not_found")


def test_postgres_ingest_is_idempotent(pg_client):
    first = pg_client.post("/messages", json=MESSAGE)
    assert first.status_code == 201, first.text
    second = pg_client.post("/messages", json=MESSAGE).json()
    assert second["created"] is False and second["message"]["id"] == first.json()["message"]["id"]


def test_end_to_end_with_the_real_pipeline_on_postgres(postgres_url, pipeline):
    """A German message is stored, labelled, clustered and drafted in German by the real models."""
    from fastapi.testclient import TestClient

    from service.engine import TriageEngine
    from service.main import create_app
    from service.settings import Settings

    from tests.service.conftest import ADMIN_TOKEN

    settings = Settings(database_url=postgres_url, admin_token=ADMIN_TOKEN)
    engine = TriageEngine.load(settings.guidelines, settings.templates, pipeline=pipeline)
    with TestClient(create_app(settings, engine=engine), headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}) as client:
        outage = {"channel": "email", "external_id": "<a1@example.com>", "author": "Jonas Weber",
                  "text": "Seit heute Morgen komme ich nicht mehr in die Nimbus App, immer nur Fehler 503. Bitte helfen Sie mir."}
        message = client.post("/messages", json=outage).json()["message"]
        assert message["status"] == "triaged" and message["language"] == "de"
        assert message["labels"]["intent"]["label"] == "support"
        assert message["draft"]["language"] == "de" and message["draft"]["template"] == "login-problem"
        assert message["draft"]["draft"].startswith("Guten Tag Jonas Weber,")
        assert message["queue"] == "support" and message["review_status"] == "pending"
        same_problem = {"channel": "twitter", "external_id": "42", "text": "Nimbus app login broken, error 503 all morning"}
        assert client.post("/messages", json=same_problem).json()["message"]["cluster_id"] == message["cluster_id"]

        # a manager edits the template through the API: the next draft uses the new version
        from pathlib import Path

        import yaml

        path = Path(__file__).resolve().parents[2] / "templates" / "login-problem.yaml"
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec["body"]["de"] = "Es tut uns leid! Die Störung ist bekannt (Version 2 der Vorlage)."
        saved = client.put("/documents/template/login-problem", content=yaml.safe_dump(spec, allow_unicode=True, sort_keys=False),
                           headers={"content-type": "text/plain"})
        assert saved.status_code == 200, saved.text
        again = {**outage, "external_id": "<a2@example.com>", "text": "Ich kann mich nicht in die Nimbus App einloggen, Fehler 503."}
        assert "Version 2 der Vorlage" in client.post("/messages", json=again).json()["message"]["draft"]["draft"]


from hypothesis import HealthCheck, given, settings, strategies as st

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=12,
)
BODIES = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries({"channel": st.sampled_from(["twitter", "email", "x"]), "external_id": st.text(max_size=5),
                           "text": st.text(max_size=20)}, optional={"nps_score": JSON_VALUES, "customer": JSON_VALUES}),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES)
def test_bad_input_never_gets_a_500(client, body):
    for path in ("/messages", "/messages/batch"):
        response = client.post(path, json=body)
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            assert set(response.json()["error"]) == {"status", "code", "message", "details"}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=40))
def test_arbitrary_bytes_never_get_a_500(client, raw):
    response = client.post("/messages", content=raw, headers={"content-type": "application/json"})
    assert response.status_code < 500 and response.status_code in (201, 400, 422), response.text


def test_the_sample_inbox_seeds_an_empty_database(tmp_path):
    from fastapi.testclient import TestClient

    from service.main import create_app
    from service.settings import Settings
    from tests.service.conftest import ADMIN_TOKEN, FakeEngine

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'seed.db'}", admin_token=ADMIN_TOKEN, seed_samples=True)
    for _ in range(2):  # the second start finds data and adds nothing
        with TestClient(create_app(settings, engine=FakeEngine()), headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}) as client:
            pending = client.get("/review", params={"limit": 500}).json()
            assert len(pending) == 80
