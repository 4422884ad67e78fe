import numpy as np
import pytest

TEXTS = [
    "Mein Paket ist seit zwei Wochen nicht da, langsam reicht es!",
    "What's the price of the Nimbus X2 with the unlimited plan?",
    "We'd love to collaborate with @NimbusMobile on a giveaway for our 200k followers 💜",
    "WIN a FREE iPhone!!! click http://bit.ly/free-phone-now to claim your prize",
    "배송이 너무 빨라서 놀랐어요 감사합니다",
    "好",
]


def test_label_shape_and_calibrated_scores(pipeline):
    results = pipeline.label(TEXTS)
    assert len(results) == len(TEXTS)
    for result in results:
        assert set(result) == {"language", "sentiment", "intent", "spam"}
        for task in ("sentiment", "intent", "spam"):
            scores = result[task]["scores"]
            assert abs(sum(scores.values()) - 1) < 1e-3
            assert result[task]["label"] == max(scores, key=scores.get)


def test_batch_equals_one_by_one(pipeline):
    batch = pipeline.label(TEXTS)
    single = [pipeline.label(text) for text in TEXTS]
    for b, s in zip(batch, single):
        assert b["language"] == s["language"]
        for task in ("sentiment", "intent", "spam"):
            assert b[task]["label"] == s[task]["label"]
            for label, value in b[task]["scores"].items():
                assert abs(value - s[task]["scores"][label]) < 1e-3
    vectors = pipeline.embed(TEXTS)
    np.testing.assert_allclose(vectors, np.stack([pipeline.embed(t) for t in TEXTS]), atol=1e-5)


def test_obvious_messages(pipeline):
    results = pipeline.label(TEXTS)
    assert results[0]["sentiment"]["label"] == "negative"
    assert results[0]["intent"]["label"] == "support"
    assert results[1]["intent"]["label"] == "sales"
    assert results[2]["intent"]["label"] == "marketing"
    assert results[3]["spam"]["label"] == "spam"
    assert results[4]["sentiment"]["label"] == "positive"
    assert all(r["spam"]["label"] == "ham" for i, r in enumerate(results) if i not in (2, 3))


@pytest.mark.xfail(
    strict=True,
    reason="known defect: English creator pitches read as spam to a head trained mostly on English SMS/YouTube "
    "spam (German and other languages pass); tracked for the fine-tuning issue",
)
def test_english_collaboration_request_is_not_spam(pipeline):
    assert pipeline.label(TEXTS[2])["spam"]["label"] == "ham"


def test_collaboration_requests_in_other_languages_are_not_spam(pipeline):
    texts = [
        "Hallo, ich bin Foodbloggerin (30k Follower) und würde gern mit euch kooperieren. Mediakit anbei.",
        "Hola! Soy creadora de contenido (45k en Instagram) y me encantaría colaborar con ustedes 💜",
    ]
    assert [r["spam"]["label"] for r in pipeline.label(texts)] == ["ham", "ham"]


def test_empty_batch(pipeline):
    assert pipeline.label([]) == []
    assert pipeline.embed([]).shape == (0, 384)


def test_failing_stage_is_named(pipeline):
    from triage.pipeline import Pipeline, StageError

    class Broken:
        def predict(self, texts, embeddings):
            raise ValueError("boom")

    broken = Pipeline(pipeline.encode, {**pipeline.stages, "custom": Broken()})
    with pytest.raises(StageError, match="stage 'custom' failed: boom"):
        broken.label(["hello there"])
