"""Offers: what the sender is selling or proposing, read from who does what in each sentence.

A product or service ("we help D2C brands cut returns", "our platform", "Tallyho comes with a dashboard" once
Tallyho is the sender's), a job ("a Senior Engineer role", "we're hiring", "my client is looking for"), a
collaboration ("partner with you"), and the soft kinds that sell nothing: help or a resource offered with no
ask ("happy to share the checklist if useful") and an invitation to be a guest. Prices, fit claims and hype make
an offer strong. `rewrite` reads the same list (`doc._.offers`) for what the sender really offers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import phrases, vocab
from . import Situation, doc_lemmas, feature, lemmas, lowers, span_text, span_tokens, stored
from .clauses import clauses_in, possessor
from .pressure import sends_a_reminder
from .text import body_sentences, in_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PRICE_RE = re.compile(r"(?:[$€£¥]\s?\d|\d+\s?(?:usd|eur|gbp|dollars|euros|pounds)\b|\bper (?:month|year|seat|user)\b|"
                      r"/\s?(?:mo|month|yr|year)\b|\d+\s?% off\b|\bfree trial\b|\bdiscount|\bpromo\b|\bcoupon\b|"
                      r"\b\d+\s+free\b|\bfree (?:month|months|audit|consultation|assessment|quote)\b)", re.I)
SEGMENTS = {"team", "teams", "company", "companies", "brand", "brands", "business", "businesses", "founder",
            "founders", "leader", "leaders", "agency", "agencies", "startup", "startups", "firm", "firms", "client",
            "clients", "customer", "customers", "organisation", "organisations", "organization", "organizations",
            "manager", "managers", "owner", "owners", "people", "professional", "professionals", "fund", "funds",
            "school", "schools", "store", "stores", "retailer", "retailers", "shop", "shops", "practice", "practices",
            "clinic", "clinics", "hospital", "hospitals", "developer", "developers", "engineer", "engineers",
            "recruiter", "recruiters", "marketer", "marketers", "rep", "reps", "seller", "sellers", "executive",
            "executives", "cfo", "cfos", "ceo", "ceos", "vp", "vps", "user", "users", "creator", "creators", "talent",
            "candidates", "creatives", "freelancers"}
ROLE_NOUNS = {"engineer", "developer", "designer", "manager", "scientist", "analyst", "architect", "lead",
              "director", "consultant", "specialist", "programmer", "candidate", "candidates", "talent", "hygienist",
              "nurse", "accountant", "recruiter", "executive", "officer", "head", "vp", "intern", "associate",
              "administrator", "writer", "marketer", "representative", "rep", "coordinator", "technician",
              "someone", "somebody", "people", "person", "professionals", "engineers", "developers", "designers"}
HIRE_VERBS = {"hire", "recruit", "seek", "look", "search", "fill", "staff", "place", "source", "grow", "build",
              "expand", "need", "want"}
HELP_SOFT = {"share", "send", "pass", "forward", "point", "introduce", "help", "offer", "give", "show", "answer"}
COLLAB_WORDS = {"partner", "partnership", "collaborate", "collaboration", "cooperate", "cooperation", "together",
                "joint", "co-market", "synergy", "synergies", "affiliate", "reseller", "resell", "sponsor",
                "sponsorship", "backlink", "guest post"}
OWN_THINGS = {"platform", "product", "solution", "service", "services", "tool", "software", "app", "agency",
              "consultancy", "offering", "program", "programme", "course", "coaching", "system", "technology", "api",
              "suite", "package", "plan", "plans", "pricing", "demo", "trial", "integration", "feature", "features",
              "masterclass", "bootcamp", "firm", "studio", "widget", "plugin", "extension", "engine", "dashboard",
              "marketplace", "portal", "method", "methodology", "framework", "invention", "patent", "model",
              "offer", "promo", "promotion", "deal", "discount", "clients", "client", "customers", "company",
              "startup", "business", "community", "membership", "subscription", "products", "solutions",
              "tools", "apps", "library", "module", "sdk", "book", "ebook", "report", "whitepaper", "portfolio",
              "work", "project", "newsletter", "channel", "course", "repo", "repository", "site", "website", "video", "videos", "brand",
              "perks", "benefits", "culture", "salary", "compensation"}


@dataclass(frozen=True)
class Offer:
    """Something the sender offers in one sentence."""

    sentence: "Span"
    kind: str        # product, service, job, collab, invite, help
    strength: str    # soft, pitch, strong
    words: "Span"    # the words that make the offer
    verb: "Token | None" = None


def _sender_side(c) -> bool:
    return c.role == "sender"


SEEK_VERBS = {"look", "search", "seek", "want", "need", "hunt", "pursue", "explore", "find", "land", "get"}
JOB_TERMS = {"open", "vacant", "remote", "hybrid", "full-time", "part-time", "permanent", "contract", "senior",
             "junior", "lead", "principal", "staff", "entry-level", "new"}


def _own_career(doc: "Doc", tok: "Token") -> bool:
    """ "my first job", "my next role": the sender's own career, not an opening they offer."""
    return any(t.dep_ == "poss" and t.lower_ in ("my", "mine") for t in doc[tok.left_edge.i:tok.i])


