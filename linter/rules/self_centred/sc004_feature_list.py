from __future__ import annotations

import re
from typing import Iterator

from ... import phrases
from ...features import span_text, span_tokens
from .. import Context, Hit, rule

BULLET_RE = re.compile(r"^\s*(?:[-*•◦▪‣✅✔☑►➤→]|\d{1,2}[.)])\s*\S", re.M)


@rule("SC004", "feature-list", severity="warning", example_stage="cold")
def feature_list(ctx: Context) -> Iterator[Hit]:
    """Flags a list of the sender's features with no benefit to the recipient named alongside: a bulleted list
    introduced by the offer, or an inline one ("our platform offers A, B, C and D").

    Why is this bad?
        Features are what you built; the reader only cares what changes for them.

    Example:
        Our tool includes:
        - real-time dashboards
        - 40 integrations
        - SSO and audit logs
        - AI summaries

    Use instead:
        You said reconciling the three CRMs eats your Mondays; the sync we built might give that time back. Would a
        two-line description help?
    """
    text = ctx.doc._.text
    intro_words = [w.lower() for w in phrases.data()["phrases"]["feature_intro"]]
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
    for offer in ctx.doc._.offers:  # inline: three or more coordinated features in an offer sentence
        sent = offer.sentence
        if offer.strength == "soft" or any(t.lower_ in ("you", "your") for t in span_tokens(sent)) or \
                "?" in span_text(sent):
            continue
        for tok in span_tokens(sent):
            if tok.dep_ in ("dobj", "appos", "attr", "pobj") and tok.pos_ in ("NOUN", "PROPN") and \
                    len(tok.conjuncts) >= 2 and span_text(sent).count(",") >= 2:
                yield ctx.hit("SC004", sent, f"A list of {len(tok.conjuncts) + 1} features with no benefit to the "
                                             "recipient.",
                              "Replace the list with the one outcome that matters to them, in their words.")
                break
