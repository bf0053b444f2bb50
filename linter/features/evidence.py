"""Evidence of research: specific facts about the recipient or their work, anchored on them.

Research is a specific thing (a named thing, a number, a date, a topic of two or more content words, a quoted
title) that belongs to the recipient: possessed by them ("your talk at PyCon on packaging"), done by them ("you
posted a checklist for Terraform upgrades"), or taken in by the sender ("I watched the recording of your March 3
workshop", "I read the essay on your blog about leaving consulting"); news about them ("congrats on the Series A"); a named
person who links the two; their own words quoted; an earlier exchange with them. Merge-field facts (their name,
company, title, school, location) are not research: "I see you're CTO at Brightkeel" is `merge_mentions`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import phrases, vocab
from . import Situation, feature, lemmas, lowers, per_doc, span_text, span_tokens, stored, tokens
from .clauses import possessor
from .text import has_placeholder, in_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

TOPIC_PREPS = {"on", "about", "at", "in", "for", "with", "from", "of", "regarding", "around", "comparing",
               "arguing", "showing", "explaining", "listing", "asking", "describing", "suggesting", "saying",
               "claiming", "covering", "where", "that", "which", "when", "how", ":", "-", "—"}
MERGE_VERBS = {"be", "work", "lead", "run", "head", "go", "study", "attend", "live", "base", "serve", "manage",
               "graduate", "own", "hold"}
THANKS = {"thank", "thanks", "props"} | vocab.words("grammar", "congrats")
GENERIC_THANKS = {"time", "connection", "connect", "consideration", "attention", "reply", "response", "patience",
                  "help", "support", "request", "invite", "invitation", "network", "role", "job", "position",
                  "promotion", "anniversary", "birthday", "news", "milestone", "achievement", "success", "work",
                  "project", "repo", "effort", "contribution", "contributions", "interest", "message", "note",
                  "reaching", "accepting", "add", "adding", "follow", "everything", "all", "it", "this", "that"}
SAID = {"say", "write", "tweet", "post", "argue", "mention", "tell", "explain", "claim", "note", "predict", "suggest"}
JOINT_PAST = {"meet", "speak", "talk", "chat", "work", "study", "discuss", "connect", "collaborate", "serve",
              "volunteer", "correspond", "exchange", "catch", "trade", "swap"}
EXCHANGE_NOUNS = {"conversation", "chat", "call", "meeting", "coffee", "talk", "exchange", "discussion", "lunch",
                  "dinner", "interview", "session", "advice", "help", "intro", "introduction", "question",
                  "email", "message", "note", "reply", "response", "suggestion", "feedback", "recommendation",
                  "offer", "invitation", "tip"}


@dataclass(frozen=True)
class Evidence:
    """A piece of research shown in the draft."""

    span: "Span"
    kind: str  # their work, what they did, took in their work, their news, shared connection, quotes them,
    #            an earlier exchange


def _content(tok: "Token") -> bool:
    # spaCy lists spelled numbers as stop words: "your last five deals" is still a count
    return ((not tok.is_stop or tok.like_num and tok.lower_ != "one" and tok.head.lemma_.lower() != "time")
            and not tok.is_punct and not tok.is_space and tok.pos_ in
            ("NOUN", "PROPN", "VERB", "NUM", "ADJ", "X") and tok.lemma_.lower() not in
            vocab.words("nouns", "generic_modifiers") and len(tok.text) > 1)


def _merge_token(tok: "Token", doc: "Doc") -> bool:
    """Their name or company, a location: facts a merge field fills."""
    return stored(doc, "parties").is_recipient(tok) or tok.ent_type_ in ("GPE", "LOC", "NORP")


def specific(tokens: list["Token"], doc: "Doc") -> bool:
    """A named thing, a number or date, or two content words that are not generic or merge fields."""
    content = [t for t in tokens if _content(t) and not _merge_token(t, doc)
               and t.lemma_.lower() not in vocab.words("nouns", "generic_possessions")]
    return _named(content, doc) or len({t.lemma_.lower() for t in content}) >= 2


def _named(tokens: list["Token"], doc: "Doc") -> bool:
    """A name, a number or a date among the tokens (not a merge field): "on the Latinas in Tech podcast"."""
    return any(_content(t) and not _merge_token(t, doc) and (t.pos_ == "PROPN" or t.like_num or t.ent_type_ in (
        "DATE", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW")) for t in tokens)


def _phrase_with_topic(doc: "Doc", head: "Token", limit: int = 10) -> list["Token"]:
    """A noun's own modifiers plus what the parse hangs on it after it ("your comment under Ana's post about
    ...", "your tender on the municipal portal (ref. 2024-118)"), or, when the parse hangs nothing there, what
    follows it when that is a topic ("on why Helm templates get ..."). Not a conjunct ("your post and our
    tool") nor a clause the sender acts in ("your profile, which I found while hiring for ...")."""
    sent = head.sent
    start = head.left_edge.i
    tokens = list(doc[start:head.i + 1])
    sender = vocab.words("pronouns", "sender")
    kept = [c for c in head.children if c.i > head.i and c.dep_ not in ("conj", "cc", "punct") and not (
        c.dep_ in ("relcl", "acl") and any(s.dep_ in ("nsubj", "nsubjpass") and s.lower_ in sender
                                           for s in c.children))] if _stated(head, doc) else []
    right = [t for c in kept for t in c.subtree]
    if right:
        return tokens + sorted(right, key=lambda t: t.i)[:limit]
    nxt = head.i + 1
    if nxt < sent.end and (doc[nxt].lower_ in TOPIC_PREPS or doc[nxt].tag_ in ("VBG", "VBN", "VBD")
                           or doc[nxt].dep_ == "relcl"):
        tokens += list(doc[nxt:min(sent.end, nxt + limit)])
    return tokens


def _theirs(tok: "Token", doc: "Doc") -> bool:
    """A noun phrase that belongs to the recipient: "your X", "X's" for their name or company, "the X you wrote"."""
    if possessor(tok) == "recipient":
        return True
    start = tok.left_edge.i
    for i in _possessive_indices(doc):
        if start <= i < tok.i and stored(doc, "parties").is_recipient(doc[i]):
            return True
    for child in tok.children:  # "the cheatsheet you shared", not "a product you might like"
        if child.dep_ == "relcl" and child.lemma_.lower() in vocab.words("verbs", "their_work") and not any(
                a.lower_ in vocab.words("grammar", "modals") for a in child.children) and any(
                s.lower_ in vocab.words("pronouns", "recipient") and s.dep_ in ("nsubj", "nsubjpass")
                for s in child.children):
            return True
    return False


def _possessive_indices(doc: "Doc") -> list[int]:
    """Indices of the tokens the parse marks possessive ("poss"), found once per Doc."""
    return per_doc(doc, "poss", lambda d: [t.i for t in tokens(d) if t.dep_ == "poss"])


def _about_theirs(tok: "Token", doc: "Doc") -> bool:
    """ "the slides of your workshop", "the essay on your blog about your move to Lisbon"."""
    return _theirs(tok, doc) or any(t.lower_ in vocab.words("pronouns", "recipient_possessive") or
                                    t.dep_ == "poss" and stored(doc, "parties").is_recipient(t)
                                    for t in tok.subtree if t.i > tok.i)


def _clause_of_verb(doc: "Doc") -> dict[int, object]:
    """The (first) clause of each verb, by the verb's index."""
    out: dict[int, object] = {}
    for c in stored(doc, "clauses"):
        out.setdefault(c.verb.i, c)
    return out


def _stated(tok: "Token", doc: "Doc") -> bool:
    """The clause this token sits in states something: not a request, question, wish, supposition or denial
    ("book your free assessment", "can we count on your gift", "I hope your loved ones are well")."""
    verb = tok.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):  # a fragment with no verb parsed: "Your company's tender on ..."
        return not span_text(verb.sent).rstrip().endswith("?")
    clause = per_doc(doc, "clause_of_verb", _clause_of_verb).get(verb.i)
    if clause is None or clause.role == "imperative" or clause.modal or clause.question or clause.negated:
        return False
    return not (_supposed(verb) or verb.head.lemma_.lower() in vocab.words("verbs", "suppose"))


