import pytest

from triage.language import UNDETERMINED, LanguageIdentifier


@pytest.fixture(scope="module")
def identifier():
    return LanguageIdentifier()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Wo ist mein Paket? Ich warte seit zwei Wochen.", "de"),
        ("我的订单还没有到，请帮我查一下", "zh"),
        ("배송이 너무 늦어요 ㅠㅠ", "ko"),
        ("注文した商品がまだ届きません", "ja"),
        ("¿Cuándo llega mi pedido? Ya pasaron dos semanas", "es"),
        ("Bonjour, ma commande n'est toujours pas arrivée", "fr"),
        ("Where is my order? It has been two weeks", "en"),
        ("Pesanan saya belum sampai sudah dua minggu", "id"),
    ],
)
def test_languages(identifier, text, expected):
    assert identifier.predict(text) == expected


@pytest.mark.parametrize("text", ["😀😀😀", "ok", "??", "12345", "@NimbusHelp https://t.co/x #fail", "👍", "hi"])
def test_short_or_letterless_messages_are_undetermined(identifier, text):
    assert identifier.predict(text) == UNDETERMINED


def test_handles_and_links_do_not_decide_the_language(identifier):
    assert identifier.predict("@NimbusHelp mein Handy geht nicht mehr an https://nimbus.example/help #defekt") == "de"


def test_batch_equals_single(identifier):
    texts = ["Hola, necesito ayuda", "😀", "Danke schön für die schnelle Hilfe"]
    assert identifier.predict(texts) == [identifier.predict(t) for t in texts]


def test_embedding_head_settles_informal_indonesian(pipeline):
    """fastText alone leaves code-switched Indonesian undetermined; the head on the embedding knows it."""
    texts = [
        "Halo, roaming aku not working di Singapore. Udah aktifin paket tapi still no signal, please help asap",
        "kak pesanan aku kok blm sampe2 ya, udah seminggu nih",
    ]
    assert pipeline.stages["language"].predict(texts, pipeline.embed(texts)) == ["id", "id"]


def test_han_only_text_is_chinese_not_japanese(identifier):
    assert identifier.predict("請問這款手機有現貨嗎？什麼時候到貨") == "zh"
