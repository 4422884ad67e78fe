"""The vector space clusters are formed in: the message embedding, centred and re-normalised.

e5's embeddings are anisotropic: unrelated messages sit at cosine ~0.8 because every vector shares a
large common component, and messages in one language share a further one. Subtracting the mean of the
message's own language (the corpus mean for languages without enough data) spreads them out, so that
one similarity threshold separates "same problem" from "related", and a German and a Korean report of
the same outage meet instead of each joining its own language's catch-all cluster. Optionally the
result is projected onto whitened principal directions. Means and projection are saved as safetensors
with a JSON config, like the heads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np


class ClusterSpace:
    """Centre (and optionally whiten) embeddings, then L2-normalise.

    Parameters
    ----------
    whiten_dims:
        Keep this many whitened principal directions; ``0`` only centres.
    min_language_rows:
        Languages with fewer fitting rows than this use the corpus mean.
    """

    def __init__(self, whiten_dims: int = 0, min_language_rows: int = 50) -> None:
        self.whiten_dims = whiten_dims
        self.min_language_rows = min_language_rows

    def fit(self, embeddings: np.ndarray, languages: Sequence[str] | None = None) -> "ClusterSpace":
        embeddings = np.asarray(embeddings, dtype=np.float64)
        self.mean_ = embeddings.mean(axis=0).astype(np.float32)
        self.language_means_: dict[str, np.ndarray] = {}
        if languages is not None:
            languages = np.asarray(languages)
            for language in sorted(set(languages)):
                rows = languages == language
                if rows.sum() >= self.min_language_rows:
                    self.language_means_[str(language)] = embeddings[rows].mean(axis=0).astype(np.float32)
        if self.whiten_dims:
            _, singular, vt = np.linalg.svd(embeddings - self.mean_, full_matrices=False)
            scale = singular[: self.whiten_dims] / np.sqrt(len(embeddings))
            self.projection_ = (vt[: self.whiten_dims].T / scale).astype(np.float32)
        else:
            self.projection_ = None
        return self

    @property
    def dimension(self) -> int:
        return self.whiten_dims or len(self.mean_)

    def centres(self, n: int, languages: Sequence[str | None] | None) -> np.ndarray:
        if languages is None:
            return np.broadcast_to(self.mean_, (n, len(self.mean_)))
        return np.stack([self.language_means_.get(language or "", self.mean_) for language in languages])

    def transform(self, embeddings: np.ndarray, languages: Sequence[str | None] | None = None) -> np.ndarray:
        """Centred (per language when ``languages`` is given), projected, unit vectors."""
        if not hasattr(self, "mean_"):
            raise RuntimeError("ClusterSpace is not fitted: call fit() or ClusterSpace.load() first")
        vectors = np.asarray(embeddings, dtype=np.float32).reshape(-1, len(self.mean_))
        vectors = vectors - self.centres(len(vectors), languages)
        if self.projection_ is not None:
            vectors = vectors @ self.projection_
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def save(self, directory: str | Path) -> Path:
        from safetensors.numpy import save_file

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        tensors = {"mean": self.mean_, **{f"mean.{lang}": m for lang, m in self.language_means_.items()}}
        if self.projection_ is not None:
            tensors["projection"] = self.projection_
        save_file(tensors, str(directory / "space.safetensors"))
        config = {"whiten_dims": self.whiten_dims, "min_language_rows": self.min_language_rows}
        (directory / "space.json").write_text(json.dumps(config, indent=2) + "\n")
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> "ClusterSpace":
        from safetensors.numpy import load_file

        directory = Path(directory)
        if not (directory / "space.json").exists():
            raise FileNotFoundError(f"no cluster space in {directory}: run `triage train --data DIR` first")
        space = cls(**json.loads((directory / "space.json").read_text()))
        tensors = load_file(str(directory / "space.safetensors"))
        space.mean_ = tensors["mean"]
        space.language_means_ = {k.split(".", 1)[1]: v for k, v in tensors.items() if k.startswith("mean.")}
        space.projection_ = tensors.get("projection")
        return space
