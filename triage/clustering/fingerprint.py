"""Exact and near-exact duplicates, caught cheaply before any embedding comparison.

Two messages share a fingerprint when they are the same text once the parts that vary between copies
are removed: a retweet prefix ("RT @someone:"), @handles, links, e-mail addresses, case, punctuation,
emoji and spacing. Retweets, copy-paste spam waves and the same complaint posted by many accounts
collapse onto one fingerprint.

>>> fingerprint("RT @anna: App down again?? https://t.co/x") == fingerprint("app DOWN again @NimbusHelp")
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_RETWEET = re.compile(r"^\s*(rt|via)\s+@\w+\s*:?\s*", re.IGNORECASE)
_VARYING = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+\.\S+|@\w+"
    r"|\b[\w-]+(?:\.[\w-]+)+/\S*"  # bare links with a path: bit.ly/x, t.co/abc
    r"|\b[\w-]+\.(?:com|net|org|ly|io|co|me|biz|info|xyz|site|link|shop|top)\b",  # bare domains
    re.UNICODE | re.IGNORECASE,
)
MIN_NORMALISED_CHARS = 8  # shorter texts ("ok", "thanks!") are not treated as copies of each other


def normalise(text: str) -> str:
    """The text with everything that varies between copies removed."""
    text = unicodedata.normalize("NFKC", text)
    text = _RETWEET.sub("", text)
    text = _VARYING.sub(" ", text).lower()
    kept = "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text)
    return " ".join(kept.split())


def fingerprint(text: str) -> str | None:
    """A short hash of :func:`normalise`, or ``None`` when too little text is left to call it a copy."""
    normalised = normalise(text)
    if len(normalised.replace(" ", "")) < MIN_NORMALISED_CHARS:
        return None
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16]
