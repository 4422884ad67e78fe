"""Drafting: guideline and template validation, template choice, variables, each rule, history, injection."""

import json
import re
import zlib
from pathlib import Path

import numpy as np
import pytest

from triage import cli
from triage.drafting.compliance import DraftContext, check_draft
from triage.drafting.drafter import Drafter, Message
from triage.drafting.files import FileProblems
from triage.drafting.guidelines import load_guidelines
from triage.drafting.templates import ENVIRONMENT, Template, TemplateError, TemplateFile, load_templates, sanitise_quote

BRAND = Path(__file__).parent / "fixtures" / "brand"


def bag_of_words(texts):
    """A fast stand-in encoder: hashed bag of words, normalised (shared words = similar)."""
    vectors = np.zeros((len(texts), 256), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"\w+", text.lower()):
            vectors[row, zlib.crc32(word.encode()) % 256] += 1
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


@pytest.fixture
def drafter():
    # bag-of-words similarities run lower than e5's: a lower self-help threshold for the stand-in
    return Drafter(load_guidelines(BRAND / "guidelines.yaml"), load_templates(BRAND / "templates"), bag_of_words, 0.6)


def draft(drafter, text, **fields):
    message = Message(text=text, **{"language": "en", "agent_name": "Sam Lee", **fields})
    return drafter.draft(message, bag_of_words([text])[0])


def rules(result):
    return {c["rule"]: c for c in result.compliance}


# -- choosing and filling -------------------------------------------------------------------------


def test_chooses_the_template_whose_examples_match(drafter):
    result = draft(drafter, "my parcel has not arrived", intent="support", intent_confidence=0.9, channel="email")
    assert result.template == "delivery-delay"
    assert [a["template"] for a in result.alternatives] == ["plan-prices"]  # NPS playbooks are not offered
    assert 0 < result.confidence <= 1


def test_order_number_from_text_or_history_and_never_invented(drafter):
    found = draft(drafter, "my order AC-12345 has not arrived", channel="email")
    assert "AC-12345" in found.draft and found.missing_values == []
    from_history = draft(drafter, "still not arrived!", channel="email",
                         history=[{"direction": "in", "text": "order AC-55555 where is it"}, {"direction": "out", "text": "Checking!"}])
    assert "AC-55555" in from_history.draft
    none = draft(drafter, "my parcel has not arrived", channel="twitter", customer_name="Ann")
    assert "[order_id]" in none.draft and "order_id" in none.missing_values  # visible placeholder, not a guess
    assert not rules(none)["no_missing_values"]["passed"]


def test_missing_customer_name_uses_the_nameless_greeting_and_placeholders_stay_visible(drafter):
    result = draft(drafter, "how much does the plan cost", intent="sales", intent_confidence=0.9)
    assert result.draft.startswith("Hi there,")
    assert "[customer.name]" in result.draft
    assert "customer.name" in result.missing_values


def test_fallback_language_is_flagged(drafter):
    result = draft(drafter, "how much does the plan cost", language="de", intent="sales", intent_confidence=0.9)
    assert result.template == "plan-prices" and result.language == "en" and result.fallback_language


def test_customer_language_when_the_template_has_it(drafter):
    result = draft(drafter, "wo ist mein paket", language="de", customer_name="Jonas", channel="email")
    assert result.language == "de" and not result.fallback_language
    assert result.draft.startswith("Hallo Jonas,") and "Viele Grüße" in result.draft


def test_nps_score_takes_the_playbook(drafter):
    result = draft(drafter, "where is my parcel, 2/10", nps_score=2, channel="survey")
    assert result.template == "nps-detractor"


def test_escalation_gets_no_draft(drafter):
    result = draft(drafter, "My lawyer will sue you over this parcel")
    assert result.draft is None and result.escalation == "legal_threat"


# -- guidelines applied and checked ----------------------------------------------------------------


def test_every_rule_passes_on_a_complete_draft(drafter):
    result = draft(drafter, "my order AC-12345 has not arrived", sentiment="negative", intent="support",
                   intent_confidence=0.9, customer_name="Ann", channel="email")
    assert result.compliant, [c for c in result.compliance if not c["passed"]]
    assert result.draft.startswith("Hi Ann,") and result.draft.endswith("Best,\nSam Lee at Acme")
    assert "Sorry for the trouble." in result.draft  # apology added for an unhappy customer
    assert "https://help.acme.example/track-order" in result.draft  # matching self-help article


def test_sales_draft_carries_the_disclosure(drafter):
    result = draft(drafter, "price of the unlimited plan", intent="sales", intent_confidence=0.9, customer_name="Bo")
    assert "Prices include VAT." in result.draft and rules(result)["disclosure"]["passed"]


