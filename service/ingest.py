"""Batch ingestion from files (``triage ingest FILE``): JSONL or CSV, through the same storage and triage
as the HTTP API, with every bad row reported as ``FILE:LINE: field: problem`` before anything is stored."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Iterator

from pydantic import ValidationError

from service.schemas import MessageCreate
from triage.jsonl import InputError

CSV_FIELDS = ("id", "channel", "external_id", "text", "author", "thread_id", "received_at", "nps_score")


def _rows(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        yield line, None, "not valid UTF-8"
        return
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(content))
        unknown = set(reader.fieldnames or []) - set(CSV_FIELDS)
        if unknown:
            yield 1, None, f"unknown CSV columns {sorted(unknown)}; expected some of {list(CSV_FIELDS)}"
            return
        for row in reader:
            yield reader.line_num, {k: v for k, v in row.items() if v not in ("", None)}, None
        return
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, None, f"not valid JSON: {error.msg} at column {error.colno}"
            continue
        yield number, value, None if isinstance(value, dict) else "expected a JSON object"


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
