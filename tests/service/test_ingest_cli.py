"""`triage ingest FILE`: JSONL or CSV into the repository, located errors, idempotent re-runs."""

import json

import pytest

from triage import cli
from tests.service.conftest import FakeEngine


class RestorableFake(FakeEngine):
    def restore(self, session):
        return 0


@pytest.fixture
def fake_engine(monkeypatch):
    engine = RestorableFake()
    monkeypatch.setattr("service.engine.TriageEngine.load", classmethod(lambda cls, *a, **k: engine))
    monkeypatch.setattr(cli, "_load_pipeline", lambda: None)
    return engine


def test_csv_ingest_is_idempotent(tmp_path, fake_engine, capsys):
    path = tmp_path / "in.csv"
    path.write_text("channel,external_id,text,nps_score\nsurvey,s1,Great service,10\nemail,e1,Wo ist mein Paket?,\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert cli.main(["ingest", str(path), "--database-url", url]) == 0
    first = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["created"] for r in first] == [True, True] and first[1]["language"] == "de"
    assert [r["queue"] for r in first] == ["support", "support"] and all(r["priority"] for r in first)
    assert cli.main(["ingest", str(path), "--database-url", url]) == 0
    again = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["created"] for r in again] == [False, False] and [r["id"] for r in again] == [r["id"] for r in first]


def test_bad_rows_are_located_and_nothing_is_stored(tmp_path, fake_engine, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text('{"channel": "twitter", "external_id": "1", "text": "ok"}\n{"channel": "pigeon", "external_id": "2", "text": "x"}\n'
                    '{"channel": "email", "external_id": "3", "text": "x", "mood": "sad"}\nnot json\n')
    assert cli.main(["ingest", str(path), "--database-url", f"sqlite:///{tmp_path / 'db.sqlite'}"]) == 1
    err = capsys.readouterr().err
    assert "in.jsonl:2: channel:" in err and "in.jsonl:3: mood:" in err and "in.jsonl:4: not valid JSON" in err
    assert "Traceback" not in err
    assert fake_engine.calls == 0


def test_jsonl_with_a_byte_order_mark_and_a_bad_utf8_line(tmp_path, fake_engine, capsys):
    good = tmp_path / "bom.jsonl"
    good.write_bytes(b'\xef\xbb\xbf{"channel": "chat", "external_id": "b1", "text": "hello"}\n')
    assert cli.main(["ingest", str(good), "--database-url", f"sqlite:///{tmp_path / 'db.sqlite'}"]) == 0
    capsys.readouterr()
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"channel": "chat", "external_id": "b2", "text": "ok"}\n{"channel": "chat", "external_id": "b3", "text": "caf\xe9"}\n')
    assert cli.main(["ingest", str(bad), "--database-url", f"sqlite:///{tmp_path / 'db.sqlite'}"]) == 1
    assert "bad.jsonl:2: not valid UTF-8" in capsys.readouterr().err
