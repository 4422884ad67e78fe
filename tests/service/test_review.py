"""Routing on ingest, review (approve / edit / reject), the webhook, first response, corrections, availability."""

import pytest


@pytest.fixture
def people(client):
    def make(name, role, **extra):
        body = {"name": name, "email": f"{name.lower()}@example.com", "role": role, **extra}
        response = client.post("/users", json=body)
        assert response.status_code == 201, response.text
        created = response.json()
        return {"id": created["user"]["id"], "headers": {"Authorization": f"Bearer {created['token']}"}}

    return {
        "cm": make("Carla", "community_manager"),
        "ada": make("Ada", "agent", teams=["support"], languages=["de", "en"], capacity=5),
        "ben": make("Ben", "agent", teams=["support"], languages=["de"], capacity=5),
        "sal": make("Sal", "agent", teams=["sales"], languages=["en"], capacity=5),
    }


def ingest(client, external_id, text, **extra):
    response = client.post("/messages", json={"channel": "twitter", "external_id": external_id, "text": text, **extra})
    assert response.status_code == 201, response.text
    return response.json()["message"]


def test_messages_are_routed_and_balanced_across_agents(client, people):
    first = ingest(client, "1", "Wo ist mein Paket?")
    second = ingest(client, "2", "Mein Paket ist weg, angry")
    assert first["queue"] == second["queue"] == "support"
    assert {first["assigned_to"], second["assigned_to"]} == {people["ada"]["id"], people["ben"]["id"]}  # least loaded
    assert second["priority"] > first["priority"] and any("negative" in r for r in second["priority_reasons"])
    sale = ingest(client, "3", "I want to buy the new phone")
    assert sale["queue"] == "sales" and sale["assigned_to"] == people["sal"]["id"]


def test_spam_goes_to_the_spam_queue_never_to_an_agent(client, people):
    spam = ingest(client, "s", "WIN a free phone now")
    assert spam["queue"] == "spam" and spam["assigned_to"] is None and spam["priority"] == 0


def test_review_list_is_ordered_by_priority_and_agents_see_their_own(client, people):
    calm = ingest(client, "1", "Wo ist mein Paket?")
    urgent = ingest(client, "2", "angry, urgent: Paket weg")
    listed = client.get("/review", headers=people["cm"]["headers"]).json()
    assert [m["id"] for m in listed][:2] == [urgent["id"], calm["id"]]
    for agent in ("ada", "ben"):
        mine = client.get("/review", headers=people[agent]["headers"]).json()
        assert all(m["assigned_to"] == people[agent]["id"] for m in mine)


def test_approve_sends_through_the_webhook_and_sets_first_response(client, people):
    message = ingest(client, "1", "Wo ist mein Paket?")
    approved = client.post(f"/messages/{message['id']}/approve", json={}, headers=people["cm"]["headers"])
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["review_status"] == "sent" and body["reply_text"] == "Reply to 1" and body["first_response_at"]
    sent = client.webhook.sent[-1]
    assert sent["reply"] == "Reply to 1" and sent["approved_by"]["name"] == "Carla" and sent["external_id"] == "1"
    again = client.post(f"/messages/{message['id']}/approve", json={}, headers=people["cm"]["headers"])
    assert again.status_code == 409


def test_edited_reply_and_failing_webhook(client, people):
    message = ingest(client, "1", "Wo ist mein Paket?")
    client.webhook.fail = True
    failed = client.post(f"/messages/{message['id']}/approve", json={"reply_text": "Edited reply"}, headers=people["cm"]["headers"])
    assert failed.status_code == 502 and failed.json()["error"]["code"] == "webhook_failed"
    stored = client.get(f"/messages/{message['id']}").json()
    assert stored["review_status"] == "approved" and stored["reply_text"] == "Edited reply"  # kept for a retry
    client.webhook.fail = False
    retried = client.post(f"/messages/{message['id']}/approve", json={"reply_text": "Edited reply"}, headers=people["cm"]["headers"])
    assert retried.json()["review_status"] == "sent" and client.webhook.sent[-1]["reply"] == "Edited reply"


