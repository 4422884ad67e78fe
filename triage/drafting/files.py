"""Loading manager-edited YAML strictly, with every problem reported as a located line.

``load_model(path, Model)`` parses a YAML file, validates it with a pydantic model whose config forbids
unknown keys, and on failure raises :class:`FileProblems` listing each problem as
``path:line: key -> subkey: message``; the line comes from the YAML node the problem points at.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class FileProblems(ValueError):
    """One or more located problems in manager-edited files."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _line_of(node: yaml.Node | None, location: tuple) -> int | None:
    """1-based line of the YAML node at ``location`` (the deepest node that exists)."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in location:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == str(key)), None)
            if match is None:
                # an unknown key: point at the key itself
                match = next((k for k, _ in node.value if getattr(k, "value", None) == str(key)), None)
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _describe(error: dict) -> str:
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown key (not part of the format; check its spelling)"
    elif "input" in error and error["type"] not in ("missing",) and not isinstance(error["input"], (dict, list)):
        message += f", got {error['input']!r}"
    return message


def load_model(path: str | Path, model: type[M]) -> M:
    path = Path(path)
    if not path.exists():
        raise FileProblems([f"{path}: no such file"])
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise FileProblems([f"{where}: not valid YAML: {getattr(error, 'problem', error)}"]) from None
    if not isinstance(data, dict):
        raise FileProblems([f"{path}:1: expected a mapping of keys at the top level"])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = tuple(item["loc"])
            line = _line_of(node, location)
            where = f"{path}:{line}" if line else str(path)
            keys = " -> ".join(str(k) for k in location) or "(top level)"
            problems.append(f"{where}: {keys}: {_describe(item)}")
        raise FileProblems(problems) from None