def _supposed(verb: "Token") -> bool:
    """The clause is a supposition: "if you shipped it", "unless your team ...", "whether you ..."."""
    return any(a.dep_ == "mark" and a.lower_ in ("if", "unless", "whether") for a in verb.children)


def _told_possession(tok: "Token", doc: "Doc") -> bool:
    """A noun of theirs outside the seed list of work nouns that a statement is about ("three of your last
    five deals are ...", "your company's tender on the municipal portal asks for ..."): the subject of a
    stated clause, not a generic possession, nothing of the sender's in it ("your enquiry about our course")."""
    if possessor(tok) != "recipient" or tok.pos_ != "NOUN" or {tok.lemma_.lower(), tok.lower_} & vocab.words(
            "nouns", "generic_possessions", "ventures"):
        return False
    subject = tok
    while subject.dep_ in ("pobj", "prep") and subject.head.i != subject.i:
        subject = subject.head  # "three of your deals"
    if subject.dep_ not in ("nsubj", "nsubjpass", "ROOT") or not _stated(subject, doc):
        return False
    return not any(t.lower_ in vocab.words("pronouns", "sender", "sender_possessive") for t in tok.subtree)


def _their_work(doc: "Doc") -> list[Evidence]:
    out = []
    work = vocab.words("nouns", "work")
    clauses = stored(doc, "clauses")
    for tok in tokens(doc):
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
            continue
        if not _theirs(tok, doc) or possessor(tok) not in ("recipient", None):
            continue
        if possessor(tok) is None and not any(c.dep_ == "relcl" for c in tok.children) and \
                tok.lemma_.lower() not in work:
            continue
        made = any(c.dep_ == "relcl" and c.lemma_.lower() in vocab.words("verbs", "their_work") for c in tok.children)
        # anything of theirs that is not a merge field or a generic possession is their work ("your last five
        # deals", "your company's tender"): the list of work nouns is a seed, not the test
        is_work = tok.lemma_.lower() in work or made or _told_possession(tok, doc)
        phrase = _phrase_with_topic(doc, tok) if is_work else list(doc[tok.left_edge.i:tok.i + 1])
        if any(c.role == "recipient" and c.subject is not None and c.subject.lower_ == "you" and c.verb.lemma_.lower()
               in MERGE_VERBS and c.verb.i in {t.i for t in phrase} and c.verb.i > tok.i for c in clauses):
            continue  # "your profile, that you work at X": a merge-field fact
        # the name of a venture of theirs is a merge field ("your startup, Acme"); the title or venue of a piece
        # of their work is what the sender looked up ("your Droidcon talk ('Killing the splash screen')")
        own_name = {t.i for t in doc[tok.left_edge.i:tok.i + 1] if t.pos_ == "PROPN" or t.is_quote} | {
            t.i for c in tok.children if c.dep_ == "appos" for t in c.subtree} \
            if tok.lemma_.lower() in vocab.words("nouns", "ventures") or tok.pos_ == "PROPN" else set()
        detail = [t for t in phrase if t.i not in own_name and (t.like_num or t.ent_type_ in (
            "DATE", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "TIME", "MONEY", "PERCENT", "QUANTITY")
            or t.pos_ == "PROPN" and t.ent_type_ != "ORG")]
        fragment = tok.dep_ == "ROOT" and tok.pos_ == "NOUN"  # no verb parsed: "Your booking page 404s from ..."
        if (tok.dep_ in ("nsubj", "nsubjpass") and not tok.head.lemma_.lower() in ("be", "look", "seem", "sound")
                or fragment) and possessor(tok) == "recipient" and any(c.dep_ == "compound" for c in tok.children):
            head = tok if fragment else tok.head
            predicate = [t for t in head.subtree if t.i > head.i][:10]
            if specific(predicate, doc):  # "Your checkout page times out at the shipping step on Safari"
                out.append(Evidence(doc[tok.left_edge.i:max(t.i for t in predicate) + 1], "their work"))
                continue
        topic = [t for t in phrase if t.i not in own_name]
        tail = [t for t in phrase if t.i > tok.i]
        named_topic = bool(tail) and tail[0].lower_ in TOPIC_PREPS and any(
            t.pos_ in ("NOUN", "PROPN") and _content(t) and len(t.text) > 3 and not _merge_token(t, doc)
            and t.lemma_.lower() not in vocab.words("nouns", "generic_possessions") for t in tail[1:])
        if is_work and (specific(topic, doc) or named_topic) or specific(detail, doc):
            span = doc[min(t.i for t in phrase):max(t.i for t in phrase) + 1]
            out.append(Evidence(span, "their work"))
    return out


