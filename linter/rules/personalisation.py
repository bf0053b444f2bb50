"""Missing personalisation (PZ): placeholders, fake hooks, no specific detail, wrong recipient, generic greeting."""
from __future__ import annotations

import re
from typing import Iterator

from . import Context, Hit

PLACEHOLDER_RE = re.compile(
    r"\{\{(?!\s*\.)[^{}\n]{1,40}?\}\}"                 # {{company}} (not Go's {{ .Values }})
    r"|\$\{\s*\w[\w.]*\s*\}"                          # ${name}
    r"|\{\s*[A-Za-z_][\w .'-]{0,40}\}"                # {first_name}
    r"|\[\s*(?![\w-]*\d[\w-]*\])[^\[\]\n]{1,60}\](?!\()"  # [Name], [post topic] (not [1], [ANK-114], links)
    r"|%[A-Z][A-Z0-9_]{1,30}%"                        # %FIRSTNAME%
    r"|\*\|[A-Z0-9_]{1,30}\|\*"                       # *|FNAME|*
    r"|(?-i:<\s*(?!https?:|mailto:|www\.)[A-Z][\w '-]{0,30}>)"  # <Company> (not <table>)
    r"|\((?:(?:your|their|the|connection's|recipient's|prospect's|first|last|full|job|company)\s+){0,2}"
    r"(?:name|company|company name|position|title|role|industry|city)\)"  # (company name)
    r"|_{3,}",                                        # ___
    re.I)
NAME_LINK = {"mutual", "connection", "connections", "including", "like", "through", "via"}


def check(ctx: Context) -> Iterator[Hit]:
    text = ctx.doc.text
    if ctx.on("PZ001"):
        for m in PLACEHOLDER_RE.finditer(text):
            if m.group(0).startswith("<") and m.group(0).lower() in ("<br>", "<b>", "<i>", "<p>"):
                continue
            span = ctx.doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None:
                yield Hit("PZ001", m.start(), m.end(), f"Unfilled placeholder {m.group(0)} left in the draft.",
                          "Replace it with the real detail, or the whole sentence with something you know about them.")
    if ctx.on("PZ002"):
        for span in ctx.find("personalisation", "fake_hook"):
            if "mutual" in span.text.lower() and any(e.label_ == "PERSON" for e in span.sent.ents):
                continue
            yield ctx.hit("PZ002", span, f"Fake or generic hook: '{span.text}' could be sent to anyone.",
                          "Name the specific thing that made you write: their post and what it argued, a project, "
                          "a named mutual contact.")
    yield from _no_detail(ctx)
    yield from _wrong_detail(ctx)
    if ctx.on("PZ005"):
        for span in ctx.find("personalisation", "generic_greeting"):
            nxt = ctx.doc[span.end] if span.end < len(ctx.doc) else None
            if span.start_char > 3 or (nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper()):
                continue
            yield ctx.hit("PZ005", span, f"Generic greeting '{span.text}' in a one-to-one message.",
                          "Greet them by name.")


def _no_detail(ctx: Context) -> Iterator[Hit]:
    sig = ctx.signals
    if not ctx.on("PZ003") or not sig.sentences:
        return
    if sig.evidence or sig.relationship or sig.facts_used:
        return
    opener = next((s for s in sig.sentences if s.end_char > sig.greeting_end and
                   len([t for t in s if t.is_alpha]) > 1), sig.sentences[0])
    if ctx.profile is not None:
        fields = sorted({f.field for f in ctx.profile.facts()})
        detail = (f" It uses none of the profile's researched facts ({', '.join(fields)})." if fields
                  else " The profile has no researched facts (recent posts, shared connections...) to use.")
    else:
        detail = ""
    yield ctx.hit("PZ003", opener, "Nothing in this message is specific to the recipient." + detail,
                  "Mention something that took a minute of research: their recent post and what it argued, a "
                  "talk, a project, a named mutual connection or a shared event.")


def _wrong_detail(ctx: Context) -> Iterator[Hit]:
    profile, sig = ctx.profile, ctx.signals
    if profile is None or not ctx.on("PZ004"):
        return
    first = profile.first_name
    name = sig.greeting_name
    known = " ".join(str(v) for v in profile.data.values() if isinstance(v, (str, int, float))).lower()
    if first and name is not None and not any(_same_name(t.text, w) for t in name
                                              for w in (first, *str(profile.data.get("name") or "").split(),
                                                        str(profile.data.get("last_name") or ""))
                                              if w) and not re.search(rf"\b{re.escape(name[0].lower_)}\b", known):
        yield ctx.hit("PZ004", name, f"Greets '{name.text}' but the profile's name is {first}.",
                      f"Use their name: {first}.")
    company = profile.company
    sender = {n.lower() for n in ctx.config.sender.names()}
    if not company:
        return
    doc = ctx.doc
    for prev in doc:
        if prev.lower_ not in ("at", "joining", "joined", "join") or prev.i + 1 >= len(doc):
            continue
        end = prev.i + 1
        while end < prev.sent.end and doc[end].pos_ == "PROPN":
            end += 1
        if end == prev.i + 1:
            continue
        org = doc[prev.i + 1:end]
        if org.text.lower() in sender or _same_org(org.text, company) or _looks_like_place(org):
            continue
        before = {t.lower_ for t in doc[max(prev.sent.start, prev.i - 6):prev.i]}
        if before & {"you", "your", "you're", "youre"}:
            yield ctx.hit("PZ004", org, f"Names '{org.text}' as their company but the profile says {company}.",
                          f"Check the company: {company}.")


def _looks_like_place(span) -> bool:
    return any(e.label_ in ("GPE", "LOC", "FAC", "DATE", "TIME", "EVENT") for e in span.ents)


def _same_name(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))


def _same_org(a: str, b: str) -> bool:
    wa = {w for w in re.findall(r"\w+", a.lower()) if len(w) > 2}
    wb = {w for w in re.findall(r"\w+", b.lower()) if len(w) > 2}
    return bool(wa & wb) or a.lower() in b.lower() or b.lower() in a.lower()
