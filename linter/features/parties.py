"""Who is who: the names that refer to the sender (person, company, products) and to the recipient.

The sender's names come from the config (`[sender]`), from the draft's own words ("My name is Dara", "I'm
building Pallet", "my company Brindle", "Greetings from the Data Hour podcast", a signature) and the recipient's from the
greeting and the profile. Clause roles depend on them: "Brindle is growing in Austin" is the sender talking about
itself once "my company Brindle" has been said.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import vocab
from . import Situation, feature, lemmas, lowers, tokens

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

OWNED_NOUNS = {"company", "startup", "firm", "agency", "team", "client", "product", "platform", "app", "tool",
               "project", "show", "podcast", "business", "brand", "studio", "organisation", "organization",
               "employer", "consultancy", "newsletter", "channel", "library", "package", "software", "service",
               "site", "website", "book", "course", "event", "conference", "group", "lab", "fund", "school"}
MAKE_VERBS = {"build", "found", "start", "launch", "run", "create", "develop", "make", "own", "co-found",
              "cofound", "host", "produce", "organise", "organize", "publish", "write", "introduce", "represent",
              "join", "lead", "manage"}
WORK_AT = {"work", "intern", "be", "serve", "consult", "recruit", "partner", "manage", "lead", "run", "head"}
ADDRESSED = {"connecting", "connect", "accepting", "accept", "adding", "add", "connection", "touch", "again"}
ORG_LABELS = {"ORG", "PRODUCT", "WORK_OF_ART", "FAC", "PERSON", "GPE", "NORP", "EVENT"}


@dataclass(frozen=True)
class Parties:
    """Lower-case words that name the sender's side and the recipient's side."""

    sender: frozenset[str]
    recipient: frozenset[str]
    recipient_orgs: frozenset[str]

    def is_sender(self, token: "Token") -> bool:
        return token.lower_ in self.sender

    def is_recipient(self, token: "Token") -> bool:
        return token.lower_ in self.recipient or token.lower_ in self.recipient_orgs


def _proper_run(doc: "Doc", start: int, limit: int = 4) -> list["Token"]:
    """The run of proper-noun-like tokens starting at `start` ("The Data Hour", "Riverbend Analytics")."""
    out = []
    i = start
    if i < len(doc) and doc[i].lower_ == "the" and i + 1 < len(doc) and doc[i + 1].text[:1].isupper():
        i += 1
    while i < len(doc) and len(out) < limit and (doc[i].pos_ == "PROPN" or doc[i].text[:1].isupper()
                                                  and doc[i].is_alpha and doc[i].lower_ not in ("i", "we")):
        out.append(doc[i])
        i += 1
    return out


def _text_names(doc: "Doc") -> set[str]:
    """Names the draft gives the sender's side."""
    names: set[str] = set()
    sender_poss = vocab.words("pronouns", "sender_possessive")
    lemma_of = lemmas(doc)
    for tok, low in zip(tokens(doc), lowers(doc)):
        # "my company Brindle", "our client Brightwater", "our podcast, Ship It"
        if low in sender_poss and tok.head.lemma_.lower() in OWNED_NOUNS:
            head = tok.head
            nxt = head.i + 1
            while nxt < len(doc) and doc[nxt].text in (",", ":", "-", "—"):
                nxt += 1
            names |= {t.lower_ for t in _proper_run(doc, nxt)}
            names |= {c.lower_ for c in head.children if c.dep_ in ("appos", "compound") and c.pos_ == "PROPN"}
        # "I'm building Pallet", "we launched Quillon", "I'd like to introduce you to Tallyho"
        if lemma_of[tok.i] in MAKE_VERBS and tok.pos_ in ("VERB", "AUX") and any(
                c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("i", "we") for c in tok.children):
            for c in tok.children:
                if c.dep_ == "dobj" and c.pos_ == "PROPN":
                    names |= {t.lower_ for t in c.subtree if t.pos_ == "PROPN"}
                if c.dep_ == "prep" and c.lower_ == "to" and tok.lemma_.lower() == "introduce":
                    names |= {t.lower_ for t in c.subtree if t.pos_ == "PROPN"}
        # "I work at/for/with X", "I'm from X", "this is Dana from X", "Howdy from X", "here at X", "we at X"
        if low in ("at", "for", "with", "from") and tok.i + 1 < len(doc):
            run = _proper_run(doc, tok.i + 1)
            if not run:
                continue
            head = tok.head
            if head.pos_ == "NOUN" and head.dep_ in ("dobj", "attr"):
                head = head.head  # "I manage strategic alliances at Cloudvera"
            sent = tok.sent
            before = [t.lower_ for t in doc[max(sent.start, tok.i - 4):tok.i]]
            works = head.lemma_.lower() in WORK_AT and any(
                c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in head.children)
            greeting_from = low == "from" and (tok.i == sent.start + 1 or before[-1:] and before[-1] in
                                               vocab.words("grammar", "greeting_words") | {"hello", "here"})
            here_at = low == "at" and before[-1:] in (["here"], ["we"], ["us"])
            this_is = low == "from" and ("this" in before or "i" in before or "i'm" in before or "am" in before)
            if works or greeting_from or here_at or this_is:
                names |= {t.lower_ for t in run}
        # "My name is Dara", "I'm Lena Fischer and ...", "It's Jamie"
        if low in ("name", "i", "it") and tok.i + 2 < len(doc):
            if low == "name" and tok.i > 0 and doc[tok.i - 1].lower_ == "my" and doc[tok.i + 1].lemma_ == "be":
                names |= {t.lower_ for t in _proper_run(doc, tok.i + 2, 3)}
            elif low in ("i", "it") and doc[tok.i + 1].lower_ in ("'m", "am", "’m", "'s", "is") \
                    and doc[tok.i + 2].pos_ == "PROPN" and doc[tok.i + 2].ent_type_ in ("PERSON", ""):
                names |= {t.lower_ for t in _proper_run(doc, tok.i + 2, 2)}
    return names