def _what_they_did(doc: "Doc") -> list[Evidence]:
    """ "you wrote that X", "when you posted a checklist for Terraform upgrades", "you got promoted to CMO"."""
    out = []
    their_work = vocab.words("verbs", "their_work")
    for c in doc._.clauses:
        if c.role != "recipient" or c.modal or c.question and c.tense != "past" or c.negated:
            continue
        verb = c.verb
        if c.tense == "future" or verb.lemma_.lower() in MERGE_VERBS:
            continue
        # the verb list is a seed: any deed of theirs told as done or under way counts ("your team rebuilt the
        # payout service in Rust last quarter"), not a habit or a state ("you help founders grow")
        done = (c.tense == "past" or c.perfect) and not any(a.dep_ == "auxpass" for a in verb.children) and \
            verb.head.lemma_.lower() not in vocab.words("verbs", "suppose")  # "I think you've been slammed"
        if verb.lemma_.lower() not in their_work and not (done and verb.pos_ == "VERB" and verb.lemma_.lower()
                                                          not in vocab.words("verbs", "contact")):
            continue
        if verb.tag_ == "VB" and not any(a.lower_ in ("did", "do") for a in verb.children):
            continue  # "you can build", "if you want to write"
        if _supposed(verb):
            continue  # "if you shipped it"
        objects = [t for t in verb.subtree if t.i > verb.i][:12]
        if any(k.dep_ in ("dobj", "prep", "dative") and (possessor(k) == "sender" or k.lower_ in vocab.words(
                "pronouns", "sender")) for k in verb.children):
            continue  # "you accepted my invitation", "you downloaded our guide": the sender's side of it
        if objects and specific(objects, doc):
            out.append(Evidence(doc[c.subject.i if c.subject is not None and c.subject.i < verb.i else verb.i:
                                    max(t.i for t in objects) + 1], "what they did"))
    return out


