"""Batch ingestion from files (``triage ingest FILE``): JSONL or CSV (with a header row), through the same storage and triage
as the HTTP API, with every bad row reported as ``FILE:LINE: field: problem`` before anything is stored."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from pydantic import ValidationError

from service.schemas import MessageCreate
from triage.jsonl import InputError, decode_object

CSV_FIELDS = ("id", "channel", "external_id", "text", "author", "thread_id", "received_at", "nps_score")


def _rows(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # tolerate a UTF-8 byte-order mark
    if path.suffix.lower() != ".csv":
        for number, line in enumerate(raw.splitlines(), start=1):
            if line.strip():
                yield number, *decode_object(line)
        return
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        yield raw[: error.start].count(b"\n") + 1, None, "not valid UTF-8"
        return
    reader = csv.DictReader(io.StringIO(content))
    unknown = set(reader.fieldnames or []) - set(CSV_FIELDS)
    if unknown:
        yield 1, None, f"unknown CSV columns {sorted(unknown)}; expected some of {list(CSV_FIELDS)}"
        return
    for row in reader:
        yield reader.line_num, {k: v for k, v in row.items() if v not in ("", None)}, None


def read_messages(source: str) -> list[tuple[int, object, MessageCreate]]:
    """(line, the row's own ``id`` if any, message) per row; a file's ``id`` is echoed, not stored."""
    path = Path(source)
    if not path.is_file():
        raise InputError([f"{source}: no such file"])
    messages, problems = [], []
    for line, row, problem in _rows(path):
        if problem:
            problems.append(f"{source}:{line}: {problem}")
            continue
        row = dict(row)
        own_id = row.pop("id", None)
        try:
            messages.append((line, own_id, MessageCreate.model_validate(row)))
        except ValidationError as error:
            for item in error.errors():
                where = ".".join(str(p) for p in item["loc"]) or "(row)"
                problems.append(f"{source}:{line}: {where}: {item['msg']}")
    if problems:
        raise InputError(problems)
    return messages
