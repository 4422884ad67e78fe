"""Batch re-clustering of a historical set, keeping cluster ids stable where clusters persist.

Average-linkage agglomerative clustering (scikit-learn) on the cluster-space vectors, cut at a cosine
distance threshold. Fingerprint duplicates are merged first, so a spam wave of 500 copies costs one
row. New clusters take the id of the previous cluster they overlap most (Hungarian matching on shared
members, kept when the overlap is at least half of the smaller of the two), so links to a cluster keep
working after a re-run; unmatched clusters get fresh ids.

Agglomerative clustering needs the pairwise distances in memory: up to ``max_rows`` distinct messages
(20,000 by default, ~1.6 GB); for larger histories re-cluster a recent window.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Sequence

import numpy as np

from triage.clustering.fingerprint import fingerprint
from triage.clustering.space import ClusterSpace


def agglomerate(vectors: np.ndarray, distance_threshold: float) -> np.ndarray:
    """Cluster labels (0..k-1) of unit vectors by average linkage on cosine distance."""
    from sklearn.cluster import AgglomerativeClustering

    if len(vectors) == 1:
        return np.zeros(1, dtype=int)
    model = AgglomerativeClustering(n_clusters=None, distance_threshold=distance_threshold, metric="cosine", linkage="average")
    return model.fit_predict(vectors)


def stable_ids(labels: Sequence[int], previous: Sequence[str | None], next_id: int) -> tuple[list[str], int]:
    """Name each new cluster after the previous cluster it overlaps most; returns (ids, next free number)."""
    from scipy.optimize import linear_sum_assignment

    new_clusters = sorted(set(labels))
    old_clusters = sorted({p for p in previous if p})
    overlap = np.zeros((len(new_clusters), len(old_clusters)))
    new_index = {c: i for i, c in enumerate(new_clusters)}
    old_index = {c: i for i, c in enumerate(old_clusters)}
    new_size = Counter(labels)
    old_size = Counter(p for p in previous if p)
    for label, old in zip(labels, previous):
        if old:
            overlap[new_index[label], old_index[old]] += 1
    names: dict[int, str] = {}
    if old_clusters:
        rows, cols = linear_sum_assignment(-overlap)
        for r, c in zip(rows, cols):
            shared = overlap[r, c]
            if shared and shared >= 0.5 * min(new_size[new_clusters[r]], old_size[old_clusters[c]]):
                names[new_clusters[r]] = old_clusters[c]
    for cluster in new_clusters:
        if cluster not in names:
            names[cluster] = f"c{next_id:06d}"
            next_id += 1
    return [names[label] for label in labels], next_id


def recluster(
    embeddings: np.ndarray,
    texts: Sequence[str],
    space: ClusterSpace,
    distance_threshold: float,
    previous: Sequence[str | None] | None = None,
    next_id: int = 1,
    max_rows: int = 20_000,
    languages: Sequence[str | None] | None = None,
) -> tuple[list[str], int]:
    """Cluster ids for every message of a historical set (see the module docstring)."""
    if len(texts) == 0:
        return [], next_id
    groups: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        groups[fingerprint(text) or f"#{i}"].append(i)
    representatives = [members[0] for members in groups.values()]
    if len(representatives) > max_rows:
        raise ValueError(
            f"batch re-clustering holds pairwise distances in memory: {len(representatives)} distinct messages "
            f"is over the limit of {max_rows}; re-cluster a recent window instead"
        )
    representative_languages = [languages[i] for i in representatives] if languages is not None else None
    labels_of_groups = agglomerate(space.transform(embeddings[representatives], representative_languages), distance_threshold)
    labels = np.empty(len(texts), dtype=int)
    for label, members in zip(labels_of_groups, groups.values()):
        labels[members] = label
    return stable_ids(labels.tolist(), list(previous) if previous is not None else [None] * len(texts), next_id)
