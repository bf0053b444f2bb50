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
GREETING_WORDS = {"hi", "hello", "hey", "dear", "greetings", "hiya", "morning", "afternoon", "evening", "yo", "howdy",
                  "hola", "bonjour", "hallo", "ciao", "salut", "namaste", "ola", "olá", "oi", "hej", "hei", "merhaba",
                  "salaam", "salam", "shalom", "servus", "moin", "ahoy", "heya", "sup"}
MODALS = {"would", "could", "can", "will", "shall", "may", "might", "should"}
CTA_WORDS = {"interested", "interest", "want", "open", "worth", "free", "available", "try", "demo", "sense",
             "keen", "fancy", "explore", "learn", "see", "show"}
HYPE = {"exciting", "amazing", "great", "incredible", "unique", "awesome", "fantastic", "rare", "huge", "golden",
        "once-in-a-lifetime", "lucrative", "perfect", "ideal", "immediate", "urgent"}
CTA_RE = re.compile(r"\b(?:let me know|let's|lets (?:chat|talk|connect|hop|jump|set)|reply (?:with|yes|to)|"
                    r"happy to (?:show|walk|demo|jump|hop)|love to (?:show|walk|demo|tell you more|discuss)|"
                    r"drop me a|give me a call|book (?:a|time|some)|sign up|just say (?:yes|the word)|"
                    r"want to see|hop on|jump on|get on a|interested\?)", re.I)
GREETING_SKIP_RE = re.compile(r"^\s*(?:subject|re|fwd?)\s*:.*$", re.I | re.M)
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "madam", "dame", "doctor", "coach"}
GENERIC_POSSESSIONS = {
    "company", "team", "business", "role", "position", "profile", "background", "experience", "career",
    "industry", "time", "inbox", "network", "organisation", "organization", "department", "day", "week",
    "schedule", "goal", "goals", "need", "needs", "challenge", "challenges", "priority", "priorities", "thought",
    "thoughts", "feedback", "interest", "interests", "insight", "insights", "perspective", "expertise", "journey",
    "success", "growth", "skill", "skills", "field", "space", "sector", "area", "client", "clients", "customer",
    "customers", "sales", "marketing", "effort", "efforts", "message", "email", "calendar", "site",
    "service", "services", "offering", "brand", "content", "process", "pipeline", "funnel", "strategy",
    "operation", "operations", "workflow", "revenue", "lead", "leads", "cost", "costs", "spend", "budget",
    "hiring", "recruiting", "outreach", "presence", "ad", "ads", "campaign", "campaigns", "firm", "organisation",
    "opinion", "input", "response", "consideration", "attention", "help", "support", "life",
    "family", "weekend", "plan", "plans", "world", "side", "end", "own", "office", "city", "area", "staff",
    "people", "employee", "employees", "member", "members", "product", "products", "work", "achievement",
    "achievements", "accomplishment", "accomplishments", "resume", "cv", "mind", "way", "part",
}
GENERIC_MODIFIERS = {"great", "amazing", "awesome", "impressive", "interesting", "recent", "latest", "new", "last",
                     "incredible", "fantastic", "excellent", "inspiring", "insightful", "fascinating", "wonderful",
                     "nice", "good", "strong", "solid", "cool", "current", "whole", "entire", "own", "next",
                     "linkedin", "many", "several", "few", "some", "all", "other"}
GENERIC_FACT_LEMMAS = {"team", "company", "work", "business", "people", "year", "time", "new", "great", "good",
                       "thing", "way", "day", "week", "today", "really", "also", "much", "many", "lot", "make",
                       "get", "go", "say", "use", "need", "want", "think", "know", "help", "like", "post",
                       "share", "write", "talk", "article", "role", "job", "well", "first", "last", "next"}
