"""Priority and routing: which queue a message goes to, how urgent it is, and which agent takes it.

Pure functions over plain data, so the web process, a worker or a test can call them alike.

* **Priority** (0-100) adds up documented signals, each with its reason: negative sentiment, support
  intent, urgency words, an NPS detractor, the customer's segment and revenue tier; spam is 0.
* **Rules** are manager-edited: the first active rule whose conditions all hold sends the message to its
  team queue (and may raise its priority); without a match the intent decides the queue. Spam always goes
  to the ``spam`` queue and is never assigned to an agent.
* **Assignment** is least-loaded within the team: available agents with the team and the message's
  language among their skills and spare capacity; the one with the fewest open messages (then the lowest
  id) gets it. When an agent goes offline their open messages return to the queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field

from triage import nps

SPAM_QUEUE = "spam"
URGENT_WORDS = (
    "urgent", "asap", "immediately", "emergency", "right now", "dringend", "sofort", "notfall", "urgente",
    "inmediato", "immédiatement", "urgence", "segera", "darurat", "緊急", "至急", "紧急", "马上", "급해", "긴급", "당장",
)
SEGMENT_POINTS = {"business": 10, "enterprise": 15, "vip": 15}
TIER_POINTS = {"gold": 10, "platinum": 15, "silver": 5}


class Conditions(BaseModel):
    """All given conditions must hold; lists mean "any of"."""

    model_config = ConfigDict(extra="forbid")
    intent: list[str] | None = None
    language: list[str] | None = None
    sentiment: list[str] | None = None
    spam: bool | None = None
    segment: list[str] | None = None
    nps_category: list[Literal["detractor", "passive", "promoter"]] | None = None
    keywords: list[str] | None = None  # any of these, case-insensitive substring
    cluster: list[str] | None = None


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    when: Conditions = Conditions()
    team: str = Field(min_length=1)
    priority_boost: int = Field(default=0, ge=-50, le=50)
    active: bool = True


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[Rule] = []
    default_teams: dict[str, str] = {"sales": "sales", "support": "support", "marketing": "marketing", "other": "support"}


@dataclass
class Facts:
    """What routing knows about one message."""

    text: str
    intent: str | None
    language: str | None
    sentiment: str | None
    spam: bool
    segment: str | None = None
    revenue_tier: str | None = None
    nps_score: int | None = None
    cluster: str | None = None

    @property
    def nps_category(self) -> str | None:
        return nps.category(self.nps_score)


@dataclass
class Decision:
    queue: str
    priority: int
    reasons: list[str] = field(default_factory=list)
    rule: str | None = None


def priority(facts: Facts) -> tuple[int, list[str]]:
    if facts.spam:
        return 0, ["spam: lowest priority"]
    score, reasons = 20, ["base 20"]

    def add(points: int, reason: str) -> None:
        nonlocal score
        score += points
        reasons.append(f"+{points} {reason}")

    if facts.sentiment == "negative":
        add(20, "negative sentiment")
    if facts.intent == "support":
        add(10, "support request")
    lowered = facts.text.lower()
    urgent = next((w for w in URGENT_WORDS if w in lowered), None)
    if urgent:
        add(15, f"urgency word {urgent!r}")
    if facts.nps_category == "detractor":
        add(15, f"NPS detractor ({facts.nps_score})")
    if facts.segment and facts.segment.lower() in SEGMENT_POINTS:
        add(SEGMENT_POINTS[facts.segment.lower()], f"{facts.segment} customer")
    if facts.revenue_tier and facts.revenue_tier.lower() in TIER_POINTS:
        add(TIER_POINTS[facts.revenue_tier.lower()], f"{facts.revenue_tier} revenue tier")
    return min(score, 100), reasons


def _holds(when: Conditions, facts: Facts) -> bool:
    checks = [
        (when.intent, facts.intent), (when.language, facts.language), (when.sentiment, facts.sentiment),
        (when.segment, facts.segment), (when.nps_category, facts.nps_category), (when.cluster, facts.cluster),
    ]
    if any(allowed is not None and value not in allowed for allowed, value in checks):
        return False
    if when.spam is not None and when.spam != facts.spam:
        return False
    if when.keywords is not None and not any(k.lower() in facts.text.lower() for k in when.keywords):
        return False
    return True


def route(facts: Facts, rules: RuleSet) -> Decision:
    score, reasons = priority(facts)
    if facts.spam:
        return Decision(SPAM_QUEUE, 0, reasons + ["spam queue: never assigned to an agent"])
    for rule in rules.rules:
        if rule.active and _holds(rule.when, facts):
            boosted = max(0, min(100, score + rule.priority_boost))
            if rule.priority_boost:
                reasons.append(f"{rule.priority_boost:+d} rule {rule.name!r}")
            return Decision(rule.team, boosted, reasons + [f"rule {rule.name!r} -> {rule.team}"], rule.name)
    team = rules.default_teams.get(facts.intent or "other", "support")
    return Decision(team, score, reasons + [f"intent {facts.intent} -> {team}"])


@dataclass
class Agent:
    id: int
    teams: Sequence[str]
    languages: Sequence[str]
    capacity: int
    available: bool
    open_messages: int


def choose_agent(team: str, language: str | None, agents: Sequence[Agent]) -> Agent | None:
    """Least-loaded available agent of ``team`` who speaks ``language`` (any language when undetermined)."""
    if team == SPAM_QUEUE:
        return None
    candidates = [
        a for a in agents
        if a.available and team in a.teams and a.open_messages < a.capacity
        and (not language or language == "und" or language in a.languages)
    ]
    return min(candidates, key=lambda a: (a.open_messages, a.id), default=None)
