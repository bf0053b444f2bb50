"""Whose message is it: each sentence's focus (the sender, the recipient, both, neither), and the sender-side
signals that make a message self-centred: brags, credentials, the sender's own needs.

A sentence is the sender's when its main clauses have the sender's side as subject (I, we, our platform, the
sender's company, a dropped "I") doing something that is not looking at the recipient ("I saw your talk" looks
at them; "I have ten years of experience" does not), or when it is an offer. It is tied to the recipient when it
names their need, their work or what changes for them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import phrases, vocab
from . import Situation, feature, lemmas, lowers, span_text, span_tokens, stored, tokens
from .clauses import clauses_in, possessor
from .text import body_sentences, in_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

COUNT_BRAG_RE = re.compile(r"\b(?:over|more than|\d[\d,.]*\s*\+|\d[\d,.]*k\+?)\s*(?:\d[\d,.]*\+?\s*)?"
                           r"(?:companies|clients|customers|brands|businesses|teams|users|startups|funds|agencies|"
                           r"firms|members|downloads|stars|installs|projects|organi[sz]ations|subscribers|"
                           r"listeners|readers|followers|candidates|placements|hires|students|engineers)\b", re.I)
TRACK_RECORD_RE = re.compile(
    r"\b(?:we've|we have|i've|i have|we|i)\s+(?:already\s+|successfully\s+|personally\s+)?(?:helped|worked with|"
    r"served|placed|coached|trained|supported|partnered with|advised|delivered|built for|shipped for)\b"
    r"|\b(?:help|helps|helping|helped)\s+[\w-]+(?:\s+[\w-]+)?\s+like (?:yours|you)\b[^.!?\n]*?"
    r"(?:\d+(?:\.\d+)?\s?(?:x|%)|\bin half\b|\bdouble|\btriple)", re.I)
SELF_DESCRIBE = {"be"}
MAIN_DEPS = {"ROOT", "conj", "ccomp", "advcl"}
OFFER_SUBJECTS = {"company", "team", "role", "position", "product", "platform", "startup", "client", "job",
                  "opportunity", "salary", "package", "culture", "it", "they", "this", "firm", "business", "tool",
                  "app", "service", "solution", "agency", "brand", "organisation", "organization", "founder",
                  "founders", "investors", "perks", "benefits", "office", "offices", "technology", "software"}
TRIVIAL_RECIPIENT = {"be", "hope", "let", "like", "want", "find", "hesitate", "mind", "consider", "feel", "get",
                     "know", "see", "have", "need", "wish", "care", "imagine", "guess"}


@dataclass(frozen=True)
class Focus:
    """One sentence's focus."""

    sentence: "Span"
    side: str    # sender, recipient, both, neutral
    tied: bool   # a sender sentence that names the recipient's need or work, or what changes for them


def _outward(c) -> bool:
    """A sender clause that looks at the recipient ("I read your post", "I noticed you..."), not a politeness
    ("I don't want to waste your time")."""
    return c.role == "sender" and not c.negated and c.verb.lemma_.lower() in vocab.words("verbs", "outward") \
        and c.addresses


PROJECTIONS = {"need", "want", "love", "like", "benefit", "enjoy", "appreciate", "find", "save", "get", "see",
               "gain", "make", "increase", "grow", "boost", "help", "give", "let", "allow"}
CONDITIONS = {"if", "unless", "whether", "once", "whenever"}


def _about_them(c) -> bool:
    """A clause about the recipient: their subject doing something real, not a projection of what they would
    want or get from the sender ("you'll need a good GIS tool", "you'd love our app")."""
    if c.role != "recipient":
        return False
    lemma = c.verb.lemma_.lower()
    if c.modal and lemma in PROJECTIONS and not c.question:
        return False
    if any(m.dep_ == "mark" and m.lower_ in CONDITIONS for m in c.verb.children):
        return False  # "if you don't know the podcast yet": a condition, not a fact about them
    return c.owned or lemma not in TRIVIAL_RECIPIENT


