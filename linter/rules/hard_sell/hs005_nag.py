from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule


@rule("HS005", "nagging-follow-up", severity="warning", example_stage="follow-up", by_stage={"reply": "info"})
def nagging_follow_up(ctx: Context) -> Iterator[Hit]:
    """Flags follow-ups that nag or guilt-trip: 'just bumping this', 'did you see my last message?', 'I'll assume
    you're not interested', break-up messages.

    Why is this bad?
        A nudge that adds nothing but pressure tells the recipient you are working a sequence, not talking to
        them.

    Example:
        Hi Priya, just bumping this to the top of your inbox. Did you see my last message?

    Use instead:
        Hi Priya, one more thing that might help with the audit you mentioned: the regulator published its
        checklist today. If this isn't a priority, no worries at all.
    """
    soft = "info" if ctx.replied or ctx.first_touch else None  # nothing to chase yet, or they are talking
    for span in ctx.doc._.nags:
        yield ctx.hit("HS005", span, f"Nagging follow-up: '{span.text}' adds pressure, not value.",
                      "Add something new and useful (a resource, an answer, an idea) and make it easy to say no.", soft)
