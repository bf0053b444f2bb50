"""Self-centred pitching (SC): about the sender, not tied to what the recipient needs."""
from __future__ import annotations

import re
from typing import Iterator

from .. import phrases
from . import Context, Hit, short

INTRO_RE = re.compile(r"^\W*(?:(?:hi|hello|hey|dear)\b[^.!?\n]{0,30}[,.!\n]\s*)?"
                      r"(my name is|allow me to introduce|let me introduce|i am the|i'm the|i am a|i'm a|we are a|"
                      r"we're a|we are the|we're the|i run|we run|i own|i lead|i head)\b", re.I)
COUNT_BRAG_RE = re.compile(r"\b(?:over|more than|\d[\d,.]*\s*\+|\d[\d,.]*k\+?)\s*(?:\d[\d,.]*\+?\s*)?"
                           r"(?:companies|clients|customers|brands|businesses|teams|users|startups|funds|agencies|"
                           r"firms|members|downloads|stars|installs|projects|organi[sz]ations)\b", re.I)
# A track record ("we've helped 200+ teams", "I have placed 2,000 engineers") or a quantified result claimed
# for "companies like yours": social proof about the sender.
TRACK_RECORD_RE = re.compile(
    r"\b(?:we've|we have|i've|i have|we|i)\s+(?:already\s+|successfully\s+)?(?:helped|worked with|served|placed|"
    r"coached|trained|supported|partnered with|advised)\b"
    r"|\b(?:help|helps|helping)\s+[\w-]+(?:\s+[\w-]+)?\s+like (?:yours|you)\b[^.!?\n]*?"
    r"(?:\d+(?:\.\d+)?\s?(?:x|%)|\bin half\b|\bdouble|\btriple)", re.I)
BULLET_RE = re.compile(r"^\s*(?:[-*•◦▪‣✅✔☑►➤→]|\d{1,2}[.)])\s*\S", re.M)
PLEASANTRY = {"hope", "thank", "thanks", "happy", "congrats", "congratulations", "welcome", "great", "nice", "glad"}


def check(ctx: Context) -> Iterator[Hit]:
    sig = ctx.signals
    if ctx.on("SC001") and sig.sentences:
        yield from _opens_on_sender(ctx)
    if ctx.on("SC002"):
        yield from _sender_centred(ctx)
    if ctx.on("SC003"):
        yield from _brags(ctx)
    if ctx.on("SC004"):
        yield from _feature_list(ctx)
    if ctx.on("SC005"):
        for sent in sig.promote_asks:
            yield ctx.hit("SC005", sent, f"Asks the recipient to spend time on your work: '{short(sent.text)}'.",
                          "Do something for them first; offer your work only if it solves a problem they named.")


LABELS = {"self_talk_clause": "clauses about you", "opens_on_sender": "opens on you", "brag": "brags",
          "sender_need": "your needs", "offer_hype": "hype", "promote_ask": "asks to promote your work",
          "offer_sentence": "offer sentences"}
RECIPIENT_TRIVIAL = {"be", "hope", "let", "like", "want", "find", "hesitate", "mind", "consider", "feel", "get"}


def _opener(ctx: Context):
    """The first real sentence after the greeting, if it is about the sender."""
    sig = ctx.signals
    opener = next((s for s in sig.sentences if s.end_char > sig.greeting_end
                   and len([t for t in s if t.is_alpha]) > 2
                   and not {t.lemma_.lower() for t in s[:3]} & PLEASANTRY), None)
    if opener is None:
        return None
    alpha = [t for t in opener if t.is_alpha]
    root_talk = [c for c in sig.sender_clauses if c.verb.sent == opener and c.verb.dep_ == "ROOT"
                 and c.subject in alpha[:3]]
    return opener if INTRO_RE.match(opener.text) or root_talk else None


def _opens_on_sender(ctx: Context) -> Iterator[Hit]:
    opener = ctx.once(_opener)
    if opener is not None:
        yield ctx.hit("SC001", opener, "Opens on the sender, not the recipient.",
                      "Lead with them: what you noticed about their work, or a question about their goal.")


def sender_focus(ctx: Context) -> tuple[float, float, dict[str, int], list]:
    """(sender-focus score, recipient-focus score, signal counts, sender-focused spans)."""
    sig = ctx.signals
    weights = phrases.data()["self_centred_weights"]
    # a bare nag or an opt-out talks about the sender's chasing, which is hard sell, not self-talk
    chasing = {s.sent.start for name in ("nag", "opt_out") for s in ctx.find("hard_sell", name)}
    talk = [c for c in sig.sender_clauses if c.verb.sent.start not in chasing]
    brags = ctx.once(_brag_spans)
    needs = ctx.find("self_centred", "sender_need")
    hype = ctx.find("self_centred", "offer_hype")
    opener = ctx.once(_opener)
    counts = {"self_talk_clause": len(talk), "opens_on_sender": int(opener is not None),
              "brag": len(brags), "sender_need": len(needs), "offer_hype": len(hype),
              "promote_ask": len(sig.promote_asks), "offer_sentence": len(sig.offers)}
    score = sum(weights[k] * v for k, v in counts.items())
    recipient = len([c for c in sig.recipient_clauses if c.verb.lemma_.lower() not in RECIPIENT_TRIVIAL])
    recipient += weights["research_evidence"] * len(sig.evidence)
    spans = sorted([*(c.verb.sent for c in talk), *brags, *needs, *hype,
                    *([opener] if opener is not None else [])], key=lambda s: s.start_char)
    return score, recipient, counts, spans


