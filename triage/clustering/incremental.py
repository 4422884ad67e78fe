"""Incremental clustering: each new message joins the nearest cluster when similar enough.

For each message, in arrival order:

1. its fingerprint (see :mod:`triage.clustering.fingerprint`) is looked up: a retweet, a copy-paste
   or the same text from another handle joins its original's cluster at once, with no vector maths;
2. otherwise its nearest stored messages are found in the :class:`VectorIndex`, their clusters are the
   candidates, and the message joins the candidate whose *centroid* is most similar, if that similarity
   reaches ``threshold``; comparing with centroids rather than single neighbours keeps one borderline
   message from chaining two different problems together;
3. otherwise it starts a new cluster.

The threshold is a documented setting (see ``models/clustering/config.json`` and the README): raise it
for purer clusters, lower it for fewer, larger ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from triage.clustering.fingerprint import fingerprint
from triage.clustering.index import VectorIndex
from triage.clustering.space import ClusterSpace


@dataclass
class Cluster:
    id: str
    vector_sum: np.ndarray
    size: int = 0
    members: list[int] = field(default_factory=list)

    @property
    def centroid(self) -> np.ndarray:
        return self.vector_sum / max(np.linalg.norm(self.vector_sum), 1e-12)


@dataclass(frozen=True)
class Assignment:
    cluster: str
    similarity: float  # to the cluster's centroid when it joined; 1.0 for a fingerprint duplicate
    duplicate: bool  # joined by fingerprint (exact or near-exact copy)
    new: bool  # started a new cluster


class IncrementalClusterer:
    """Assign messages to clusters one at a time, keeping cluster ids stable.

    Parameters
    ----------
    space:
        A fitted :class:`ClusterSpace`.
    threshold:
        Minimum cosine (in the cluster space) between a message and a cluster centroid to join it.
    neighbours:
        Stored messages looked at to find candidate clusters.
    exact_limit:
        Below this many stored messages, search is exact; above, approximate (faiss IVF).
    """

    def __init__(self, space: ClusterSpace, threshold: float = 0.5, neighbours: int = 10, exact_limit: int = 20_000) -> None:
        self.space = space
        self.threshold = threshold
        self.neighbours = neighbours
        self.exact_limit = exact_limit
        self.clusters: dict[str, Cluster] = {}
        self._index = VectorIndex(space.dimension, exact_limit=exact_limit)
        self._member_cluster: list[str] = []
        self._fingerprints: dict[str, str] = {}
        self._next_id = 1

    def __len__(self) -> int:
        return len(self._member_cluster)

    def _new_cluster(self, vector: np.ndarray) -> Cluster:
        cluster = Cluster(f"c{self._next_id:06d}", np.zeros_like(vector, dtype=np.float64))
        self._next_id += 1
        self.clusters[cluster.id] = cluster
        return cluster

    def _best_candidate(self, vector: np.ndarray) -> tuple[Cluster | None, float]:
        if not len(self._index):
            return None, -1.0
        _, positions = self._index.search(vector, self.neighbours)
        candidates = {self._member_cluster[p] for p in positions[0] if p >= 0}
        best, best_similarity = None, -1.0
        for cluster_id in candidates:
            cluster = self.clusters[cluster_id]
            similarity = float(cluster.centroid @ vector[0])
            if similarity > best_similarity:
                best, best_similarity = cluster, similarity
        return best, best_similarity

    def add(self, embeddings: np.ndarray, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[Assignment]:
        """Assign each message (in order) and store it; returns one :class:`Assignment` per message.

        ``languages`` (one code per message, e.g. from the language stage) centres each message on its
        own language's mean; without it, the corpus mean is used.
        """
        vectors = self.space.transform(embeddings, languages)
        assignments = []
        for vector, text in zip(vectors, texts):
            vector = vector[None, :]
            key = fingerprint(text)
            duplicate = key is not None and key in self._fingerprints
            if duplicate:
                cluster, similarity, new = self.clusters[self._fingerprints[key]], 1.0, False
            else:
                cluster, similarity = self._best_candidate(vector)
                new = cluster is None or similarity < self.threshold
                if new:
                    cluster = self._new_cluster(vector[0])
            cluster.vector_sum += vector[0]
            cluster.size += 1
            cluster.members.append(len(self._member_cluster))
            self._member_cluster.append(cluster.id)
            self._index.add(vector)
            if key is not None:
                self._fingerprints.setdefault(key, cluster.id)
            assignments.append(Assignment(cluster.id, 1.0 if new else similarity, duplicate, new))
        return assignments

    def restore(self, embeddings: np.ndarray, texts: Sequence[str], clusters: Sequence[str], languages=None) -> None:
        """Load already-clustered messages in bulk (e.g. from storage after a restart), without re-assigning."""
        vectors = self.space.transform(embeddings, languages)
        for vector, text, cluster_id in zip(vectors, texts, clusters):
            cluster = self.clusters.get(cluster_id)
            if cluster is None:
                cluster = self.clusters[cluster_id] = Cluster(cluster_id, np.zeros(len(vector), dtype=np.float64))
            cluster.vector_sum += vector
            cluster.size += 1
            cluster.members.append(len(self._member_cluster))
            self._member_cluster.append(cluster_id)
            key = fingerprint(text)
            if key is not None:
                self._fingerprints.setdefault(key, cluster_id)
        self._index.add(vectors)
        numbers = [int(c[1:]) for c in self.clusters if c[1:].isdigit()]
        self._next_id = max(numbers, default=0) + 1

    def cluster_of(self, position: int) -> str:
        return self._member_cluster[position]
