"""Drafting an on-brand reply: choose a template, fill it, apply the guidelines, check compliance.

1. **Escalation**: a message matching a guideline ``escalate`` situation (legal threat, safety, press)
   gets no draft: it goes to a human.
2. **Template choice**: the message embedding is compared with every template's example messages (in all
   languages: the encoder is multilingual), in the clustering's per-language centred space when one is
   given; a template scores the mean cosine of its three closest examples, minus a small penalty when its
   intent disagrees with the message's confident intent. A survey answer with an NPS score takes
   its playbook's template; NPS templates are not offered for other messages.
3. **Language**: the customer's language when the template has it, otherwise the brand's fallback
   language, flagged.
4. **Variables** come from the message metadata, the text and the conversation history; a value that is
   not there stays a visible ``[placeholder]``: nothing is invented.
5. **Guidelines**: greeting (not twice in a conversation), sign-off, the channel's short body, an apology
   for an unhappy customer, a matching self-help link, the sales disclosure, phrase replacements.
6. **Compliance**: every rule checked on the final text (:mod:`triage.drafting.compliance`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from triage import nps
from triage.drafting.compliance import Check, DraftContext, check_draft
from triage.drafting.entities import extract
from triage.drafting.guidelines import Guidelines, LanguageVoice
from triage.drafting.templates import PLACEHOLDER, Template, TemplateError, sanitise_quote

# Chosen by leave-one-out over the sample brand's template examples (each example ranked against the
# others), never on data/drafting/template-choice.jsonl, which is only reported.
INTENT_PENALTY = 0.03  # score taken off a template whose intent disagrees with a confident intent label
CONFIDENT_INTENT = 0.6
TOP_EXAMPLES = 3  # a template scores the mean similarity of its 3 closest examples
CONFIDENCE_TEMPERATURE = 0.02
SELF_HELP_MIN_SIMILARITY = 0.85
NPS_SITUATIONS = {"nps-detractor", "nps-passive", "nps-promoter"}


@dataclass
class Message:
    text: str
    channel: str | None = None
    language: str = "und"
    sentiment: str | None = None
    intent: str | None = None
    intent_confidence: float = 0.0
    spam: bool = False
    nps_score: int | None = None
    customer_name: str | None = None
    agent_name: str | None = None
    metadata: dict = field(default_factory=dict)
    history: list[dict] = field(default_factory=list)  # [{"direction": "in" | "out", "text": ...}], oldest first


    @classmethod
    def from_record(cls, fields: dict, labels: dict, agent_name: str | None = None) -> "Message":
        """A message from an input record (``text``, ``channel``, ``nps_score``, ``customer``, ``author``,
        ``history``, ``order_id``) and the pipeline's labels for it."""
        customer = fields.get("customer") if isinstance(fields.get("customer"), dict) else {}
        author = fields.get("author")
        name = customer.get("name") or fields.get("customer_name")
        if not name and isinstance(author, str) and author and not re.search(r"[@/:]|\d{3}", author):
            name = author  # a display name, not a handle, an address or an account number
        intent = labels.get("intent") or {}
        score = fields.get("nps_score")
        history = fields.get("history") if isinstance(fields.get("history"), list) else []
        return cls(
            text=fields["text"],
            channel=fields.get("channel"),
            language=labels.get("language", "und"),
            sentiment=(labels.get("sentiment") or {}).get("label"),
            intent=intent.get("label"),
            intent_confidence=float(max((intent.get("scores") or {"": 0.0}).values())),
            spam=(labels.get("spam") or {}).get("label") == "spam",
            nps_score=int(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None,
            customer_name=name,
            agent_name=fields.get("agent") or agent_name,
            metadata={"order_id": fields["order_id"]} if fields.get("order_id") else {},
            history=[h for h in history if isinstance(h, dict)],
        )


@dataclass
class Draft:
    draft: str | None
    template: str | None
    confidence: float
    alternatives: list[dict]
    compliance: list[dict]
    compliant: bool
    language: str
    fallback_language: bool
    escalation: str | None = None
    missing_values: list[str] = field(default_factory=list)
    skipped: str | None = None  # why there is no draft for a message that is not escalated (spam)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _initials(name: str | None) -> str | None:
    return "".join(part[0].upper() for part in name.split() if part) if name else None


class Drafter:
    """Draft replies for one brand.

    Parameters
    ----------
    guidelines, templates:
        Validated brand guidelines and templates (see :func:`load_guidelines`, :func:`load_templates`).
    encode:
        Text -> unit embeddings (the pipeline's encoder); template examples and self-help questions are
        encoded once, here.
    self_help_threshold:
        Minimum cosine between the message and an article's question to suggest that article (raw e5
        cosine; with ``space``, pass the clustering's join threshold: an article is suggested when the
        message would join its question's cluster).
    space:
        Optional :class:`~triage.clustering.space.ClusterSpace`: templates are compared there (centred per
        language), which separates neighbouring topics far better than raw e5 cosines.
    """

    def __init__(
        self,
        guidelines: Guidelines,
        templates: dict[str, Template],
        encode: Callable[[list[str]], np.ndarray],
        self_help_threshold: float = SELF_HELP_MIN_SIMILARITY,
        space=None,
    ) -> None:
        self.guidelines = guidelines
        self.templates = templates
        self.encode = encode
        self.self_help_threshold = self_help_threshold
        self.space = space
        owners, examples, languages = [], [], []
        for template in templates.values():
            for language, texts in template.spec.examples.items():
                owners += [template.id] * len(texts)
                examples += texts
                languages += [language] * len(texts)
        self._example_owner = np.array(owners)
        self._example_vectors = self._project(encode(examples), languages)
        self._template_ids = list(templates)
        articles = [(a, q, lang) for a in guidelines.self_help for lang, qs in a.questions.items() for q in qs]
        self._article_of_question = [a for a, _, _ in articles]
        self._question_vectors = (
            self._project(encode([q for _, q, _ in articles]), [lang for _, _, lang in articles]) if articles else np.zeros((0, 1))
        )

    # -- choosing ---------------------------------------------------------------------------------

    @classmethod
    def with_clustering(cls, guidelines: Guidelines, templates: dict[str, Template], encode, clustering=None) -> "Drafter":
        """A drafter comparing in the clustering's space (loaded from ``models/clustering`` when not given)."""
        from triage.clustering.model import Clustering

        clustering = clustering or Clustering.load()
        return cls(guidelines, templates, encode, clustering.config.join_threshold, clustering.space)

    def _project(self, embeddings: np.ndarray, languages) -> np.ndarray:
        return self.space.transform(embeddings, languages) if self.space is not None else embeddings

    def rank(self, message: Message, embedding: np.ndarray) -> list[tuple[str, float]]:
        """Templates with their scores, best first."""
        similarities = self._example_vectors @ self._project(embedding[None, :], [message.language])[0]
        playbook = None
        category = nps.category(message.nps_score)
        if category:
            playbook = getattr(self.guidelines.nps, category).template
        scores = []
        for template_id in self._template_ids:
            template = self.templates[template_id]
            own = np.sort(similarities[self._example_owner == template_id])[::-1][:TOP_EXAMPLES]
            score = float(own.mean()) if len(own) else -1.0
            if NPS_SITUATIONS & set(template.spec.situations) and template_id != playbook:
                continue  # NPS follow-ups only answer survey scores
            if message.intent and message.intent_confidence >= CONFIDENT_INTENT and template.spec.intent != message.intent:
                score -= INTENT_PENALTY
            if template_id == playbook:
                score = 2.0  # the playbook decides for survey answers
            scores.append((template_id, score))
        return sorted(scores, key=lambda item: -item[1])

    def _self_help(self, embedding: np.ndarray, language: str):
        if not len(self._article_of_question):
            return None
        similarities = self._question_vectors @ self._project(embedding[None, :], [language])[0]
        best = int(similarities.argmax())
        return self._article_of_question[best] if similarities[best] >= self.self_help_threshold else None

    def _escalation(self, text: str) -> str | None:
        lowered = text.lower()
        for rule in self.guidelines.escalate:
            for words in rule.keywords.values():
                if any(word.lower() in lowered for word in words):
                    return rule.situation
        return None

    # -- drafting ---------------------------------------------------------------------------------

    def draft(self, message: Message, embedding: np.ndarray) -> Draft:
        fallback = self.guidelines.fallback_language
        if message.spam:
            note = Check("spam", True, "spam goes to the spam queue: no reply is drafted")
            return Draft(None, None, 1.0, [], [note.to_dict()], True, fallback, False, skipped="spam")
        escalation = self._escalation(message.text)
        if escalation:
            language = message.language if message.language in self.guidelines.languages else fallback
            note = Check("escalation", True, f"{escalation}: handed to a human, no draft")
            return Draft(None, None, 1.0, [], [note.to_dict()], True, language, False, escalation)

        ranking = self.rank(message, embedding)
        top = np.array([s for _, s in ranking[:5]])
        weights = np.exp((top - top.max()) / CONFIDENCE_TEMPERATURE)
        confidence = float(weights[0] / weights.sum())
        template = self.templates[ranking[0][0]]
        alternatives = [{"template": t, "score": round(s, 4)} for t, s in ranking[1:3]]

        language = message.language
        use_fallback = not template.has_language(language) or language not in self.guidelines.languages
        if use_fallback:
            language = fallback
        voice = self.guidelines.voice(language)
        text, context, missing = self._compose(message, embedding, template, language, voice)
        checks = check_draft(text, context, self.guidelines)
        return Draft(
            draft=text,
            template=template.id,
            confidence=round(confidence, 4),
            alternatives=alternatives,
            compliance=[c.to_dict() for c in checks],
            compliant=all(c.passed for c in checks),
            language=language,
            fallback_language=use_fallback,
            missing_values=missing,
        )

    def _variables(self, message: Message, language: str, article) -> dict:
        history_texts = [h.get("text", "") for h in message.history]
        found = extract(message.text, history_texts, self.guidelines.entities.get("order_id"))
        order_id = message.metadata.get("order_id") or found.get("order_id")
        variables = {
            "brand": self.guidelines.brand,
            "channel": message.channel,
            "language": language,
            "message": sanitise_quote(message.text, 10_000),
        }
        # a missing object stays undefined, so `customer.name` renders as the placeholder [customer.name]
        if message.customer_name:
            variables["customer"] = {"name": message.customer_name}
        if message.agent_name:
            variables["agent"] = {"name": message.agent_name}
        for name, value in (("order_id", order_id), ("email", found.get("email")), ("date", found.get("date")), ("amount", found.get("amount"))):
            if value:
                variables[name] = value
        if article is not None:
            variables["faq"] = {"link": article.url, "title": article.title.get(language) or next(iter(article.title.values()))}
        return variables

    def _fill(self, pattern: str, message: Message) -> str:
        values = {
            "name": message.customer_name or "[customer.name]",
            "agent": message.agent_name or "[agent.name]",
            "agent_initials": _initials(message.agent_name) or "[agent.name]",
            "brand": self.guidelines.brand,
        }
        return pattern.format(**values)

    def _compose(self, message: Message, embedding: np.ndarray, template: Template, language: str, voice: LanguageVoice):
        """Assemble the draft, stepping down to shorter forms until it fits the channel's length."""
        channel = message.channel
        rules = self.guidelines.channel(channel)
        article = self._self_help(embedding, message.language)
        variables = self._variables(message, language, article)
        greeted_before = any(h.get("direction") == "out" for h in message.history)
        greeting_pattern = (voice.greeting if message.customer_name else voice.greeting_no_name).for_channel(channel)
        greeting = "" if greeted_before else self._fill(greeting_pattern, message)
        sign_off = self._fill(voice.sign_off.for_channel(channel), message)
        intent = template.spec.intent

        # (short body, compact layout): the full reply first where the channel has room, then shorter forms
        forms = [(False, False), (True, False), (True, True)] if rules.max_length > 400 else [(True, True)]
        for short, compact in forms:
            try:
                body = template.render(language, variables, short=short, formality=voice.formality)
            except TemplateError as error:
                body = f"[template error: {error}]"
            parts = [body]
            if message.sentiment == "negative" and self.guidelines.required.apology_when_negative and voice.apology:
                if not any(w.lower() in body.lower() for w in voice.apology_words):
                    parts.insert(0, voice.apology)
            if intent == "support" or article is not None:
                link = article.url if article is not None else self.guidelines.help_centre
                if link not in body:
                    intro = voice.self_help_intro
                    parts.append(f"{intro} {link}" if intro and not compact else link)
            if intent == "sales" and self.guidelines.required.disclosure_for_sales:
                parts.append(voice.disclosure)
            separator = " " if compact else "\n\n"
            text = self._replace_avoided(separator.join(p for p in [greeting, *parts, sign_off] if p), voice)
            if len(text) <= rules.max_length:
                break

        context = DraftContext(language, channel, message.sentiment, intent, greeted_before, greeting, sign_off)
        missing = sorted(set(PLACEHOLDER.findall(text)))
        return text, context, missing

    @staticmethod
    def _replace_avoided(text: str, voice: LanguageVoice) -> str:
        for rule in voice.avoid:
            if rule.replacement is not None:
                text = re.sub(re.escape(rule.phrase), rule.replacement, text, flags=re.IGNORECASE)
        return text

    def draft_many(self, messages: Sequence[Message], embeddings: np.ndarray) -> list[Draft]:
        return [self.draft(m, e) for m, e in zip(messages, embeddings)]
