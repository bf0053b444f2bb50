"""Hard sell (HS): pitches, meeting asks, urgency, sales links, nags and scripted openers."""
from __future__ import annotations

import re
from typing import Iterator

from .. import phrases
from ..analysis import MODALS, is_cta
from . import Context, Hit, short

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\"']+|\b[a-z0-9-]+\.(?:com|io|ai|co|me|app|link)/[^\s<>()\"']*",
                    re.I)
ASK_RE = re.compile(r"\b(?:let's|lets|let me know|would love to|i'd love to|i would love to|i'd like to|"
                    r"i would like to|can we|could we|shall we|are you free|free for|happy to jump|worth a|"
                    r"open to a|when works|what times?|what day|which day|up for a|please book|"
                    r"(?:schedule|set up|book|arrange|hop on|jump on|we can discuss|we can chat)(?: a| an| some)?)\b",
                    re.I)
TOPIC_MODIFIERS = {"cold", "sales", "discovery", "first", "client", "customer", "support", "conference", "earnings",
                   "team", "board", "investor", "town", "all-hands", "standup", "stand-up", "weekly", "1:1", "intro"}
IMPERATIVE_ASKS = {"grab", "book", "schedule", "pick", "choose", "find", "set", "hop", "jump", "join", "reserve"}


def check(ctx: Context) -> Iterator[Hit]:
    sig = ctx.signals
    yield from _pitch(ctx)
    yield from _meeting_asks(ctx)
    if ctx.on("HS003"):
        for span in ctx.find("hard_sell", "urgency"):
            yield ctx.hit("HS003", span, f"Urgency or scarcity: '{span.text}' pressures a stranger.",
                          "Drop the deadline; give a reason to reply that is about them, not about your offer.")
    yield from _sales_links(ctx)
    nags = [s for s in ctx.find("hard_sell", "nag")]
    for span in nags:
        yield ctx.hit("HS005", span, f"Nagging follow-up: '{span.text}' adds pressure, not value.",
                      "Add something new and useful (a resource, an answer, an idea) and make it easy to say no.")
    if ctx.on("HS006") and ctx.sequence_step >= 2 and not ctx.replied and sig.sentences:
        if not ctx.find("hard_sell", "opt_out"):
            last = sig.sentences[-1]
            yield ctx.hit("HS006", last, f"Follow-up (step {ctx.sequence_step}) gives no easy way to say no.",
                          "End with an exit, e.g. \"If this isn't a priority, just say so and I won't follow up.\"")
    for span in ctx.find("hard_sell", "scripted_opener"):
        if span.start_char > 160:
            continue
        soft = "info" if sig.relationship or sig.met_before or not ctx.first_touch else None
        yield ctx.hit("HS007", span, f"Scripted opener: '{span.text}' reads like a telemarketing script.",
                      "Open with something specific to them: their post, their project, a shared contact.", soft)


def _pitch(ctx: Context) -> Iterator[Hit]:
    """An offer plus an ask (or a price) in a first touch."""
    sig = ctx.signals
    if not ctx.on("HS001") or not ctx.first_touch:
        return
    where = {"connection-request": "a connection note", "post-connection": "the first message after connecting",
             "cold": "a cold first message"}[ctx.stage]
    if not sig.offers:
        for sent in sig.promote_asks[:1]:
            yield ctx.hit("HS001", sent, f"Asks a stranger to try or promote your work in {where}: "
                                         f"'{short(sent.text)}'.",
                          "Earn the favour first: help them, or ask about their work; share yours once they are "
                          "interested.")
        return
    first = sig.offers[0]
    after = [s for s in sig.sentences if s.end_char > first.start_char]
    pushes = any(is_cta(s) for s in after) or sig.strong_offers or sig.promote_asks
    if not pushes:
        return
    yield ctx.hit("HS001", first, f"Pitch in {where}: '{short(first.text)}'.",
                  "Ask about their situation first; offer help or a resource with no ask, and pitch only once "
                  "they show interest.")


def _meeting_asks(ctx: Context) -> Iterator[Hit]:
    if not ctx.on("HS002"):
        return
    sig = ctx.signals
    nouns = phrases.words("hard_sell", "meeting_nouns")
    verbs = phrases.words("hard_sell", "meeting_verbs")
    advice_spans = ctx.find("hard_sell", "advice")
    for sent in sig.sentences:
        low = sent.text.lower()
        first = next((t for t in sent if t.is_alpha), None)
        imperative = first is not None and first.lemma_.lower() in IMPERATIVE_ASKS and first.tag_ == "VB"
        asks = "?" in low or ASK_RE.search(low) or imperative
        if not asks or any(t.lower_ == "did" for t in sent) or sig.in_quotes(sent.start_char, sent.end_char):
            continue
        target = next((t for t in sent if not sig.in_quotes(t.idx, t.idx + len(t)) and (
                       (t.lemma_.lower() in nouns and t.pos_ in ("NOUN", "PROPN"))
                       or (t.lemma_.lower() in verbs and t.pos_ == "VERB"))), None)
        if target is None or any(c.lower_ in ("your", "their", "his", "her") or c.lower_ in TOPIC_MODIFIERS
                                 for c in target.children):
            continue
        if target.lemma_.lower() in ("time", "minutes", "mins", "min", "slot") and not _time_ask(sent):
            continue
        soft = None
        reason = ""
        if sig.relationship or sig.met_before or ctx.replied:
            soft, reason = "info", " (you know them, so this is only a hint)"
        elif low.lstrip().startswith(("if ", "whenever ", "any time", "anytime")) and "?" not in low:
            soft, reason = "info", " (offered, not asked)"
        elif any(a.sent == sent for a in advice_spans) and not sig.offers:
            soft, reason = "info", " (an advice request)"
        yield ctx.hit("HS002", sent, f"Uninvited meeting ask: '{short(sent.text)}'{reason}.",
                      "Ask one easy question they can answer in a line; suggest a call only after they engage.",
                      soft)


def _time_ask(sent) -> bool:
    """'time'/'minutes' only count when someone's time is being asked for."""
    return any(t.lower_ in ("spare", "free", "have", "got", "grab", "find", "few", "15", "10", "20", "30", "quick",
                            "brief", "available") or t.lower_ in MODALS for t in sent)


def _sales_links(ctx: Context) -> Iterator[Hit]:
    if not ctx.on("HS004"):
        return
    sig = ctx.signals
    hosts = phrases.data()["hard_sell"]["sales_link_hosts"]
    paths = phrases.data()["hard_sell"]["sales_link_paths"]
    context = phrases.data()["hard_sell"]["sales_link_context"]
    text = ctx.doc.text
    for m in URL_RE.finditer(text):
        url = m.group(0).rstrip(".,;:!?")
        low = url.lower()
        around = text[max(0, m.start() - 80):m.start()].lower()
        bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", low)
        host = bare.split("/")[0]
        is_sales = (any(host.startswith(h) or host.endswith("." + h) or (("/" in h) and bare.startswith(h))
                        for h in hosts)
                    or any(p in bare[len(host):] for p in paths)
                    or any(re.search(rf"\b{re.escape(w)}\b", around) for w in context))
        if is_sales and not sig.in_quotes(m.start(), m.end()):
            span = ctx.doc.char_span(m.start(), m.start() + len(url), alignment_mode="expand")
            soft = "info" if sig.relationship or sig.met_before or ctx.replied else None
            if span is not None:
                yield ctx.hit("HS004", span, f"Sales or booking link dropped on the recipient: {url}",
                              "Leave links out until they ask; share a calendar link only when they want to meet.",
                              soft)
