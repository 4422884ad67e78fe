"""Throughput of the pipeline on this machine: `label` versus the encoder alone, and peak memory.

    python scripts/benchmark.py [--n 2000] [--repeats 2]

Messages are the project's own labelled messages of tweet length (<= 280 characters), cycled to --n.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import time

import torch

from triage.datasets import LABELLED_DIR, read_jsonl
from triage.pipeline import Pipeline


def tweet_length_messages(n: int) -> list[str]:
    texts = [r["text"] for p in sorted(LABELLED_DIR.glob("*.jsonl")) for r in read_jsonl(p) if len(r["text"]) <= 280]
    return list(itertools.islice(itertools.cycle(texts), n))


def best_rate(fn, texts: list[str], repeats: int) -> float:
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(texts)
        rates.append(len(texts) / (time.perf_counter() - start))
    return max(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    texts = tweet_length_messages(args.n)
    t0 = time.perf_counter()
    pipeline = Pipeline.load()
    load_s = time.perf_counter() - t0
    pipeline.label(texts[:64])  # warm up

    encoder_rate = best_rate(pipeline.encode, texts, args.repeats)
    label_rate = best_rate(pipeline.label, texts, args.repeats)
    single = []
    for text in texts[:200]:
        start = time.perf_counter()
        pipeline.label(text)
        single.append(time.perf_counter() - start)
    single.sort()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    tokens = sum(len(ids) + 2 for ids in pipeline.encoder.token_ids(texts)) / len(texts)
    print(f"messages: {len(texts)} tweet-length (mean {tokens:.1f} tokens with prefix), torch threads {torch.get_num_threads()}")
    print(f"pipeline load:            {load_s:8.1f} s")
    print(f"encoder only:             {encoder_rate:8.1f} msg/s")
    print(f"label (all stages):       {label_rate:8.1f} msg/s  ({label_rate / encoder_rate:.2f} x encoder-only)")
    print(f"label one message:        {1000 * single[len(single) // 2]:8.1f} ms median, {1000 * single[int(len(single) * 0.95)]:.1f} ms p95")
    print(f"peak memory (max RSS):    {peak_mib:8.0f} MiB")


if __name__ == "__main__":
    main()