def _took_in(doc: "Doc") -> list[Evidence]:
    """The sender read/watched/used/noticed something of theirs, or something specific about them."""
    out = []
    perceive = vocab.words("verbs", "perceive")
    for c in doc._.clauses:
        if c.role not in ("sender",) or c.verb.lemma_.lower() not in perceive or c.negated or c.tense == "future":
            continue
        verb = c.verb
        if c.modal or verb.lemma_.lower() == "look" and any(t.lower_ == "forward" for t in verb.children):
            continue  # "I'd love to hear your take" wishes; "I look forward to" is not looking at their work
        if verb.lemma_.lower() == "look" and any(t.lower_ == "for" for t in verb.children):
            continue  # "we're looking for you to give a talk"
        objects = [t for k in verb.children if k.dep_ in ("dobj", "prep", "ccomp", "xcomp", "attr", "prt", "advcl")
                   and k.i > verb.i for t in k.subtree]
        direct = [k for k in verb.children if k.dep_ == "dobj"]
        heard_them = bool(direct) and direct[0].lower_ in vocab.words("pronouns", "recipient")
        if heard_them and not any(k.dep_ in ("ccomp", "xcomp") for k in verb.children):
            # "I found you through a colleague", "I noticed you on LinkedIn": them, not their work; but where
            # the sender heard or saw them is research when it is specific ("I heard you on the Latinas in
            # Tech podcast (episode 42)", "I saw you at PyCon")
            where = [t for k in verb.children if k.dep_ == "prep" and k.i > verb.i for t in k.subtree]
            if where and _named(where[:14], doc) and not any(
                    t.lower_ in vocab.words("nouns", "platforms") for t in where):
                out.append(Evidence(doc[verb.i:max(t.i for t in where[:14]) + 1], "took in their work"))
            continue
        if any(o.role == "recipient" and o.verb.lemma_.lower() in MERGE_VERBS for o in stored(doc, "clauses")
               if o.verb in objects):
            continue  # "I saw that you studied economics": a merge-field fact
        said = {t.i for k in objects if k.dep_ == "ccomp" and k.lemma_.lower() in SAID and (heard_them or any(
            s.dep_ == "nsubj" and s.lower_ in vocab.words("pronouns", "recipient") for s in k.children))
            for t in k.subtree}  # "I heard you say you'd back ...": their words, not the sender's guess
        if any(t.lower_ in vocab.words("grammar", "modals") and t.i not in said for t in objects):
            continue  # "I noticed your team might benefit from...": a projection, not a fact about them
        anchored = any(_about_theirs(t, doc) for t in objects if t.pos_ in ("NOUN", "PROPN")) or any(
            t.lower_ in vocab.words("pronouns", "recipient") for t in objects) or any(
            stored(doc, "parties").is_recipient(t) for t in objects)
        theirs = [t for t in objects if t.pos_ in ("NOUN", "PROPN") and possessor(t) == "recipient"
                  and t.dep_ not in ("nsubj", "nsubjpass")]  # "I saw that your team rebuilt X": the team acts
        if theirs and all(t.lemma_.lower() in vocab.words("nouns", "generic_possessions") and t.lemma_.lower()
                          not in vocab.words("nouns", "work") for t in theirs):
            continue  # "I found your information on the alumni network": nothing of their work
        if objects and anchored and specific(objects[:14], doc):
            out.append(Evidence(doc[verb.i:min(max(t.i for t in objects[:14]) + 1, verb.sent.end)],
                                "took in their work"))
    return out


