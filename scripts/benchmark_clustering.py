"""Assigning one message to a cluster among 1,000,000 stored ones: latency and index memory.

    python scripts/benchmark_clustering.py [--stored 1000000] [--queries 1000]

Stored vectors are synthetic but shaped like real traffic: the project's labelled messages are encoded,
and each stored message is one of them plus noise (cosine ~0.9 to its source), labelled with its source's
cluster. New messages are assigned one at a time with the tuned settings, as the service does on ingest.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from triage.clustering.model import Clustering
from triage.datasets import LABELLED_DIR, read_jsonl
from triage.encoder.encoder import Encoder


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def noisy(base: np.ndarray, rng: np.random.Generator, n: int, scale: float = 0.012) -> tuple[np.ndarray, np.ndarray]:
    parents = rng.integers(0, len(base), size=n)
    vectors = base[parents] + rng.normal(scale=scale, size=(n, base.shape[1])).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), parents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()

    texts = [r["text"] for p in sorted(LABELLED_DIR.glob("*.jsonl")) for r in read_jsonl(p)]
    base = Encoder.load().encode(texts)
    clustering = Clustering.load()
    clusterer = clustering.clusterer()
    rng = np.random.default_rng(0)

    before = rss_mib()
    start = time.perf_counter()
    chunk = 100_000
    for offset in range(0, args.stored, chunk):
        n = min(chunk, args.stored - offset)
        vectors, parents = noisy(base, rng, n)
        clusters = [f"c{p + 1:06d}" for p in parents]
        # distinct pseudo-texts so that fingerprints do not short-cut the vector search
        clusterer.restore(vectors, [f"stored message number {offset + i}" for i in range(n)], clusters)
    build_s = time.perf_counter() - start
    after = rss_mib()

    queries, _ = noisy(base, rng, args.queries)
    latencies = []
    for i, vector in enumerate(queries):
        t0 = time.perf_counter()
        clusterer.add(vector[None, :], [f"new message number {i}"])
        latencies.append(time.perf_counter() - t0)
    latencies_ms = np.array(latencies) * 1000
    index = clusterer._index
    print(f"stored messages:          {len(clusterer):,} in {len(clusterer.clusters):,} clusters (built in {build_s:.0f} s)")
    print(f"index:                    {'faiss IVF-SQ8' if index.approximate else 'exact'}, {index.memory_bytes() / 2**30:.2f} GiB of vectors and lists")
    print(f"process memory growth:    {(after - before) / 1024:.2f} GiB (index plus cluster bookkeeping)")
    print(f"assign one message:       {np.median(latencies_ms):.2f} ms median, {np.percentile(latencies_ms, 95):.2f} ms p95 over {args.queries}")


if __name__ == "__main__":
    main()