def _seeks_for_self(c) -> bool:
    """ "I'm looking for...", "I want...": the sender (one person, "I") seeking something for themselves."""
    return c.role == "sender" and c.subject is not None and c.subject.lower_ == "i" and \
        c.verb.lemma_.lower() in SEEK_VERBS


def _perceived(tok: "Token", cls) -> bool:
    """The noun is what the sender saw, read or noticed: the nearest clause before it in its sentence is the
    sender's and its verb perceives ("I saw the Content Lead role on your careers page", also where the small
    model hangs the noun on a later verb)."""
    before = [c for c in cls if c.verb.i < tok.i]
    if not before:
        return False
    nearest = max(before, key=lambda c: c.verb.i)
    return nearest.role == "sender" and not nearest.modal and nearest.verb.lemma_.lower() in vocab.words(
        "verbs", "perceive") | {"saw", "noticed", "spotted", "seen"} and not nearest.question


def _job(doc: "Doc", sent: "Span", cls) -> "Span | None":
    """A job offered to the recipient (not one the sender applies for)."""
    job_nouns = vocab.words("nouns", "job")
    roles = ROLE_NOUNS | job_nouns
    hype = vocab.words("adjectives", "hype")
    low = set(lowers(doc)[sent.start:sent.end])
    applying = low & {"applied", "apply", "applying", "application", "resume", "cv", "candidacy"} and any(
        c.role == "sender" for c in cls if c.verb.lemma_.lower() in ("apply", "submit", "send", "interview"))
    if applying:
        return None
    for tok in span_tokens(sent):  # "clients seeking strong candidates", "a startup hiring engineers"
        if tok.dep_ == "acl" and tok.lemma_.lower() in HIRE_VERBS and tok.head.lemma_.lower() in {
                "client", "company", "team", "startup", "firm", "employer", "business", "organisation",
                "organization", "fintech", "agency", "lab"} | SEGMENTS:
            objects = [t for t in tok.subtree if t.lemma_.lower() in roles]
            if objects:
                return doc[tok.head.i:max(o.i for o in objects) + 1]
    for c in cls:
        lemma = c.verb.lemma_.lower()
        hires = c.role in ("sender", "other") and lemma in HIRE_VERBS
        # what the verb is about, not its adverbial clauses ("Since you are a person I trust, I wanted to...")
        objects = [t for k in c.verb.children if k.dep_ in ("dobj", "xcomp", "ccomp", "prep", "attr", "dative")
                   for t in k.subtree if t.lemma_.lower() in roles] if hires else []
        if _seeks_for_self(c):
            objects = [t for t in objects if t.lemma_.lower() not in job_nouns]  # "I'm looking for a new role"
        if objects and (
                c.role == "sender" or c.subject is not None and c.subject.pos_ == "PROPN"
                or any(t.lower_ in ("client", "company", "team", "startup") for t in c.verb.subtree)):
            if lemma in ("look", "search", "seek") and not any(t.lower_ in ("for",) for t in c.verb.children) \
                    and lemma != "seek":
                continue
            if any(possessor(o) == "recipient" or _own_career(doc, o) for o in objects):
                continue
            return doc[min(o.i for o in objects):max(o.i for o in objects) + 1]
        if lemma == "hire" and c.role == "sender" and c.tense != "past":
            return doc[c.verb.i:c.verb.i + 1]
    hiring = doc_lemmas(doc) & (ROLE_NOUNS | {"hire", "hiring", "recruit", "recruiter", "salary",
                                                             "compensation", "career", "relocation", "join", "team",
                                                             "candidate", "interview", "resume", "cv", "perk",
                                                             "benefit", "remote", "onsite", "full-time", "contract"})
    for tok in span_tokens(sent):
        if tok.lemma_.lower() not in job_nouns or tok.pos_ != "NOUN":
            continue
        kids = list(tok.children)
        for_you = any(c.lower_ == "for" and any(g.lower_ == "you" or g.lemma_.lower() in ROLE_NOUNS
                                                for g in c.subtree) for c in kids)  # "for you", "for a React dev"
        by_sender = any(k.dep_ == "relcl" and any(s.lower_ in ("i", "we") for s in k.children) for k in kids)
        if tok.lemma_.lower() in ("opportunity", "opportunities", "gig", "contract") and not (
                hiring - {"team", "join"} or for_you or by_sender):
            continue  # "a great opportunity for exposure" is not a job
        owner = possessor(tok)
        if owner in ("recipient", "other") or _own_career(doc, tok) or any(
                _seeks_for_self(c) and tok in c.verb.subtree for c in cls):
            continue  # theirs, or the sender's own ("my first job", "I'm looking for a new role")
        if _perceived(tok, cls):
            continue  # "I saw the Content Lead role on your careers page": their opening, read by the sender
        hyped = any(c.lower_ in hype for c in kids)
        titled = any(c.dep_ == "compound" and (c.pos_ == "PROPN" or c.lemma_.lower() in ROLE_NOUNS)
                     or c.dep_ == "amod" and c.lower_ in JOB_TERMS for c in kids)
        offered = owner == "sender" or any(c.role in ("sender", "other") and c.verb.lemma_.lower() in (
            "have", "offer", "fill", "work", "recruit", "represent", "bring", "present", "reach", "write", "contact",
            "message", "discuss", "tell", "share", "take", "get") and c.verb.i < tok.i
            for c in cls) or low & {"interested", "consider", "exploring", "open"} and "you" in low or any(
            k.dep_ == "relcl" and any(s.lower_ in ("i", "we") for s in k.children) for k in kids)
        offered = offered or titled and any(c.role == "sender" and c.verb.i < tok.i for c in cls)
        if (hyped or titled or for_you) and (offered or hyped) or offered and (owner == "sender" or by_sender) \
                or by_sender:
            if any(c.role == "recipient" and c.verb.lemma_.lower() in ("post", "advertise", "list", "open")
                   for c in cls):
                continue  # "the position you posted": theirs
            return doc[tok.left_edge.i:tok.i + 1]
    return None


