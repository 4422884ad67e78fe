"""The triage pipeline: one encoder pass per message feeds every stage.

Stages form an ordered list of named parts, each with ``predict(texts, embeddings)`` that returns
one result per text and changes nothing; :meth:`Pipeline.label` assembles them into the output.
A stage that fails is named in the error.

>>> pipeline = Pipeline.load()                                   # doctest: +SKIP
>>> pipeline.label(["Mein Paket ist seit zwei Wochen nicht da!"])[0]   # doctest: +SKIP
{'language': 'de', 'sentiment': {'label': 'negative', 'scores': {...}}, 'intent': {'label': 'support', ...}, ...}
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from triage import settings
from triage.heads import Head
from triage.language import LanguageIdentifier

HEAD_TASKS = ("sentiment", "intent", "spam")
LANGUAGE_HEAD = "language"


class Stage(Protocol):
    def predict(self, texts: Sequence[str], embeddings: np.ndarray) -> list: ...


class LanguageStage:
    def __init__(self, identifier: LanguageIdentifier | None = None) -> None:
        self.identifier = identifier or LanguageIdentifier()

    def predict(self, texts: Sequence[str], embeddings: np.ndarray) -> list[str]:
        return self.identifier.predict(list(texts), embeddings)


class HeadStage:
    """A classification head as a stage: label plus calibrated score for every label."""

    def __init__(self, head: Head, decimals: int = 4) -> None:
        self.head = head
        self.decimals = decimals

    def predict(self, texts: Sequence[str], embeddings: np.ndarray) -> list[dict]:
        proba = self.head.predict_proba(embeddings, list(texts))
        labels = self.head.labels_
        return [
            {
                "label": labels[int(row.argmax())],
                "scores": {label: round(float(p), self.decimals) for label, p in zip(labels, row)},
            }
            for row in proba
        ]


class StageError(RuntimeError):
    pass


class Pipeline:
    """Encoder plus named stages. Build with :meth:`load`; heavy objects load once."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray], stages: dict[str, Stage]) -> None:
        self.encode = encode
        self.stages = stages

    @classmethod
    def load(cls, models_dir: str | Path | None = None, encoder_dir: str | Path | None = None) -> "Pipeline":
        from triage.encoder.encoder import Encoder

        models_dir = Path(models_dir) if models_dir else settings.models_dir()
        encoder = Encoder.load(encoder_dir)
        language_head = Head.load(models_dir / LANGUAGE_HEAD)
        stages: dict[str, Stage] = {"language": LanguageStage(LanguageIdentifier(head=language_head))}
        for task in HEAD_TASKS:
            stages[task] = HeadStage(Head.load(models_dir / task))
        pipeline = cls(encoder.encode, stages)
        pipeline.encoder = encoder
        return pipeline

    def embed(self, texts: str | Sequence[str]) -> np.ndarray:
        """Normalised embeddings, the same vectors every stage reads."""
        single = isinstance(texts, str)
        vectors = self.encode([texts] if single else list(texts))
        return vectors[0] if single else vectors

    def predict(self, texts: Sequence[str], embeddings: np.ndarray) -> list[dict]:
        """Run every stage on precomputed embeddings and assemble one result per text."""
        results: list[dict] = [{} for _ in texts]
        for name, stage in self.stages.items():
            try:
                outputs = stage.predict(texts, embeddings)
            except Exception as error:  # name the failing stage, keep the cause
                raise StageError(f"stage {name!r} failed: {error}") from error
            for result, output in zip(results, outputs):
                result[name] = output
        return results

    def label_and_embed(self, texts: Sequence[str]) -> tuple[list[dict], np.ndarray]:
        """Labels and embeddings from the same single encoder pass."""
        texts = list(texts)
        embeddings = self.encode(texts) if texts else np.zeros((0, 384), dtype=np.float32)
        return (self.predict(texts, embeddings) if texts else []), embeddings

    def cluster(self, texts: Sequence[str], mode: str = "incremental", clustering=None) -> list[str]:
        """Cluster ids for ``texts`` (in order): ``"incremental"`` or ``"batch"`` re-clustering."""
        from triage.clustering.model import Clustering

        clustering = clustering or Clustering.load()
        texts = list(texts)
        embeddings = self.encode(texts) if texts else np.zeros((0, 384), dtype=np.float32)
        languages = self.stages["language"].predict(texts, embeddings) if texts else []
        if mode == "incremental":
            return clustering.assign(embeddings, texts, languages)
        if mode == "batch":
            return clustering.recluster(embeddings, texts, languages=languages)[0]
        raise ValueError(f"mode must be 'incremental' or 'batch', got {mode!r}")

    def label(self, texts: str | Sequence[str]) -> dict | list[dict]:
        """Language, sentiment, intent and spam for each text, from one encoder pass."""
        single = isinstance(texts, str)
        batch = [texts] if single else list(texts)
        results = self.predict(batch, self.encode(batch)) if batch else []
        return results[0] if single else results
