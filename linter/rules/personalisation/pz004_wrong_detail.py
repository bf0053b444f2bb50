from __future__ import annotations

import re
from typing import Iterator

from ... import vocab
from ...features import tokens
from .. import Context, Hit, rule



def _same_name(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))


def _same_org(a: str, b: str) -> bool:
    """The same organisation: a distinctive word in common ("Northwind" in "Northwind Analytics"); a shared
    generic word does not count ("Northgate Analytics" is not "Northwind Analytics")."""
    generic = vocab.words("nouns", "org_words")
    wa = {w for w in re.findall(r"\w+", a.lower()) if len(w) > 2}
    wb = {w for w in re.findall(r"\w+", b.lower()) if len(w) > 2}
    distinct_a, distinct_b = wa - generic, wb - generic
    if distinct_a and distinct_b:
        return bool(distinct_a & distinct_b)
    return bool(wa & wb) or a.lower() in b.lower() or b.lower() in a.lower()


@rule("PZ004", "wrong-recipient-detail", severity="error", example_stage="post-connection", decisive=True,
      requires={"ner"})
def wrong_recipient_detail(ctx: Context) -> Iterator[Hit]:
    """With a recipient profile, flags a greeting name or a company that contradicts the profile, a sign of
    copy-paste from another draft.

    Why is this bad?
        Calling someone by the wrong name or employer is worse than no personalisation at all.

    Example:
        ---
        recipient: {first_name: Maria, company: Northwind}
        ---
        Hi Sarah, thanks for connecting! Your post on spring planting schedules was great; what made you change
        suppliers?

    Use instead:
        ---
        recipient: {first_name: Maria, company: Northwind}
        ---
        Hi Maria, thanks for connecting! Your post on spring planting schedules was great; what made you change
        suppliers?
    """
    profile, doc = ctx.profile, ctx.doc
    if profile is None:
        return
    first = profile.first_name
    name = doc._.greeting.name
    known = " ".join(str(v) for v in profile.data.values() if isinstance(v, (str, int, float))).lower()
    if first and name is not None and not any(
            _same_name(t.text, w) for t in name for w in (first, *str(profile.data.get("name") or "").split(),
                                                          str(profile.data.get("last_name") or "")) if w) \
            and not re.search(rf"\b{re.escape(name[0].lower_)}\b", known):
        yield ctx.hit("PZ004", name, f"Greets '{name.text}' but the profile's name is {first}.",
                      f"Use their name: {first}.")
    company = profile.company
    if not company:
        return
    sender = doc._.parties.sender
    for prev in tokens(doc):
        if prev.lower_ not in ("at", "joining", "joined", "join") or prev.i + 1 >= len(doc):
            continue
        end = prev.i + 1
        while end < prev.sent.end and doc[end].pos_ == "PROPN":
            end += 1
        if end == prev.i + 1:
            continue
        org = doc[prev.i + 1:end]
        if org.text.lower() in sender or any(t.lower_ in sender for t in org) or _same_org(org.text, company) \
                or any(e.label_ in ("GPE", "LOC", "FAC", "DATE", "TIME", "EVENT") for e in org.ents):
            continue
        before = {t.lower_ for t in doc[max(prev.sent.start, prev.i - 6):prev.i]}
        past = {t.lower_ for t in prev.sent} & {"before", "former", "formerly", "previously", "used", "years",
                                                 "back", "earlier", "ex", "prior", "worked", "were", "was"}
        # said of them: "you/your ... at X", "congrats on the launch at X" (not "a write-up from the SRE team at X")
        theirs = before & {"you", "your", "you're", "youre"} or any(
            t.lemma_.lower() in vocab.words("grammar", "congrats") for t in prev.sent)
        if theirs and not past:
            yield ctx.hit("PZ004", org, f"Names '{org.text}' as their company but the profile says {company}.",
                          f"Check the company: {company}.")