def test_twitter_uses_the_short_body_and_initials(drafter):
    result = draft(drafter, "my order AC-12345 has not arrived", channel="twitter", customer_name="Ann")
    assert result.draft.startswith("Hi Ann!") and result.draft.endswith("^SL")
    assert len(result.draft) <= 280 and rules(result)["max_length"]["passed"]


def test_no_second_greeting_in_a_conversation(drafter):
    result = draft(drafter, "still waiting for AC-12345", customer_name="Ann", channel="email",
                   history=[{"direction": "out", "text": "Hi Ann, we are on it."}])
    assert not result.draft.startswith("Hi")
    assert rules(result)["no_second_greeting"]["passed"]


def test_each_rule_reports_the_offending_span():
    guidelines = load_guidelines(BRAND / "guidelines.yaml")
    context = DraftContext("de", "twitter", "negative", "sales", False, "Hallo Ann,", "Viele Grüße")
    text = "Hallo Ann, kannst du 😀😀 das prüfen? " + "x" * 300 + " [order_id] Viele Grüße"
    checks = {c.rule: c for c in check_draft(text, context, guidelines)}
    assert not checks["formality"].passed and text[slice(*checks["formality"].span)] == "du"
    assert not checks["emoji"].passed and text[slice(*checks["emoji"].span)] == "😀"
    assert not checks["max_length"].passed and checks["max_length"].span[0] == 280
    assert not checks["apology"].passed and not checks["disclosure"].passed
    assert not checks["no_missing_values"].passed and checks["no_missing_values"].text == "[order_id]"
    assert checks["greeting"].passed and checks["sign_off"].passed
    en = DraftContext("en", "email", None, None, False, "Hi,", "Bye")
    avoided = {c.rule: c for c in check_draft("Hi, please calm down. Bye", en, guidelines)}["avoid_phrases"]
    assert not avoided.passed and avoided.text == "calm down"


def test_avoided_phrases_are_replaced(drafter):
    guidelines = drafter.guidelines
    assert Drafter._replace_avoided("Unfortunately it is late", guidelines.voice("en")) == "right now it is late"


# -- templates are sandboxed -----------------------------------------------------------------------

INJECTIONS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ customer.__class__.__init__.__globals__ }}",
    "{% for x in range(999999999) %}x{% endfor %}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ [].append(1) or 'mutated' }}",
    "{% set x = namespace() %}{{ x }}",
    "{{ ''|attr('__class__') }}",
    "{{ config.items() }}",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_template_injection_cannot_reach_python(payload):
    spec = TemplateFile(id="evil", intent="other", description="x", examples={"en": ["x"]}, body={"en": payload})
    template = Template(spec)
    try:
        rendered = template.render("en", {"customer": {"name": "Ann"}})
    except TemplateError:
        return
    assert "class" not in rendered and "function" not in rendered and "uid=" not in rendered and "mutated" not in rendered


def test_quoted_customer_text_is_sanitised():
    assert sanitise_quote("see <script>alert(1)</script> https://evil.example @bot {{ x }}") == "see alert(1) (link) x"
    assert len(sanitise_quote("a" * 500)) == 140
    assert ENVIRONMENT.from_string("{{ message | quote }}").render(message="<b>hi</b>\x07 there") == "hi there"


# -- validation with located errors ----------------------------------------------------------------


def test_guideline_problems_are_located(tmp_path):
    text = (BRAND / "guidelines.yaml").read_text()
    text = text.replace("formality: formal", "formality: polite").replace("brand: Acme", "brand: Acme\ntone: warm")
    text = text.replace("max_emoji: 1}", "max_emoji: -1}", 1)
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(FileProblems) as error:
        load_guidelines(path)
    problems = error.value.problems
    lines = text.splitlines()
    assert any(p.startswith(f"{path}:2: tone: unknown key") for p in problems), problems
    formality = next(p for p in problems if "formality" in p)
    line = int(formality.split(":")[1])
    assert "polite" in lines[line - 1] and "languages -> de -> formality" in formality
    emoji = next(p for p in problems if "max_emoji" in p)
    assert "channels -> twitter -> max_emoji" in emoji and "-1" in emoji


def test_template_problems_are_located(tmp_path):
    (tmp_path / "broken.yaml").write_text("id: broken\nintent: sales\ndescription: x\nexamples: {en: [a]}\nbody:\n  en: '{% if %}'\n")
    (tmp_path / "typo.yaml").write_text("id: typo\nintent: sale\ndescription: x\nexamples: {en: [a]}\nbody: {en: hi}\n")
    with pytest.raises(FileProblems) as error:
        load_templates(tmp_path)
    joined = "\n".join(error.value.problems)
    assert f"{tmp_path / 'broken.yaml'}:" in joined and "Jinja syntax error" in joined
    assert f"{tmp_path / 'typo.yaml'}:2: intent:" in joined