WISHES = {"love", "like", "hope", "appreciate", "welcome", "look"}


def _sender_talk(c) -> bool:
    """A sender clause about the sender: not looking at the recipient, not a polite wish ("would love to
    connect", "hope to hear from you")."""
    if c.role != "sender" or _outward(c):
        return False
    if c.subject is not None and c.subject.lower_ == "we" and any(t.lower_ == "both" for t in c.verb.subtree):
        return False  # "we both know Priya": the two of them
    if c.verb.lemma_.lower() == "be" and any(t.dep_ == "acomp" and t.lower_ in ("happy", "glad", "willing", "keen")
                                             for t in c.verb.children):
        return False  # "I'd be glad to share": an offer of help
    wish = c.verb.lemma_.lower() in WISHES and (c.modal or c.subject is None or c.verb.lemma_.lower() in (
        "hope", "look"))
    return not wish


def _tied(doc: "Doc", sent: "Span", cls) -> bool:
    need = vocab.words("nouns", "need")
    for c in cls:
        if c.role != "sender" or not c.addresses:
            continue
        objects = [t for t in c.verb.subtree if t.i > c.verb.i]
        if any(t.lemma_.lower() in need for t in objects) or any(
                t.lower_ in ("your", "yours") and t.head.lemma_.lower() not in
                vocab.words("nouns", "generic_possessions") | {"time", "inbox", "radar", "network", "calendar"}
                for t in objects):
            return True
        if c.verb.lemma_.lower() in vocab.words("verbs", "offer") and any(t.lower_ == "you" for t in objects):
            return any(t.lemma_.lower() in need | vocab.words("verbs", "benefit") for t in objects)
    return False


@feature("focus")
def focus(doc: "Doc", situation: Situation) -> list[Focus]:
    """Each body sentence's side, judged by what its main clauses do:

    - an offer sentence is the sender's (both only when it names the recipient's own need or work);
    - a request is judged as a request: neutral, except an ask to spend time on the sender's work or ends
      (promote, favour), which is the sender's;
    - chasing lines and pleasantries are neutral;
    - the sender's company or product described in the third person, or "it" after the sender's offer, is the
      sender's; projections ("you'll need a good tool") and conditions ("in case you don't know us") are not
      about the recipient."""
    offers = [o for o in doc._.offers if o.strength != "soft"]
    offer_sents = {o.sentence.start for o in offers}
    selling = bool(offer_sents) or any(a.kind in ("promote", "demo", "buy", "apply") for a in doc._.asks)
    ask_sents = {a.sentence.start: a for a in doc._.asks}
    chasing = {s.sent.start for s in doc._.chases} | {s.sent.start for s in doc._.opt_outs}
    first_offer = min(offer_sents | {a.sentence.start for a in doc._.asks if a.kind == "promote"}, default=None)
    out = []
    for sent in body_sentences(doc):
        if in_quotes(doc, sent.start_char, sent.end_char):
            continue
        cls = [c for c in clauses_in(doc, sent) if c.verb.dep_ in MAIN_DEPS or c.verb.head == c.verb]
        words = set(lowers(doc)[sent.start:sent.end])
        theirs = bool(words & {"you", "your", "yours"})
        describes_offer = selling and any(
            c.role == "other" and c.subject is not None and not c.addresses and (
                c.subject.lemma_.lower() in OFFER_SUBJECTS - {"it", "this", "they"}
                or c.subject.pos_ == "PROPN" and c.subject.ent_type_ != "PERSON" and not theirs
                or c.subject.lower_ in ("it", "this", "they") and first_offer is not None
                and first_offer <= sent.start and not theirs)
            for c in cls)  # "The team is creating cutting-edge tech", "OrderGroove raised $41M", "It is an open..."
        sender = any(_sender_talk(c) for c in cls) or sent.start in offer_sents or describes_offer
        recipient = any(_about_them(c) or _outward(c) for c in cls) or span_text(sent).rstrip().endswith("?") and \
            sent.start not in ask_sents and (theirs or any(c.role == "recipient" for c in cls))
        ask = ask_sents.get(sent.start)
        pleasantry = next((t for t in span_tokens(sent) if t.is_alpha and t.idx >= stored(doc, "greeting").end), None)
        if sent.start in offer_sents:
            recipient = recipient and _tied(doc, sent, cls)
        elif ask is not None:
            # "Could I ask one question?", "I'd love to chat" are asks; "star my repo" serves the sender
            sender, recipient = ask.kind in ("promote", "favour"), False
        elif sent.start in chasing:
            sender = recipient = False  # "following up on my note" is chasing (hard sell), not talk
        elif pleasantry is not None and pleasantry.lemma_.lower() in vocab.words("grammar", "pleasantries") and \
                len([t for t in span_tokens(sent) if t.is_alpha]) <= 8:
            sender = recipient = False  # "Thank you for connecting.", "Hope you're well!"
        side = "both" if sender and recipient else "sender" if sender else "recipient" if recipient else "neutral"
        out.append(Focus(sent, side, side in ("sender", "both") and _tied(doc, sent, cls)))
    return out


