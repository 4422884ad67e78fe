"""Reading message files for the command line: JSONL in, with located, one-line errors.

Each non-blank line must be a JSON object with a non-empty string ``text``; every other field
(``id``, ``channel``, …) is passed through untouched. Problems are collected for the whole file so
the user sees every bad line at once, each as ``FILE:LINE: what is wrong``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterable

MAX_REPORTED_ERRORS = 20


class InputError(ValueError):
    """Bad input, with every located problem; the CLI prints them and exits non-zero."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_REPORTED_ERRORS]
        more = len(problems) - len(shown)
        super().__init__("\n".join(shown + ([f"... and {more} more problems"] if more > 0 else [])))


@dataclass
class Record:
    line: int
    fields: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.fields["text"]

    def passthrough(self) -> dict:
        return {key: value for key, value in self.fields.items() if key != "text"}


def decode_object(raw: bytes) -> tuple[dict | None, str | None]:
    """One JSONL line as a dict, or the problem with it (UTF-8, JSON, not an object)."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, f"not valid UTF-8 (byte {error.start})"
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        return None, f"not valid JSON: {error.msg} at column {error.colno}"
    if not isinstance(value, dict):
        return None, f"expected a JSON object with a \"text\" field, got {type(value).__name__}"
    return value, None


def _problem(raw: bytes) -> tuple[dict | None, str | None]:
    value, problem = decode_object(raw)
    if problem:
        return None, problem
    if "text" not in value:
        return None, "missing required field \"text\""
    if not isinstance(value["text"], str):
        return None, f"field \"text\" must be a string, got {type(value['text']).__name__}"
    if not value["text"].strip():
        return None, "field \"text\" is empty"
    return value, None


def parse_lines(lines: Iterable[bytes], name: str) -> list[Record]:
    records, problems = [], []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        value, problem = _problem(raw.rstrip(b"\r\n"))
        if problem:
            problems.append(f"{name}:{number}: {problem}")
        else:
            records.append(Record(number, value))
    if problems:
        raise InputError(problems)
    return records


def read_records(source: str) -> list[Record]:
    """Records of a JSONL file, or of standard input when ``source`` is ``-``."""
    if source == "-":
        return parse_lines(_binary_stdin(), "<stdin>")
    path = Path(source)
    if not path.exists():
        raise InputError([f"{source}: no such file"])
    if path.is_dir():
        raise InputError([f"{source}: is a directory, expected a JSONL file"])
    with path.open("rb") as handle:
        return parse_lines(handle, source)


def _binary_stdin() -> BinaryIO:
    return sys.stdin.buffer


def write_json_line(obj: dict, stream=None) -> None:
    stream = stream or sys.stdout
    stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