def _news(doc: "Doc") -> list[Evidence]:
    """ "congrats on the Series A announced today", "thanks for the tip about the makerspace"."""
    out = []
    lemma_of = lemmas(doc)
    for tok in tokens(doc):
        if lemma_of[tok.i] not in THANKS:
            continue
        sent = tok.sent
        for prep in (t for t in doc[tok.i + 1:sent.end] if t.lower_ in ("for", "on", "about")):
            obj = [t for t in prep.subtree if t.i > prep.i][:10]
            if any(t.lower_ in ("my", "our", "me", "us") for t in obj):
                break  # "thanks for bearing with my messages": about the sender
            if obj and obj[0].pos_ == "VERB" and obj[0].lemma_.lower() in ("connect", "accept", "reply", "respond",
                                                                           "add", "have", "take", "reach"):
                break
            if specific([t for t in obj if t.lemma_.lower() not in GENERIC_THANKS], doc):
                out.append(Evidence(doc[tok.i:obj[-1].i + 1], "their news" if tok.lemma_.lower() != "thank"
                                    else "an earlier exchange"))
                break
    return out


def _shared_people(doc: "Doc") -> list[Evidence]:
    """A named person (not the recipient or the sender) in a sentence about how the two are linked."""
    out = []
    link_words = vocab.words("nouns", "link_words")
    link_people = vocab.words("nouns", "link_people")
    parties = doc._.parties
    for sent in doc._.sentences:
        people = [e for e in sent.ents if e.label_ == "PERSON" and not any(
            parties.is_recipient(t) or parties.is_sender(t) for t in e)]
        # the small model misses many names: a proper-noun run that a linking verb or a linking person governs
        for tok in span_tokens(sent):
            if tok.pos_ == "PROPN" and tok.ent_type_ in ("", "PERSON") and tok.text[:1].isupper() and not (
                    parties.is_recipient(tok) or parties.is_sender(tok)) and tok.dep_ != "compound" and (
                    tok.head.lemma_.lower() in link_words and tok.dep_ in ("dobj", "nsubj", "pobj")
                    or any(c.lemma_.lower() in link_people and c.i < tok.i for c in tok.children)
                    or tok.dep_ == "appos" and tok.head.lemma_.lower() in link_people and tok.head.i < tok.i):
                run = doc[tok.left_edge.i:tok.i + 1] if all(t.pos_ == "PROPN" for t in
                                                            doc[tok.left_edge.i:tok.i + 1]) else doc[tok.i:tok.i + 1]
                people.append(run)
        for person in people:
            if has_placeholder(doc, sent) or person.text.isupper():
                break
            if any(t.lower_ in link_people or t.lower_ in link_words for t in person):
                continue  # "AWS Advanced Tier Partner" is a title, not someone who links them
            near = doc[max(sent.start, person.start - 6):min(sent.end, person.end + 6)]
            mine_only = any(t.lower_ == "my" and t.head.lemma_.lower() in link_people for t in near) and not any(
                t.lower_ in ("your", "both", "mutual") for t in span_tokens(sent))
            if mine_only:
                continue  # "my friend Jen": the sender's friend, not someone who links them
            if any(t.lemma_.lower() in link_words or t.lower_ in link_people for t in near):
                out.append(Evidence(person, "shared connection"))
                break
    return out