def _sender_sentence(doc: "Doc", sent: "Span") -> bool:
    toks = span_tokens(sent)
    words = {t.lower_ for t in toks}
    return bool(words & {"we", "our", "i", "my", "us", "we've", "we're", "i've", "i'm"}) or any(
        stored(doc, "parties").is_sender(t) for t in toks) or any(o.sentence == sent for o in stored(doc, "offers"))


PLACES = {"GPE", "LOC", "NORP", "FAC", "PERSON"}  # "Berlin is the largest city": a fact about a place, not a brag


def _named(tok: "Token") -> bool:
    """A name that can be a company or product (the small model tags some as common nouns, "Brightloop/NN")."""
    return (tok.pos_ == "PROPN" or tok.ent_type_ in ("ORG", "PRODUCT")) and tok.ent_type_ not in PLACES


def _said_of_a_place(span: "Span") -> bool:
    """The brag's noun phrase is set beside, or said of, a place ("Berlin, the largest city", "Berlin is ...")."""
    noun = next((t.head for t in span if t.head.pos_ in ("NOUN", "PROPN") and t.head.i >= span.start), None)
    anchor = _described(noun) if noun is not None else None
    return anchor is not None and anchor.ent_type_ in ("GPE", "LOC", "FAC")


def _described(noun: "Token") -> "Token | None":
    """What a noun phrase describes: the name it is set beside ("Brightloop, the best X") or said of ("Brightloop
    is the best X")."""
    if noun.dep_ == "appos":
        return noun.head
    if noun.dep_ == "attr":
        return next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
    return None


def _ranked(doc: "Doc") -> list["Span"]:
    """A company or product ranked in its own description: "Brightloop, the 2nd best fintech to work for",
    "Hanmoa Books is the largest publisher in Vietnam" (a superlative in a noun phrase set beside a name, or
    said of it), when neither the name nor the phrase is the recipient's ("your brewery Fernhill, the best ...")."""
    parties = stored(doc, "parties")
    rec = vocab.words("pronouns", "recipient", "recipient_possessive")
    out = []
    for tok in tokens(doc):
        if tok.tag_ != "JJS" or tok.head.pos_ not in ("NOUN", "PROPN"):
            continue
        noun = tok.head
        while noun.dep_ == "compound" and noun.head.pos_ in ("NOUN", "PROPN") and noun.head.i > noun.i:
            noun = noun.head  # "the 2nd best tech company": "best" parsed onto "tech"
        anchor = _described(noun)
        if anchor is None or not _named(anchor) or parties.is_recipient(anchor) or any(
                t.lower_ in rec for t in noun.subtree) or any(
                t.lower_ in rec for t in doc[anchor.left_edge.i:anchor.i]):  # "your brewery Fernhill, the best ..."
            continue
        out.append(doc[min(tok.i, noun.left_edge.i):noun.i + 1])
    return out