def _service(doc: "Doc", sent: "Span", cls) -> tuple["Span", "Token"] | None:
    """ "We help D2C brands cut returns", "I work with finance teams that...", "We specialise in ..."."""
    offer_verbs = vocab.words("verbs", "offer")
    for c in cls:
        if not _sender_side(c) or c.negated:
            continue
        verb = c.verb
        # the sender's track record counts ("we've helped 40 funds cut..."), their own past does not ("I helped
        # my dad")
        if c.tense == "past" and not c.owned and not c.perfect:
            continue
        lemma = verb.lemma_.lower()
        if c.question or lemma not in offer_verbs and lemma not in ("work", "partner", "specialise", "specialize",
                                                                   "focus"):
            continue  # (before the children are listed: only these verbs can make a service offer)
        kids = list(verb.children)
        objects = [k for k in kids if k.dep_ in ("dobj", "ccomp", "xcomp", "dative", "prep", "attr", "acomp")]
        if lemma == "serve" and any(k.lower_ == "as" for k in kids):
            continue
        if lemma in ("work", "partner") and any(k.lower_ == "with" and any(
                g.lemma_.lower() in SEGMENTS and (verb.tag_ in ("VBP", "VBZ", "VB") or g.tag_ == "NNS")
                for g in k.subtree) for k in kids):
            return doc[verb.i:verb.sent.end], verb
        if lemma in ("specialise", "specialize", "focus") and any(k.lower_ in ("in", "on") for k in kids):
            return doc[verb.i:verb.sent.end], verb
        if lemma not in offer_verbs or not objects:
            continue
        # "we help X", "our platform cuts Y", "I can save you 10 hours": not "I'd be happy to help"
        targets = [t for k in kids if k.dep_ in ("dobj", "dative", "ccomp", "xcomp") or k.dep_ == "prep" and
                   k.lower_ in ("for", "with", "to") for t in k.subtree]  # whom it is sold to, what it changes
        generic_object = any(t.lemma_.lower() in SEGMENTS for t in targets) or any(
            t.like_num or t.text == "%" for t in targets)
        benefit = lemma in vocab.words("verbs", "benefit")
        if c.perfect and not c.owned and (not generic_object or any(
                t.lemma_.lower() in vocab.words("nouns", "link_people") for t in targets)):
            continue  # a track record for clients, not "I've helped two friends move into data"
        vague = any(k.dep_ == "dobj" and k.lower_ in ("something", "anything", "one", "it", "this", "that")
                    for k in kids)  # "I'm building something similar for senior design": a project, not a trade
        if c.owned or generic_object or benefit and c.role == "sender" and c.modal is False \
                or lemma in ("sell", "provide", "offer", "deliver", "supply", "build", "develop") and not c.modal \
                and not vague:
            if lemma in HELP_SOFT and c.modal and not generic_object:
                continue
            return doc[verb.i:verb.sent.end], verb
    return None


