"""Training and development data for the heads: the public corpora plus the project's own messages.

The public corpora are read from a folder given at run time (``triage train --data ../shared/data``)
and never copied into the repository. The project's own labelled brand messages live in
``data/labelled/<lang>.jsonl``; a fixed, hash-based quarter of them is the dev set.

Every split is deterministic: the same files give the same rows in the same order.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from triage.settings import PROJECT_ROOT

LABELLED_DIR = PROJECT_ROOT / "data" / "labelled"
XLMT_LANGUAGES = ("ar", "de", "en", "es", "fr", "hi", "it", "pt")
OWN_DEV_FRACTION = 0.25
OWN_WEIGHT = 3.0  # in-domain brand messages count more than out-of-domain corpora
# Spam mixes registers: SMS spam is its own style and the borrowed tweet ham is plentiful, so the SMS
# rows count double and the tweets half (compared on the dev sets; recorded in the model card).
SMS_SPAM_WEIGHT = 2.0
TWEET_HAM_WEIGHT = 0.5


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    lang: str
    source: str
    weight: float = 1.0


@dataclass
class TaskData:
    """One task's training rows and its named dev sets (each with a metric name)."""

    task: str
    labels: tuple[str, ...]
    train: list[Example] = field(default_factory=list)
    dev: dict[str, list[Example]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _fraction(key: str) -> float:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF


def _sample(rows: list, n: int, seed: int) -> list:
    if len(rows) <= n:
        return rows
    return random.Random(seed).sample(rows, n)


class DataFolder:
    """Reads the shared corpora folder, explaining what is missing when a file is not there."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        if not (self.root / "sentiment").is_dir():
            raise FileNotFoundError(
                f"{self.root} does not look like the corpora folder: expected sentiment/, spam/ and intent/ inside it"
            )
        self.used: list[str] = []

    def rows(self, relative: str) -> list[dict]:
        path = self.root / relative
        if not path.exists():
            raise FileNotFoundError(f"missing corpus file {path}")
        self.used.append(relative)
        return read_jsonl(path)


def own_messages(directory: Path = LABELLED_DIR) -> tuple[list[dict], list[dict]]:
    """The project's labelled brand messages, split into (train, dev) by a hash of their id."""
    rows = [row for path in sorted(directory.glob("*.jsonl")) for row in read_jsonl(path)]
    train = [r for r in rows if _fraction(r["id"]) >= OWN_DEV_FRACTION]
    dev = [r for r in rows if _fraction(r["id"]) < OWN_DEV_FRACTION]
    return train, dev


def _own(rows: list[dict], task: str, weight: float = OWN_WEIGHT) -> list[Example]:
    return [Example(r["text"], r[task], r["lang"], "own", weight) for r in rows]


def sentiment_data(folder: DataFolder) -> TaskData:
    own_train, own_dev = own_messages()
    data = TaskData("sentiment", ("negative", "neutral", "positive"))
    for lang in XLMT_LANGUAGES:
        data.train += [Example(r["text"], r["label"], lang, "xlmt") for r in folder.rows(f"sentiment/xlmt-{lang}-train.jsonl")]
        data.dev[f"xlmt-{lang}"] = [
            Example(r["text"], r["label"], lang, "xlmt") for r in folder.rows(f"sentiment/xlmt-{lang}-dev.jsonl")
        ]
    smsa = folder.rows("sentiment/smsa-id-train.jsonl")
    data.train += [Example(r["text"], r["label"], "id", "smsa") for r in _sample(smsa, 5000, seed=1)]
    # NSMC is two-class (1-4 stars negative, 9-10 positive): it teaches Korean polarity, not neutrality.
    nsmc = folder.rows("sentiment/nsmc-ko-train.jsonl")
    data.train += [Example(r["text"], r["label"], "ko", "nsmc") for r in _sample(nsmc, 2000, seed=2)]
    data.train += _own(own_train, "sentiment")
    data.dev["smsa-id"] = [Example(r["text"], r["label"], "id", "smsa") for r in folder.rows("sentiment/smsa-id-dev.jsonl")]
    data.dev["tweeteval-en"] = [
        Example(r["text"], r["label"], "en", "tweeteval") for r in folder.rows("sentiment/tweeteval-en-dev.jsonl")
    ]
    data.dev["germeval17-de"] = [
        Example(r["text"], r["label"], "de", "germeval") for r in folder.rows("sentiment/germeval17-de-dev.jsonl")
    ]
    data.dev["own"] = _own(own_dev, "sentiment")
    data.files = list(folder.used)
    return data


def intent_data(folder: DataFolder) -> TaskData:
    own_train, own_dev = own_messages()
    data = TaskData("intent", ("marketing", "other", "sales", "support"))
    data.train = _own(own_train, "intent", weight=1.0)
    data.dev["own"] = _own(own_dev, "intent")
    data.files = [f"data/labelled ({len(own_train)} train rows)"]
    return data


def spam_data(folder: DataFolder) -> TaskData:
    """SMS and YouTube spam, plus genuine tweets and brand messages as ham.

    The public spam corpora alone teach "has a link or a handle" = spam; real customer tweets and the
    project's brand messages (full of handles, links and order numbers) are the counterweight.
    """
    own_train, own_dev = own_messages()
    data = TaskData("spam", ("ham", "spam"))
    sms = folder.rows("spam/sms-train.jsonl")
    sms_train = [r for r in sms if _fraction("sms" + r["text"]) >= 0.2]
    sms_dev = [r for r in sms if _fraction("sms" + r["text"]) < 0.2]
    data.train += [Example(r["text"], r["label"], "en", "sms", SMS_SPAM_WEIGHT) for r in sms_train]
    data.dev["sms-heldout"] = [Example(r["text"], r["label"], "en", "sms") for r in sms_dev]
    youtube = [r for video in ("psy", "katyperry", "lmfao") for r in folder.rows(f"spam/youtube-{video}.jsonl")]
    data.train += [Example(r["text"], r["label"], "en", "youtube") for r in youtube if _fraction("yt" + r["text"]) >= 0.2]
    data.dev["youtube-heldout"] = [
        Example(r["text"], r["label"], "en", "youtube") for r in youtube if _fraction("yt" + r["text"]) < 0.2
    ]
    for lang in XLMT_LANGUAGES:
        tweets = folder.rows(f"sentiment/xlmt-{lang}-train.jsonl")
        data.train += [Example(r["text"], "ham", lang, "xlmt-tweets", TWEET_HAM_WEIGHT) for r in _sample(tweets, 250, seed=3)]
    data.train += _own(own_train, "spam")
    data.dev["own"] = _own(own_dev, "spam")
    data.files = list(folder.used)
    return data


def language_data(folder: DataFolder) -> TaskData:
    """Which language a message is in, for the embedding-side language head.

    fastText decides when it is sure; this head settles what it is unsure about (informal Indonesian,
    code-switched messages) among the languages the corpora cover.
    """
    own_train, own_dev = own_messages()
    data = TaskData("language", ())
    for lang in XLMT_LANGUAGES:
        rows = _sample(folder.rows(f"sentiment/xlmt-{lang}-train.jsonl"), 400, seed=4)
        data.train += [Example(r["text"], lang, lang, "xlmt") for r in rows]
        data.dev[f"xlmt-{lang}"] = [
            Example(r["text"], lang, lang, "xlmt") for r in _sample(folder.rows(f"sentiment/xlmt-{lang}-dev.jsonl"), 100, seed=5)
        ]
    data.train += [Example(r["text"], "id", "id", "smsa") for r in _sample(folder.rows("sentiment/smsa-id-train.jsonl"), 400, seed=4)]
    data.train += [Example(r["text"], "ko", "ko", "nsmc") for r in _sample(folder.rows("sentiment/nsmc-ko-train.jsonl"), 400, seed=4)]
    for lang in ("ja", "zh", "nl", "pl", "ru"):
        rows = _sample(folder.rows(f"similarity/stsb-{lang}-train.jsonl"), 400, seed=4)
        data.train += [Example(r["text1"], lang, lang, "stsb") for r in rows]
    data.train += [Example(r["text"], r["lang"], r["lang"], "own", OWN_WEIGHT) for r in own_train]
    data.dev["own"] = [Example(r["text"], r["lang"], r["lang"], "own") for r in own_dev]
    data.labels = tuple(sorted({r.label for r in data.train}))
    data.files = list(folder.used)
    return data


TASKS = {"sentiment": sentiment_data, "intent": intent_data, "spam": spam_data, "language": language_data}