LOGO_PREPS = {"with", "for", "to", "like", "including", "at", "across", "by", "from"}


def _logos(doc: "Doc") -> list["Span"]:
    """Names dropped as social proof: three or more companies or products listed together after "with", "for",
    "like", "by"... or set beside a noun, in a sentence about the sender ("we've worked with Acme, Brightloop and
    Fernhill", "trusted by ESPN, Amazon, BBC ..."; not "I use Figma, Notion and Linear"), none of
    them the recipient's, in a sentence with no "your" and nothing the recipient does (their own career or customers
    told back to them: "you've worked at Stripe, Plaid and Brex")."""
    parties = stored(doc, "parties")
    out: list["Span"] = []
    theirs = vocab.words("pronouns", "recipient_possessive")
    for sent in doc._.sentences:
        if any(t.lower_ in theirs for t in span_tokens(sent)) or not _sender_sentence(doc, sent) or any(
                c.role == "recipient" for c in clauses_in(doc, sent)):
            continue
        for tok in span_tokens(sent):
            if not _named(tok) or tok.dep_ in ("conj", "appos") and _named(tok.head):
                continue
            names, todo = [tok], [tok]
            while todo:  # "ESPN, Amazon, BBC": a chain of conjuncts and appositions
                kids = [c for c in todo.pop().children if c.dep_ in ("conj", "appos") and (
                    _named(c) or c.pos_ == "PROPN")]  # (the small model tags some brands as places)
                names += kids
                todo += kids
            names.sort(key=lambda t: t.i)
            head = tok.head
            dropped = tok.dep_ == "pobj" and head.lower_ in LOGO_PREPS or tok.dep_ in ("appos", "dep") and \
                head.pos_ in ("NOUN", "VERB")  # "worked with A, B and C", "the following: A, B, C"
            if len(names) >= 3 and dropped and not any(parties.is_sender(n) or parties.is_recipient(n) for n in names):
                out.append(doc[names[0].left_edge.i:names[-1].i + 1])
                break
    return out


COUNT_RE = re.compile(r"^\d[\d,.]*(?:k|m|bn)?\+?$", re.I)
MILESTONE_VERBS = {"hit", "reach", "surpass", "cross", "pass", "top", "exceed", "break"}


def _count(tok: "Token") -> bool:
    """A number that counts something ("50k", "200+", "three"), not a date, a time or a price."""
    return (tok.like_num or bool(COUNT_RE.match(tok.text))) and tok.lower_ != "one" and tok.ent_type_ not in (
        "DATE", "TIME", "MONEY", "PERCENT", "ORDINAL")


def _counted(doc: "Doc") -> list["Span"]:
    """Achievements counted in a sentence about the sender: two or more counted things ("a developer advocate
    with 50k YouTube subscribers, 3 O'Reilly courses and 200+ conference talks"), or one milestone ("my latest
    video just hit 100k views"). Not in a question or a wish, not the recipient's, not units of time or the
    seats of an offer ("3 spots left")."""
    out: list["Span"] = []
    rec = vocab.words("pronouns", "recipient", "recipient_possessive")
    skip = vocab.words("nouns", "time", "not_achievements")
    for sent in doc._.sentences:
        cls = clauses_in(doc, sent)
        own = [c for c in cls if (c.role == "sender" or c.owned and c.subject is not None
                                  and possessor(c.subject) == "sender") and not c.question and not c.modal]
        if not own or span_text(sent).rstrip().endswith("?") or any(c.role == "recipient" for c in cls) or any(
                t.lower_ in rec for t in span_tokens(sent)):
            continue  # ("we tried your trick on our 40k SKUs in 3 languages" tells them what their work did)
        counted = {t.head.i for t in span_tokens(sent) if _count(t) and t.dep_ in ("nummod", "quantmod", "compound")
                   and t.head.pos_ in ("NOUN", "PROPN") and t.head.lower_ not in skip
                   and t.head.lemma_.lower() not in skip}
        milestone = bool(counted) and any(c.verb.lemma_.lower() in MILESTONE_VERBS for c in own)
        if len(counted) >= 2 or milestone:
            out.append(sent)
    return out


