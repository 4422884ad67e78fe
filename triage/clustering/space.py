"""The vector space clusters are formed in: the message embedding, centred and re-normalised.

e5's embeddings are anisotropic: unrelated messages sit at cosine ~0.8 because every vector shares a
large common component. Subtracting a corpus mean (and, optionally, projecting onto whitened principal
directions) spreads them out so that one similarity threshold separates "same problem" from "related".
The fitted mean and projection are saved as safetensors with a JSON config, like the heads.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


class ClusterSpace:
    """Centre (and optionally whiten) embeddings, then L2-normalise.

    Parameters
    ----------
    whiten_dims:
        Keep this many whitened principal directions; ``0`` only centres.
    """

    def __init__(self, whiten_dims: int = 0) -> None:
        self.whiten_dims = whiten_dims

    def fit(self, embeddings: np.ndarray) -> "ClusterSpace":
        embeddings = np.asarray(embeddings, dtype=np.float64)
        self.mean_ = embeddings.mean(axis=0).astype(np.float32)
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

    def transform(self, embeddings: np.ndarray) -> np.ndarray:
        if not hasattr(self, "mean_"):
            raise RuntimeError("ClusterSpace is not fitted: call fit() or ClusterSpace.load() first")
        vectors = np.asarray(embeddings, dtype=np.float32).reshape(-1, len(self.mean_)) - self.mean_
        if self.projection_ is not None:
            vectors = vectors @ self.projection_
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def save(self, directory: str | Path) -> Path:
        from safetensors.numpy import save_file

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        tensors = {"mean": self.mean_}
        if self.projection_ is not None:
            tensors["projection"] = self.projection_
        save_file(tensors, str(directory / "space.safetensors"))
        (directory / "space.json").write_text(json.dumps({"whiten_dims": self.whiten_dims}, indent=2) + "\n")
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
        space.projection_ = tensors.get("projection")
        return space
