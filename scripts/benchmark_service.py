"""Latency of single-message ingest with full triage (store, label, cluster, draft) through the HTTP API.

    python scripts/benchmark_service.py [--n 200] [--database-url sqlite:///...]

Messages are the sample inbox's texts, each sent as a new message (fresh external id), one at a time.
"""

from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np
from fastapi.testclient import TestClient

from service.main import create_app
from service.settings import Settings
from triage.datasets import PROJECT_ROOT, read_jsonl


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    inbox = read_jsonl(PROJECT_ROOT / "data" / "samples" / "messages.jsonl")
    with TestClient(create_app(Settings(database_url=url))) as client:
        client.post("/messages", json={"channel": "chat", "external_id": "warm-up", "text": "hello, warming up"})
        latencies = []
        for i in range(args.n):
            row = inbox[i % len(inbox)]
            body = {"channel": row["channel"], "external_id": f"bench-{i}", "text": row["text"]}
            start = time.perf_counter()
            response = client.post("/messages", json=body)
            latencies.append(time.perf_counter() - start)
            assert response.status_code == 201, response.text
    ms = np.array(latencies) * 1000
    print(f"single-message ingest with triage ({url.split(':')[0]}): {np.median(ms):.1f} ms median, "
          f"{np.percentile(ms, 95):.1f} ms p95 over {args.n} messages")


if __name__ == "__main__":
    main()
