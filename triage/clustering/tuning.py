"""Fit the cluster space and choose the thresholds, then report the dev figures.

* The space is centred per language on the language head's training rows (tweets, reviews, STS
  sentences and the project's messages in 14 languages) plus BANKING77 and HWU64 train for English;
  none of the evaluated rows.
* Both thresholds are chosen on a 3,000-row sample of CLINC150 **train** (best adjusted Rand index);
  CLINC150 **val** is only reported, never used for a choice.
* STS-B dev (and KorSTS dev) pairs with score >= 4 count as duplicates; the average precision of the
  cluster-space cosine is reported per language.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from triage.clustering.incremental import IncrementalClusterer
from triage.clustering.batch import agglomerate
from triage.clustering.model import Clustering, ClusteringConfig
from triage.clustering.space import ClusterSpace
from triage.datasets import DataFolder

JOIN_GRID = (0.35, 0.4, 0.45, 0.5, 0.55)
DISTANCE_GRID = (0.5, 0.55, 0.6, 0.65, 0.7)
STS_SETS = {"de": "stsb-de-dev", "zh": "stsb-zh-dev", "ko": "korsts-ko-dev", "en": "stsb-en-dev", "es": "stsb-es-dev", "ja": "stsb-ja-dev"}


def _scores(gold, predicted) -> dict:
    from sklearn.metrics import adjusted_rand_score, homogeneity_score, v_measure_score

    return {
        "ari": float(adjusted_rand_score(gold, predicted)),
        "v_measure": float(v_measure_score(gold, predicted)),
        "homogeneity": float(homogeneity_score(gold, predicted)),
        "clusters": int(len(set(predicted))),
    }


def _incremental(space: ClusterSpace, embeddings: np.ndarray, texts: list[str], threshold: float) -> list[str]:
    order = np.random.default_rng(1).permutation(len(embeddings))  # arrival order is not grouped by intent
    clusterer = IncrementalClusterer(space, threshold=threshold)
    assignments = clusterer.add(embeddings[order], [texts[i] for i in order], ["en"] * len(order))
    labels = [""] * len(embeddings)
    for position, assignment in zip(order, assignments):
        labels[position] = assignment.cluster
    return labels


def tune(folder: DataFolder, embed: Callable[[list[str]], np.ndarray], log=print) -> tuple[Clustering, dict]:
    from sklearn.metrics import average_precision_score

    from triage.datasets import language_data

    reference = language_data(folder).train
    texts = [r.text for r in reference] + [r["text"] for n in ("banking77-train", "hwu64-train") for r in folder.rows(f"intent/{n}.jsonl")]
    languages = [r.label for r in reference] + ["en"] * (len(texts) - len(reference))
    space = ClusterSpace().fit(embed(texts), languages)

    train = folder.rows("intent/clinc150-train.jsonl")
    sample = [train[i] for i in np.random.default_rng(0).choice(len(train), 3000, replace=False)]
    t_tune, y_tune = [r["text"] for r in sample], [r["label"] for r in sample]
    X_tune = embed(t_tune)
    join = max(JOIN_GRID, key=lambda t: _scores(y_tune, _incremental(space, X_tune, t_tune, t))["ari"])
    V_tune = space.transform(X_tune, ["en"] * len(X_tune))
    distance = max(DISTANCE_GRID, key=lambda d: _scores(y_tune, agglomerate(V_tune, d))["ari"])
    log(f"  clustering: join threshold {join}, re-cluster distance {distance} (chosen on CLINC150 train)")

    val = folder.rows("intent/clinc150-val.jsonl")
    t_val, y_val = [r["text"] for r in val], [r["label"] for r in val]
    X_val = embed(t_val)
    report = {
        "clinc150_val_incremental": _scores(y_val, _incremental(space, X_val, t_val, join)),
        "clinc150_val_batch": _scores(y_val, agglomerate(space.transform(X_val, ["en"] * len(X_val)), distance)),
        "sts_average_precision": {},
        "chosen_on": "chosen on a CLINC150 train sample (3,000 rows); space centred per language on the language head's training rows plus BANKING77 + HWU64 train",
    }
    for lang, name in STS_SETS.items():
        rows = folder.rows(f"similarity/{name}.jsonl")
        a = space.transform(embed([r["text1"] for r in rows]), [lang] * len(rows))
        b = space.transform(embed([r["text2"] for r in rows]), [lang] * len(rows))
        duplicate = np.array([r["score"] >= 4 for r in rows])
        report["sts_average_precision"][lang] = float(average_precision_score(duplicate, (a * b).sum(axis=1)))
    clustering = Clustering(space, ClusteringConfig(join_threshold=join, recluster_distance=distance))
    return clustering, report
