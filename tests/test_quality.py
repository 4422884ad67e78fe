"""Quality floors on the dev splits (slow: encodes ~12k dev messages the first time).

Run with `bash scripts/test.sh -m slow`. The floors are the core pipeline issue's bar.
"""

import pytest

from triage import evaluation
from triage.training import evaluate_scores

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def summary(shared_data):
    scores = evaluate_scores(shared_data)
    print(evaluation.format_table(scores))
    return evaluation.summary(scores)


def test_sentiment_floors(summary):
    assert summary["xlmt_avg_macro_f1"] >= 0.60
    assert summary["smsa_macro_f1"] >= 0.75


def test_spam_floor(summary):
    assert summary["sms_spam_f1"] >= 0.95


def test_intent_floors(summary):
    assert summary["own_intent_macro_f1"] >= 0.80
    assert summary["own_intent_min_language_macro_f1"] >= 0.70