def _results_for_others(doc: "Doc") -> list["Span"]:
    """Results claimed for other clients: the sender's side helped someone who is not the recipient change a
    number ("Our POS helped The Copper Pot increase average order value by 23%")."""
    out: list["Span"] = []
    benefit = vocab.words("verbs", "benefit")
    rec = vocab.words("pronouns", "recipient", "recipient_possessive")
    for c in stored(doc, "clauses"):
        if c.question or c.modal or c.negated or c.verb.lemma_.lower() not in ("help", "enable", "allow", "let"):
            continue
        if not (c.role == "sender" or c.subject is not None and possessor(c.subject) == "sender"):
            continue
        tail = [t for t in c.verb.subtree if t.i > c.verb.i]
        if any(t.lower_ in rec for t in tail) or not any(t.lemma_.lower() in benefit for t in tail):
            continue
        if any(t.ent_type_ == "PERCENT" or t.like_num and t.head.lower_ in ("x", "times") or t.lower_ in ("2x", "3x",
               "4x", "5x", "10x") for t in tail):
            out.append(c.sentence)
    return out


def _first_noun(verb: "Token") -> str | None:
    """The lemma of the first noun after a verb in its sentence: whom "helped" or "worked with" is about."""
    return next((t.lemma_.lower() for t in verb.doc[verb.i + 1:verb.sent.end] if t.pos_ in ("NOUN", "PROPN")), None)


def _mutual(verb: "Token") -> bool:
    """ "we've helped each other", "worked with one another": what the two of them did, not a track record."""
    after = [t.lower_ for t in verb.doc[verb.i + 1:min(verb.i + 4, verb.sent.end)]]
    return any(a in ("each", "one") and b in ("other", "another") for a, b in zip(after, after[1:]))


@feature("brags")
def brags(doc: "Doc", situation: Situation) -> list["Span"]:
    """Credentials and brags on the sender's side: awards, client logos, counts, track records (one per
    sentence)."""
    spans = list(phrases.find(doc, "brag", situation.config.phrases.get("brag", ())))
    people = vocab.words("nouns", "link_people")
    for m in [*COUNT_BRAG_RE.finditer(doc._.text), *TRACK_RECORD_RE.finditer(doc._.text)]:
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None and not any(_first_noun(v) in people or _mutual(v) for v in span if v.pos_ == "VERB"):
            spans.append(span)  # (not help given to friends and colleagues: "I've helped two friends move")
    ranked = _ranked(doc)
    spans += ranked + _logos(doc) + _counted(doc) + _results_for_others(doc)
    out, seen = [], set()
    for span in sorted(spans, key=lambda s: s.start_char):
        sent = span.sent
        if sent.start in seen or in_quotes(doc, span.start_char, span.end_char):
            continue
        if span[-1].lower_ == "like" and (span.end >= len(doc) or doc[span.end].pos_ != "PROPN"
                                          or doc[span.end].text[:1] in "[{<%*"):
            continue  # "clients like Acme" names logos; "brands like yours" does not
        before = {t.lower_ for t in doc[max(sent.start, span.start - 3):span.start]}
        if _said_of_a_place(span):
            continue  # "Berlin is the largest city I've run a meetup in"
        if "your" in before or span not in ranked and not _sender_sentence(doc, sent) and not any(
                c.role == "other" and c.subject is not None and _named(c.subject) for c in clauses_in(doc, sent)):
            continue
        seen.add(sent.start)
        out.append(span)
    return out