def _signature_names(doc: "Doc") -> set[str]:
    """Name-like words on the signature lines ("Dara", "Sam Okafor / Riverbend Analytics")."""
    start = doc._.signature
    out: set[str] = set()
    for tok in reversed(doc):  # the signature is the text's tail: stop before it
        if tok.idx < start:
            break
        if tok.is_alpha and tok.text[:1].isupper() and tok.lower_ not in \
                vocab.words("grammar", "sign_offs") | {"i", "the", "and", "of", "at", "inc", "llc", "ltd"}:
            out.add(tok.lower_)
    return out


def _researched_orgs(doc: "Doc", sender: set[str], addressed: bool) -> set[str]:
    """An organisation the sender says they looked into, named as the owner or the actor of what they found:
    "I noticed Pindrop's help centre tells customers to ...", "I read in Plastics News that Brenner Kunststoff
    is opening a second plant": with no profile, the recipient's company (not the source it was read in, nor
    a name of the sender's; the small model tags many companies as people or places, so the entity label is
    not trusted). Only in a draft that addresses someone (by name, "you")."""
    if not addressed and vocab.words("pronouns", "recipient", "recipient_possessive").isdisjoint(lowers(doc)):
        return set()
    perceive = vocab.words("verbs", "perceive")
    found: set[str] = set()
    toks = tokens(doc)
    for i, lemma in enumerate(lemmas(doc)):
        if lemma not in perceive:
            continue
        verb = toks[i]
        if verb.pos_ != "VERB" or any(
                c.dep_ == "nsubj" and c.lower_ not in ("i", "we") for c in verb.children):
            continue
        for t in verb.subtree:
            if t.i <= verb.i or t.pos_ != "PROPN" or t.ent_type_ in ("NORP", "DATE", "TIME", "CARDINAL", "ORDINAL") or \
                    not (t.dep_ == "poss" or t.dep_ in ("nsubj", "nsubjpass") and t.head.i != verb.i):
                continue
            run = {c.lower_ for c in t.children if c.dep_ == "compound" and c.pos_ == "PROPN"} | {t.lower_}
            if not run & sender:
                found |= run
    return found


@feature("parties")
def parties(doc: "Doc", situation: Situation) -> Parties:
    config, profile = situation.config, situation.profile
    sender = {w.lower() for n in config.sender.names() for w in re.findall(r"[\w'-]+", n)}
    sender |= {n.lower() for n in config.sender.names()}
    recipient: set[str] = set()
    greet = doc._.greeting.name
    if greet is not None:
        recipient |= {t.lower_ for t in greet}
    elif doc._.sentences:  # a name addressed at the end of the first sentence: "Thanks for connecting, Philippa."
        first = [t for t in doc._.sentences[0] if not t.is_space]
        while first and first[-1].is_punct:
            first.pop()
        if len(first) >= 2 and first[-1].pos_ == "PROPN" and (first[-2].text == "," or first[-2].lower_ in ADDRESSED):
            recipient.add(first[-1].lower_)  # "Thanks for connecting, Philippa." / "Great to connect Jakob!"
    orgs: set[str] = set()
    if profile is not None:
        for key in ("name", "first_name", "last_name"):
            recipient |= {w.lower() for w in str(profile.data.get(key) or "").split()}
        if profile.company:
            orgs |= {w.lower() for w in re.findall(r"[\w'-]+", profile.company) if len(w) > 2}
    sender |= (_text_names(doc) | _signature_names(doc)) - recipient - orgs
    if not orgs:
        orgs = _researched_orgs(doc, sender, bool(recipient)) - recipient
    sender -= {"the", "a", "an"}
    return Parties(frozenset(sender), frozenset(recipient), frozenset(orgs))