_QUOTE_RE = re.compile(r'"([^"\n]{3,300})"|(?<![\w\'])\'([^\'\n]{3,120}?)\'(?![\w])')
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
    relationship: list[str] = field(default_factory=list)  # relationship lines in the text
    met_before: bool = False  # the profile says how you met (softens asks; the draft must still use it)
    evidence: list[tuple["Span", str]] = field(default_factory=list)
    facts_used: list[str] = field(default_factory=list)
    offers: list["Span"] = field(default_factory=list)
    strong_offers: list["Span"] = field(default_factory=list)  # pitches that push by themselves (job, fit, price)
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
    sig.relationship = [s.text for s in phrases.find(doc, "personalisation", "relationship",
                                                     config.phrases.get("relationship", ()))
                        if not sig.in_quotes(s.start_char, s.end_char)]
    sig.met_before = bool(profile is not None and profile.data.get("how_we_met"))
    sig.evidence = _evidence(doc, sig, recipient_names, sender_names)
    sig.offers, sig.strong_offers = _offers(doc, sig, sender_names, config.phrases.get("fit_pitch", ()))
    if profile is not None:
        sig.facts_used = _facts_used(_about_them(doc, sig), profile.facts(), fact_docs)
    sig.promote_asks = _promote_asks(sig, sender_names)
    return sig


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]


def _greeting(doc: "Doc") -> tuple["Span | None", int]:
    """The name in an opening greeting ("Hi Joanne," / "Dear Dr. Mensah" / "Warren,") and where it ends."""
    text = doc.text
    start = 0
    while True:  # skip leading blank and "Subject:" lines
        m = GREETING_SKIP_RE.match(text, start)
        stripped = len(text[start:]) - len(text[start:].lstrip())
        if m and m.start() == start + 0 and text[start:m.end()].strip():
            start = m.end()
        elif stripped:
            start += stripped
        else:
            break
        if start >= len(text):
            return None, 0
    line_end = text.find("\n", start)
    limit = line_end if line_end != -1 else len(text)
    toks = [t for t in doc if start <= t.idx < limit and not t.is_space]
    i = 0
    while i < len(toks) and toks[i].lower_ in GREETING_WORDS | {"good"}:
        i += 1
    while i < len(toks) and (toks[i].lower_.rstrip(".") in TITLES or toks[i].text == "."):
        i += 1
    j = i
    while j < len(toks) and j - i < 3 and toks[j].text[:1].isupper() and toks[j].is_alpha \
            and toks[j].lower_ not in {"i", "thanks", "thank", "happy", "congrats", "congratulations", "hope",
                                       "great", "good", "loved", "saw", "your", "quick"}:
        j += 1
    name = doc[toks[i].i:toks[j - 1].i + 1] if j > i else None
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
    owner = possessor(tok)
    if owner is not None:
        return owner
    if any(c.lower_ in SENDER_PRONOUNS for c in tok.conjuncts):
        return "sender"
    phrase = " ".join(t.lower_ for t in tok.subtree)
    if any(name and name in phrase for name in sender_names):
        return "sender"
    if tok.pos_ == "PROPN" and low in recipient_names:
        return "recipient"
    return "other"


def possessor(tok: "Token") -> str | None:
    """Whose noun phrase this is: "our fleet telematics platform" is the sender's even when the small
    model hangs "our" on "fleet" rather than on "platform"."""
    for t in tok.doc[tok.left_edge.i:tok.i + 1]:
        if t.dep_ == "poss" and t.lower_ in ("my", "our"):
            return "sender"
        if t.dep_ == "poss" and t.lower_ == "your":
            return "recipient"
    return None


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
            addresses = any(t.lower_ in ("you", "your") and doc[t.i - 1].lower_ not in ("like", "as")
                            for t in verb.subtree if t.i not in {s.i for s in tok.subtree})
            clause.self_talk = not looks_out and not addresses
        out.append(clause)
    # A configured sender name the model mis-tags ("Ledgerly" as an adverb) still heads its clause.
    if sender_names:
        for tok in doc:
            verb = tok.head
            if tok.dep_ in SUBJECT_DEPS or verb is tok or verb.pos_ not in ("VERB", "AUX") or tok.i > verb.i:
                continue
            if tok.lower_ in sender_names and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
                looks_out = verb.lemma_.lower() in outward
                out.append(Clause(verb=verb, subject=tok, kind="sender", self_talk=not looks_out))
    return out