def _business(doc: "Doc", sent: "Span", cls) -> tuple["Span", "Token"] | None:
    """The sender's business at work, told as a standing fact: "I run a small bookkeeping practice", "we do
    monthly accounts for forty cafes", "my co-founder and I have built a rota app for care homes", "I'm
    building Pallet". Not the sender's past ("I built dashboards at my last job"), their own team or life, the
    same thing as the recipient's ("we built something similar"), nor an event or show (an invitation)."""
    make, create = vocab.words("verbs", "make"), vocab.words("verbs", "create")
    businesses, shows = vocab.words("nouns", "business"), vocab.words("nouns", "show")
    own = vocab.words("pronouns", "sender_possessive")
    for c in cls:
        lemma = c.verb.lemma_.lower()
        if c.role != "sender" or c.negated or c.question or c.modal or c.tense == "future" or lemma not in make \
                or in_quotes(doc, c.verb.idx, c.verb.idx + len(c.verb)):
            continue  # (their words quoted: "You describe your work as 'I run ops for ...'")
        if c.tense == "past" and not c.perfect:
            continue
        obj = next((k for k in c.verb.children if k.dep_ == "dobj" and k.pos_ in ("NOUN", "PROPN")), None)
        if obj is None or possessor(obj) in ("recipient", "other"):
            continue
        low = obj.lemma_.lower()
        if low in NOT_OFFERED or low in shows or any(t.lower_ in ("similar", "same") for t in obj.subtree):
            continue
        targets = [t for k in c.verb.children if k.dep_ == "prep" and k.lower_ in ("for", "to") for t in k.subtree]
        if any(t.dep_ == "poss" and t.lower_ in own for t in targets):
            continue  # "for our team": in-house work
        span = doc[c.verb.i:c.verb.sent.end]
        if low in businesses and lemma in ("run", "own", "operate", "found", "start", "manage"):
            return span, c.verb
        if any(t.lemma_.lower() in SEGMENTS or t.like_num for t in targets):
            return span, c.verb  # "for forty cafes", "for D2C brands"
        made = (c.perfect or c.verb.tag_ == "VBG") and lemma in create
        specific = obj.pos_ == "PROPN" or obj.tag_ == "NN" and any(
            k.dep_ == "det" and k.lower_ in ("a", "an") for k in obj.children)
        if made and specific:
            return span, c.verb
        if c.perfect and obj.tag_ == "NNS" and low in OWN_THINGS and not c.addresses and any(
                k.like_num or k.lower_ in QUANTITIES for k in obj.children):
            return span, c.verb  # output counted: "we have published many programming books" (not "I've built
            # several apps with your library": their work)
    return None


QUANTITIES = {"many", "several", "numerous", "dozens", "hundreds", "thousands", "countless"}
NOT_OFFERED = {"friend", "friends", "colleague", "team", "name", "life", "family", "wife", "husband", "kid", "kids",
               "time", "question", "questions", "thought", "thoughts", "note", "email", "message", "inbox", "call",
               "chat", "conversation", "meeting", "mind", "heart", "opinion", "view", "experience", "background",
               "career", "journey", "story", "interest", "interests", "hope", "goal", "goals", "plan", "plans",
               "network", "connection", "connections", "profile", "apologies", "thanks", "pleasure", "day", "week",
               "weekend", "trip", "side", "end", "part", "way", "job", "role", "position", "application", "cv",
               "resume", "thesis", "degree", "studies", "class", "school", "university", "manager", "boss", "mentor",
               "advice", "question", "understanding", "knowledge", "skills", "skill", "passion", "favourite",
               "favorite", "own", "self", "best", "luck", "bad", "fault", "mistake", "attention", "radar", "calendar",
               "schedule", "city", "country", "home", "office", "desk", "phone", "number", "address", "website",
               "site", "blog", "post", "posts", "article", "talk", "paper", "research", "thread", "reply", "answer",
               "list", "notes", "slides", "deck", "portfolio", "work", "project", "projects", "code", "repo", "pr",
               "issue", "fork", "patch", "contribution", "contributions", "idea", "ideas", "draft", "feedback"}


