"""Pressure in a message: nags, references to unanswered earlier messages (chasing), urgency, scripted openers,
and the easy exits that take pressure off ("if the timing's off, no worries").

An exit is recognised from the phrase list and from the parse: a conditional that names the recipient's lack of
interest, time or fit ("if this isn't a priority", "if you're not the right person") beside a reassurance or the
sender's promise to stop ("no worries", "I won't follow up", "feel free to ignore this").
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import phrases
from . import Situation, feature, lemmas, lowers, span_text, span_tokens, span_words, tokens
from .clauses import clauses_in
from .text import in_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

CHASE_NOUNS = {"message", "email", "note", "mail", "inmail", "invite", "invitation", "request", "voicemail",
               "letter", "proposal", "reply", "response", "outreach", "messaging", "follow-up", "followup",
               "reminder", "nudge", "ping"}
ORDINALS = {"second", "third", "fourth", "fifth", "2nd", "3rd", "4th", "5th", "double", "another", "again"}
CHASE_MODS = {"last", "previous", "earlier", "prior", "original", "first", "other", "below"}
CHASE_VERBS = {"follow": {"up"}, "circle": {"back"}, "bump": {"up", "this", "it", "my"}, "check": {"in"},
               "touch": {"base"}, "nudge": None, "ping": None, "chase": None, "resurface": None, "float": None,
               "revisit": None, "reach": {"out"}}
PRIOR = {"again", "before", "times", "twice", "previously", "earlier", "already"}
EXIT_CONDITIONS = {"interest", "interested", "time", "timing", "priority", "relevant", "fit", "busy", "useful",
                   "helpful", "right", "good", "now", "moment", "person", "thing", "focus", "need", "budget",
                   "appetite", "bandwidth", "capacity", "ready", "match", "applicable", "worth", "care", "want",
                   "like", "prefer", "rather"}
REASSURE = {"worry", "worries", "problem", "pressure", "fine", "ok", "okay", "understand", "understandable",
            "totally", "completely", "ignore", "stop", "leave", "delete", "skip", "disregard", "alright",
            "cool", "good", "respect", "forget", "drop", "bother", "follow", "chase", "pester", "message",
            "email", "reach", "ping", "hear", "say", "tell", "reply", "close"}


def _phrase(doc: "Doc", situation: Situation, label: str) -> list["Span"]:
    return [s for s in phrases.find(doc, label, situation.config.phrases.get(label, ()))
            if not in_quotes(doc, s.start_char, s.end_char)]


@feature("nags")
def nags(doc: "Doc", situation: Situation) -> list["Span"]:
    """Guilt, pressure and break-up lines ("just bumping this", "did you see my last message?")."""
    return _phrase(doc, situation, "nag")


def sends_a_reminder(tok: "Token") -> bool:
    """ "send you a follow up", "drop you a reminder": a message about the earlier message."""
    doc = tok.doc
    return lemmas(doc)[tok.i] in ("send", "drop") and any(
        t.lemma_.lower() in ("follow-up", "followup", "reminder", "nudge") or t.lower_ == "follow"
        for t in doc[tok.i + 1:tok.i + 5])


def chase_only(doc: "Doc") -> bool:
    """A chase and nothing else: a reference to an unanswered message, with no research, nothing offered and no
    question about them (the whole message exists to chase)."""
    if not doc._.chases or doc._.evidence or doc._.offers:
        return False
    asked = {a.sentence.start for a in doc._.asks}
    return not any(span_text(s).rstrip().endswith("?") for s in doc._.sentences if s.start not in asked)


@feature("chases")
def chases(doc: "Doc", situation: Situation) -> list["Span"]:
    """References to an earlier message the recipient has not answered: "following up on my note",
    "my previous email", "I reached out last week", "circling back"."""
    out = []
    lemma_of = lemmas(doc)
    for tok in tokens(doc):
        if in_quotes(doc, tok.idx, tok.idx + len(tok)):
            continue
        lemma = lemma_of[tok.i]
        if lemma in CHASE_NOUNS and tok.pos_ == "NOUN" and (
                any(c.lower_ in CHASE_MODS for c in tok.children) and any(
                c.dep_ == "poss" and c.lower_ in ("my", "our") or c.lower_ in ("the", "my") for c in tok.children)):
            out.append(doc[tok.left_edge.i:tok.i + 1])
        elif lemma in CHASE_VERBS and tok.pos_ == "VERB" and tok.i + 1 < len(doc) and (
                CHASE_VERBS[lemma] is None or doc[tok.i + 1].lower_ in CHASE_VERBS[lemma]) and (
                lemma != "reach" or tok.tag_ in ("VBD", "VBN") and any(t.lower_ in PRIOR for t in tok.sent)):
            if lemma == "follow" and any(t.lower_ in ("our", "your") for t in doc[tok.i:tok.i + 5]):
                continue  # "following up on our call": a thread they are in
            out.append(doc[tok.i:tok.i + 2])
        elif lemma in CHASE_NOUNS and tok.pos_ in ("NOUN", "PROPN") and any(
                t.lower_ in ORDINALS or t.like_num for t in doc[max(tok.sent.start, tok.i - 3):tok.i]):
            out.append(doc[max(tok.sent.start, tok.i - 3):tok.i + 1])  # "the 3rd message", "double messaging"
        elif lemma in ("send", "drop") and sends_a_reminder(tok):
            out.append(doc[tok.i:tok.i + 1])  # "I figured I'd send you a reminder"
        elif lemma == "make" and tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ == "sure" and any(
                t.lemma_.lower() in ("get", "see", "receive", "read") for t in doc[tok.i + 2:tok.i + 6]) and any(
                t.lower_ in ("you", "this", "it") for t in doc[tok.i + 2:tok.i + 6]):
            out.append(doc[tok.i:tok.i + 2])  # "just making sure you saw this one"
        elif lemma in ("resend", "re-send", "forward") and any(t.lower_ in ("my", "this", "it", "again")
                                                               for t in doc[tok.i:tok.i + 4]):
            out.append(doc[tok.i:tok.i + 1])
    return out + [s for s in nags(doc, situation) if s.start not in {o.start for o in out}]


@feature("opt_outs")
def opt_outs(doc: "Doc", situation: Situation) -> list["Span"]:
    """Easy ways to say no."""
    found = _phrase(doc, situation, "opt_out")
    for sent in doc._.sentences:
        words = span_words(sent)
        marks = [t for t in span_tokens(sent) if t.lower_ in ("if", "unless", "whether")]
        strong = words & {"worries", "worry", "understand", "understandable", "fine", "problem", "okay", "ok",
                          "leave", "open", "pressure", "ignore", "respect"}
        if marks and (words & EXIT_CONDITIONS and (words & {"not", "n't", "no", "never", "unless", "otherwise", "else",
                                                            "rather"} or "whether" in words) and words & REASSURE
                      or strong and not words & {"interested?", "free"}):
            found.append(sent)  # "if the topic feels too exposed, I completely understand"
        elif any(c.role == "sender" and c.negated and c.tense == "future" and c.verb.lemma_.lower() in REASSURE
                 for c in clauses_in(doc, sent)):  # "I won't follow up again"
            found.append(sent)
    return sorted({s.start: s for s in found}.values(), key=lambda s: s.start)


DEADLINE_VERBS = {"end": None, "expire": None, "close": None, "finish": None, "run": "out", "increase": None,
                  "rise": None, "go": "up", "disappear": None, "sell": "out", "fill": "up", "double": None,
                  "lapse": None, "lock": "in"}
SALES_CONTEXT = {"offer", "price", "pricing", "discount", "deal", "promo", "promotion", "rate", "rates", "ticket",
                 "tickets", "spot", "spots", "seat", "seats", "place", "places", "sale", "%", "$", "€", "£", "free",
                 "trial", "bonus", "code", "coupon", "early", "registration", "enrolment", "enrollment", "package"}
ULTIMATUM_VERBS = {"hear", "reply", "respond", "decide", "sign", "book", "register", "claim", "confirm", "commit",
                   "answer", "act", "grab", "reserve", "secure", "need", "expect", "want", "require", "deliver",
                   "prioritise", "prioritize", "fix", "send", "pay", "buy", "order"}
SCARCE = {"left", "remaining", "remain"}


@feature("urgency")
def urgency(doc: "Doc", situation: Situation) -> list["Span"]:
    """Urgency and scarcity: the phrase list, deadlines ("the offer ends Friday", "if I don't hear back by
    Monday"), and counted scarcity ("only 12 are left")."""
    found = _phrase(doc, situation, "urgency")
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME") or in_quotes(doc, ent.start_char, ent.end_char):
            continue
        head = ent.root.head
        verb = head.head if head.lower_ in ("by", "until", "before", "on", "at") else head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head  # "need your decision by Thursday": up from the noun to its verb
        lemma = verb.lemma_.lower()
        particle = DEADLINE_VERBS.get(lemma, "")
        deadline = lemma in DEADLINE_VERBS and verb.pos_ in ("VERB", "AUX") and (
            particle is None or any(c.lower_ == particle for c in verb.children)) and any(
            t.lower_ in SALES_CONTEXT for t in verb.sent)
        if deadline or head.lower_ in ("by", "until", "before") and lemma in ULTIMATUM_VERBS:
            found.append(doc[min(verb.i, ent.start):max(verb.i + 1, ent.end)])
    lower_of = lowers(doc)
    for tok in tokens(doc):
        if lower_of[tok.i] in SCARCE and any(t.like_num for t in doc[max(tok.sent.start, tok.i - 4):tok.i]) and any(
                t.lower_ == "only" for t in doc[max(tok.sent.start, tok.i - 6):tok.i]):
            start = next(t.i for t in doc[max(tok.sent.start, tok.i - 6):tok.i] if t.lower_ == "only")
            found.append(doc[start:tok.i + 1])
    return sorted({s.start: s for s in found}.values(), key=lambda s: s.start)


@feature("scripted_openers")
def scripted_openers(doc: "Doc", situation: Situation) -> list["Span"]:
    """Scripted openers in the first lines ("how are you today?", "hope this finds you well")."""
    return [s for s in _phrase(doc, situation, "scripted_opener") if s.start_char <= 160]