def test_reject_with_a_reason(client, people):
    message = ingest(client, "1", "Wo ist mein Paket?")
    assert client.post(f"/messages/{message['id']}/reject", json={"reason": ""}, headers=people["cm"]["headers"]).status_code == 422
    rejected = client.post(f"/messages/{message['id']}/reject", json={"reason": "wrong template"}, headers=people["cm"]["headers"]).json()
    assert rejected["review_status"] == "rejected" and rejected["rejection_reason"] == "wrong template"


def test_corrections_are_stored_and_exported_for_training(client, people):
    message = ingest(client, "1", "Wo ist mein Paket?")
    response = client.post(f"/messages/{message['id']}/corrections", json={"sentiment": "negative", "intent": "sales"}, headers=people["cm"]["headers"])
    assert response.status_code == 200
    assert client.post(f"/messages/{message['id']}/corrections", json={"intent": "billing"}, headers=people["cm"]["headers"]).status_code == 422
    export = client.get("/corrections/export", headers=people["cm"]["headers"]).text.splitlines()
    import json

    row = json.loads(export[0])
    assert row["text"] == "Wo ist mein Paket?" and row["sentiment"] == "negative" and row["intent"] == "sales" and row["lang"] == "de"


def test_agent_going_offline_returns_open_messages_to_the_queue(client, people):
    ada, ben = people["ada"], people["ben"]
    client.put(f"/users/{ben['id']}/availability", json={"available": False})
    message = ingest(client, "1", "Wo ist mein Paket?")
    assert message["assigned_to"] == ada["id"]
    client.put(f"/users/{ben['id']}/availability", json={"available": True})
    assert client.put(f"/users/{ada['id']}/availability", json={"available": False}, headers=ada["headers"]).status_code == 200
    assert client.get(f"/messages/{message['id']}").json()["assigned_to"] == ben["id"]  # handed to the next agent
    assert client.put(f"/users/{ben['id']}/availability", json={"available": False}, headers=ada["headers"]).status_code == 403
    client.put(f"/users/{ben['id']}/availability", json={"available": False})
    assert client.get(f"/messages/{message['id']}").json()["assigned_to"] is None  # nobody left: back in the queue


def test_nps_first_response_and_detractor_alerts(client, people):
    for i, score in enumerate([10, 9, 8, 3, 0]):
        ingest(client, f"nps{i}", f"survey answer {i}", nps_score=score)
    nps = client.get("/metrics/nps", headers=people["cm"]["headers"]).json()
    assert nps == {"responses": 5, "promoters": 2, "passives": 1, "detractors": 2, "nps": 0.0}
    alerts = client.get("/metrics/detractor-alerts").json()
    assert sorted(m["nps_score"] for m in alerts) == [0, 3]
    answered = alerts[0]
    client.post(f"/messages/{answered['id']}/approve", json={}, headers=people["cm"]["headers"])
    assert len(client.get("/metrics/detractor-alerts").json()) == 1
    frt = client.get("/metrics/first-response").json()
    assert frt["answered"] == 1 and frt["median_seconds"] >= 0


def test_approval_signs_with_the_reviewer_and_refuses_unfilled_values(client, people):
    message = ingest(client, "p1", "Wo ist mein Paket?")
    engine_draft = "Hallo, Ihre Bestellung [order_id] ist unterwegs. ^[agent.name]"
    blocked = client.post(f"/messages/{message['id']}/approve", json={"reply_text": engine_draft}, headers=people["cm"]["headers"])
    assert blocked.status_code == 422 and blocked.json()["error"]["code"] == "missing_values" and "[order_id]" in blocked.text
    filled = engine_draft.replace("[order_id]", "NM-2026-004512")
    sent = client.post(f"/messages/{message['id']}/approve", json={"reply_text": filled}, headers=people["cm"]["headers"]).json()
    assert sent["reply_text"].endswith("^Carla") and client.webhook.sent[-1]["reply"].endswith("^Carla")