def _evidence(doc: "Doc", sig: Signals, recipient_names: set[str], sender_names: list[str]) -> list[tuple["Span", str]]:
    """Signs that the sender did some research on this recipient (spans in the body, with a label)."""
    work_nouns = phrases.words("personalisation", "work_nouns")
    work_verbs = phrases.words("personalisation", "work_verbs")
    found: list[tuple[Span, str]] = []
    for tok in doc:
        if tok.lower_ == "your":
            span = _specific_np(doc, tok, work_nouns)
            if span is not None:
                found.append((span, "their work"))
        elif tok.lower_ == "you":
            span = _specific_act(doc, tok, work_verbs)
            if span is not None:
                found.append((span, "what they did"))
        elif tok.lemma_.lower() in ("thank", "thanks", "congrats", "congratulations", "congratulate"):
            span = _thanks_for(doc, tok)
            if span is not None:
                found.append((span, "a real exchange" if tok.lemma_.lower().startswith("thank") else "their news"))
        elif tok.lemma_.lower() in ("see", "saw", "notice", "read", "hear") and tok.pos_ == "VERB":
            span = _their_news(doc, tok, sender_names)
            if span is not None:
                found.append((span, "their news"))
    link_words = {"mutual", "friend", "colleague", "suggest", "recommend", "introduce", "mention", "know",
                  "work", "told", "tell", "point", "connection", "classmate", "mentor", "manager", "boss", "say"}
    for sent in sig.sentences:
        people = [e for e in sent.ents if e.label_ == "PERSON"
                  and not ({t.lower_ for t in e} & recipient_names)
                  and e.text.lower() not in sender_names]
        if people and any(t.lemma_.lower() in link_words for t in sent):
            found.append((people[0], "shared connection"))
    for start, end in sig.quoted:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span) >= 3 and any(t.lower_ in ("you", "your") for t in span.sent):
            found.append((span, "quotes them"))
    return [(s, why) for s, why in found if not _looks_placeholder(s)]


TOPIC_STARTERS = {"on", "about", "at", "in", "for", "with", "from", "to", "of", "that", "where", "which", "when",
                  "regarding", "around", "comparing", "arguing", "showing", "explaining", "listing", "asking",
                  "describing", "suggesting", "saying", "claiming", "covering", ":", "-", "—"}


def _content(tok: "Token") -> bool:
    return (not tok.is_stop and not tok.is_punct and not tok.is_space and tok.lemma_.lower() not in GENERIC_MODIFIERS
            and tok.pos_ in ("NOUN", "PROPN", "VERB", "NUM", "ADJ", "X"))


def _np_after(doc: "Doc", start: int) -> tuple[int, int]:
    """[start, end) of the noun phrase that follows a token, read linearly (adjectives, nouns, 's)."""
    end = start
    limit = min(doc[start].sent.end if start < len(doc) else len(doc), start + 8)
    while end < limit and (doc[end].pos_ in ("ADJ", "NOUN", "PROPN", "NUM") or doc[end].tag_ == "POS"
                           or doc[end].text in ("-", "#")):
        end += 1
    while end > start and doc[end - 1].pos_ not in ("NOUN", "PROPN"):
        end -= 1
    return start, end


def _specific_np(doc: "Doc", your: "Token", work_nouns: frozenset[str]) -> "Span | None":
    """ "your post on X", "your meltcurvr package", "your 2022 paper", "your post asked for...": a
    possession with specific content, read on the linear neighbourhood (the small model's attachments
    of prepositional phrases are unreliable)."""
    start, end = _np_after(doc, your.i + 1)
    if end <= start:
        return None
    noun = doc[end - 1]
    lemma = noun.lemma_.lower()
    modifiers = [t for t in doc[start:end - 1] if _content(t)]
    window: list[Token] = []
    nxt = doc[end] if end < noun.sent.end else None
    if nxt is not None and (nxt.lower_ in TOPIC_STARTERS or nxt.tag_ == "VBG" or nxt.pos_ == "VERB"):
        window = [t for t in doc[end:min(noun.sent.end, end + 9)] if _content(t)]
    before = [t for t in doc[max(noun.sent.start, your.i - 6):your.i] if _content(t)]
    if lemma in GENERIC_POSSESSIONS or noun.lower_ in GENERIC_POSSESSIONS:
        if not any(t.pos_ in ("PROPN", "NUM") for t in modifiers):
            return None
    elif lemma in work_nouns:
        reported = doc[your.i - 1].lower_ in ("in", "from", "on") and len(before) >= 2 if your.i else False
        if not modifiers and not window and not reported:
            return None
    elif not (any(t.pos_ in ("PROPN", "NUM") for t in modifiers) or len(modifiers) >= 2 or len(window) >= 2):
        return None
    last = max([noun.i, *[t.i for t in modifiers + window]])
    return doc[your.i:last + 1]


