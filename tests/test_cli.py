"""The command-line contract: JSONL in, one JSON line out per input, in order; located errors, no tracebacks."""

import json
import subprocess
import sys

import numpy as np
import pytest

from triage import cli

MESSAGES = [
    {"id": "a1", "channel": "twitter", "text": "@NimbusHelp mein Handy lädt nicht mehr, was soll ich tun?"},
    {"id": "a2", "channel": "email", "text": "Hi, what does the 5G business plan cost for 20 phones?"},
    {"id": "a3", "text": "😀"},
    {"id": "a4", "channel": "review", "text": "配送很快，包装也很好，非常满意！", "extra": {"kept": True}},
]


@pytest.fixture
def messages_file(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(m, ensure_ascii=False) for m in MESSAGES) + "\n\n", encoding="utf-8")
    return path


@pytest.fixture
def use_session_pipeline(monkeypatch, pipeline):
    monkeypatch.setattr(cli, "_load_pipeline", lambda: pipeline)


def _run(args, capsys):
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_label_contract(messages_file, use_session_pipeline, capsys):
    code, rows, _ = _run(["label", str(messages_file)], capsys)
    assert code == 0
    assert [r["id"] for r in rows] == ["a1", "a2", "a3", "a4"]
    assert rows[0]["channel"] == "twitter" and rows[3]["extra"] == {"kept": True}
    assert "text" not in rows[0]
    for row in rows:
        assert set(row["sentiment"]["scores"]) == {"negative", "neutral", "positive"}
        assert set(row["intent"]["scores"]) == {"sales", "support", "marketing", "other"}
        assert set(row["spam"]["scores"]) == {"spam", "ham"}
        for task in ("sentiment", "intent", "spam"):
            scores = row[task]["scores"]
            assert row[task]["label"] == max(scores, key=scores.get)
            assert abs(sum(scores.values()) - 1) < 1e-3
    assert rows[0]["language"] == "de" and rows[2]["language"] == "und" and rows[3]["language"] == "zh"


def test_label_reads_stdin(messages_file, use_session_pipeline, capsys, monkeypatch):
    import io

    monkeypatch.setattr("triage.jsonl._binary_stdin", lambda: io.BytesIO(messages_file.read_bytes()))
    code, rows, _ = _run(["label", "-"], capsys)
    assert code == 0 and len(rows) == 4


def test_embed_contract(messages_file, encoder, monkeypatch, capsys):
    monkeypatch.setattr("triage.encoder.encoder.Encoder.load", classmethod(lambda cls, *a, **k: encoder))
    code, rows, _ = _run(["embed", str(messages_file)], capsys)
    assert code == 0
    assert [r["id"] for r in rows] == ["a1", "a2", "a3", "a4"]
    vectors = np.array([r["embedding"] for r in rows])
    assert vectors.shape == (4, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(vectors, encoder.encode([m["text"] for m in MESSAGES]), atol=1e-6)


@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"text": "fine"}\n{"text": "broken"\n', "in.jsonl:2: not valid JSON"),
        (b'{"text": "fine"}\n["a list"]\n', "in.jsonl:2: expected a JSON object"),
        (b'{"id": 1}\n', "in.jsonl:1: missing required field \"text\""),
        (b'{"text": 42}\n', "in.jsonl:1: field \"text\" must be a string"),
        (b'{"text": "   "}\n', "in.jsonl:1: field \"text\" is empty"),
        (b'{"text": "ok"}\n\n{"text": "caf\xe9"}\n', "in.jsonl:3: not valid UTF-8"),
    ],
)
def test_bad_lines_get_a_located_one_line_error(tmp_path, capsys, content, message):
    path = tmp_path / "in.jsonl"
    path.write_bytes(content)
    code = cli.main(["label", str(path)])
    out, err = capsys.readouterr()
    assert code != 0
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_every_bad_line_is_reported(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "ok"}\nnope\n{"text": ""}\n')
    assert cli.main(["label", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[1] for line in err] == ["2", "3"]


def test_missing_file(capsys):
    assert cli.main(["label", "/no/such/file.jsonl"]) != 0
    assert "no such file" in capsys.readouterr().err


def test_console_script_end_to_end(tmp_path):
    """The installed entry point, as a user runs it: real process, bad input, clean exit status."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{oops}\n')
    result = subprocess.run([sys.executable, "-m", "triage.cli", "label", str(bad)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "bad.jsonl:2: not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    usage = subprocess.run([sys.executable, "-m", "triage.cli", "label"], capture_output=True, text=True)
    assert usage.returncode == 2 and "usage:" in usage.stderr


def test_long_inputs_show_a_progress_bar_on_stderr(tmp_path, monkeypatch, capsys):
    class CountingPipeline:
        def label(self, texts):
            return [{"language": "en", "n": len(texts)} for _ in texts]

    monkeypatch.setattr(cli, "_load_pipeline", lambda: CountingPipeline())
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": f"message {i}"}) + "\n" for i in range(cli.PROGRESS_MIN + 50)))
    assert cli.main(["label", str(path)]) == 0
    out, err = capsys.readouterr()
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert ids == list(range(cli.PROGRESS_MIN + 50))
    assert "msg" in err and "100%" in err
    assert cli.main(["label", "-q", str(path)]) == 0
    assert capsys.readouterr().err == ""
