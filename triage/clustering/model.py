"""The clustering model: the fitted space, the tuned thresholds, and the entry points that use them.

Saved in ``models/clustering/`` (``space.safetensors``, ``space.json``, ``config.json``) by
``triage train``; see :mod:`triage.clustering.tuning` for how the thresholds are chosen.

>>> clustering = Clustering.load()                                   # doctest: +SKIP
>>> clustering.assign(embeddings, texts)                              # doctest: +SKIP
['c000001', 'c000002', 'c000001']
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from triage import settings
from triage.clustering.batch import recluster
from triage.clustering.incremental import IncrementalClusterer
from triage.clustering.space import ClusterSpace


@dataclass
class ClusteringConfig:
    join_threshold: float = 0.45  # incremental: min cosine to a cluster centroid to join it
    recluster_distance: float = 0.65  # batch: average-linkage cut, in cosine distance
    neighbours: int = 10


class Clustering:
    def __init__(self, space: ClusterSpace, config: ClusteringConfig | None = None) -> None:
        self.space = space
        self.config = config or ClusteringConfig()

    @classmethod
    def load(cls, directory: str | Path | None = None) -> "Clustering":
        directory = Path(directory) if directory else settings.models_dir() / "clustering"
        config_path = directory / "config.json"
        if not config_path.exists():
            raise FileNotFoundError(f"no clustering model in {directory}: run `triage train --data DIR` first")
        stored = json.loads(config_path.read_text())
        return cls(ClusterSpace.load(directory), ClusteringConfig(**stored["settings"]))

    def save(self, directory: str | Path, report: dict | None = None) -> Path:
        directory = Path(directory)
        self.space.save(directory)
        (directory / "config.json").write_text(json.dumps({"settings": asdict(self.config), "report": report or {}}, indent=2) + "\n")
        return directory

    def clusterer(self, threshold: float | None = None) -> IncrementalClusterer:
        """A fresh incremental clusterer with the tuned settings."""
        return IncrementalClusterer(
            self.space,
            threshold=self.config.join_threshold if threshold is None else threshold,
            neighbours=self.config.neighbours,
        )

    def assign(self, embeddings: np.ndarray, texts: Sequence[str], languages=None, threshold: float | None = None) -> list[str]:
        """Incremental clustering of a batch, in order (a fresh clusterer)."""
        return [a.cluster for a in self.clusterer(threshold).add(embeddings, texts, languages)]

    def recluster(self, embeddings: np.ndarray, texts: Sequence[str], previous=None, next_id: int = 1, distance: float | None = None, languages=None):
        """Batch re-clustering (ids stable against ``previous``); returns (ids, next free id number)."""
        distance = self.config.recluster_distance if distance is None else distance
        return recluster(embeddings, texts, self.space, distance, previous, next_id, languages=languages)
