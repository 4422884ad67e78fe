"""Template choice accuracy and compliance of the sample brand's drafts.

    python scripts/evaluate_drafting.py [--guidelines guidelines/nimbus-mobile.yaml] [--templates templates]

1. On data/drafting/template-choice.jsonl (messages written for this check, each with its right template):
   how often the right template is first, and in the top 3, per language.
2. On the sample inbox (data/samples/messages.jsonl): every draft's compliance report; a draft that does
   not pass says exactly which rule failed and why.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

from triage.datasets import PROJECT_ROOT, read_jsonl
from triage.drafting.drafter import Drafter, Message
from triage.drafting.entities import extract
from triage.drafting.guidelines import load_guidelines
from triage.drafting.templates import load_templates
from triage.pipeline import Pipeline


def template_choice(drafter: Drafter, pipeline: Pipeline, rows: list[dict]) -> dict:
    labels, embeddings = pipeline.label_and_embed([r["text"] for r in rows])
    per_language: dict[str, Counter] = defaultdict(Counter)
    misses = []
    for row, label, embedding in zip(rows, labels, embeddings):
        ranking = [t for t, _ in drafter.rank(Message.from_record(row, label), embedding)]
        stats = per_language[row["lang"]]
        stats["n"] += 1
        stats["top1"] += ranking[0] == row["template"]
        stats["top3"] += row["template"] in ranking[:3]
        if ranking[0] != row["template"]:
            misses.append((row["id"], row["template"], ranking[:3]))
    total = Counter()
    for stats in per_language.values():
        total.update(stats)
    return {"per_language": per_language, "total": total, "misses": misses}


def invented_values(draft: str | None, row: dict, guidelines) -> list[str]:
    """Order numbers, e-mails, dates and amounts in a draft that the customer's side never supplied."""
    if not draft:
        return []
    supplied = " ".join([row["text"], *(h.get("text", "") for h in row.get("history", []) or []), str(row.get("order_id", ""))])
    found = extract(draft, (), guidelines.entities.get("order_id"))
    return [f"{name}={value}" for name, value in found.items() if value not in supplied]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guidelines", default=str(PROJECT_ROOT / "guidelines" / "nimbus-mobile.yaml"))
    parser.add_argument("--templates", default=str(PROJECT_ROOT / "templates"))
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()

    pipeline = Pipeline.load()
    drafter = Drafter.with_clustering(load_guidelines(args.guidelines), load_templates(args.templates), pipeline.encode)

    rows = read_jsonl(PROJECT_ROOT / "data" / "drafting" / "template-choice.jsonl")
    result = template_choice(drafter, pipeline, rows)
    print(f"template choice on {result['total']['n']} labelled messages ({len(drafter.templates)} templates):")
    for language, stats in sorted(result["per_language"].items()):
        print(f"  {language}: top-1 {100 * stats['top1'] / stats['n']:5.1f}%   top-3 {100 * stats['top3'] / stats['n']:5.1f}%   (n={stats['n']})")
    total = result["total"]
    print(f"  all: top-1 {100 * total['top1'] / total['n']:5.1f}%   top-3 {100 * total['top3'] / total['n']:5.1f}%")
    if args.show_misses:
        for miss in result["misses"]:
            print("  miss:", *miss)

    inbox = read_jsonl(PROJECT_ROOT / "data" / "samples" / "messages.jsonl")
    labels, embeddings = pipeline.label_and_embed([r["text"] for r in inbox])
    failures: Counter = Counter()
    compliant = escalated = fallback = skipped = drafted = 0
    invented = []
    for row, label, embedding in zip(inbox, labels, embeddings):
        draft = drafter.draft(Message.from_record(row, label, agent_name="Sam Lee"), embedding)
        invented += invented_values(draft.draft, row, drafter.guidelines)
        escalated += draft.escalation is not None
        skipped += draft.skipped is not None
        drafted += draft.draft is not None
        fallback += draft.fallback_language
        compliant += draft.compliant and draft.draft is not None
        for check in draft.compliance:
            if not check["passed"]:
                failures[f"{check['rule']}: {check['detail']}"] += 1
    print(f"\nsample inbox: {len(inbox)} messages: {drafted} drafted, {compliant} of them pass every rule, "
          f"{escalated} escalated to a human and {skipped} spam with no draft; {fallback} in the fallback language")
    for reason, count in failures.most_common():
        print(f"  {count:3d} x {reason}")
    print(f"values in drafts that are not in the message, its history or metadata: {len(invented)}")
    for value in invented:
        print("  invented:", value)


if __name__ == "__main__":
    main()
