"""What every rule family needs to know about a parsed draft, computed once per Doc.

Clause subjects (sender / recipient / other) come from the dependency parse; evidence of research
and relationship comes from phrase lists, the parse and named entities; profile facts are matched
on lemmas.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import phrases
from .config import Config
from .profile import Fact, Profile

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SENDER_PRONOUNS = {"i", "we", "me", "us", "myself", "ourselves"}
RECIPIENT_PRONOUNS = {"you", "yourself", "yourselves", "u"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
GREETING_WORDS = {"hi", "hello", "hey", "dear", "greetings", "hiya", "morning", "afternoon", "evening", "yo", "howdy"}
MODALS = {"would", "could", "can", "will", "shall", "may", "might", "should"}
CTA_WORDS = {"interested", "interest", "want", "open", "worth", "free", "available", "try", "demo", "sense",
             "help", "keen", "up", "fancy", "game", "ok", "okay", "good", "fit", "explore", "learn", "see", "show"}
CTA_PHRASES = ("let me know", "let's", "lets ", "reply", "happy to show", "happy to walk", "love to show",
               "drop me", "give me a call", "book", "sign up", "just say", "want to see", "would love to",
               "i'd love to", "id love to", "i would love to", "hop on", "jump on", "get on a")
GENERIC_FACT_LEMMAS = {"team", "company", "work", "business", "people", "year", "time", "new", "great", "good",
                       "thing", "way", "day", "week", "today", "really", "also", "much", "many", "lot", "make",
                       "get", "go", "say", "use", "need", "want", "think", "know", "help", "like", "post",
                       "share", "write", "talk", "article", "role", "job", "well", "first", "last", "next"}
_QUOTE_RE = re.compile(r'"([^"\n]{3,300})"')
_PRICE_RE = re.compile(r"(?:[$€£¥]\s?\d|\d+\s?(?:usd|eur|gbp|dollars|euros|pounds)\b|\bper (?:month|year|seat|user)\b|"
                       r"/\s?(?:mo|month|yr|year)\b|\d+\s?% off\b|\bfree trial\b|\bdiscount\b)", re.I)


@dataclass
class Clause:
    """A verb and the kind of its subject."""

    verb: "Token"
    subject: "Token"
    kind: str  # "sender", "recipient" or "other"
    self_talk: bool = False  # a sender clause about the sender (not looking at the recipient)


@dataclass
class Signals:
    """Facts about one draft shared by the rules and reported as metrics."""

    sentences: list["Span"]
    quoted: list[tuple[int, int]]
    clauses: list[Clause]
    questions: list["Span"]
    greeting_end: int = 0  # char offset in body where the greeting ends
    greeting_name: "Span | None" = None
    relationship: list[str] = field(default_factory=list)
    evidence: list[tuple["Span", str]] = field(default_factory=list)
    facts_used: list[str] = field(default_factory=list)
    offers: list["Span"] = field(default_factory=list)
    promote_asks: list["Span"] = field(default_factory=list)

    @property
    def sender_clauses(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == "sender" and c.self_talk]

    @property
    def recipient_clauses(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == "recipient"]

    def in_quotes(self, start: int, end: int) -> bool:
        return any(qs <= start and end <= qe for qs, qe in self.quoted)


def analyse(doc: "Doc", profile: Profile | None, config: Config, fact_docs: dict[str, "Doc"]) -> Signals:
    """Compute the shared signals for one draft body."""
    sentences = [s for s in doc.sents if s.text.strip()]
    quoted = _quoted_ranges(doc.text)
    sig = Signals(sentences=sentences, quoted=quoted, clauses=[], questions=[])
    sig.questions = [s for s in sentences if s.text.rstrip().endswith("?") or "?" in s.text[-4:]]
    sig.greeting_name, sig.greeting_end = _greeting(doc)
    recipient_names = _recipient_names(sig, profile)
    sender_names = [n.lower() for n in config.sender.names()]
    sig.clauses = _clauses(doc, recipient_names, sender_names)
    sig.relationship = [s.text for s in phrases.find(doc, "personalisation", "relationship")
                        if not sig.in_quotes(s.start_char, s.end_char)]
    if profile is not None and profile.data.get("how_we_met"):
        sig.relationship.append("profile: how_we_met")
    sig.evidence = _evidence(doc, sig, recipient_names, sender_names)
    if profile is not None:
        sig.facts_used = _facts_used(doc, profile.facts(), fact_docs)
    sig.offers = _offers(doc, sig, sender_names)
    sig.promote_asks = _promote_asks(sig, sender_names)
    return sig


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]


def _greeting(doc: "Doc") -> tuple["Span | None", int]:
    """The name in an opening greeting ("Hi Joanne," / "Warren,") and where the greeting ends."""
    if not len(doc):
        return None, 0
    first_line_end = doc.text.find("\n")
    limit = first_line_end if first_line_end != -1 else len(doc.text)
    toks = [t for t in doc if t.idx < limit and not t.is_space]
    i = 0
    while i < len(toks) and toks[i].lower_ in GREETING_WORDS | {"good"}:
        i += 1
    j = i
    while j < len(toks) and j - i < 3 and toks[j].text[:1].isupper() and toks[j].is_alpha \
            and toks[j].lower_ not in {"i", "thanks", "thank", "happy", "congrats", "congratulations", "hope"}:
        j += 1
    name = doc[toks[i].i:toks[j - 1].i + 1] if j > i else None
    # the greeting ends at the first punctuation after the name, or after the greeting word
    end_tok = toks[j] if j < len(toks) and toks[j].is_punct else None
    if name is not None and (i > 0 or end_tok is not None):
        end = (end_tok.idx + len(end_tok)) if end_tok is not None else name.end_char
        return name, end
    return None, 0


def _recipient_names(sig: Signals, profile: Profile | None) -> set[str]:
    names: set[str] = set()
    if sig.greeting_name is not None:
        names |= {t.lower_ for t in sig.greeting_name}
    if profile is not None:
        for key in ("name", "first_name", "last_name"):
            names |= {w.lower() for w in str(profile.data.get(key) or "").split()}
    return names


def _subject_kind(tok: "Token", recipient_names: set[str], sender_names: list[str]) -> str:
    low = tok.lower_
    if low in SENDER_PRONOUNS:
        return "sender"
    if low in RECIPIENT_PRONOUNS:
        return "recipient"
    for child in tok.children:
        if child.dep_ == "poss":
            if child.lower_ in ("my", "our"):
                return "sender"
            if child.lower_ in ("your",):
                return "recipient"
    if any(c.lower_ in SENDER_PRONOUNS for c in tok.conjuncts):
        return "sender"
    phrase = " ".join(t.lower_ for t in tok.subtree)
    if any(name and name in phrase for name in sender_names):
        return "sender"
    if tok.pos_ == "PROPN" and low in recipient_names:
        return "recipient"
    return "other"


def _clauses(doc: "Doc", recipient_names: set[str], sender_names: list[str]) -> list[Clause]:
    outward = phrases.words("self_centred", "outward_verbs")
    out: list[Clause] = []
    for tok in doc:
        if tok.dep_ not in SUBJECT_DEPS:
            continue
        verb = tok.head
        kind = _subject_kind(tok, recipient_names, sender_names)
        clause = Clause(verb=verb, subject=tok, kind=kind)
        if kind == "sender":
            looks_out = verb.lemma_.lower() in outward or verb.lower_ in outward
            addresses = any(t.lower_ in ("you", "your") for t in verb.subtree
                            if t.i not in {s.i for s in tok.subtree})
            clause.self_talk = not looks_out and not addresses
        out.append(clause)
    return out


def _evidence(doc: "Doc", sig: Signals, recipient_names: set[str], sender_names: list[str]) -> list[tuple["Span", str]]:
    """Signs that the sender did some research on this recipient."""
    work_nouns = phrases.words("personalisation", "work_nouns")
    work_verbs = phrases.words("personalisation", "work_verbs")
    found: list[tuple[Span, str]] = []
    for tok in doc:
        # "your post on X", "your talk at Y", "your recent thread about Z"
        if tok.lower_ == "your" and tok.head.lemma_.lower() in work_nouns:
            noun = tok.head
            topic = [t for t in noun.subtree if t.i > noun.i and t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM")
                     and not t.is_stop]
            if noun.lemma_.lower() in ("company", "team", "work", "product", "startup") and not any(
                    t.pos_ == "PROPN" for t in noun.subtree):
                continue
            if topic and not _looks_placeholder(doc, noun):
                found.append((doc[tok.i:max(t.i for t in topic) + 1], "recipient's work"))
        # "you wrote/argued/built X", "you contributed to Y"
        if tok.lower_ == "you" and tok.dep_ in SUBJECT_DEPS and tok.head.lemma_.lower() in work_verbs:
            verb = tok.head
            if any(c.lower_ in MODALS for c in verb.children) or verb.tag_ in ("VB",):
                continue
            objects = [t for t in verb.subtree if t.i > verb.i and (t.pos_ == "PROPN" or t.ent_type_)
                       or (t.i > verb.i and t.dep_ in ("dobj", "pobj", "ccomp") and t.pos_ in ("NOUN", "VERB")
                           and not t.is_stop)]
            if objects and not _looks_placeholder(doc, verb):
                found.append((doc[tok.i:max(t.i for t in objects) + 1], "what they did"))
    # a named person the two share ("Maya suggested I reach out", "mutual connections, including Eddie")
    link_words = {"mutual", "friend", "colleague", "suggest", "recommend", "introduce", "mention", "know",
                  "work", "told", "tell", "point", "connection", "classmate", "mentor", "manager", "boss"}
    for sent in sig.sentences:
        people = [e for e in sent.ents if e.label_ == "PERSON"
                  and not ({t.lower_ for t in e} & recipient_names)
                  and e.text.lower() not in sender_names]
        if people and any(t.lemma_.lower() in link_words for t in sent):
            found.append((people[0], "shared connection"))
    # quoting the recipient back to them
    for start, end in sig.quoted:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and any(t.lower_ in ("you", "your") for t in span.sent):
            found.append((span, "quotes them"))
    return found


def _looks_placeholder(doc: "Doc", tok: "Token") -> bool:
    sent = tok.sent.text
    return bool(re.search(r"[\[{<_]{1,2}\s*\w|%\w+%", sent))


def _content_lemmas(doc: "Doc") -> set[str]:
    return {t.lemma_.lower() for t in doc if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop
            and len(t.text) > 2 and t.lemma_.lower() not in GENERIC_FACT_LEMMAS}


def _facts_used(doc: "Doc", facts: list[Fact], fact_docs: dict[str, "Doc"]) -> list[str]:
    """Profile fields whose facts the draft really uses (names by token, text by content lemmas)."""
    draft_lemmas = _content_lemmas(doc) | {t.lower_ for t in doc if t.is_alpha and len(t) > 2}
    draft_tokens = {t.text for t in doc}
    used: list[str] = []
    for fact in facts:
        if fact.field in used:
            continue
        if fact.kind == "name":
            parts = [p for p in re.split(r"\s+", fact.text.strip()) if len(p) > 2]
            if any(p in draft_tokens for p in parts):
                used.append(fact.field)
            continue
        fact_doc = fact_docs.get(fact.text)
        if fact_doc is None:
            continue
        lemmas = _content_lemmas(fact_doc)
        overlap = lemmas & draft_lemmas
        need = 1 if len(lemmas) <= 2 or fact.field in ("interests", "shared_groups") else 2
        if len(overlap) >= need:
            used.append(fact.field)
    return used


def _offers(doc: "Doc", sig: Signals, sender_names: list[str]) -> list["Span"]:
    """Clauses where the sender offers something: "we help X do Y", "our platform", a price, a job."""
    offer_verbs = phrases.words("sender", "offer_verbs")
    offering_nouns = phrases.words("sender", "offering_nouns")
    opportunity = phrases.words("hard_sell", "opportunity")
    found: list[Span] = []
    for clause in sig.clauses:
        verb = clause.verb
        if clause.kind == "sender" and clause.self_talk and verb.lemma_.lower() in offer_verbs:
            if any(c.dep_ in ("dobj", "xcomp", "ccomp", "prep", "dative", "attr") for c in verb.children):
                found.append(verb.sent)
    for sent in sig.sentences:
        first = next((t for t in sent if not t.is_punct and not t.is_space), None)
        # "Built custom AI roleplay for..." with the subject dropped
        if first is not None and first.tag_ in ("VBD", "VBN") and first.dep_ == "ROOT" \
                and first.lemma_.lower() in offer_verbs and any(c.dep_ == "dobj" for c in first.children):
            found.append(sent)
        for tok in sent:
            low = tok.lemma_.lower()
            owned = any(c.dep_ == "poss" and c.lower_ in ("our", "my") for c in tok.children)
            if owned and low in offering_nouns:
                found.append(sent)
            elif low in opportunity and tok.pos_ == "NOUN" and low not in ("offer", "plan", "deal") and any(
                    c.lower_ in ("our", "this", "an", "exciting", "amazing", "great", "new", "the") for c in tok.children):
                if not any(t.lower_ in ("your", "you") for t in tok.subtree):
                    found.append(sent)
        if any(name and name in sent.text.lower() for name in sender_names):
            found.append(sent)
        if _PRICE_RE.search(sent.text):
            found.append(sent)
    unique: dict[int, Span] = {}
    for span in found:
        if not sig.in_quotes(span.start_char, span.end_char):
            unique.setdefault(span.start, span)
    return [unique[k] for k in sorted(unique)]


def is_cta(sent: "Span") -> bool:
    """A call to action: a forward-looking question or request (not a question about their past work)."""
    text = sent.text.lower()
    if any(p in text for p in CTA_PHRASES):
        return True
    if "?" not in text:
        return False
    if any(t.lower_ == "did" or (t.tag_ == "VBD" and t.dep_ == "ROOT") for t in sent):
        return False
    lemmas = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    return bool(lemmas & (CTA_WORDS | MODALS)) or len([t for t in sent if t.is_alpha]) <= 4


def has_price(text: str) -> bool:
    return bool(_PRICE_RE.search(text))


REQUEST_MARKERS = ("?", "please", "would you", "could you", "can you", "will you", "i'd appreciate",
                   "i would appreciate", "would be great if", "if you could", "would mean a lot", "would love it if",
                   "would love for you", "feel free to", "don't forget to", "do check", "go check")


def _promote_asks(sig: Signals, sender_names: list[str]) -> list["Span"]:
    """Requests to look at, try, share, star or give feedback on the sender's own work."""
    verbs = phrases.words("self_centred", "promote_verbs")
    objects = [o.lower() for o in phrases.data()["self_centred"]["promote_objects"]] + sender_names
    feedback = phrases.words("self_centred", "feedback")
    found: list[Span] = []
    for sent in sig.sentences:
        low = sent.text.lower()
        first = next((t for t in sent if t.is_alpha), None)
        imperative = first is not None and first.tag_ == "VB" and first.dep_ == "ROOT"
        if not (imperative or any(m in low for m in REQUEST_MARKERS)):
            continue
        for tok in sent:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in verbs:
                continue
            tail = " ".join(t.lower_ for t in tok.subtree if t.i > tok.i)
            if any(tail.startswith(o) or f" {o}" in f" {tail}" for o in objects if o):
                found.append(sent)
                break
            if tok.lemma_.lower() in ("try", "test", "review") and sig.offers and any(
                    t.lower_ in ("it", "us", "out") for t in tok.subtree if t.i > tok.i):
                found.append(sent)
                break
        else:
            if any(t.lemma_.lower() in feedback for t in sent) and (
                    any(t.lower_ in ("my", "our") for t in sent) or (sig.offers and " it" in low)):
                found.append(sent)
    return [s for s in found if not sig.in_quotes(s.start_char, s.end_char)]