def _specific_act(doc: "Doc", you: "Token", work_verbs: frozenset[str]) -> "Span | None":
    """ "you wrote that X", "saw you maintain the podwarden operator", "the rota change you described"."""
    verb = you.head if you.dep_ in SUBJECT_DEPS else next(
        (t for t in doc[you.i + 1:min(you.sent.end, you.i + 4)] if t.pos_ == "VERB"), None)
    if verb is None:
        return None
    lemma = verb.lemma_.lower()
    if lemma not in work_verbs and lemma not in ACT_VERBS:
        return None
    if any(c.lower_ in MODALS or c.lower_ in ("to", "'ll", "will") for c in verb.children) or (
            verb.tag_ == "VB" and you.dep_ in SUBJECT_DEPS):
        return None
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN") and not verb.head.is_stop \
            and verb.head.i < you.i:
        return doc[verb.head.i:verb.i + 1]
    objects = [t for t in doc[verb.i + 1:min(verb.sent.end, verb.i + 10)] if _content(t)]
    if len(objects) >= 2 or any(t.pos_ in ("PROPN", "NUM") for t in objects):
        return doc[you.i:max(t.i for t in objects) + 1]
    return None


ACT_VERBS = {"maintain", "author", "edit", "curate", "chair", "find", "ask", "raise", "tweet", "blog", "film",
             "photograph", "paint", "review", "test", "benchmark", "measure", "survey", "map", "translate",
             "handle", "solve", "tackle", "approach", "frame", "structure", "implement", "refactor", "document",
             "volunteer", "donate", "mentor", "coach", "sponsor", "judge", "recommend", "advise"}


def _their_news(doc: "Doc", seen: "Token", sender_names: list[str]) -> "Span | None":
    """ "Saw that Nordkap led Solbris's seed round", "saw Terrafold hit 1.0": news about them."""
    for tok in doc[seen.i + 1:min(seen.sent.end, seen.i + 5)]:
        if tok.pos_ == "PROPN" and tok.text.lower() not in sender_names:
            verb = tok.head if tok.dep_ in SUBJECT_DEPS else next(
                (t for t in doc[tok.i + 1:min(tok.sent.end, tok.i + 3)] if t.pos_ == "VERB"), None)
            if verb is None or verb.pos_ != "VERB" or verb.i < tok.i:
                continue
            objects = [t for t in doc[verb.i + 1:min(verb.sent.end, verb.i + 8)] if _content(t)]
            if objects:
                return doc[seen.i:max(t.i for t in objects) + 1]
    return None


def _thanks_for(doc: "Doc", thank: "Token") -> "Span | None":
    """ "thank you ... for the tip about the makerspace", "congrats on the Series A announced today"."""
    work_verbs = phrases.words("personalisation", "work_verbs")
    generic = {"time", "connection", "connect", "consideration", "attention", "reply", "response", "patience",
               "help", "support", "request", "invite", "invitation", "network", "role", "job", "position",
               "promotion", "anniversary", "birthday", "news", "milestone", "achievement", "success"}
    for prep in (t for t in doc[thank.i + 1:thank.sent.end] if t.lower_ in ("for", "on")):
        nxt = doc[prep.i + 1] if prep.i + 1 < len(doc) else None
        if nxt is None:
            continue
        if nxt.pos_ == "VERB":
            if nxt.lemma_.lower() in work_verbs and nxt.lemma_.lower() not in (
                    "connect", "accept", "reply", "respond", "add", "have", "take", "make"):
                return doc[thank.i:nxt.i + 1]
            continue
        obj = [t for t in doc[prep.i + 1:min(thank.sent.end, prep.i + 9)] if _content(t)]
        specific = [t for t in obj if t.lemma_.lower() not in generic]
        if any(t.pos_ in ("PROPN", "NUM") for t in specific) or len(specific) >= 2:
            return doc[thank.i:max(t.i for t in obj) + 1]
    return None


