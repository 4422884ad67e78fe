"""A text -> embedding cache on disk, so re-training and re-evaluating do not re-encode corpora.

Keys are the SHA-1 of the encoder's identity and the text; values are float32 vectors in SQLite.
Training uses it; the serving path does not.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Callable, Sequence

import numpy as np


class EmbeddingCache:
    def __init__(self, path: str | Path, namespace: str) -> None:
        self.path = Path(path)
        self.namespace = namespace
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS embedding (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    @classmethod
    def for_encoder(cls, prefix: str) -> "EmbeddingCache":
        """The project's cache for the current encoder and prompt prefix, in ``$TRIAGE_HOME``."""
        from triage import settings

        return cls(settings.triage_home() / "embeddings.sqlite", f"{settings.ENCODER_NAME}|{prefix}")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.namespace}\x00{text}".encode("utf-8")).hexdigest()

    def encode(self, texts: Sequence[str], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """Embeddings of ``texts``, computing with ``encode`` only those not cached yet."""
        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._connect() as db:
            for start in range(0, len(keys), 900):
                chunk = keys[start : start + 900]
                rows = db.execute(
                    f"SELECT key, vector FROM embedding WHERE key IN ({','.join('?' * len(chunk))})", chunk
                )
                found.update((key, np.frombuffer(blob, dtype=np.float32)) for key, blob in rows)
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        if missing:
            vectors = encode([text for _, text in missing])
            with self._connect() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO embedding VALUES (?, ?)",
                    [(key, vector.astype(np.float32).tobytes()) for (key, _), vector in zip(missing, vectors)],
                )
            found.update((key, vector) for (key, _), vector in zip(missing, vectors))
        return np.stack([found[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.float32)
