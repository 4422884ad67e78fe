"""Reply templates as managers write them in ``templates/<id>.yaml`` (format: templates/README.md).

Templates render in Jinja2's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`: they can format
the values they are given, but attribute access to Python internals (``__class__``, ``__globals__``,
…), calling unsafe methods and mutating objects raise a security error, and a render is limited in
output size. A variable with no value renders as a visible ``[name]`` placeholder instead of an
empty string, so a reviewer sees what is missing and the draft never invents a value.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property
from pathlib import Path
from typing import Literal

from jinja2 import TemplateSyntaxError, Undefined, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, model_validator

from triage.drafting.files import FileProblems, load_model

PLACEHOLDER = re.compile(r"\[(customer\.name|agent\.name|order_id|email|date|amount|faq\.link|faq\.title)\]")
MAX_RENDERED_CHARS = 10_000
QUOTE_CHARS = 140


class TemplateFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    intent: Literal["sales", "support", "marketing", "other"]
    situations: list[str] = []
    description: str = Field(min_length=1)
    examples: dict[str, list[str]]
    body: dict[str, str]
    short: dict[str, str] = {}

    @model_validator(mode="after")
    def _consistent(self) -> "TemplateFile":
        for language, text in {**self.body, **{f"{k} (short)": v for k, v in self.short.items()}}.items():
            try:
                ENVIRONMENT.parse(text)
            except TemplateSyntaxError as error:
                raise ValueError(f"body {language}: Jinja syntax error on its line {error.lineno}: {error.message}") from None
        bases = {key.split("@")[0] for key in self.body}
        missing = {key for key in self.short if key.split("@")[0] not in bases}
        if missing:
            raise ValueError(f"short text for {sorted(missing)} without a body in that language")
        for key in [*self.body, *self.short]:
            if "@" in key and key.split("@", 1)[1] not in ("formal", "informal"):
                raise ValueError(f"{key!r}: a register variant is written language@formal or language@informal")
        if not any(self.examples.values()):
            raise ValueError("at least one example message is needed to choose this template")
        return self


class PlaceholderUndefined(Undefined):
    """Renders a missing value as ``[name]`` (dotted for attributes: ``[customer.name]``)."""

    def __str__(self) -> str:
        if self._undefined_exception is not UndefinedError:  # the sandbox refused an unsafe attribute
            self._fail_with_undefined_error()
        return f"[{self._undefined_name}]"

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return PlaceholderUndefined(name=f"{self._undefined_name}.{name}")

    def __bool__(self) -> bool:
        return False


def sanitise_quote(text: object, limit: int = QUOTE_CHARS) -> str:
    """Customer text made safe to cite in a reply: one line, no links, handles, markup or control characters."""
    text = str(text)
    text = re.sub(r"<[^>]*>", "", text)
    text = re.sub(r"https?://\S+|www\.\S+", "(link)", text)
    text = re.sub(r"@\w+", "", text)
    text = re.sub(r"[<>{}`\[\]\\]", "", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


ENVIRONMENT = ImmutableSandboxedEnvironment(undefined=PlaceholderUndefined, autoescape=False, keep_trailing_newline=False)
ENVIRONMENT.filters["quote"] = sanitise_quote
ENVIRONMENT.globals.clear()  # no range(), dict(), lipsum, cycler, joiner, namespace: nothing to climb from


class TemplateError(ValueError):
    """A template failed to render (bad syntax, a blocked operation or an oversized result)."""


class Template:
    """A validated template file with compiled bodies per language."""

    def __init__(self, spec: TemplateFile, path: Path | None = None) -> None:
        self.spec = spec
        self.path = path

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def languages(self) -> list[str]:
        return sorted({key.split("@")[0] for key in self.spec.body})

    def has_language(self, language: str) -> bool:
        return language in self.languages

    @cached_property
    def _compiled(self) -> dict[str, object]:
        compiled = {f"body:{k}": ENVIRONMENT.from_string(v) for k, v in self.spec.body.items()}
        compiled.update({f"short:{k}": ENVIRONMENT.from_string(v) for k, v in self.spec.short.items()})
        return compiled

    def _key(self, language: str, short: bool, formality: str | None) -> str:
        """The text to use: a register variant (``de@informal``) when the brand wants that register."""
        for kind in (["short", "body"] if short else ["body"]):
            texts = self.spec.short if kind == "short" else self.spec.body
            for candidate in ([f"{language}@{formality}"] if formality else []) + [language]:
                if candidate in texts:
                    return f"{kind}:{candidate}"
        variants = sorted(k for k in self.spec.body if k.startswith(language + "@"))
        return f"body:{variants[0]}" if variants else f"body:{language}"

    def render(self, language: str, variables: dict, short: bool = False, formality: str | None = None) -> str:
        key = self._key(language, short, formality)
        try:
            text = self._compiled[key].render(**variables)
        except SecurityError as error:
            raise TemplateError(f"template {self.id} ({language}) tried a blocked operation: {error}") from None
        except Exception as error:  # a manager's template must never take the service down
            raise TemplateError(f"template {self.id} ({language}) failed to render: {error}") from None
        if len(text) > MAX_RENDERED_CHARS:
            raise TemplateError(f"template {self.id} ({language}) rendered {len(text)} characters, over {MAX_RENDERED_CHARS}")
        return "\n".join(line.rstrip() for line in text.strip().splitlines())


def load_template(path: str | Path) -> Template:
    path = Path(path)
    spec = load_model(path, TemplateFile)
    if spec.id != path.stem:
        raise FileProblems([f"{path}:1: id: {spec.id!r} must match the file name {path.stem!r}"])
    return Template(spec, path)


def load_templates(directory: str | Path) -> dict[str, Template]:
    """All ``*.yaml`` templates of a folder; every problem of every file is reported together."""
    directory = Path(directory)
    templates, problems = {}, []
    for path in sorted(directory.glob("*.yaml")):
        try:
            template = load_template(path)
        except FileProblems as error:
            problems += error.problems
            continue
        templates[template.id] = template
    if problems:
        raise FileProblems(problems)
    if not templates:
        raise FileProblems([f"{directory}: no templates (*.yaml) found"])
    return templates


