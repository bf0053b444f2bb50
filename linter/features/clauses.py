"""Clauses from the dependency parse: each verb with its subject, and whose side the subject is on.

A subject is the sender's ("I", "we", "my friend and I", "our platform", a name the draft gives the sender), the
recipient's ("you", "your team", their name or company), someone else's, or implicit: an imperative ("Grab a
slot") asks the recipient to act; a dropped subject ("Saw your post", "Would love to connect") is the sender.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from .. import vocab
from . import Situation, feature, lowers, per_doc, span_text, span_tokens, stored, tokens

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

IMPERATIVE_SKIP = {"please", "just", "so", "and", "also", "then", "kindly", "simply", "now", "but", "oh", "ok",
                   "okay", "pls", "plz", "anyway", "anyways", "anyhow", "well", "actually", "btw", "honestly",
                   "frankly", "basically"}  # discourse markers before a dropped subject ("Anyway, wanted to...")
NOT_IMPERATIVE = {"thank", "thanks", "hope", "congrats", "congratulate", "welcome", "cheers", "wish", "love",
                  "appreciate", "look", "be", "have", "happy", "trust", "apologise", "apologize", "excuse",
                  "pardon", "forgive", "bless", "greet", "say", "sound", "wonder", "glad", "want", "need", "like"}


@dataclass(frozen=True)
class Clause:
    """A verb, its subject and the subject's side: "sender", "recipient", "other" or "imperative"."""

    verb: "Token"
    subject: "Token | None"
    role: str
    owned: bool        # the subject is a possession ("our platform", "your team") or a named company/product
    question: bool     # in a question
    negated: bool
    modal: bool        # would/could/can/will... ("I'd love to", "Would you")
    tense: str         # "past", "present" or "future"
    addresses: bool    # the recipient appears in the clause outside its subject ("I read your post")
    perfect: bool      # present perfect: "we've helped", "we have translated and published" (the conjunct too)

    @cached_property  # Token.sent walks the parse to the sentence's ends
    def sentence(self) -> "Span":
        return self.verb.sent


def possessor(tok: "Token") -> str | None:
    """Whose noun phrase this is: "our fleet telematics platform" is the sender's even when the small model
    hangs "our" on "fleet" rather than on "platform"."""
    owners = _possessives(tok.doc)
    if owners:
        start, end = tok.left_edge.i, tok.i
        for i, owner in owners:
            if start <= i <= end:
                return owner
    return None


def _possessives(doc: "Doc") -> list[tuple[int, str]]:
    """(index, whose) of each possessive pronoun ("our", "your", "their"), found once per Doc."""
    return per_doc(doc, "possessives", _find_possessives)


def _find_possessives(doc: "Doc") -> list[tuple[int, str]]:
    sender = vocab.words("pronouns", "sender_possessive")
    recipient = vocab.words("pronouns", "recipient_possessive")
    third = vocab.words("pronouns", "third_possessive")
    found = []
    for t in tokens(doc):
        if t.dep_ == "poss":
            low = t.lower_
            owner = "sender" if low in sender else "recipient" if low in recipient else "other" if low in third \
                else None
            if owner is not None:
                found.append((t.i, owner))
    return found


def subject_role(tok: "Token", doc: "Doc") -> tuple[str, bool]:
    """(role, owned) of a subject token."""
    parties = stored(doc, "parties")
    low = tok.lower_
    if low in vocab.words("pronouns", "sender") or low in ("'s", "’s", "s") and "let" in (
            tok.head.lemma_.lower(), tok.head.head.lemma_.lower()):
        return "sender", False
    if low in vocab.words("pronouns", "recipient"):
        return "recipient", False
    if low in ("mine", "ours"):
        return "sender", True  # "Ours cuts survey time by 60%"
    if low in ("yours",):
        return "recipient", True
    if any(c.lower_ in vocab.words("pronouns", "sender") for c in tok.conjuncts):
        return "sender", False  # "my friend and I"
    owner = possessor(tok)
    if owner is not None:
        if tok.lemma_.lower() in vocab.words("nouns", "link_people") or tok.ent_type_ == "PERSON":
            return "other", False  # "my friend Jen", "your colleague": people, not possessions
        return owner, True
    names = [t for t in tok.subtree if t.pos_ in ("PROPN", "NOUN", "X") or t.text[:1].isupper()]
    if any(parties.is_sender(t) for t in names if t.i <= tok.i):
        return "sender", True
    if any(parties.is_recipient(t) for t in names if t.i <= tok.i and t.pos_ == "PROPN"):
        return "recipient", tok.pos_ != "PROPN" or tok.lower_ in parties.recipient_orgs
    return "other", False


def _tense(verb: "Token", children: list["Token"]) -> str:
    aux = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
    if aux & {"will", "'ll", "shall", "wo"} or ("going" in aux and verb.tag_ == "VB"):
        return "future"
    if verb.tag_ == "VBD" or verb.tag_ == "VBN" and aux & {"have", "has", "had", "'ve", "'d", "was", "were", "got", "get", "been"}:
        return "past"
    return "present"