def _quotes_them(doc: "Doc") -> list[Evidence]:
    out = []
    for start, end in doc._.quoted:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) < 3 or " " not in doc._.text[start:end].strip("\"' "):
            continue  # a one-word quote is a name or a domain ("nest-expressed.com"), not their words
        said = any(c.role == "recipient" and c.verb.lemma_.lower() in ("say", "write", "put", "call", "describe",
                                                                       "tweet", "post", "argue", "tell", "note")
                   and c.sentence == span.sent for c in stored(doc, "clauses"))
        before = doc[max(span.sent.start, span.start - 3):span.start]
        if said or any(t.lower_ in ("your", "you") for t in before):
            out.append(Evidence(span, "quotes them"))
    return out


def _exchanges(doc: "Doc") -> list[Evidence]:
    """An earlier exchange: "when we met at", "you asked about", "thank you for meeting with me"."""
    out = []
    for c in doc._.clauses:
        verb, lemma = c.verb, c.verb.lemma_.lower()
        sent = verb.sent
        words = set(lowers(doc)[sent.start:sent.end])
        if words & {"never", "not", "n't"} and lemma in ("meet", "speak", "talk", "know") or c.negated:
            continue  # "we've not met before"
        third = [t for p in verb.children if p.dep_ == "prep" and p.lower_ in ("to", "with") for t in p.subtree
                 if t.pos_ == "PROPN" and not stored(doc, "parties").is_recipient(t)]
        if c.role == "sender" and c.tense == "past" and lemma in JOINT_PAST and not third and (
                c.subject is not None and c.subject.lower_ == "we" or words & {"you", "your"} and
                any(t.lower_ == "with" for t in verb.children)):
            out.append(Evidence(doc[verb.i:verb.i + 1], "an earlier exchange"))
        elif c.role == "recipient" and c.tense == "past" and lemma in ("ask", "mention", "say", "tell", "suggest",
                                                                      "request", "invite", "offer", "describe"):
            told_us = any(t.lower_ in ("me", "us") for t in verb.subtree)
            # "the audit you mentioned": a thing of theirs they raised with the sender (not "in your post")
            raised = verb.dep_ == "relcl" and not any(k.dep_ == "prep" for k in verb.children)
            if told_us or raised:
                out.append(Evidence(doc[verb.head.i:verb.i + 1] if raised else doc[verb.i:verb.i + 1],
                                    "an earlier exchange"))
    lemma_of = lemmas(doc)
    for tok in tokens(doc):
        if lemma_of[tok.i] in EXCHANGE_NOUNS and any(t.dep_ == "poss" and t.lower_ in ("our",)
                                                        for t in tok.children):
            if any(t.lower_ in ("after", "following", "since", "from", "during", "in", "enjoyed", "about", "per",
                                "thanks", "yesterday", "last")
                   for t in doc[max(tok.sent.start, tok.i - 4):tok.i + 3]):
                out.append(Evidence(doc[tok.i - 1:tok.i + 1], "an earlier exchange"))
        if lemma_of[tok.i] in EXCHANGE_NOUNS and possessor(tok) == "recipient" and any(
                t.lower_ in ("last", "yesterday", "earlier", "again", "the", "for") for t in
                doc[max(tok.sent.start, tok.i - 4):tok.i]):  # "thanks for your advice last week"
            out.append(Evidence(doc[tok.i - 1:tok.i + 1], "an earlier exchange"))
    return out


@feature("relationship")
def relationship(doc: "Doc", situation: Situation) -> list["Span"]:
    """Lines that show the two already know each other (phrase list and earlier-exchange clauses)."""
    modals = vocab.words("grammar", "modals")
    spans = [s for s in phrases.find(doc, "relationship", situation.config.phrases.get("relationship", ()))
             if not in_quotes(doc, s.start_char, s.end_char)
             and not any(t.lower_ in modals or t.lower_ == "hope" for t in doc[s.sent.start:s.start])]
    # ("it would be great to meet you" looks forward: it is not an earlier meeting)
    spans += [e.span for e in _exchanges(doc)]
    return sorted({s.start: s for s in spans}.values(), key=lambda s: s.start)