def _looks_placeholder(span: "Span") -> bool:
    return bool(re.search(r"[\[{<]{1,2}\s*\w[^\]}>]*[\]}>]|_{3,}|%\w+%", span.sent.text))


def _content_lemmas(tokens) -> set[str]:
    return {t.lemma_.lower() for t in tokens if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop
            and len(t.text) > 2 and t.lemma_.lower() not in GENERIC_FACT_LEMMAS}


def _about_them(doc: "Doc", sig: Signals) -> list["Token"]:
    """Tokens of the sentences that are not the sender's pitch or self-talk: where research shows."""
    pitch = {s.start for s in sig.offers}
    talk = {c.verb.sent.start for c in sig.sender_clauses if c.verb.dep_ == "ROOT"}
    return [t for sent in sig.sentences if sent.start not in pitch and sent.start not in talk for t in sent]


# how many content lemmas a fact must share with the draft (None: all of the fact's own lemmas)
FACT_OVERLAP = {"about": 3, "shared_groups": None, "interests": None, "education": None}


def _facts_used(tokens: list["Token"], facts: list[Fact], fact_docs: dict[str, "Doc"]) -> list[str]:
    """Profile fields whose facts the draft really uses, outside its pitch: names by token, text by lemmas."""
    draft_lemmas = _content_lemmas(tokens) | {t.lower_ for t in tokens if t.is_alpha and len(t) > 2}
    draft_tokens = {t.text for t in tokens}
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
        need = FACT_OVERLAP.get(fact.field, 1 if len(lemmas) <= 2 else 2)
        if lemmas and len(overlap) >= (len(lemmas) if need is None else need):
            used.append(fact.field)
    return used


def _offers(doc: "Doc", sig: Signals, sender_names: list[str], fit_extra: tuple[str, ...] = ()
            ) -> tuple[list["Span"], list["Span"]]:
    """Sentences where the sender offers something commercial ("we help X do Y", "our platform", a job),
    and the subset that pushes by itself (a job pitch, "you'd be a great fit", a price)."""
    pitch_verbs = phrases.words("sender", "pitch_verbs")
    pitch_nouns = phrases.words("sender", "pitch_nouns")
    job_nouns = phrases.words("hard_sell", "job_nouns")
    found: list[Span] = []
    strong: list[Span] = []
    for clause in sig.clauses:
        verb = clause.verb
        if clause.kind == "sender" and clause.self_talk and verb.lemma_.lower() in pitch_verbs:
            if any(c.dep_ in ("dobj", "xcomp", "ccomp", "dative") for c in verb.children):
                found.append(verb.sent)
    for span in phrases.find(doc, "hard_sell", "fit_pitch", fit_extra):
        if not sig.in_quotes(span.start_char, span.end_char):
            strong.append(span.sent)
    for sent in sig.sentences:
        # "Built custom AI roleplay for..." / "Helping B2B teams..." with the subject dropped
        first = next((t for t in sent if t.is_alpha and t.idx >= sig.greeting_end and t.pos_ != "PROPN"
                      and not _looks_placeholder(doc[t.i:t.i + 1])), None)
        if first is not None and first.tag_ in ("VBD", "VBN", "VBG") and first.lemma_.lower() in pitch_verbs \
                and first.i + 1 < sent.end and doc[first.i + 1].pos_ in ("ADJ", "NOUN", "PROPN", "DET", "NUM"):
            found.append(sent)
        for tok in sent:
            if sig.in_quotes(tok.idx, tok.idx + len(tok)) or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            low = tok.lemma_.lower()
            kids = list(tok.children)
            if any(c.dep_ == "poss" and c.lower_ in ("your", "their", "his", "her") for c in kids):
                continue
            if any(c.dep_ == "poss" and c.lower_ in ("our", "my") for c in kids) and low in pitch_nouns:
                found.append(sent)
            if low in job_nouns and any(
                    c.lower_ in HYPE or (c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < tok.i) for c in kids
            ) and not any(c.kind == "recipient" and tok in c.verb.subtree for c in sig.clauses):  # wanted by them
                strong.append(sent)
        if any(name and re.search(rf"\b{re.escape(name)}\b", sent.text.lower()) for name in sender_names):
            found.append(sent)
    for span in found:
        if has_price(span.text):
            strong.append(span)
    found.extend(strong)
    return _unique(found), _unique(strong)