@feature("credentials")
def credentials(doc: "Doc", situation: Situation) -> list["Span"]:
    """The sender describing their own qualifications: "I'm a product designer with ten years of experience",
    "my background in signal processing", "I have worked with startups and banks"."""
    creds = vocab.words("nouns", "credentials")
    role_words = {"designer", "developer", "engineer", "recruiter", "founder", "student", "graduate", "manager",
                  "consultant", "expert", "specialist", "writer", "marketer", "researcher", "scientist", "analyst",
                  "coach", "professional", "freelancer", "director", "producer", "leader", "owner", "entrepreneur",
                  "teacher", "programmer", "architect", "major", "intern", "candidate", "fan", "reader", "user",
                  "member", "alum", "alumnus", "blogger", "creator", "partner", "representative", "ceo", "cto",
                  "cofounder", "co-founder", "head", "vp", "lead", "officer", "advisor", "adviser", "junior",
                  "senior"}
    out = []
    for c in doc._.clauses:
        if c.role != "sender" or c.question or in_quotes(doc, c.verb.idx, c.verb.idx + 1):
            continue
        verb, lemma = c.verb, c.verb.lemma_.lower()
        objects = [t for t in verb.subtree if t.i > verb.i]
        if lemma == "be" and any(t.dep_ == "attr" and t.lemma_.lower() in role_words for t in verb.children):
            out.append(verb.sent)
        elif lemma == "have" and any(t.lemma_.lower() in creds for t in objects):
            out.append(verb.sent)
        elif lemma in ("work", "spend", "program", "code", "build", "serve", "teach", "lead", "manage") and \
                c.tense == "past" and any(t.like_num or t.lower_ in ("years", "decade", "decades") for t in objects):
            out.append(verb.sent)
    lemma_of, lower_of = lemmas(doc), lowers(doc)
    for tok in tokens(doc):
        if lemma_of[tok.i] in creds and possessor(tok) == "sender" and not in_quotes(doc, tok.idx, tok.idx + 1):
            out.append(tok.sent)
        elif lower_of[tok.i] in ("years", "yrs", "decades") and any(c.like_num or c.text.rstrip("+").isdigit()
                                                               for c in doc[max(tok.sent.start, tok.i - 3):tok.i]) \
                and not any(t.lower_ in ("you", "your", "ago") for t in tok.sent):
            out.append(tok.sent)  # "12 years in payroll operations", "15 years of experience"
    return sorted({s.start: s for s in out}.values(), key=lambda s: s.start)


@feature("sender_needs")
def sender_needs(doc: "Doc", situation: Situation) -> list["Span"]:
    """The sender's own wants: "we're looking for", "I'm seeking the opportunity to", "my dream job", and the
    sender's gain given as a request's purpose ("so I can show it on my profile")."""
    out = [s.sent for s in phrases.find(doc, "sender_need", situation.config.phrases.get("sender_need", ()))]
    seek = vocab.words("verbs", "seek")
    job = vocab.words("nouns", "job") | {"internship", "internships", "jobs", "work", "employment", "degree",
                                         "program", "programme", "phd", "mentor", "funding", "investment"}
    for c in doc._.clauses:
        if c.role == "sender" and c.modal and not c.negated and not c.addresses and any(
                m.lower_ in ("so", "that") and m.dep_ == "mark" for m in c.verb.children) and not any(
                t.lower_ in ("both", "each", "together", "all") for t in c.verb.subtree):  # not "so we both gain"
            out.append(c.verb.sent)  # what the ask is for: "... so I can display the project on my profile"
        if c.role == "sender" and c.verb.lemma_.lower() in seek and not c.question and not c.negated:
            objects = [t for t in c.verb.subtree if t.i > c.verb.i]
            if any(t.lemma_.lower() in job for t in objects) and not any(
                    t.lower_ in ("your", "you") for t in objects):
                out.append(c.verb.sent)
    return sorted({s.start: s for s in out if not in_quotes(doc, s.start_char, s.end_char)}.values(),
                  key=lambda s: s.start)
