"""Nearest-neighbour search over stored message vectors: exact while small, approximate when large.

Below ``exact_limit`` vectors the search is an exact inner product in numpy. Past it, the vectors move
into a faiss IVF index with 8-bit scalar quantisation (a quarter of float32's memory; 1,000,000 vectors
of 384 dimensions take about 0.4 GB), trained on the vectors stored so far and re-trained each time
the index has grown tenfold. Vectors are unit-normalised, so the inner product is the cosine similarity.
Positions are insertion order, also across re-training (faiss keeps sequential ids).
"""

from __future__ import annotations

import numpy as np


class VectorIndex:
    """Append-only index of unit vectors, addressed by their insertion position.

    Parameters
    ----------
    dimension:
        Vector size.
    exact_limit:
        Up to this many vectors, search is exact (numpy).
    n_lists:
        IVF lists once approximate (``None``: about 4 x sqrt(n), capped at 8192).
    n_probe:
        Lists visited per query.
    """

    def __init__(self, dimension: int, exact_limit: int = 20_000, n_lists: int | None = None, n_probe: int = 16) -> None:
        self.dimension = dimension
        self.exact_limit = exact_limit
        self.n_lists = n_lists
        self.n_probe = n_probe
        self._buffer = np.zeros((1024, dimension), dtype=np.float32)  # grows by doubling
        self._count = 0
        self._faiss = None
        self._rebuild_at = 0

    @property
    def _exact(self) -> np.ndarray:
        return self._buffer[: self._count]

    def __len__(self) -> int:
        return self._faiss.ntotal if self._faiss is not None else self._count

    @property
    def approximate(self) -> bool:
        return self._faiss is not None

    def add(self, vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dimension)
        if self._faiss is not None:
            self._faiss.add(vectors)
            if self._faiss.ntotal >= self._rebuild_at:  # 10x bigger than when trained: re-train the lists
                self._build_approximate(self._faiss.reconstruct_n(0, self._faiss.ntotal))
            return
        needed = self._count + len(vectors)
        if needed > len(self._buffer):
            grown = np.zeros((max(needed, 2 * len(self._buffer)), self.dimension), dtype=np.float32)
            grown[: self._count] = self._exact
            self._buffer = grown
        self._buffer[self._count : needed] = vectors
        self._count = needed
        if self._count > self.exact_limit:
            self._build_approximate(self._exact)

    def _build_approximate(self, vectors: np.ndarray) -> None:
        import faiss

        n = len(vectors)
        n_lists = self.n_lists or int(min(8192, max(64, 4 * np.sqrt(n))))
        quantiser = faiss.IndexFlatIP(self.dimension)
        index = faiss.IndexIVFScalarQuantizer(
            quantiser, self.dimension, n_lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        sample = vectors[np.sort(np.random.default_rng(0).choice(n, size=min(n, 64 * n_lists), replace=False))]
        index.train(sample)
        index.add(vectors)
        index.nprobe = self.n_probe
        self._faiss, self._rebuild_at = index, 10 * n
        self._buffer, self._count = np.zeros((0, self.dimension), dtype=np.float32), 0

    def search(self, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """(similarities, positions), each ``(n_queries, k)``; missing neighbours have position -1."""
        queries = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dimension)
        if self._faiss is not None:
            return self._faiss.search(queries, k)
        n = len(self._exact)
        sims = np.full((len(queries), k), -np.inf, dtype=np.float32)
        positions = np.full((len(queries), k), -1, dtype=np.int64)
        if n == 0:
            return sims, positions
        scores = queries @ self._exact.T
        top = min(k, n)
        best = np.argpartition(-scores, top - 1, axis=1)[:, :top]
        order = np.take_along_axis(scores, best, axis=1).argsort(axis=1)[:, ::-1]
        best = np.take_along_axis(best, order, axis=1)
        sims[:, :top] = np.take_along_axis(scores, best, axis=1)
        positions[:, :top] = best
        return sims, positions

    def memory_bytes(self) -> int:
        """Approximate size of the stored vectors (codes, ids and coarse centroids when approximate)."""
        if self._faiss is None:
            return self._exact.nbytes
        return self._faiss.ntotal * (self._faiss.code_size + 8) + self._faiss.nlist * self.dimension * 4
