"""The role matrix, cell by cell: anonymous / agent / community manager / manager x every endpoint."""

import json

import pytest

M, CM, AG, ANON = "manager", "community_manager", "agent", "anonymous"
MSG = {"channel": "chat", "external_id": "matrix-{n}", "text": "Wo ist mein Paket?"}

# (method, path, body or None, roles allowed); {mid} is a stored message, {uid} another agent
ENDPOINTS = [
    ("GET", "/health", None, {ANON, AG, CM, M}),
    ("POST", "/messages", "message", {CM, M}),
    ("POST", "/messages/batch", "batch", {CM, M}),
    ("GET", "/messages/{mid}", None, {AG, CM, M}),
    ("GET", "/review", None, {AG, CM, M}),
    ("POST", "/messages/{mid}/reject", {"reason": "test"}, {CM, M}),
    ("POST", "/messages/{mid}/approve", {}, {CM, M}),
    ("POST", "/messages/{mid}/corrections", {"sentiment": "negative"}, {CM, M}),
    ("GET", "/corrections/export", None, {CM, M}),
    ("POST", "/users", "user", {M}),
    ("GET", "/users", None, {M}),
    ("PUT", "/users/{uid}/availability", {"available": True}, {M}),
    ("PUT", "/documents/rules/default", "rules", {M}),
    ("GET", "/documents/rules/default", None, {CM, M}),
    ("GET", "/documents/rules/default/versions", None, {CM, M}),
    ("POST", "/documents/rules/default/rollback/1", None, {M}),
    ("GET", "/metrics/nps", None, {CM, M}),
    ("GET", "/metrics/first-response", None, {CM, M}),
    ("GET", "/metrics/detractor-alerts", None, {CM, M}),
]


@pytest.fixture
def world(client):
    tokens = {}
    for role in (CM, AG):
        created = client.post("/users", json={"name": role, "email": f"{role}@example.com", "role": role, "teams": ["support"], "languages": ["de"]}).json()
        tokens[role] = created["token"]
    other = client.post("/users", json={"name": "other", "email": "other@example.com", "role": AG, "teams": ["x"]}).json()["user"]["id"]
    client.put("/documents/rules/default", content=json.dumps({"rules": []}), headers={"content-type": "text/plain"})
    return {"tokens": tokens, "other": other, "n": 0}


def _request(client, world, role, method, path, body):
    world["n"] += 1
    n = world["n"]
    mid = client.post("/messages", json={**MSG, "external_id": f"matrix-{n}"}).json()["message"]["id"]
    path = path.format(mid=mid, uid=world["other"])
    headers = {"Authorization": ""} if role == ANON else {}
    if role == M:
        headers = {}
    elif role != ANON:
        headers = {"Authorization": f"Bearer {world['tokens'][role]}"}
    kwargs = {"headers": headers}
    if body == "message":
        kwargs["json"] = {**MSG, "external_id": f"matrix-new-{n}"}
    elif body == "batch":
        kwargs["json"] = {"messages": [{**MSG, "external_id": f"matrix-batch-{n}"}]}
    elif body == "user":
        kwargs["json"] = {"name": f"u{n}", "email": f"u{n}@example.com", "role": "agent"}
    elif body == "rules":
        kwargs["content"] = json.dumps({"rules": []})
        kwargs["headers"] = {**headers, "content-type": "text/plain"}
    elif body is not None:
        kwargs["json"] = body
    return client.request(method, path, **kwargs)


@pytest.mark.parametrize("role", [ANON, AG, CM, M])
@pytest.mark.parametrize("method, path, body, allowed", ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS])
def test_role_matrix(client, world, role, method, path, body, allowed):
    response = _request(client, world, role, method, path, body)
    if role in allowed:
        assert response.status_code not in (401, 403), response.text
        assert response.status_code < 500, response.text
    elif role == ANON:
        assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    else:
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
