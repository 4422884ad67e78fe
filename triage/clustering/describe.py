"""What a cluster is about: size, representative message, keywords, languages, trend and mix.

Keywords are class-based TF-IDF over the clusters' texts (each cluster one document), with a tokeniser
that works for scripts without spaces: runs of Chinese characters (hanzi, kanji) become character
bigrams, katakana words stay whole, hiragana (Japanese grammar) is skipped, everything else is word
tokens (Korean words included); handles, links and numbers are dropped.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Sequence

import numpy as np

_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\S+|[@#]\w+|\d[\d\-/:.,]*", re.UNICODE)
_HAN_RUN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]+")
_KATAKANA_RUN = re.compile(r"[\u30a0-\u30ff]{2,}")
_HIRAGANA = re.compile(r"[\u3040-\u309f]+")  # Japanese grammar endings: never keywords
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
# Frequent function words of the product's main languages; enough to keep them out of keywords.
STOPWORDS = frozenset(
    """
    the a an and or but is are was were be been it its this that these those i you he she we they me my your our
    their to of in on for with at by from as not no do does did have has had can could will would should just so
    very too also if then than there here what when where who how why all any some more most about into out up
    please pls hi hello thanks thank dear team
    der die das und oder ist sind war ein eine einen nicht mit von zu den dem des im auf für bei ich du sie wir ihr es
    mein meine mir mich ihr euch noch schon aber auch wie was wenn dass bitte hallo danke
    el la los las un una y o es son de del en con por para que no se su mi me te lo al muy pero hola gracias
    le les des une et ou est sont du au avec pour pas je tu il elle nous vous ils mon ma mes ce cette qui que bonjour merci
    o os as um uma e é são do da dos das em com por para não eu meu minha olá obrigado obrigada
    il lo gli un una e è sono di del della in con per non io mio mia che ciao grazie
    yang dan di ke dari ini itu saya aku kamu anda tidak gak ga nya sudah udah ada untuk dengan ya kak min tolong
    """.split()
)


def tokens(text: str) -> list[str]:
    """Keyword candidates of one text: Chinese characters as bigrams, katakana words whole."""
    text = _NOISE.sub(" ", text.lower())
    out: list[str] = []
    for run in _HAN_RUN.findall(text):
        out += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
    out += _KATAKANA_RUN.findall(text)
    text = _HIRAGANA.sub(" ", _KATAKANA_RUN.sub(" ", _HAN_RUN.sub(" ", text)))
    out += [w for w in _WORD.findall(text) if w not in STOPWORDS]
    return out


def keywords(cluster_texts: dict[str, list[str]], top: int = 5) -> dict[str, list[str]]:
    """Top class-TF-IDF terms per cluster."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = list(cluster_texts)
    if not ids:
        return {}
    documents = ["\n".join(cluster_texts[i]) for i in ids]
    vectorizer = TfidfVectorizer(analyzer=tokens, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError:  # no keyword candidates at all (emoji-only clusters)
        return {i: [] for i in ids}
    vocabulary = np.array(vectorizer.get_feature_names_out())
    result = {}
    for row, cluster in enumerate(ids):
        weights = matrix[row].toarray()[0]
        best = weights.argsort()[::-1][:top]
        result[cluster] = [str(vocabulary[j]) for j in best if weights[j] > 0]
    return result


@dataclass
class ClusterSummary:
    id: str
    size: int
    representative: dict
    keywords: list[str]
    languages: dict[str, int]
    first_seen: str | None
    last_seen: str | None
    per_day: dict[str, int]
    sentiment: dict[str, int]
    dominant_intent: str | None
    intents: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def describe(
    clusters: Sequence[str],
    texts: Sequence[str],
    vectors: np.ndarray,
    ids: Sequence | None = None,
    languages: Sequence[str | None] | None = None,
    sentiments: Sequence[str | None] | None = None,
    intents: Sequence[str | None] | None = None,
    timestamps: Sequence[str | None] | None = None,
    top_keywords: int = 5,
) -> list[ClusterSummary]:
    """Summaries of every cluster, largest first. ``vectors`` are cluster-space (unit) vectors."""
    n = len(texts)
    ids = list(ids) if ids is not None else list(range(n))
    none = [None] * n
    languages, sentiments = languages or none, sentiments or none
    intents, timestamps = intents or none, timestamps or none
    members: dict[str, list[int]] = defaultdict(list)
    for i, cluster in enumerate(clusters):
        members[cluster].append(i)
    words = keywords({c: [texts[i] for i in rows] for c, rows in members.items()}, top_keywords)
    summaries = []
    for cluster, rows in members.items():
        block = vectors[rows]
        medoid = rows[int((block @ block.mean(axis=0)).argmax())]
        seen = sorted(t for t in (timestamps[i] for i in rows) if t)
        intent_counts = Counter(intents[i] for i in rows if intents[i])
        summaries.append(
            ClusterSummary(
                id=cluster,
                size=len(rows),
                representative={"id": ids[medoid], "text": texts[medoid]},
                keywords=words.get(cluster, []),
                languages=dict(Counter(languages[i] for i in rows if languages[i]).most_common()),
                first_seen=seen[0] if seen else None,
                last_seen=seen[-1] if seen else None,
                per_day=dict(sorted(Counter(t[:10] for t in seen).items())),
                sentiment=dict(Counter(sentiments[i] for i in rows if sentiments[i]).most_common()),
                dominant_intent=intent_counts.most_common(1)[0][0] if intent_counts else None,
                intents=dict(intent_counts.most_common()),
            )
        )
    return sorted(summaries, key=lambda s: (-s.size, s.id))