def _addresses(verb: "Token", subject: "Token | None") -> bool:
    skip = None
    rec = vocab.words("pronouns", "recipient", "recipient_possessive")
    doc = verb.doc
    lower_of = lowers(doc)
    start, end = verb.left_edge.i, verb.right_edge.i + 1
    if rec.isdisjoint(lower_of[start:end]):  # the subtree lies within its edges
        return False
    toks = tokens(doc)
    for i in range(start, end):
        if lower_of[i] not in rec or not (i == verb.i or verb.is_ancestor(toks[i])):
            continue
        if skip is None:
            skip = {s.i for s in subject.subtree} if subject is not None else set()
        if i in skip:
            continue
        if i > 0 and lower_of[i - 1] in ("like", "as", "than"):  # "people like you"
            continue
        return True
    return False


def _first_word(sent: "Span") -> "Token | None":
    greeting_end = stored(sent.doc, "greeting").end
    for t in span_tokens(sent):
        if t.is_alpha and t.lower_ not in IMPERATIVE_SKIP and t.idx >= greeting_end:
            return t
    return None


def _questions(doc: "Doc") -> list[bool]:
    """Per token: whether its sentence is a question, found once per Doc."""
    return per_doc(doc, "questions", _find_questions)


def _find_questions(doc: "Doc") -> list[bool]:
    found = [False] * len(doc)
    for sent in doc.sents:
        text = span_text(sent)
        if "?" in text[-3:] or text.rstrip().endswith("?"):
            found[sent.start:sent.end] = [True] * (sent.end - sent.start)
    return found


def _make(verb: "Token", subject: "Token | None", role: str, owned: bool) -> Clause:
    question = _questions(verb.doc)[verb.i]
    children = list(verb.children)
    modal = any(c.dep_ == "aux" and c.lower_ in vocab.words("grammar", "modals") for c in children)
    negated = any(c.dep_ == "neg" for c in children)
    return Clause(verb, subject, role, owned, question, negated, modal, _tense(verb, children),
                  _addresses(verb, subject), _perfect(verb, children))


def _perfect(verb: "Token", children: list["Token"]) -> bool:
    """ "have" + past participle; a conjunct shares its head's "have" ("we have translated and published"), and
    the small model tags some such conjuncts VBD."""
    shared = verb.dep_ == "conj"
    aux = [c for c in (*children, *(verb.head.children if shared else ())) if c.dep_ == "aux"]
    return any(a.lower_ in ("have", "has", "'ve", "’ve") for a in aux) and (
        verb.tag_ == "VBN" or shared and verb.tag_ == "VBD")


@feature("clauses")
def clauses(doc: "Doc", situation: Situation) -> list[Clause]:
    subject_deps = vocab.words("grammar", "subject_deps")
    out: list[Clause] = []
    seen: set[int] = set()
    for tok in tokens(doc):
        if tok.dep_ not in subject_deps or tok.head.i == tok.i:
            continue
        verb = tok.head
        if verb.i in seen:
            continue
        seen.add(verb.i)
        role, owned = subject_role(tok, doc)
        out.append(_make(verb, tok, role, owned))
    # A conjoined verb with no subject of its own shares its head's: "I just launched my CLI and would really
    # appreciate a star" (the head's clause is already built: clauses are made in token order).
    by_verb = {c.verb.i: c for c in out}
    for tok in tokens(doc):
        if tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX") and tok.i not in seen and tok.head.i in by_verb and \
                not any(c.dep_ in subject_deps for c in tok.children):
            head = by_verb[tok.head.i]
            clause = _make(tok, head.subject, head.role, head.owned)
            seen.add(tok.i)
            out.append(clause)
            by_verb[tok.i] = clause
    # A name the draft or config gives the sender, mis-tagged by the model ("Ledgerly" as an adverb), still
    # heads the clause of a verb that has no subject.
    parties = doc._.parties
    for tok in tokens(doc):
        if not parties.is_sender(tok):
            continue
        verb = tok.head
        if verb.i != tok.i and verb.pos_ in ("VERB", "AUX") and tok.i < verb.i \
                and verb.i not in seen and not any(c.dep_ in subject_deps for c in verb.children):
            seen.add(verb.i)
            out.append(_make(verb, tok, "sender", True))
    # Clauses with no subject: imperatives ("Grab a slot"), dropped "I" ("Saw your post", "Would love to").
    for sent in doc._.sentences:
        first = _first_word(sent)
        for verb in (t for t in span_tokens(sent) if t.i not in seen and t.pos_ in ("VERB", "AUX")
                     and (t.dep_ == "ROOT" or t.dep_ == "conj" and t.head.dep_ == "ROOT" and t.head.i not in seen)):
            if any(c.dep_ in subject_deps or c.dep_ == "expl" for c in verb.children):
                continue
            aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
            starts = first is not None and (verb == first or verb.head == first and verb.dep_ == "conj")
            leading = first is not None and first.lower_ in ("if", "when", "once", "whenever", "before", "after")
            if verb.tag_ == "VB" and not aux and (starts or leading and verb.dep_ == "ROOT") \
                    and verb.lemma_.lower() not in NOT_IMPERATIVE:
                out.append(_make(verb, None, "imperative", False))
            elif starts or aux and aux[0] == first:
                out.append(_make(verb, None, "sender", False))
            seen.add(verb.i)
    out.sort(key=lambda c: c.verb.i)
    return out


def clauses_in(doc: "Doc", sent: "Span") -> list[Clause]:
    start, end = sent.start, sent.end
    return [c for c in stored(doc, "clauses") if start <= c.verb.i < end]
