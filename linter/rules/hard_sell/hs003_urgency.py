from __future__ import annotations

from typing import Iterator

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
    for span in ctx.doc._.urgency:
        yield ctx.hit("HS003", span, f"Urgency or scarcity: '{span.text}' pressures a stranger.",
                      "Drop the deadline; give a reason to reply that is about them, not about your offer.")