def _sender_centred(ctx: Context) -> Iterator[Hit]:
    cfg = ctx.config
    score, recipient, counts, spans = sender_focus(ctx)
    if not spans or score < cfg.self_talk_min or score <= cfg.self_talk_ratio * recipient:
        return
    parts = [f"{LABELS[k]}: {v}" for k, v in counts.items() if v]
    yield ctx.hit("SC002", spans[0].sent,
                  f"Mostly about the sender (sender focus {score:g}: {', '.join(parts)}; "
                  f"recipient focus {recipient:g}).",
                  "Rewrite so the recipient is the subject: their goal, their problem, what changes for them.")


def _brags(ctx: Context) -> Iterator[Hit]:
    for span in ctx.once(_brag_spans):
        yield ctx.hit("SC003", span, f"Credentials and brags: '{span.text}' is about you, not them.",
                      "Cut the credentials; one concrete result that matches their problem, tied to them, is enough.")


def _brag_spans(ctx: Context) -> list:
    """Brags made on the sender's side (one per sentence)."""
    sig = ctx.signals
    out = []
    spans = list(ctx.find("self_centred", "brag"))
    for m in [*COUNT_BRAG_RE.finditer(ctx.doc.text), *TRACK_RECORD_RE.finditer(ctx.doc.text)]:
        span = ctx.doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None:
            spans.append(span)
    seen: set[int] = set()
    for span in sorted(spans, key=lambda s: s.start_char):
        sent = span.sent
        if span[-1].lower_ == "like" and (span.end >= len(ctx.doc) or ctx.doc[span.end].pos_ != "PROPN"
                                          or ctx.doc[span.end].text[:1] in "[{<%*"):
            continue  # "clients like Acme" names logos; "brands like yours" does not
        if sent.start in seen:
            continue
        words = {t.lower_ for t in sent}
        about_them = "your" in {t.lower_ for t in ctx.doc[max(sent.start, span.start - 3):span.start]} or any(
            c.kind == "recipient" and c.verb.sent == sent for c in sig.clauses) and not words & {"we", "our", "i", "my"}
        third_party_subject = any(c.kind == "other" and c.subject.pos_ == "PROPN" and c.verb.sent == sent
                                  for c in sig.clauses) and not words & {"you", "your"}
        sender_side = words & {"we", "our", "i", "my", "us", "we've", "we're"} or any(
            c.kind == "sender" and c.verb.sent == sent for c in sig.clauses) or sent in sig.offers \
            or third_party_subject  # "PayNest is the leading payroll platform" in a message that sells PayNest
        if about_them or not sender_side:
            continue
        seen.add(sent.start)
        out.append(span)
    return out


def _feature_list(ctx: Context) -> Iterator[Hit]:
    """A bulleted list of features, or an inline one ("our platform offers A, B, C and D")."""
    text = ctx.doc.text
    intro_words = [w.lower() for w in phrases.data()["self_centred"]["feature_intro"]]
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        if not BULLET_RE.match(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and (BULLET_RE.match(lines[j]) or not lines[j].strip() and j + 1 < len(lines)
                                  and BULLET_RE.match(lines[j + 1])):
            j += 1
        items = [ln for ln in lines[i:j] if ln.strip()]
        features = [ln for ln in items if "?" not in ln and not re.search(r"\b(?:i|you|your|you're)\b", ln, re.I)]
        intro = next((ln for ln in reversed(lines[:i]) if ln.strip()), "").lower()
        about_offer = (any(re.search(rf"\b{re.escape(w)}\b", intro) for w in intro_words)
                       or re.search(r"\b(?:our|my|meet|introducing|with us|we offer|we provide)\b", intro))
        if len(items) >= 3 and len(features) == len(items) and about_offer:
            start, end = offsets[i], offsets[j - 1] + len(lines[j - 1])
            yield Hit("SC004", start, end, f"A list of {len(items)} features with no benefit to the recipient.",
                      "Replace the list with the one outcome that matters to them, in their words.")
        i = j
    yield from _inline_features(ctx)


def _inline_features(ctx: Context) -> Iterator[Hit]:
    """ "Our platform offers AI copy, SEO audits, social scheduling and analytics": 3+ coordinated features."""
    sig = ctx.signals
    for sent in sig.offers:
        if any(t.lower_ in ("you", "your") for t in sent) or "?" in sent.text:
            continue
        for tok in sent:
            if tok.dep_ in ("dobj", "appos", "attr", "pobj") and tok.pos_ in ("NOUN", "PROPN") and \
                    len(tok.conjuncts) >= 2 and sent.text.count(",") >= 2:
                yield ctx.hit("SC004", sent, f"A list of {len(tok.conjuncts) + 1} features with no benefit to "
                                             "the recipient.",
                              "Replace the list with the one outcome that matters to them, in their words.")
                break
