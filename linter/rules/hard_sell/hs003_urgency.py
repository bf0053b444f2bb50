from __future__ import annotations

from typing import Iterator

from ...features import span_text
from ...features.offers import has_price
from .. import Context, Hit, rule


@rule("HS003", "urgency-scarcity", severity="warning", example_stage="cold", by_stage={"reply": "info"})
def urgency_scarcity(ctx: Context) -> Iterator[Hit]:
    """Flags manufactured urgency and scarcity: limited-time offers, spots running out, deadlines, 'don't miss
    out'.

    Why is this bad?
        Pressure tactics signal a sales script, not a person; recipients who feel pushed ignore or report the
        message.

    Example:
        Our onboarding package is 40% off, but only 3 spots are left and the offer ends Friday.

    Use instead:
        Your post said onboarding new hosts takes your team three weeks; happy to send the checklist we use to do
        it in one, if useful.
    """
    doc = ctx.doc
    selling = any(o.strength != "soft" for o in doc._.offers) or any(
        a.kind not in ("advice", "guest", "intro") for a in doc._.asks) or any(
        has_price(span_text(s)) for s in doc._.sentences)
    for span in doc._.urgency:
        yield ctx.hit("HS003", span, f"Urgency or scarcity: '{span.text}' pressures a stranger"
                                     f"{'' if selling else ' (no offer or ask in sight, so only a hint)'}.",
                      "Drop the deadline; give a reason to reply that is about them, not about your offer.",
                      None if selling else "info")
