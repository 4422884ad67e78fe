import numpy as np
import pytest

from triage.heads import Head, NotFittedError, fit_temperature


def _blobs(n=300, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, 16))
    y = rng.integers(0, 3, size=n)
    X = centres[y] + rng.normal(scale=1.5, size=(n, 16))
    labels = np.array(["negative", "neutral", "positive"])[y]
    return X.astype(np.float32), labels


def test_train_save_load_gives_the_same_predictions(tmp_path):
    X, y = _blobs()
    head = Head("sentiment", epochs=10).fit(X[:200], y[:200], X[200:250], y[200:250])
    head.save(tmp_path / "sentiment")
    loaded = Head.load(tmp_path / "sentiment")
    assert loaded.labels_ == head.labels_
    assert loaded.get_params() == head.get_params()
    np.testing.assert_allclose(loaded.predict_proba(X[250:]), head.predict_proba(X[250:]), rtol=1e-6)
    assert loaded.predict(X[250:]) == head.predict(X[250:])


def test_probabilities_cover_every_label_and_sum_to_one():
    X, y = _blobs()
    head = Head("sentiment").fit(X[:200], y[:200], X[200:], y[200:])
    proba = head.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)


def test_two_class_head_stores_both_rows(tmp_path):
    X, y = _blobs()
    y2 = np.where(y == "positive", "spam", "ham")
    head = Head("spam", char_ngrams=True, n_features=2**10, epochs=5)
    texts = [f"text number {i} {'win money' if label == 'spam' else 'my order'}" for i, label in enumerate(y2)]
    head.fit(X[:200], y2[:200], X[200:], y2[200:], texts=texts[:200], texts_cal=texts[200:])
    assert head.network_.members[0].wide.weight.shape == (2, 2**10)
    head.save(tmp_path / "spam")
    loaded = Head.load(tmp_path / "spam")
    np.testing.assert_allclose(loaded.predict_proba(X, texts), head.predict_proba(X, texts), rtol=1e-6)


def test_char_ngram_head_asks_for_texts():
    X, y = _blobs()
    head = Head("spam", char_ngrams=True, n_features=2**8)
    with pytest.raises(ValueError, match="pass the texts"):
        head.fit(X[:100], y[:100], X[100:], y[100:])


def test_unfitted_head_says_what_to_call():
    with pytest.raises(NotFittedError, match="call fit"):
        Head("intent").predict(np.zeros((1, 4)))


def test_loading_a_missing_head_says_how_to_train(tmp_path):
    with pytest.raises(FileNotFoundError, match="triage train"):
        Head.load(tmp_path / "nothing")


def test_temperature_softens_overconfident_logits():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, size=2000)
    # logits say 99.99% but the label agrees only 70% of the time
    agree = rng.random(2000) < 0.7
    predicted = np.where(agree, y, 1 - y)
    logits = np.zeros((2000, 2))
    logits[np.arange(2000), predicted] = 10.0
    T = fit_temperature(logits, y)
    assert T > 5
    calibrated = np.exp(10 / T) / (1 + np.exp(10 / T))
    assert abs(calibrated - 0.7) < 0.05