def _owned(doc: "Doc", sent: "Span") -> "Span | None":
    """A commercial thing the sender owns: "our AI sizing widget", "our AP automation", "my agency", a product
    the draft says the sender launched ("We've just launched Plume 2.0"). People, conversations and the sender's
    own life, studies and writing are not offers."""
    parties = stored(doc, "parties")
    # an event invites; "our second bakery" is news, a place, not a thing sold to them
    shows = vocab.words("nouns", "show") | vocab.words("nouns", "business") - OWN_THINGS
    for tok in span_tokens(sent):
        if tok.pos_ not in ("NOUN", "PROPN") or in_quotes(doc, tok.idx, tok.idx + len(tok)):
            continue
        low = tok.lemma_.lower()
        owned = possessor(tok) == "sender" and tok.dep_ != "compound" and low not in shows and not any(
            c.lower_ in ("internal", "in-house", "own") for c in tok.children)
        if owned and low not in NOT_OFFERED and (low in OWN_THINGS or tok.pos_ == "NOUN" and any(
                c.dep_ in ("compound", "amod") for c in tok.children) and not _own_career(doc, tok)):
            # "our AP automation" is the company's; "my thesis topic" is the person's
            return doc[tok.left_edge.i:tok.i + 1]  # "our AP automation", "our custom-designed emojis"
        if tok.pos_ == "PROPN" and parties.is_sender(tok) and tok.dep_ == "dobj" and tok.head.lemma_.lower() in (
                "launch", "release", "ship", "build", "introduce", "announce", "open", "unveil", "create"):
            return doc[tok.head.i:tok.i + 1]
        if low in OWN_THINGS and owned:
            if low in ("work", "project", "portfolio", "video", "videos") and not any(
                    t.lower_ in ("check", "see", "look", "watch", "try") for t in span_tokens(sent)):
                continue  # "my work on X" explains; "check out my work" promotes (an ask, not an offer)
            return doc[tok.left_edge.i:tok.i + 1]
        if tok.pos_ == "PROPN" and parties.is_sender(tok) and tok.dep_ in ("nsubj", "nsubjpass") and \
                tok.head.lemma_.lower() not in ("say", "think", "tell", "ask", "want") and \
                tok.head.tag_ in ("VBZ", "VBP", "VBG", "VBN"):
            return doc[tok.i:tok.head.i + 1] if tok.head.i > tok.i else doc[tok.i:tok.i + 1]
    return None


COLLAB_NOUNS = {"partnership", "collaboration", "sponsorship", "affiliate", "reseller", "synergy", "joint"}
COLLAB_VERBS = {"partner", "collaborate", "cooperate", "team", "work", "join", "co-market", "sponsor", "resell"}


def _collab(doc: "Doc", sent: "Span", cls) -> "Span | None":
    """A proposal to do business together: "partner with you", "work together", "a partnership?"; not "made me
    rethink our sponsorship"."""
    for c in cls:
        lemma = c.verb.lemma_.lower()
        if lemma not in COLLAB_VERBS or c.negated or c.role not in ("sender", "imperative", "recipient"):
            continue
        with_them = any(t.lower_ in ("you", "together") for t in c.verb.subtree if t.i > c.verb.i) or (
            c.role == "recipient" and c.modal)
        if with_them and (lemma != "work" or any(t.lower_ == "together" for t in c.verb.subtree)) and (
                c.role != "sender" or c.modal or c.tense == "future" or c.question or lemma != "work"):
            return doc[c.verb.i:c.verb.i + 1]
    for tok in span_tokens(sent):  # "Would you be open to a partnership?", "Interested in a collaboration?"
        if tok.lemma_.lower() not in COLLAB_NOUNS or not span_text(sent).rstrip().endswith("?"):
            continue
        chain = [tok.head, tok.head.head, tok.head.head.head]
        if tok.dep_ == "ROOT" or any(h.lower_ in vocab.words("adjectives", "request") or any(
                c.dep_ in ("nsubj", "nsubjpass") and c.lower_ == "you" for c in h.children) for h in chain):
            return doc[tok.i:tok.i + 1]
    return None


