"""The compliance report: every guideline rule checked on a draft, pass or fail, with the offending span."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from triage.drafting.guidelines import Guidelines, LanguageVoice
from triage.drafting.templates import PLACEHOLDER


@dataclass
class Check:
    rule: str
    passed: bool
    detail: str
    span: tuple[int, int] | None = None  # character offsets in the draft of what breaks the rule
    text: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class DraftContext:
    """What the rules need to know about the message the draft answers."""

    language: str
    channel: str | None
    sentiment: str | None
    intent: str | None
    greeted_before: bool
    greeting: str
    sign_off: str


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return unicodedata.category(ch) == "So" and (cp >= 0x1F000 or 0x2600 <= cp <= 0x27BF)


def _word_pattern(word: str) -> re.Pattern:
    # whole words for alphabetic scripts; plain substrings for scripts without spaces
    if all(unicodedata.category(ch).startswith("L") and ord(ch) < 0x2E80 for ch in word if not ch.isspace()):
        return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    return re.compile(re.escape(word))


def _contains_any(draft: str, words: list[str], ignore_case: bool = True) -> bool:
    haystack = draft.lower() if ignore_case else draft
    return any((w.lower() if ignore_case else w) in haystack for w in words)


def check_draft(draft: str, context: DraftContext, guidelines: Guidelines) -> list[Check]:
    voice: LanguageVoice = guidelines.voice(context.language)
    rules = guidelines.channel(context.channel)
    checks: list[Check] = []

    if context.greeted_before:
        greeted = bool(context.greeting) and draft.startswith(context.greeting)
        checks.append(Check("no_second_greeting", not greeted, "the conversation already has a reply: no greeting again",
                            (0, len(context.greeting)) if greeted else None))
    else:
        ok = draft.startswith(context.greeting)
        checks.append(Check("greeting", ok, f"starts with the {context.channel or 'default'} greeting {context.greeting!r}",
                            None if ok else (0, min(len(draft), 40))))
    ok = draft.rstrip().endswith(context.sign_off)
    checks.append(Check("sign_off", ok, f"ends with the sign-off {context.sign_off!r}", None if ok else (max(0, len(draft) - 40), len(draft))))

    ok = len(draft) <= rules.max_length
    checks.append(Check("max_length", ok, f"{len(draft)} of at most {rules.max_length} characters for {context.channel or 'default'}",
                        None if ok else (rules.max_length, len(draft))))

    emoji = [i for i, ch in enumerate(draft) if _is_emoji(ch)]
    ok = len(emoji) <= rules.max_emoji
    checks.append(Check("emoji", ok, f"{len(emoji)} emoji, at most {rules.max_emoji} allowed",
                        None if ok else (emoji[rules.max_emoji], emoji[rules.max_emoji] + 1)))

    marker_hit = None
    for marker in voice.formality_markers:
        match = _word_pattern(marker).search(draft)
        if match:
            marker_hit = match
            break
    checks.append(Check("formality", marker_hit is None, f"{voice.formality} register: none of {voice.formality_markers}",
                        marker_hit.span() if marker_hit else None, marker_hit.group(0) if marker_hit else None))

    avoided = None
    for rule in voice.avoid:
        match = re.search(re.escape(rule.phrase), draft, re.IGNORECASE)
        if match:
            avoided = match
            break
    checks.append(Check("avoid_phrases", avoided is None, "none of the phrases the brand avoids",
                        avoided.span() if avoided else None, avoided.group(0) if avoided else None))

    if guidelines.required.apology_when_negative and context.sentiment == "negative":
        ok = _contains_any(draft, voice.apology_words)
        checks.append(Check("apology", ok, "the customer is unhappy: the reply apologises"))
    if guidelines.required.help_link_for_support and context.intent == "support":
        links = [guidelines.help_centre, *(a.url for a in guidelines.self_help)]
        ok = any(link in draft for link in links)
        checks.append(Check("help_link", ok, "a support reply carries a help-centre or self-help link"))
    if guidelines.required.disclosure_for_sales and context.intent == "sales":
        ok = voice.disclosure in draft
        checks.append(Check("disclosure", ok, f"a sales reply carries the disclosure {voice.disclosure!r}"))

    missing = list(PLACEHOLDER.finditer(draft))
    checks.append(Check("no_missing_values", not missing,
                        "every variable has a value" if not missing else f"fill in {', '.join(m.group(0) for m in missing)} before sending",
                        missing[0].span() if missing else None, missing[0].group(0) if missing else None))
    return checks