@feature("evidence")
def evidence(doc: "Doc", situation: Situation) -> list[Evidence]:
    found = [*_their_work(doc), *_what_they_did(doc), *_took_in(doc), *_news(doc), *_shared_people(doc),
             *_quotes_them(doc)]
    for span in doc._.relationship:  # an earlier exchange counts when the draft says something specific about it
        rest = [t for t in span.sent if not span.start <= t.i < span.end and t.ent_type_ not in ("DATE", "TIME")
                and t.lower_ not in ("me", "us", "my", "our")]
        if specific(rest, doc):
            found.append(Evidence(span.sent, "an earlier exchange"))
    fake = {s.sent.start for s in phrases.find(doc, "fake_hook", situation.config.phrases.get("fake_hook", ()))}
    out = []
    for ev in found:
        if has_placeholder(doc, ev.span.sent) or in_quotes(doc, ev.span.start_char, ev.span.end_char) and \
                ev.kind != "quotes them":
            continue
        if ev.span.sent.start in fake and ev.kind in ("their work", "took in their work"):
            continue  # "I came across your profile and your impressive background": the hook, not research
        out.append(ev)
    return sorted({(e.span.start, e.kind): e for e in out}.values(), key=lambda e: e.span.start)


@feature("merge_mentions")
def merge_mentions(doc: "Doc", situation: Situation) -> list["Span"]:
    """Sentences that only restate merge-field facts: "I see you're CTO at Brightkeel", "you went to Michigan"."""
    out = []
    for c in doc._.clauses:
        if c.role == "recipient" and c.verb.lemma_.lower() in MERGE_VERBS and not c.question and not c.modal:
            objs = [t for t in c.verb.subtree if t.i > c.verb.i]
            if any(t.ent_type_ in ("ORG", "GPE", "FAC") or t.pos_ == "PROPN" for t in objs) or any(
                    t.lemma_.lower() in ("ceo", "cto", "founder", "director", "head", "vp", "manager", "lead")
                    for t in objs):
                out.append(c.verb.sent)
    return out


# How many content lemmas a fact must share with the draft (None: all of the fact's own lemmas).
FACT_OVERLAP = {"about": 3, "shared_groups": None, "interests": None, "education": None}
GENERIC_FACT_LEMMAS = {"team", "company", "work", "business", "people", "year", "time", "new", "great", "good",
                       "thing", "way", "day", "week", "today", "really", "also", "much", "many", "lot", "make",
                       "get", "go", "say", "use", "need", "want", "think", "know", "help", "like", "post",
                       "share", "write", "talk", "article", "role", "job", "well", "first", "last", "next"}


def _content_lemmas(tokens) -> set[str]:
    return {t.lemma_.lower() for t in tokens if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop
            and len(t.text) > 2 and t.lemma_.lower() not in GENERIC_FACT_LEMMAS}


@feature("facts_used")
def facts_used(doc: "Doc", situation: Situation) -> list[str]:
    """Profile fields whose researched facts the draft uses outside its pitch (names by token, text by lemmas)."""
    if situation.profile is None:
        return []
    pitch = {o.sentence.start for o in doc._.offers if o.strength != "soft"}
    tokens = [t for s in doc._.sentences if s.start not in pitch for t in s]
    draft_lemmas = _content_lemmas(tokens) | {t.lower_ for t in tokens if t.is_alpha and len(t) > 2}
    draft_tokens = {t.text for t in tokens}
    used: list[str] = []
    for fact in situation.profile.facts():
        if fact.field in used:
            continue
        if fact.kind == "name":
            parts = [p for p in re.split(r"\s+", fact.text.strip()) if len(p) > 2]
            if any(p in draft_tokens for p in parts):
                used.append(fact.field)
            continue
        fact_doc = situation.fact_docs.get(fact.text)
        if fact_doc is None:
            continue
        lemmas = _content_lemmas(fact_doc)
        overlap = lemmas & draft_lemmas
        need = FACT_OVERLAP.get(fact.field, 1 if len(lemmas) <= 2 else 2)
        if lemmas and len(overlap) >= (len(lemmas) if need is None else need):
            used.append(fact.field)
    return used