def _invite(doc: "Doc", sent: "Span", cls) -> "Span | None":
    show = vocab.words("nouns", "show")
    toks = set(lemmas(doc)[sent.start:sent.end])
    if toks & show and toks & {"have", "invite", "join", "come", "guest", "speak", "feature", "interview", "be",
                               "appear", "record", "present"} and \
            (toks & {"you", "your"}):
        tok = next(t for t in span_tokens(sent) if t.lemma_.lower() in show)
        return doc[tok.i:tok.i + 1]
    return None


def _help(doc: "Doc", sent: "Span", cls) -> "Span | None":
    """ "Happy to share the checklist if useful", "Let me know if I can help"."""
    for c in cls:
        lemma = c.verb.lemma_.lower()
        if sends_a_reminder(c.verb):
            continue  # "I figured I'd send you a quick reminder": the chase itself, not help
        if c.role == "sender" and lemma in HELP_SOFT and (c.modal or any(
                t.lower_ in ("happy", "glad", "willing", "love") for t in c.verb.ancestors)) and not c.question:
            return doc[c.verb.i:c.verb.sent.end]
        if c.role == "sender" and lemma == "be" and any(
                t.lower_ in ("happy", "glad", "willing") for t in c.verb.children) and any(
                t.lemma_.lower() in HELP_SOFT for t in c.verb.subtree):
            return doc[c.verb.i:c.verb.sent.end]
    return None


@lru_cache(maxsize=1024)  # a sentence is tested by the offers and again by the hard-sell signals
@lru_cache(maxsize=4096)
def has_price(text: str) -> bool:
    """A price in the text (memoised: the decision, HS003 and the offers ask it of the same sentences)."""
    return bool(PRICE_RE.search(text))


@feature("offers")
def offers(doc: "Doc", situation: Situation) -> list[Offer]:
    out: list[Offer] = []
    hype = vocab.words("adjectives", "hype")
    fit = phrases.find(doc, "fit_pitch", situation.config.phrases.get("fit_pitch", ()))
    fit_sents = {f.sent.start for f in fit if not in_quotes(doc, f.start_char, f.end_char)}
    hype_sents = {s.sent.start for s in phrases.find(doc, "offer_hype", situation.config.phrases.get("offer_hype", ()))}
    for sent in body_sentences(doc) or doc._.sentences:
        if in_quotes(doc, sent.start_char, sent.end_char):
            continue
        cls = clauses_in(doc, sent)
        found: tuple[str, "Span", "Token | None"] | None = None
        job = _job(doc, sent, cls)
        if job is not None:
            found = ("job", job, None)
        elif (service := _service(doc, sent, cls)) is not None:
            found = ("service", service[0], service[1])
        elif (help_ := _help(doc, sent, cls)) is not None and not (
                out and any(o.strength != "soft" for o in out) and help_.root.lemma_.lower() in ("show", "walk")):
            found = ("help", help_, None)  # ("I'll show you how" after a pitch is the pitch's push, not help)
        elif (owned := _owned(doc, sent)) is not None:
            found = ("product", owned, None)
        elif (collab := _collab(doc, sent, cls)) is not None:
            found = ("collab", collab, None)
        elif (invite := _invite(doc, sent, cls)) is not None:
            found = ("invite", invite, None)
        elif (business := _business(doc, sent, cls)) is not None:
            found = ("service", business[0], business[1])
        elif has_price(span_text(sent)) and not any(c.role == "recipient" and not c.modal for c in cls):
            found = ("product", sent, None)  # "Booth packages start at $2,500", "tickets are €299 until Friday"
        elif sent.start in fit_sents:
            jobs = {t.lemma_.lower() for t in span_tokens(sent)} & vocab.words("nouns", "job")
            found = ("job" if jobs else "product", sent, None)
        if found is None:
            continue
        kind, words, verb = found
        priced = has_price(span_text(sent))
        hyped = sent.start in hype_sents or any(t.lower_ in hype for t in words)
        if kind in ("invite", "help") and not priced:
            strength = "soft"
        elif priced or sent.start in fit_sents or hyped:
            strength = "strong"
        else:
            strength = "pitch"
        out.append(Offer(sent, kind, strength, words, verb))
    return out
