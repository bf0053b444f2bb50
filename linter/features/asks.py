"""Asks: what the draft requests of the recipient, in which form, and whom the request serves.

A sentence asks when it is a yes/no question to the recipient ("Would you be open to..."), a question
fragment ("Worth a chat?"), a scheduling question ("When works for you?"), an imperative ("Grab a slot"),
a joint proposal ("Let's talk") or the sender's wish that involves them ("I'd love to chat", "We'd love to have
you on the show"). What is asked is read from the lemmas of the asking clause: a meeting, a demo, attention for
the sender's work, a guest spot, an application, a purchase, an introduction, advice, or a reply. Its purpose
(advice, the sender's sale, an existing relationship) comes from the words around it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import phrases, vocab
from . import Situation, doc_lemmas, feature, lemmas, lowers, span_text, span_tokens, span_words, stored
from .clauses import clauses_in, possessor
from .text import body_sentences, in_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

WH = {"what", "when", "which", "how", "why", "where", "who", "whom", "whose"}
SCHEDULE_WORDS = {"work", "works", "suit", "suits", "good", "best", "convenient", "available", "free", "open",
                  "easiest", "better"}
TIME_WORDS = {"today", "tomorrow", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
              "sunday", "week", "weekend", "month", "morning", "afternoon", "evening", "sometime", "soon", "am",
              "pm", "minute", "minutes", "min", "mins", "hour", "slot", "time", "times", "date", "dates", "later",
              "call", "calendar", "schedule", "15", "10", "20", "30", "45", "60", "next"}
ADVICE_VERBS = {"learn", "understand", "ask", "hear", "pick", "get", "know", "tell", "share", "explain",
                "advise", "recommend", "suggest", "guide", "mentor", "teach", "compare", "swap", "bounce"}
SALES_WORDS = {"demo", "show", "walk", "tour", "introduce", "solution", "platform", "product", "service", "offer",
               "pricing", "price", "value", "save", "increase", "boost", "grow", "opportunity", "role", "position",
               "opening", "partnership", "partner", "collaboration", "collaborate", "fit", "benefit", "proposal",
               "deal", "package", "discount", "trial", "candidate", "candidacy", "resume", "cv", "hire", "hiring",
               "recruit", "client", "clients", "business", "revenue", "leads", "roi", "results", "agency",
               "relocation", "salary", "compensation", "perks", "team"}
CATCH_UP = {"catch", "reconnect", "update", "hear"}
PROMOTE_OBJECTS = {"my", "our", "this", "it", "them", "us", "me"}
GUEST_VERBS = {"join", "come", "appear", "speak", "talk", "present", "guest", "be", "have", "feature", "record",
               "interview", "contribute", "write", "keynote", "chat", "consider", "do", "give", "share", "host"}
PRESS_WORDS = {"journalist", "reporter", "editor", "writing", "story", "article", "piece", "newsletter", "podcast",
               "episode", "column", "feature", "quote", "magazine", "newspaper", "publication", "show", "radio",
               "documentary", "researching", "research", "thesis", "dissertation", "study", "survey"}
BUY_WORDS = {"buy", "purchase", "order", "subscribe", "sign", "signup", "register", "enrol", "enroll", "claim",
             "redeem", "upgrade", "checkout", "book"}
INTRO_WORDS = {"introduce", "introduction", "intro", "refer", "referral", "touch", "connect"}
APPLY_WORDS = {"resume", "cv", "apply", "application", "candidacy", "portfolio", "consider", "role", "position",
               "opportunity", "opening", "job", "career", "move", "change", "relocation", "offer"}
REPLY_WORDS = {"know", "reply", "respond", "answer", "back", "hear", "thought", "thoughts", "think", "feedback",
               "holler", "ping", "email", "message", "write", "tell"}


@dataclass(frozen=True)
class Ask:
    """A request made of the recipient."""

    sentence: "Span"
    kind: str      # meeting, demo, promote, guest, apply, buy, intro, advice, reply, favour, other
    form: str      # question, fragment, schedule, imperative, proposal, wish
    purpose: str   # advice, sales, relationship, none
    timed: bool    # names a time or a duration ("Thursday", "15 minutes")


def _lemmas(tokens) -> set[str]:
    if not tokens:
        return set()
    lem, low = lemmas(tokens[0].doc), lowers(tokens[0].doc)
    return {lem[t.i] for t in tokens} | {low[t.i] for t in tokens}


REQUEST_DO = {"have", "want", "fancy", "mind", "need", "wanna"}
SUGGESTED = {"check", "see", "find", "read", "watch", "listen", "try", "download", "sign", "register", "book",
             "grab", "visit", "view", "look", "learn", "join", "subscribe", "buy", "order", "get", "start"}


INVERTING = {"are", "is", "do", "does", "did", "have", "has", "were", "was", "would", "could", "can", "will",
             "shall", "should", "may", "might", "wo", "ca"}


def _inverted(cls, sent: "Span") -> "Token | None":
    """The word that opens a question put to the recipient, before its subject: "can you spare a minute?",
    "..., are you free for a call?" (the parse, or an auxiliary right before "you" when the parse is off)."""
    for t in sent[:-1]:
        if t.lower_ in INVERTING and t.nbor(1).lower_ in ("you", "we", "i") and (
                t.i == sent.start or not t.nbor(-1).is_alpha or t.nbor(-1).lower_ in ("so", "and", "but", "or")):
            return t
    for c in cls:
        if c.role in ("recipient", "sender") and c.subject is not None and c.subject.lower_ in ("you", "we", "i"):
            for a in c.verb.children:
                if a.dep_ in ("aux", "auxpass") and a.i < c.subject.i:
                    return a
            if c.verb.i < c.subject.i and c.verb.lemma_.lower() in ("be", "have", "do"):
                return c.verb
    return None


def _form(doc: "Doc", sent: "Span") -> str | None:
    """How a sentence asks, or None when it does not. Questions about them ("Did the pilot stick?", "What made you
    switch?") are engagement, not requests."""
    text = span_text(sent).strip()
    cls = clauses_in(doc, sent)
    greeting_end = stored(doc, "greeting").end
    alpha = [t for t in span_tokens(sent) if t.is_alpha and t.idx >= greeting_end]
    if not alpha:
        return None
    first = alpha[0]
    low = first.lower_
    words = set(lowers(doc)[sent.start:sent.end])
    lemmas = span_words(sent)
    if text.endswith("?") or "?" in text[-4:]:
        opener = _inverted(cls, sent)
        if opener is not None and low not in WH:
            first, low = opener, opener.lower_
        if low in WH:
            if low in ("when", "what", "which") and words & SCHEDULE_WORDS and words & (TIME_WORDS | {
                    "works", "work", "suits", "suit"}):
                return "schedule"
            return None
        if low in vocab.words("grammar", "modals") or low in ("shall", "should"):
            return "question"
        if low in ("are", "is", "were", "would'nt"):
            return "question" if lemmas & vocab.words("adjectives", "request") else None
        if low in ("do", "does", "did"):
            verbs = {t.lemma_.lower() for t in span_tokens(sent) if t.pos_ in ("VERB", "AUX") and t != first}
            return "question" if low != "did" and verbs & REQUEST_DO and (
                lemmas & (vocab.words("nouns", "time", "meeting") | {"to", "if"})) else None
        if low in ("have", "has", "any"):
            return "question" if lemmas & {"chance", "interest", "time", "minute", "minutes", "appetite"} else None
        root = sent.root
        if not any(c.dep_ in vocab.words("grammar", "subject_deps") for c in root.children) or root.pos_ not in (
                "VERB", "AUX"):
            return "fragment"
        return "wish" if _wonders_if_they(cls) else None  # "I was curious if you had any interest ...?"
    if any(c.role == "recipient" and c.modal and c.verb.lemma_.lower() in SUGGESTED for c in cls) and any(
            sent.start_char <= s < sent.end_char for s, _ in stored(doc, "links")):
        return "suggestion"  # "which you can check out here: <link>"
    if low in ("lets", "let's") or any(c.verb.lemma_.lower() == "let" and any(
            t.lower_ in ("'s", "’s", "us", "s") for t in c.verb.subtree) for c in cls):
        return "proposal"
    for c in cls:
        if c.role == "imperative" and c.verb.dep_ == "ROOT":
            return "imperative"
    meeting = vocab.words("nouns", "meeting") | {"call"}
    for c in cls:
        if c.role in ("sender", "other") and (
                lemmas & meeting and lemmas & {"schedule", "set", "book", "arrange", "call", "ring", "phone"}) and (
                c.tense == "future" or c.modal or any(
                t.lemma_.lower() in ("need", "plan", "going") for t in c.verb.subtree)):
            return "plan"
    if any(c.role == "recipient" and c.modal and any(m.dep_ == "mark" and m.lower_ == "if" for m in c.verb.children)
           for c in cls) and any(c.role in ("other", "sender") and c.modal for c in cls):
        return "wish"  # "it would mean a lot if you could star the repo", "I'd appreciate it if you would"
    for c in cls:
        lemma = c.verb.lemma_.lower()
        wish = lemma in vocab.words("verbs", "desire") or lemma == "be" and any(
            t.lemma_.lower() in vocab.words("verbs", "desire") for t in c.verb.children if t.dep_ == "acomp")
        if c.role == "sender" and wish and (c.modal or c.verb.tag_ in ("VBG", "VBD") or lemma in ("wonder", "hope", "be")):
            return "wish"
        if c.role in ("other", "sender") and lemma == "be" and c.modal and any(
                t.lower_ in ("great", "good", "helpful", "amazing", "wonderful", "ideal", "honour", "honor")
                for t in c.verb.children):  # "it would be great to chat", "it would be an honour"
            return "wish"
    return None


def _wonders_if_they(cls) -> bool:
    """An indirect question put to the recipient: the sender wondering or curious whether they would do
    something ("I was wondering if you'd be open to ...", "I'm curious whether you have ..."), read the same
    with a question mark as without one."""
    recipient = vocab.words("pronouns", "recipient")
    for c in cls:
        lemma = c.verb.lemma_.lower()
        wonders = lemma == "wonder" or lemma == "be" and any(
            t.dep_ == "acomp" and t.lower_ == "curious" for t in c.verb.children)
        if c.role != "sender" or not wonders or c.negated:
            continue
        if any(k.dep_ == "mark" and k.lower_ in ("if", "whether") and any(
                s.dep_ in ("nsubj", "nsubjpass") and s.lower_ in recipient
                for s in k.head.children) for t in c.verb.subtree for k in t.children):
            return True
    return False


def _recipient_does(verb: "Token") -> bool:
    """Whether the recipient is the one asked to do this verb: an imperative, a "you" subject, "for you to"."""
    node = verb
    for _ in range(5):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0].lower_ in vocab.words("pronouns", "recipient")
        if any(c.lower_ == "for" and any(g.lower_ == "you" for g in c.children) for c in node.children):
            return True
        if node.head.i == node.i:
            return node.tag_ == "VB"  # an imperative root
        node = node.head
    return False


