"""Classification heads on the shared sentence embedding, with calibrated probabilities.

A head is a small "wide and deep" network: a one-hidden-layer MLP on the embedding, plus, for spam,
a linear part on hashed character n-grams of the text (hashing keeps no vocabulary to store). Its
probabilities are calibrated by temperature scaling on a calibration split the head did not train
on, so that "0.9" means right about nine times in ten.

Heads follow scikit-learn's conventions: hyper-parameters are stored unchanged by ``__init__``;
``fit`` learns the trailing-underscore attributes and returns ``self``. They save as a JSON config
plus safetensors weights, never as pickles.

>>> head = Head(task="sentiment").fit(X_train, y_train, X_cal, y_cal)   # doctest: +SKIP
>>> head.predict_proba(X_new)                                           # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax

FORMAT_VERSION = 3


class NotFittedError(RuntimeError):
    pass


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature T minimising the negative log-likelihood of softmax(logits / T)."""

    def nll(log_t: float) -> float:
        return -log_softmax(logits / np.exp(log_t), axis=1)[np.arange(len(y)), y].mean()

    result = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
    return float(np.exp(result.x))


def _network(n_inputs: int, n_hidden: int, n_wide: int, n_labels: int, dropout: float):
    import torch
    from torch import nn

    class WideAndDeep(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            if n_hidden:
                self.deep = nn.Sequential(nn.Dropout(dropout), nn.Linear(n_inputs, n_hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(n_hidden, n_labels))
            else:
                self.deep = nn.Sequential(nn.Dropout(dropout), nn.Linear(n_inputs, n_labels))
            self.wide = nn.Linear(n_wide, n_labels, bias=False) if n_wide else None
            # standardisation of the embedding, set from the training rows (e5 embeddings are anisotropic)
            self.register_buffer("input_mean", torch.zeros(n_inputs))
            self.register_buffer("input_scale", torch.ones(n_inputs))

        def forward(self, x: torch.Tensor, wide: torch.Tensor | None = None) -> torch.Tensor:
            logits = self.deep((x - self.input_mean) / self.input_scale)
            if self.wide is not None:
                logits = logits + torch.sparse.mm(wide, self.wide.weight.T)
            return logits

    return WideAndDeep()


def _ensemble(n_models: int, *args):
    """``n_models`` networks whose logits are averaged (seed variance of a small MLP is about a point)."""
    from torch import nn

    class Ensemble(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.members = nn.ModuleList([_network(*args) for _ in range(n_models)])

        def forward(self, x, wide=None):
            return sum(member(x, wide) for member in self.members) / len(self.members)

    return Ensemble()


def _sparse_tensor(matrix: sparse.csr_matrix):
    import torch

    coo = matrix.tocoo()
    indices = torch.from_numpy(np.vstack([coo.row, coo.col]).astype(np.int64))
    values = torch.from_numpy(coo.data.astype(np.float32))
    return torch.sparse_coo_tensor(indices, values, coo.shape, check_invariants=False).coalesce()


class Head:
    """An MLP (or, with ``hidden=0``, a linear model) on the embedding, plus optional hashed n-grams.

    Parameters
    ----------
    task:
        Name used in files and messages, e.g. ``"sentiment"``.
    hidden:
        Hidden units of the MLP; 0 makes the head linear.
    dropout, weight_decay, learning_rate, epochs, batch_size:
        Training settings (AdamW; the epoch with the lowest calibration-split loss is kept).
    class_weight:
        ``"balanced"`` weighs each label inversely to its frequency; ``None`` does not.
    char_ngrams:
        Add a linear part on hashed character n-grams of the text (spam uses it).
    n_features, ngram_range:
        Size of the hashed n-gram space and the n-gram lengths.
    wide_lr_multiplier:
        Learning-rate multiple for the n-gram weights, each of which only a few rows update.
    n_models:
        Networks in the ensemble (seeds ``seed``, ``seed + 1``, …); their logits are averaged.
    seed:
        Seed of initialisation, dropout and shuffling.
    """

    def __init__(
        self,
        task: str,
        hidden: int = 256,
        dropout: float = 0.1,
        weight_decay: float = 1e-4,
        learning_rate: float = 1e-3,
        epochs: int = 40,
        batch_size: int = 128,
        class_weight: str | None = "balanced",
        char_ngrams: bool = False,
        n_features: int = 2**19,
        ngram_range: tuple[int, int] = (2, 5),
        wide_lr_multiplier: float = 20.0,
        n_models: int = 1,
        seed: int = 13,
    ) -> None:
        self.task = task
        self.hidden = hidden
        self.dropout = dropout
        self.weight_decay = weight_decay
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.class_weight = class_weight
        self.char_ngrams = char_ngrams
        self.n_features = n_features
        self.ngram_range = tuple(ngram_range)
        self.wide_lr_multiplier = wide_lr_multiplier
        self.n_models = n_models
        self.seed = seed

    # -- features ---------------------------------------------------------------------------------

    def _ngrams(self, texts: Sequence[str] | None) -> sparse.csr_matrix | None:
        if not self.char_ngrams:
            return None
        if texts is None:
            raise ValueError(f"the {self.task} head reads character n-grams: pass the texts as well as the embeddings")
        from sklearn.feature_extraction.text import HashingVectorizer

        hasher = HashingVectorizer(
            analyzer="char_wb", ngram_range=self.ngram_range, n_features=self.n_features, alternate_sign=False, norm="l2"
        )
        return hasher.transform(texts).astype(np.float32)

    # -- learning ---------------------------------------------------------------------------------

    def fit(
        self,
        X: np.ndarray,
        y: Sequence[str],
        X_cal: np.ndarray,
        y_cal: Sequence[str],
        texts: Sequence[str] | None = None,
        texts_cal: Sequence[str] | None = None,
        sample_weight: np.ndarray | None = None,
    ) -> "Head":
        """Train on (X, y), keep the epoch with the best calibration-split loss, then fit the temperature."""
        import torch

        y = np.asarray(y)
        self.labels_ = sorted({str(label) for label in y})
        index = {label: i for i, label in enumerate(self.labels_)}
        target = torch.tensor([index[str(label)] for label in y])
        target_cal = np.array([index[str(label)] for label in y_cal])
        weight = torch.ones(len(y)) if sample_weight is None else torch.tensor(sample_weight, dtype=torch.float32)
        if self.class_weight == "balanced":
            counts = np.bincount(target.numpy(), minlength=len(self.labels_))
            weight = weight * torch.tensor(len(y) / (len(self.labels_) * counts), dtype=torch.float32)[target]
        weight = weight / weight.mean()
        ngrams, ngrams_cal = self._ngrams(texts), self._ngrams(texts_cal)

        self.input_dim_ = int(X.shape[1])
        n_wide = self.n_features if self.char_ngrams else 0
        torch.manual_seed(self.seed)  # seeds the initial weights of every member
        self.network_ = _ensemble(self.n_models, self.input_dim_, self.hidden, n_wide, len(self.labels_), self.dropout)
        inputs = torch.from_numpy(np.asarray(X, dtype=np.float32))
        for index, member in enumerate(self.network_.members):
            self._fit_member(member, self.seed + index, inputs, target, weight, ngrams, X_cal, ngrams_cal, target_cal)
        self.temperature_ = 1.0
        self.temperature_ = fit_temperature(self._logits(X_cal, ngrams_cal), target_cal)
        return self

    def _fit_member(self, member, seed, inputs, target, weight, ngrams, X_cal, ngrams_cal, target_cal) -> None:
        """AdamW on one network; keep the epoch with the lowest calibration-split loss."""
        import torch

        generator = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        member.input_mean.copy_(inputs.mean(dim=0))
        member.input_scale.copy_(inputs.std(dim=0) + 1e-6)
        groups = [{"params": member.deep.parameters()}]
        if member.wide is not None:
            # sparse n-gram weights are touched only by the rows that contain them: they need a larger step
            groups.append({"params": member.wide.parameters(), "lr": self.learning_rate * self.wide_lr_multiplier, "weight_decay": 0.0})
        optimiser = torch.optim.AdamW(groups, lr=self.learning_rate, weight_decay=self.weight_decay)
        cal_inputs = torch.from_numpy(np.asarray(X_cal, dtype=np.float32))
        cal_wide = _sparse_tensor(ngrams_cal) if ngrams_cal is not None else None
        best_loss, best_state = float("inf"), None
        for _ in range(self.epochs):
            member.train()
            for batch in torch.randperm(len(target), generator=generator).split(self.batch_size):
                wide = _sparse_tensor(ngrams[batch.numpy()]) if ngrams is not None else None
                logits = member(inputs[batch], wide)
                loss = (torch.nn.functional.cross_entropy(logits, target[batch], reduction="none") * weight[batch]).mean()
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
            member.eval()
            with torch.inference_mode():
                cal_logits = member(cal_inputs, cal_wide).numpy()
            cal_loss = -log_softmax(cal_logits, axis=1)[np.arange(len(target_cal)), target_cal].mean()
            if cal_loss < best_loss:
                best_loss = cal_loss
                best_state = {k: v.detach().clone() for k, v in member.state_dict().items()}
        member.load_state_dict(best_state)

    def _check_fitted(self) -> None:
        if not hasattr(self, "network_"):
            raise NotFittedError(f"the {self.task} head is not fitted: call fit() or Head.load() first")

    def _logits(self, X: np.ndarray, ngrams: sparse.csr_matrix | None) -> np.ndarray:
        import torch

        self.network_.eval()
        with torch.inference_mode():
            wide = _sparse_tensor(ngrams) if ngrams is not None else None
            return self.network_(torch.from_numpy(np.asarray(X, dtype=np.float32)), wide).numpy()

    def decision_function(self, X: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        self._check_fitted()
        return self._logits(X, self._ngrams(texts))

    def predict_proba(self, X: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """Calibrated probabilities, columns in the order of ``labels_``."""
        if len(X) == 0:
            return np.zeros((0, len(self.labels_)))
        return softmax(self.decision_function(X, texts) / self.temperature_, axis=1)

    def predict(self, X: np.ndarray, texts: Sequence[str] | None = None) -> list[str]:
        return [self.labels_[i] for i in self.predict_proba(X, texts).argmax(axis=1)]

    # -- persistence ------------------------------------------------------------------------------

    def get_params(self) -> dict:
        return {
            "task": self.task,
            "hidden": self.hidden,
            "dropout": self.dropout,
            "weight_decay": self.weight_decay,
            "learning_rate": self.learning_rate,
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "class_weight": self.class_weight,
            "char_ngrams": self.char_ngrams,
            "n_features": self.n_features,
            "ngram_range": list(self.ngram_range),
            "wide_lr_multiplier": self.wide_lr_multiplier,
            "n_models": self.n_models,
            "seed": self.seed,
        }

    def save(self, directory: str | Path) -> Path:
        from safetensors.torch import save_file

        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        config = {
            "format_version": FORMAT_VERSION,
            "params": self.get_params(),
            "labels": self.labels_,
            "input_dim": self.input_dim_,
            "temperature": self.temperature_,
        }
        (directory / "config.json").write_text(json.dumps(config, indent=2) + "\n")
        state = {k: v.contiguous() for k, v in self.network_.state_dict().items()}
        save_file(state, str(directory / "weights.safetensors"))
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> "Head":
        from safetensors.torch import load_file

        directory = Path(directory)
        config_path = directory / "config.json"
        if not config_path.exists():
            raise FileNotFoundError(f"no trained head in {directory}: run `triage train --data DIR` first")
        config = json.loads(config_path.read_text())
        if config.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"{config_path}: format_version {config.get('format_version')}, expected {FORMAT_VERSION}: retrain with `triage train`"
            )
        head = cls(**config["params"])
        head.labels_ = list(config["labels"])
        head.input_dim_ = int(config["input_dim"])
        head.temperature_ = float(config["temperature"])
        n_wide = head.n_features if head.char_ngrams else 0
        head.network_ = _ensemble(head.n_models, head.input_dim_, head.hidden, n_wide, len(head.labels_), head.dropout)
        head.network_.load_state_dict(load_file(str(directory / "weights.safetensors")))
        head.network_.eval()
        return head