def _unique(spans: list["Span"]) -> list["Span"]:
    return [s for _, s in sorted({s.start: s for s in spans}.items())]


def is_cta(sent: "Span") -> bool:
    """A call to action: a forward-looking question or request (not a question about their past work)."""
    text = sent.text
    if CTA_RE.search(text):
        return True
    if "?" not in text:
        return False
    if any(t.lower_ == "did" or (t.tag_ == "VBD" and t.dep_ == "ROOT") for t in sent):
        return False
    lemmas = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    alpha = [t for t in sent if t.is_alpha]
    asks_them = any(t.lower_ in MODALS for t in sent) and any(t.lower_ in ("you", "we", "i") for t in sent)
    return bool(lemmas & (CTA_WORDS | {"worth"})) or asks_them or len(alpha) <= 4


def has_price(text: str) -> bool:
    return bool(_PRICE_RE.search(text))


REQUEST_MARKERS = ("?", "please", "would you", "could you", "can you", "will you", "you could", "i'd appreciate",
                   "i would appreciate", "would be great if", "if you could", "would mean a lot", "would love it if",
                   "would love for you", "feel free to", "don't forget to", "do check", "go check")


def _sender_does(verb: "Token") -> bool:
    """True when someone other than the recipient does this verb ("I'd be happy to share our tables",
    "see how Acme uses it"); an imperative or a "you" subject is a request to the recipient."""
    node = verb
    for _ in range(4):
        subjects = [c for c in node.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            return subjects[0].lower_ not in RECIPIENT_PRONOUNS
        if node.head is node:
            return False
        node = node.head
    return False


SHOWCASE_VERBS = {"launch", "release", "publish", "build", "open-source", "write", "create", "make", "ship", "develop",
                  "start", "drop", "nominate", "finish", "record", "produce", "design", "post", "put", "spend", "work"}
SHOWCASE_RE = re.compile(r"^\W*here(?:'s| is| are)\b[^\n]*\b(?:my|our|we've|we have|i've|i have)\b[^\n]*"
                         r"\b(?:work|project|demo|demos|video|videos|portfolio|app|product|post|article|launch|repo|"
                         r"site|page|shipped|built|made|course|book|podcast|episode|channel)\b[^\n]*"
                         r"(?:https?://|www\.|\w\.(?:com|io|ai|app|dev|co)\b)", re.I)


def _promote_asks(sig: Signals, sender_names: list[str]) -> list["Span"]:
    """Requests to look at, try, share, star, vote for or give feedback on the sender's own work."""
    verbs = phrases.words("self_centred", "promote_verbs")
    nouns = phrases.words("self_centred", "promote_nouns")
    objects = [o.lower() for o in phrases.data()["self_centred"]["promote_objects"]] + sender_names
    showcase = bool(sig.offers) or any(c.kind == "sender" and c.verb.lemma_.lower() in SHOWCASE_VERBS
                                       for c in sig.clauses)
    found: list[Span] = []
    for sent in sig.sentences:
        low = sent.text.lower()
        if SHOWCASE_RE.match(sent.text):  # "Here are demo videos of what we've shipped: <link>"
            found.append(sent)
            continue
        first = next((t for t in sent if t.is_alpha), None)
        imperative = first is not None and first.tag_ == "VB" and first.dep_ == "ROOT"
        if not (imperative or any(m in low for m in REQUEST_MARKERS) or "appreciate" in low or "would help" in low
                or "would mean" in low or "you can" in low):
            continue
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB" and lemma in verbs and not _sender_does(tok):
                tail = " ".join(t.lower_ for t in sent if t.i > tok.i)
                if any(tail.startswith(o) or f" {o} " in f" {tail} " for o in objects if o) or (
                        showcase and re.match(r"(?:(?:a|out|over)\s+)?(?:it|them|me|us|this)\b", tail)):
                    found.append(sent)
                    break
            elif tok.pos_ == "NOUN" and lemma in nouns and (showcase or lemma != "feedback" and any(
                    t.lower_ in ("us", "me", "my", "our") for t in sent)) and not any(
                    c.lower_ in ("your", "their") for c in tok.children):
                found.append(sent)
                break
    return [s for s in found if not sig.in_quotes(s.start_char, s.end_char)]
