"""Net Promoter Score: promoters answer 9-10, passives 7-8, detractors 0-6."""

from __future__ import annotations

from typing import Iterable

DETRACTOR_MAX = 6
PASSIVE_MAX = 8


def category(score: int | None) -> str | None:
    """``"detractor"``, ``"passive"``, ``"promoter"``, or ``None`` without a score."""
    if score is None:
        return None
    return "detractor" if score <= DETRACTOR_MAX else "passive" if score <= PASSIVE_MAX else "promoter"


def summary(scores: Iterable[int]) -> dict:
    """Counts per category and NPS = % promoters - % detractors (``None`` without answers)."""
    counts = {"detractor": 0, "passive": 0, "promoter": 0}
    for score in scores:
        counts[category(score)] += 1
    n = sum(counts.values())
    return {
        "responses": n, "promoters": counts["promoter"], "passives": counts["passive"], "detractors": counts["detractor"],
        "nps": round(100 * (counts["promoter"] - counts["detractor"]) / n, 1) if n else None,
    }
