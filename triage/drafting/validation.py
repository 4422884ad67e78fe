"""Checks across guideline and template files that neither file can make alone."""

from __future__ import annotations

from triage.drafting.guidelines import Guidelines
from triage.drafting.templates import Template, TemplateError

SAMPLE_VARIABLES = {
    "brand": "Brand", "channel": "email", "language": "en", "message": "sample message",
    "customer": {"name": "Alex"}, "agent": {"name": "Sam"}, "order_id": "X-1", "email": "a@b.example",
    "date": "2026-01-01", "amount": "10 EUR", "faq": {"link": "https://example.com", "title": "Title"},
}


def cross_check(guidelines: Guidelines, templates: dict[str, Template], guidelines_path, templates_dir) -> list[str]:
    problems = []
    for category in ("detractor", "passive", "promoter"):
        wanted = getattr(guidelines.nps, category).template
        if wanted not in templates:
            problems.append(f"{guidelines_path}: nps -> {category} -> template: no template {wanted!r} in {templates_dir}")
    ids = [a.id for a in guidelines.self_help]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"{guidelines_path}: self_help: article id {duplicate!r} is used twice")
    if not any(guidelines.fallback_language in t.spec.body for t in templates.values()):
        problems.append(f"{templates_dir}: no template has a body in the fallback language {guidelines.fallback_language!r}")
    for template in templates.values():
        where = template.path or template.id
        for key in template.spec.body:
            language = key.split("@")[0]
            if language not in guidelines.languages:
                problems.append(f"{where}: body -> {language}: the guidelines have no voice for {language!r}")
            for short in (False, True):
                try:
                    template.render(language, SAMPLE_VARIABLES, short=short, formality=key.split("@")[1] if "@" in key else None)
                except TemplateError as error:
                    problems.append(f"{where}: body -> {language}: {error}")
    return problems
