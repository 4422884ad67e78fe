"""Near-duplicate clustering: fingerprints, index, incremental and batch clustering, summaries, CLI."""

import json

import numpy as np
import pytest

from triage import cli
from triage.clustering.batch import stable_ids
from triage.clustering.describe import describe, tokens
from triage.clustering.fingerprint import fingerprint
from triage.clustering.incremental import IncrementalClusterer
from triage.clustering.index import VectorIndex
from triage.clustering.model import Clustering
from triage.clustering.space import ClusterSpace

OUTAGE = [
    "@NimbusHelp the Nimbus App says error 503 every time I try to log in",
    "Die Nimbus App zeigt beim Einloggen immer Fehler 503, ich komme nicht rein",
    "님버스 앱 로그인하면 계속 503 오류가 떠요",
    "Nimbusアプリにログインしようとするとエラー503が出ます",
    "La app de Nimbus me da error 503 al iniciar sesión",
]
PRICING = [
    "How much is the 5G unlimited plan per month?",
    "Was kostet der 5G Unlimited Tarif im Monat?",
    "5G 무제한 요금제 한 달에 얼마예요?",
]


@pytest.fixture(scope="module")
def clustering():
    return Clustering.load()


def test_fingerprint_ignores_what_varies_between_copies():
    original = "App down again, can't log in!! https://t.co/abc"
    assert fingerprint(original) == fingerprint("RT @anna_b: App down again, can't log in!! https://t.co/xyz")
    assert fingerprint(original) == fingerprint("@NimbusHelp app DOWN again can't log in")
    assert fingerprint(original) != fingerprint("App down again, cannot pay my bill")
    assert fingerprint("ok!") is None and fingerprint("👍👍") is None


def _clustered_vectors(n_centres=50, per_centre=40, dim=32, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_centres, dim))
    labels = np.repeat(np.arange(n_centres), per_centre)
    vectors = centres[labels] + rng.normal(scale=0.3, size=(len(labels), dim))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32), labels


def test_index_is_exact_when_small_and_approximate_when_large():
    vectors, _ = _clustered_vectors()
    exact = VectorIndex(32, exact_limit=10_000)
    approximate = VectorIndex(32, exact_limit=500, n_probe=8)
    exact.add(vectors)
    for start in range(0, len(vectors), 400):  # crosses the limit, then grows past 10x: re-trained once
        approximate.add(vectors[start : start + 400])
    assert not exact.approximate and approximate.approximate and len(approximate) == len(vectors)
    _, exact_top = exact.search(vectors[:200], 1)
    _, approx_top = approximate.search(vectors[:200], 1)
    assert (exact_top[:, 0] == np.arange(200)).all()
    assert (approx_top[:, 0] == np.arange(200)).mean() > 0.95


def test_incremental_joins_similar_and_separates_different():
    vectors, labels = _clustered_vectors(n_centres=5, per_centre=20)
    space = ClusterSpace().fit(vectors)
    clusterer = IncrementalClusterer(space, threshold=0.5)
    order = np.random.default_rng(1).permutation(len(vectors))
    assigned = [a.cluster for a in clusterer.add(vectors[order], [f"message {i} text" for i in order])]
    by_label = {}
    for cluster, label in zip(assigned, labels[order]):
        by_label.setdefault(label, set()).add(cluster)
    assert all(len(clusters) == 1 for clusters in by_label.values())
    assert len(set(assigned)) == 5


def test_copies_join_by_fingerprint_without_vector_maths():
    space = ClusterSpace().fit(np.eye(4, dtype=np.float32))
    clusterer = IncrementalClusterer(space, threshold=0.99)
    first, copy = clusterer.add(np.eye(4, dtype=np.float32)[[0, 1]], ["Free followers here: bit.ly/x now!", "RT @bot: Free followers here: bit.ly/y now!"])
    assert copy.duplicate and copy.cluster == first.cluster


def test_cross_lingual_outage_is_one_cluster(pipeline, clustering):
    texts = OUTAGE + PRICING
    clusters = pipeline.cluster(texts, clustering=clustering)
    assert len(set(clusters[: len(OUTAGE)])) == 1, clusters
    assert not set(clusters[: len(OUTAGE)]) & set(clusters[len(OUTAGE) :])


def test_batch_reclustering_keeps_ids_stable(pipeline, clustering):
    texts = OUTAGE + PRICING
    embeddings = pipeline.embed(texts)
    first, next_id = clustering.recluster(embeddings, texts)
    again, _ = clustering.recluster(embeddings, texts, previous=first, next_id=next_id)
    assert again == first
    more = texts + ["I want to become a brand ambassador for Nimbus, who do I contact?"]
    grown, _ = clustering.recluster(pipeline.embed(more), more, previous=first + [None], next_id=next_id)
    assert grown[: len(texts)] == first
    assert grown[-1] not in first


def test_stable_ids_rename_only_what_is_new():
    ids, next_id = stable_ids([0, 0, 1, 1, 2], ["c000007", "c000007", "c000003", "c000003", None], next_id=10)
    assert ids == ["c000007", "c000007", "c000003", "c000003", "c000010"] and next_id == 11


def test_keywords_work_without_spaces():
    assert "订单" in tokens("我的订单还没有到")
    assert "ログイン" in tokens("アプリにログインできません")
    assert not any(t in {"ます", "です"} for t in tokens("ログインできません。エラーです"))
    assert "로그인" in tokens("앱 로그인 안돼요")


def test_summary_describes_each_cluster():
    vectors = np.eye(3, dtype=np.float32)[[0, 0, 0, 1]]
    summaries = describe(
        ["a", "a", "a", "b"],
        ["订单没到", "我的订单还没到", "订单还没到 NM-1", "login error"],
        vectors,
        ids=["m1", "m2", "m3", "m4"],
        languages=["zh", "zh", "zh", "en"],
        sentiments=["negative", "negative", "neutral", "negative"],
        intents=["support", "support", "sales", "support"],
        timestamps=["2026-11-18T10:00:00Z", "2026-11-19T09:00:00Z", "2026-11-19T11:00:00Z", None],
    )
    top = summaries[0]
    assert (top.id, top.size, top.dominant_intent) == ("a", 3, "support")
    assert top.languages == {"zh": 3} and top.sentiment == {"negative": 2, "neutral": 1}
    assert top.first_seen.startswith("2026-11-18") and top.per_day == {"2026-11-18": 1, "2026-11-19": 2}
    assert "订单" in top.keywords and top.representative["id"] in {"m1", "m2", "m3"}


def test_cluster_cli_contract(tmp_path, monkeypatch, capsys, pipeline):
    monkeypatch.setattr(cli, "_load_pipeline", lambda: pipeline)
    path = tmp_path / "in.jsonl"
    rows = [{"id": f"x{i}", "text": t} for i, t in enumerate(OUTAGE + PRICING)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert cli.main(["cluster", str(path)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == [r["id"] for r in rows]
    assert all(o["cluster"].startswith("c") for o in out)
    assert cli.main(["cluster", "--summary", str(path)]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].startswith("cluster") and "503" in table