def test_check_command(tmp_path, capsys):
    assert cli.main(["check", "--guidelines", str(BRAND / "guidelines.yaml"), "--templates", str(BRAND / "templates")]) == 0
    assert capsys.readouterr().out.startswith("ok:")
    bad = tmp_path / "g.yaml"
    bad.write_text((BRAND / "guidelines.yaml").read_text().replace("template: nps-detractor, alert", "template: nps-missing, alert"))
    assert cli.main(["check", "--guidelines", str(bad), "--templates", str(BRAND / "templates")]) == 1
    assert "nps -> detractor -> template: no template 'nps-missing'" in capsys.readouterr().err


def test_draft_command_contract(tmp_path, capsys, monkeypatch):
    class FakePipeline:
        encode = staticmethod(bag_of_words)

        def label_and_embed(self, texts):
            labels = [{"language": "en", "sentiment": {"label": "neutral", "scores": {}},
                       "intent": {"label": "support", "scores": {"support": 0.9}}, "spam": {"label": "ham"}} for _ in texts]
            return labels, bag_of_words(texts)

    def no_clustering(*args, **kwargs):
        raise FileNotFoundError("no clustering model (test)")

    monkeypatch.setattr(cli, "_load_pipeline", lambda: FakePipeline())
    monkeypatch.setattr("triage.clustering.model.Clustering.load", no_clustering)
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "q1", "text": "where is my parcel AC-12345", "channel": "email", "author": "Ann Bell"}) + "\n")
    code = cli.main(["draft", str(path), "--guidelines", str(BRAND / "guidelines.yaml"), "--templates", str(BRAND / "templates"), "--agent", "Sam"])
    assert code == 0
    row = json.loads(capsys.readouterr().out)
    assert {"id", "draft", "template", "confidence", "alternatives", "compliance", "language"} <= set(row)
    assert row["id"] == "q1" and row["template"] == "delivery-delay" and row["draft"].startswith("Hi Ann Bell,")


def test_spam_gets_no_draft(drafter):
    result = draft(drafter, "my parcel has not arrived", spam=True)
    assert result.draft is None and result.skipped == "spam"


def test_names_are_never_taken_from_handles_or_addresses():
    labels = {"language": "en"}
    assert Message.from_record({"text": "x", "author": "@anna"}, labels).customer_name is None
    assert Message.from_record({"text": "x", "author": "anna@example.com"}, labels).customer_name is None
    assert Message.from_record({"text": "x", "author": "Anna Berg"}, labels).customer_name == "Anna Berg"
    assert Message.from_record({"text": "x", "customer": {"name": "Bo"}, "author": "Anna"}, labels).customer_name == "Bo"


SAMPLE_BRAND = Path(__file__).resolve().parents[1]


def test_the_sample_brand_files_are_valid(capsys):
    code = cli.main(["check", "--guidelines", str(SAMPLE_BRAND / "guidelines" / "nimbus-mobile.yaml"), "--templates", str(SAMPLE_BRAND / "templates")])
    assert code == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "44 templates" in out and "de, en, es, fr, id, ja, ko, zh" in out


@pytest.fixture(scope="module")
def sample_drafter(pipeline):
    return Drafter.with_clustering(
        load_guidelines(SAMPLE_BRAND / "guidelines" / "nimbus-mobile.yaml"), load_templates(SAMPLE_BRAND / "templates"), pipeline.encode
    )


def test_sample_brand_drafts_in_the_customers_language_and_register(pipeline, sample_drafter):
    text = "Seit heute Morgen komme ich nicht mehr in die Nimbus App, immer Fehler 503. Bestellung NM-2026-004512"
    labels, embeddings = pipeline.label_and_embed([text])
    record = {"text": text, "channel": "email", "customer": {"name": "Frau Berg"}}
    result = sample_drafter.draft(Message.from_record(record, labels[0], "Sam Lee"), embeddings[0])
    assert result.template == "login-problem" and result.language == "de" and not result.fallback_language
    assert result.draft.startswith("Guten Tag Frau Berg,") and "Sam Lee" in result.draft
    assert result.compliant, [c for c in result.compliance if not c["passed"]]
    assert not re.search(r"\b(du|dich|dein)\b", result.draft)


def test_register_variants_follow_the_guidelines(drafter):
    spec = TemplateFile(
        id="hello", intent="other", description="x", examples={"de": ["hallo"]},
        body={"de@formal": "Wie können wir Ihnen helfen?", "de@informal": "Wie können wir dir helfen?"},
    )
    template = Template(spec)
    assert template.languages == ["de"]
    assert template.render("de", {}, formality="formal") == "Wie können wir Ihnen helfen?"
    assert template.render("de", {}, formality="informal") == "Wie können wir dir helfen?"
    with pytest.raises(ValueError, match="language@formal or language@informal"):
        TemplateFile(id="x", intent="other", description="x", examples={"de": ["a"]}, body={"de@polite": "a"})
