"""Priority with reasons, manager rules, spam queue, least-loaded assignment."""

import pytest
from pydantic import ValidationError

from triage.routing import SPAM_QUEUE, Agent, Facts, RuleSet, choose_agent, priority, route


def facts(**kw):
    base = dict(text="hello", intent="support", language="de", sentiment="neutral", spam=False)
    return Facts(**{**base, **kw})


def test_priority_adds_documented_signals_with_reasons():
    calm, _ = priority(facts(intent="sales"))
    angry, reasons = priority(facts(sentiment="negative", text="URGENT: no service", segment="business", revenue_tier="gold", nps_score=2))
    assert angry > calm
    assert any("negative sentiment" in r for r in reasons) and any("urgency word 'urgent'" in r for r in reasons)
    assert any("NPS detractor (2)" in r for r in reasons) and any("business customer" in r for r in reasons)
    assert priority(facts(spam=True))[0] == 0


def test_rules_in_order_then_intent_default():
    rules = RuleSet.model_validate({"rules": [
        {"name": "german billing", "when": {"language": ["de"], "keywords": ["rechnung"]}, "team": "billing-de", "priority_boost": 10},
        {"name": "detractors", "when": {"nps_category": ["detractor"]}, "team": "retention"},
        {"name": "off", "when": {}, "team": "nowhere", "active": False},
    ]})
    first = route(facts(text="Meine Rechnung ist falsch"), rules)
    assert first.queue == "billing-de" and first.rule == "german billing"
    assert first.priority == route(facts(text="Meine Rechnung ist falsch"), RuleSet()).priority + 10
    assert route(facts(nps_score=3, language="en"), rules).queue == "retention"
    assert route(facts(intent="sales", language="en"), rules).queue == "sales"


def test_spam_goes_to_the_spam_queue_and_never_to_an_agent():
    decision = route(facts(spam=True), RuleSet.model_validate({"rules": [{"name": "all", "when": {}, "team": "support"}]}))
    assert decision.queue == SPAM_QUEUE and decision.priority == 0
    agents = [Agent(1, ["support", SPAM_QUEUE], ["de"], 5, True, 0)]
    assert choose_agent(SPAM_QUEUE, "de", agents) is None


def test_least_loaded_agent_with_the_skills():
    agents = [
        Agent(1, ["support"], ["de", "en"], 5, True, 3),
        Agent(2, ["support"], ["de"], 5, True, 1),
        Agent(3, ["support"], ["de"], 5, False, 0),  # offline
        Agent(4, ["sales"], ["de"], 5, True, 0),  # other team
        Agent(5, ["support"], ["en"], 5, True, 0),  # no German
        Agent(6, ["support"], ["de"], 1, True, 1),  # full
    ]
    assert choose_agent("support", "de", agents).id == 2
    assert choose_agent("support", "en", agents).id == 5
    assert choose_agent("marketing", "de", agents) is None


def test_rules_refuse_unknown_conditions():
    with pytest.raises(ValidationError):
        RuleSet.model_validate({"rules": [{"name": "x", "when": {"mood": ["angry"]}, "team": "support"}]})