MAKE = {"build", "make", "launch", "create", "write", "publish", "release", "ship", "open-source", "develop",
        "start", "record", "produce", "finish", "design", "code", "put", "film", "draft"}


def _made_before(doc: "Doc", verb: "Token") -> bool:
    """The sender says, before this verb, that they made something ("I built a note app", "I just published a
    report", "I've open-sourced my runtime")."""
    return any(c.role == "sender" and c.verb.i < verb.i and (c.verb.lemma_.lower() in MAKE or
               c.verb.lemma_.lower().endswith("source")) and any(k.dep_ == "dobj" for k in c.verb.children)
               for c in stored(doc, "clauses"))


def _sender_object(doc: "Doc", verb: "Token") -> bool:
    """The thing a verb acts on is the sender's: "star our repo", "check out my course", "try Pallet", "give me
    feedback on my product", "check it out: <link>" (after the sender's own work was named)."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    objects += [g for c in verb.children if c.dep_ in ("prep", "prt") for g in c.children if g.dep_ == "pobj"]
    sender_poss = vocab.words("pronouns", "sender_possessive")
    if verb.dep_ == "relcl" and any(o.lower_ in ("which", "that") for o in objects):
        objects.append(verb.head)  # "my first book, which you can check out here": the book
    for obj in objects:
        words = list(obj.subtree)
        if any(t.lower_ in sender_poss and t.dep_ == "poss" for t in words) or any(
                stored(doc, "parties").is_sender(t) for t in words):
            return True
        if obj.lower_ in ("it", "this", "them") and (any(o.strength != "soft" for o in stored(doc, "offers")
                                                        if o.sentence.start <= verb.i) or _made_before(doc, verb)):
            return True  # "I built a note app. Could you try it?"
        if (obj.lower_ in ("this", "it") or any(d.lower_ == "this" and d.dep_ == "det" for d in obj.children)
                and obj.lemma_.lower() in vocab.words("nouns", "showcase")) and stored(doc, "links"):
            return True  # "would you star this repository? <link>"
    return False


# What a sender may ask about without asking a favour: "could you answer my question?"
MESSAGE_NOUNS = {"question", "questions", "note", "message", "email", "invitation", "invite", "request", "reply",
                 "thanks", "apology", "apologies", "name", "number", "details", "calendar"}


def _kind(doc: "Doc", sent: "Span", form: str, situation: Situation) -> str:
    toks = [t for t in span_tokens(sent) if not in_quotes(doc, t.idx, t.idx + len(t))]
    lem = _lemmas(toks)
    meeting_nouns = vocab.words("nouns", "meeting")
    meeting_verbs = vocab.words("verbs", "meeting")
    nouns = {t.lemma_.lower() for t in toks if t.pos_ in ("NOUN", "PROPN")}
    verbs = {t.lemma_.lower() for t in toks if t.pos_ in ("VERB", "AUX")}
    has_link = any(sent.start_char <= s < sent.end_char for s, _ in stored(doc, "links"))
    timed = bool(lem & TIME_WORDS) or any(e.label_ in ("DATE", "TIME") for e in sent.ents)
    parties = stored(doc, "parties")
    sender_owned = any(t.lower_ in ("my", "our") for t in toks) or any(parties.is_sender(t) for t in toks)
    theirs_to_show = "see" in verbs and not any(t.lower_ in ("our", "my") for t in toks)
    if (lem & {"demo", "walkthrough", "walk-through", "tour"} or "walk" in verbs and "through" in lem
            or "show" in verbs and (sender_owned or lem & {"how", "what"})) and not theirs_to_show:
        return "demo"
    if (nouns & vocab.words("nouns", "show") or theirs_to_show and "demo" in lem or any(
            parties.is_sender(t) for t in toks)) and verbs & GUEST_VERBS and (
            lem & {"guest", "on", "at", "in", "speaker", "speak", "join", "give", "present"}) or (
            verbs & {"join", "come"} and "us" in lem and lem & {"on", "at"}):
        return "guest"
    if lem & {"introduce", "introduction", "intro", "refer", "referral"} and not lem & {"myself", "ourselves"} \
            or "touch" in lem and "put" in lem:
        if any(t.lemma_.lower() in ("introduce", "refer", "recommend") and any(
                c.lower_ == "me" and c.dep_ in ("dobj", "dative") for c in t.children) for t in toks):
            return "favour"  # "could you refer me for the opening?": for the sender's own ends
        return "intro"
    if form == "schedule" or form in ("question", "fragment") and timed and lem & SCHEDULE_WORDS:
        return "meeting"
    if form != "wish" and form != "imperative" and nouns & meeting_nouns:
        return "meeting"
    if nouns & meeting_nouns and (form in ("wish", "imperative", "proposal")):
        return "meeting"
    meet_verb = verbs & meeting_verbs - {"connect", "show", "present", "set", "book", "grab", "schedule"}
    if meet_verb and (form in ("question", "fragment", "proposal", "schedule") or timed or "with" in lem):
        if not (verbs & {"talk", "speak", "discuss"} and lem & {"podcast", "show", "episode", "panel"}):
            return "meeting"
    if "connect" in verbs and (timed or form in ("question", "proposal") and situation.stage != "connection-request"):
        return "meeting"
    if any(t.lemma_.lower() in vocab.words("nouns", "time") and t.pos_ == "NOUN" and (
            any(c.like_num or c.lower_ in ("few", "quick", "spare", "some", "little", "brief", "couple")
                for c in t.children) or t.head.lemma_.lower() in ("spare", "grab", "find", "have", "give", "take",
                                                                   "borrow", "steal", "get"))
           for t in toks) or nouns & vocab.words("nouns", "time") and form == "schedule":
        return "meeting"  # "15 minutes", "a few minutes", "can you spare a minute?"
    if lem & {"resume", "cv", "apply"} or nouns & vocab.words("nouns", "job") and lem & {
            "interested", "consider", "open", "explore", "discuss", "hear", "learn", "chat"} and not sender_owned:
        return "apply"
    for t in toks:
        if t.pos_ == "VERB" and t.lemma_.lower() in vocab.words("verbs", "promote") and _sender_object(doc, t) \
                and _recipient_does(t):
            return "promote"
    if verbs & BUY_WORDS and (has_link or sender_owned or lem & {"now", "today", "trial", "offer"}):
        return "buy"
    if nouns & {"feedback", "review", "star", "vote", "upvote", "testimonial", "rating"} and (any(
            t.lower_ in ("my", "our") and t.dep_ == "poss" for t in toks) or _made_before(doc, sent[0])):
        return "promote"
    if lem & {"interested", "interest", "keen"} and (
            form in ("question", "fragment") or form == "wish" and _wonders_if_they(clauses_in(doc, sent))):
        return "interest"  # "Interested?", "I was curious if you had any interest in ..."
    advice = vocab.words("nouns", "advice")
    if any(t.lemma_.lower() in advice and t.pos_ in ("NOUN", "PROPN") and possessor(t) != "sender"
           for t in toks) and any(t.lower_ in ("your", "you") for t in toks) \
            or verbs & {"learn", "pick"} and any(t.lower_ in ("your", "you", "brain") for t in toks):
        return "advice"
    if any(t.pos_ == "VERB" and t.lemma_.lower() in vocab.words("verbs", "favour") and _recipient_does(t)
           for t in toks) and any(t.lower_ in ("me", "my", "us", "our") for t in toks):
        return "favour"
    if any(t.dep_ == "poss" and t.lower_ in ("my", "our") and t.head.dep_ == "dobj" and t.head.lemma_.lower()
           not in MESSAGE_NOUNS and t.head.head.pos_ == "VERB" and t.head.head.lemma_.lower() not in
           vocab.words("verbs", "meeting") and _recipient_does(t.head.head) for t in toks):
        return "favour"  # "please do what you can to bolster my chances": the sender's ends, not a reply
    if lem & REPLY_WORDS:
        return "reply"
    return "other"


def _purpose(doc: "Doc", sent: "Span", neighbours: list["Span"], advice_spans: list["Span"]) -> str:
    """Why the sender asks, from the words of the asking sentence and the one before it."""
    here = [t for t in span_tokens(sent) if not in_quotes(doc, t.idx, t.idx + len(t))]
    lem = _lemmas(here)
    if any(t.lemma_.lower() in vocab.words("verbs", "offer") | {"benefit"} and t.pos_ == "VERB" and any(
            c.lower_ in ("you", "your") for c in t.subtree if c.i > t.i) for t in here):
        return "sales"  # "something that could really help your team", "how we can help you"
    if any(c.role == "sender" and c.subject is not None and c.subject.lower_ == "we" and
           c.verb.lemma_.lower() in vocab.words("verbs", "benefit") for c in clauses_in(doc, sent)):
        return "sales"  # "would you be open to seeing how we halve invoice errors?"
    if doc_lemmas(doc) & PRESS_WORDS and not lem & SALES_WORDS:
        return "press"  # an interview for a story, a podcast, research: an invitation that sells nothing
    around = _lemmas([t for s in neighbours for t in s])
    if _seeks_their_knowledge(doc, here, advice_spans, sent):
        if not (lem & SALES_WORDS and lem & {"our", "my", "we"}):
            return "advice"
    if lem & CATCH_UP and (lem & {"up", "properly", "doing", "been"} or "reconnect" in lem):
        return "relationship"
    if lem & SALES_WORDS or lem & {"our", "my", "we", "us"} and lem & vocab.words("verbs", "offer") \
            or any(stored(doc, "parties").is_sender(t) for t in here):
        return "sales"
    if any(_seeks_their_knowledge(doc, list(s), advice_spans, s) for s in neighbours) and not around & SALES_WORDS:
        return "advice"
    return "none"


def _seeks_their_knowledge(doc: "Doc", tokens: list, advice_spans: list["Span"], sent: "Span") -> bool:
    """The sender wants to learn from the recipient: the advice phrases, their own perspective or experience
    ("your take", "hear about your experience"), or learning how they did something."""
    if any(sent.start <= a.start < sent.end for a in advice_spans):
        return True
    advice_nouns = vocab.words("nouns", "advice")
    for t in tokens:
        if t.lemma_.lower() in advice_nouns and t.pos_ == "NOUN" and (
                any(c.dep_ == "poss" and c.lower_ in ("your", "yours") for c in t.children)
                or t.head.lemma_.lower() in ADVICE_VERBS and any(x.lower_ in ("you", "your") for x in tokens)):
            return True
        if t.lemma_.lower() in ("learn", "understand", "hear") and t.pos_ == "VERB" and any(
                x.lower_ in ("you", "your") for x in t.subtree if x.i > t.i):
            return True  # "learn how you built the team", "hear about your move"
    return False


@feature("asks")
def asks(doc: "Doc", situation: Situation) -> list[Ask]:
    out: list[Ask] = []
    sents = body_sentences(doc) or doc._.sentences
    advice_spans = phrases.find(doc, "advice", situation.config.phrases.get("advice", ()))
    for k, sent in enumerate(sents):
        if in_quotes(doc, sent.start_char, sent.end_char):
            continue
        form = _form(doc, sent)
        if form is None:
            continue
        kind = _kind(doc, sent, form, situation)
        if form == "wish" and kind in ("other", "reply"):
            continue  # "I'd love to hear your story" is engagement; "I hope you're well" is not an ask
        lem = span_words(sent)
        timed = bool(lem & TIME_WORDS - {"call", "time", "times", "next"}) or any(
            e.label_ in ("DATE", "TIME") for e in sent.ents)
        out.append(Ask(sent, kind, form, _purpose(doc, sent, sents[max(0, k - 1):k], advice_spans), timed))
    return out
