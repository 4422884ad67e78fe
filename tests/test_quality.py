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


def test_template_choice_floor(pipeline):
    """The drafting issue's bar on messages written for this check (not the templates' own examples)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from evaluate_drafting import template_choice

    from triage.datasets import PROJECT_ROOT, read_jsonl
    from triage.drafting.drafter import Drafter
    from triage.drafting.guidelines import load_guidelines
    from triage.drafting.templates import load_templates

    guidelines = load_guidelines(PROJECT_ROOT / "guidelines" / "nimbus-mobile.yaml")
    drafter = Drafter.with_clustering(guidelines, load_templates(PROJECT_ROOT / "templates"), pipeline.encode)
    result = template_choice(drafter, pipeline, read_jsonl(PROJECT_ROOT / "data" / "drafting" / "template-choice.jsonl"))
    total = result["total"]
    assert total["n"] >= 150
    assert total["top1"] / total["n"] >= 0.85
    assert total["top3"] / total["n"] >= 0.95
