"""Triage of stored messages, independent of the web process: the API calls it after storing a message,
and a task-queue worker (Celery or similar) can call :func:`triage_pending` the same way.

One encoder pass per message feeds the labels, the cluster assignment and the drafted reply.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.models import Message, utcnow
from service.repository import pending


class Engine(Protocol):
    def triage(self, messages: Sequence[Message]) -> None: ...


@dataclass
class TriageEngine:
    """The real pipeline, clustering and drafter, loaded once."""

    pipeline: object
    clustering: object
    drafter: object

    @classmethod
    def load(cls, guidelines_path, templates_dir, pipeline=None) -> "TriageEngine":
        from triage.clustering.model import Clustering
        from triage.drafting.drafter import Drafter
        from triage.drafting.guidelines import load_guidelines
        from triage.drafting.templates import load_templates
        from triage.pipeline import Pipeline

        pipeline = pipeline or Pipeline.load()
        clustering = Clustering.load()
        drafter = Drafter.with_clustering(load_guidelines(guidelines_path), load_templates(templates_dir), pipeline.encode, clustering)
        engine = cls(pipeline, clustering, drafter)
        engine.clusterer = clustering.clusterer()
        engine.lock = threading.Lock()  # the clusterer's state is shared by request threads
        return engine

    def reload_brand(self, session: Session, guidelines_path, templates_dir) -> None:
        """Rebuild the drafter from the latest managed versions (files where the API holds none).

        Template examples are embedded through the on-disk cache, so only changed examples are encoded.
        """
        from triage.drafting.drafter import Drafter
        from triage.drafting.files import load_model
        from triage.drafting.guidelines import Guidelines, load_guidelines
        from triage.drafting.templates import load_template, load_templates
        from triage.embedding_cache import EmbeddingCache

        from service.models import Document

        def newest(kind: str) -> dict[str, Document]:
            rows = session.scalars(select(Document).where(Document.kind == kind).order_by(Document.version))
            return {row.name: row for row in rows}  # later versions overwrite earlier ones

        with tempfile.TemporaryDirectory() as folder:
            guidelines = load_guidelines(guidelines_path)
            managed = newest("guidelines").get(Path(guidelines_path).stem)
            if managed is not None:
                path = Path(folder) / "guidelines.yaml"
                path.write_text(managed.content, encoding="utf-8")
                guidelines = load_model(path, Guidelines)
            templates = load_templates(templates_dir)
            for name, document in newest("template").items():
                path = Path(folder) / f"{name}.yaml"
                path.write_text(document.content, encoding="utf-8")
                templates[name] = load_template(path)
        cache = EmbeddingCache.for_encoder(self.pipeline.encoder.prefix)
        encode = lambda texts: cache.encode(texts, self.pipeline.encode)  # noqa: E731
        drafter = Drafter.with_clustering(guidelines, templates, encode, self.clustering)
        drafter.encode = self.pipeline.encode  # messages themselves are not cached
        with self.lock:
            self.drafter = drafter

    def restore(self, session: Session) -> int:
        """Reload the clusters of already-triaged messages (after a restart), without re-encoding them."""
        rows = list(session.execute(
            select(Message.embedding, Message.text, Message.cluster_id, Message.language)
            .where(Message.status == "triaged", Message.embedding.is_not(None)).order_by(Message.id)
        ))
        if rows:
            vectors = np.stack([np.frombuffer(r.embedding, dtype=np.float32) for r in rows])
            self.clusterer.restore(vectors, [r.text for r in rows], [r.cluster_id for r in rows], [r.language for r in rows])
        return len(rows)

    def triage(self, messages: Sequence[Message]) -> None:
        if not messages:
            return
        with self.lock:
            self._triage(messages)

    def _triage(self, messages: Sequence[Message]) -> None:
        from triage.drafting.drafter import Message as DraftMessage

        texts = [m.text for m in messages]
        labels, embeddings = self.pipeline.label_and_embed(texts)
        languages = [label["language"] for label in labels]
        assignments = self.clusterer.add(embeddings, texts, languages)
        for message, label, embedding, assignment in zip(messages, labels, embeddings, assignments):
            record = {
                "text": message.text, "channel": message.channel, "author": message.author,
                "customer": message.customer or {}, "nps_score": message.nps_score,
            }
            draft = self.drafter.draft(DraftMessage.from_record(record, label), embedding)
            message.labels = label
            message.language = label["language"]
            message.cluster_id = assignment.cluster
            message.draft = draft.to_dict()
            message.embedding = np.asarray(embedding, dtype=np.float32).tobytes()
            message.status = "triaged"
            message.triaged_at = utcnow()


def process(session: Session, engine: Engine, messages: Sequence[Message]) -> None:
    """Triage (labels, cluster, draft), then route (priority, queue, agent), then commit."""
    from service.routing import route_messages

    if not messages:
        return
    engine.triage(messages)
    route_messages(session, messages)
    session.commit()


def triage_pending(session: Session, engine: Engine, batch: int = 256) -> int:
    """Triage and route every stored, untriaged message; returns how many. Safe to run from a worker."""
    done = 0
    while True:
        messages = pending(session, batch)
        if not messages:
            return done
        process(session, engine, messages)
        done += len(messages)
