"""Guidelines, templates and routing rules through the API: validation, versions, rollback, effect."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = {"rules": [{"name": "vip", "when": {"keywords": ["vip"]}, "team": "vip-desk", "priority_boost": 20}]}


def put(client, kind, name, content, **kw):
    return client.put(f"/documents/{kind}/{name}", content=content, headers={"content-type": "text/plain", **kw.get("headers", {})})


def test_rules_take_effect_and_roll_back(client):
    assert put(client, "rules", "default", json.dumps(RULES)).status_code == 200
    routed = client.post("/messages", json={"channel": "chat", "external_id": "1", "text": "VIP here, Paket?"}).json()["message"]
    assert routed["queue"] == "vip-desk" and any("vip" in r for r in routed["priority_reasons"])
    assert put(client, "rules", "default", json.dumps({"rules": []})).json()["version"] == 2
    rolled = client.post("/documents/rules/default/rollback/1").json()
    assert rolled["version"] == 3 and json.loads(rolled["content"]) == RULES
    versions = client.get("/documents/rules/default/versions").json()
    assert [v["version"] for v in versions] == [1, 2, 3] and versions[2]["note"] == "rollback to version 1"


def test_invalid_documents_get_located_errors(client):
    bad_rules = put(client, "rules", "default", json.dumps({"rules": [{"name": "x", "when": {"mood": ["angry"]}, "team": "t"}]}))
    assert bad_rules.status_code == 422 and bad_rules.json()["error"]["code"] == "invalid_document"
    guidelines = (ROOT / "guidelines" / "nimbus-mobile.yaml").read_text(encoding="utf-8").replace("formality: formal", "formality: polite", 1)
    response = put(client, "guidelines", "nimbus-mobile", guidelines)
    assert response.status_code == 422
    problem = response.json()["error"]["details"][0]["msg"]
    assert problem.startswith("guidelines/nimbus-mobile:") and "formality" in problem
    assert put(client, "template", "login-problem", "id: login-problem\nintent: nonsense\n").status_code == 422


def test_a_valid_template_is_versioned(client):
    content = (ROOT / "templates" / "login-problem.yaml").read_text(encoding="utf-8")
    first = put(client, "template", "login-problem", content).json()
    assert first["version"] == 1 and client.get("/documents/template/login-problem").json()["content"] == content


def test_unknown_kind(client):
    assert put(client, "spreadsheet", "x", "a").status_code == 404
