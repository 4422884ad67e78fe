"""Dev metrics per task, dev set and language, and the table ``triage evaluate`` prints."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, recall_score

# The headline metric of each dev set, as the corpus' own publications report it.
HEADLINE = {
    "tweeteval-en": "macro_recall",
    "germeval17-de": "micro_f1",
    "sms-heldout": "spam_f1",
    "youtube-heldout": "spam_f1",
}


@dataclass
class Score:
    task: str
    dataset: str
    language: str
    n: int
    macro_f1: float
    macro_recall: float
    micro_f1: float
    spam_f1: float | None
    ece: float

    def headline(self) -> tuple[str, float]:
        if self.task == "spam" and self.dataset == "own":
            return "spam_f1", self.spam_f1
        name = HEADLINE.get(self.dataset, "macro_f1")
        return name, getattr(self, name)


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """ECE of the top-label confidence with equal-width bins."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        in_bin = which == b
        if in_bin.any():
            ece += in_bin.mean() * abs(confidence[in_bin].mean() - correct[in_bin].mean())
    return float(ece)


def score(task: str, dataset: str, language: str, gold: Sequence[str], proba: np.ndarray, labels: Sequence[str]) -> Score:
    labels = list(labels)
    predicted = [labels[i] for i in proba.argmax(axis=1)]
    present = sorted(set(gold))
    spam_f1 = None
    if task == "spam":
        spam_f1 = float(f1_score(gold, predicted, pos_label="spam", average="binary", zero_division=0))
    return Score(
        task=task,
        dataset=dataset,
        language=language,
        n=len(gold),
        macro_f1=float(f1_score(gold, predicted, labels=present, average="macro", zero_division=0)),
        macro_recall=float(recall_score(gold, predicted, labels=present, average="macro", zero_division=0)),
        micro_f1=float(accuracy_score(gold, predicted)),
        spam_f1=spam_f1,
        ece=expected_calibration_error(proba.max(axis=1), np.array(predicted) == np.array(gold)),
    )


def score_dataset(task: str, dataset: str, langs: Sequence[str], gold: Sequence[str], proba: np.ndarray, labels) -> list[Score]:
    """One score for the whole set, plus one per language when it has several."""
    scores = [score(task, dataset, "all", gold, proba, labels)]
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, lang in enumerate(langs):
        by_lang[lang].append(i)
    if len(by_lang) > 1:
        for lang in sorted(by_lang):
            idx = by_lang[lang]
            scores.append(score(task, dataset, lang, [gold[i] for i in idx], proba[idx], labels))
    return scores


def format_table(scores: list[Score], baseline: dict[tuple[str, str, str], float] | None = None) -> str:
    header = f"{'task':<10} {'dataset':<16} {'lang':<5} {'n':>5}  {'metric':<13} {'value':>6} {'ece':>6}"
    if baseline:
        header += f" {'baseline':>8}"
    lines = [header, "-" * len(header)]
    for s in scores:
        name, value = s.headline()
        line = f"{s.task:<10} {s.dataset:<16} {s.language:<5} {s.n:>5}  {name:<13} {100 * value:>6.1f} {s.ece:>6.3f}"
        if baseline:
            base = baseline.get((s.task, s.dataset, s.language))
            line += f" {100 * base:>8.1f}" if base is not None else f" {'':>8}"
        lines.append(line)
    return "\n".join(lines)


def summary(scores: list[Score]) -> dict:
    """The figures the issues' bars name, for the model card and closing notes."""
    get = {(s.task, s.dataset, s.language): s for s in scores}
    xlmt = [get[("sentiment", f"xlmt-{lang}", "all")].macro_f1 for lang in ("ar", "de", "en", "es", "fr", "hi", "it", "pt") if ("sentiment", f"xlmt-{lang}", "all") in get]
    out = {}
    if xlmt:
        out["xlmt_avg_macro_f1"] = float(np.mean(xlmt))
        out["xlmt_min_macro_f1"] = float(np.min(xlmt))
    for key, (task, dataset, attr) in {
        "smsa_macro_f1": ("sentiment", "smsa-id", "macro_f1"),
        "tweeteval_macro_recall": ("sentiment", "tweeteval-en", "macro_recall"),
        "germeval_micro_f1": ("sentiment", "germeval17-de", "micro_f1"),
        "sms_spam_f1": ("spam", "sms-heldout", "spam_f1"),
        "own_spam_f1": ("spam", "own", "spam_f1"),
        "own_intent_macro_f1": ("intent", "own", "macro_f1"),
        "own_sentiment_macro_f1": ("sentiment", "own", "macro_f1"),
    }.items():
        if (task, dataset, "all") in get:
            out[key] = getattr(get[(task, dataset, "all")], attr)
    intent_langs = [s for s in scores if s.task == "intent" and s.dataset == "own" and s.language != "all"]
    if intent_langs:
        out["own_intent_min_language_macro_f1"] = min(s.macro_f1 for s in intent_langs)
    return out


def to_rows(scores: list[Score]) -> list[dict]:
    return [asdict(s) for s in scores]
