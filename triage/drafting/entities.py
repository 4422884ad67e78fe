"""Values found in a customer's message that a reply may use: order numbers, e-mails, dates, amounts.

Only what is literally in the text (or the message metadata, or the conversation history) is used;
nothing is guessed. The order-number pattern is brand-specific (``entities.order_id`` in the
guidelines).
"""

from __future__ import annotations

import re
from typing import Iterable

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
DATE = re.compile(
    r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}\.\s?\d{1,2}\.)"
    r"|\d{1,2}月\d{1,2}日|\d{1,2}월\s?\d{1,2}일"
)
AMOUNT = re.compile(
    r"(?:[€$£¥₩]|Rp\.?|R\$|US\$)\s?\d[\d.,]*|\b\d[\d.,]*\s?(?:€|EUR|USD|\$|£|円|元|원|yen|euros?|dollars?|rupiah)"
)


def _first(pattern: re.Pattern, texts: Iterable[str]) -> str | None:
    for text in texts:
        match = pattern.search(text or "")
        if match:
            return match.group(0).strip()
    return None


def extract(text: str, history: Iterable[str] = (), order_pattern: str | None = None) -> dict[str, str]:
    """Entities of ``text``, falling back to the conversation history (most recent first)."""
    sources = [text, *reversed(list(history))]
    found: dict[str, str] = {}
    patterns = {"email": EMAIL, "date": DATE, "amount": AMOUNT}
    if order_pattern:
        patterns["order_id"] = re.compile(order_pattern)
    for name, pattern in patterns.items():
        value = _first(pattern, sources)
        if value:
            found[name] = value
    return found
