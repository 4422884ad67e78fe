"""The project's own labelled messages: schema, coverage and a stable dev split."""

import json
from collections import Counter

from triage.datasets import LABELLED_DIR, own_messages

LABELS = {
    "intent": {"sales", "support", "marketing", "other"},
    "sentiment": {"negative", "neutral", "positive"},
    "spam": {"spam", "ham"},
}
CHANNELS = {"twitter", "facebook", "instagram", "forum", "email", "chat", "review", "survey"}


def _rows():
    return [json.loads(line) for path in sorted(LABELLED_DIR.glob("*.jsonl")) for line in path.open(encoding="utf-8")]


def test_every_row_is_well_formed():
    for row in _rows():
        assert set(row) == {"id", "text", "lang", "channel", "intent", "sentiment", "spam"}, row
        assert row["text"].strip()
        assert row["channel"] in CHANNELS, row
        for task, allowed in LABELS.items():
            assert row[task] in allowed, row


def test_coverage_the_issue_asks_for():
    rows = _rows()
    assert len(rows) >= 1000
    langs = Counter(r["lang"] for r in rows)
    assert {"en", "de", "id", "zh", "ko", "es", "fr", "ja"} <= set(langs)
    intents = Counter(r["intent"] for r in rows)
    assert max(intents.values()) / min(intents.values()) < 1.3, intents
    assert len({r["id"] for r in rows}) == len(rows)


def test_dev_split_is_stable_and_disjoint():
    train, dev = own_messages()
    train2, dev2 = own_messages()
    assert [r["id"] for r in dev] == [r["id"] for r in dev2]
    assert not {r["id"] for r in train} & {r["id"] for r in dev}
    assert 0.18 < len(dev) / (len(train) + len(dev)) < 0.32
