from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule


@rule("HS007", "scripted-opener", severity="warning", example_stage="cold",
      by_stage={"follow-up": "info", "reply": "off"})
def scripted_opener(ctx: Context) -> Iterator[Hit]:
    """Flags scripted openers sent to strangers: 'how are you today?', 'I hope this message finds you well'.

    Why is this bad?
        The telemarketer's opener tells the reader a script is coming. Open with something about them instead.

    Example:
        Hi Joanne, how are you today? I wanted to tell you about our new payroll app.

    Use instead:
        Hi Joanne, I read your piece on payroll errors in seasonal hiring. Which fix saved your team the most time?
    """
    soft = "info" if ctx.known or not ctx.first_touch else None
    for span in ctx.doc._.scripted_openers:
        yield ctx.hit("HS007", span, f"Scripted opener: '{span.text}' reads like a telemarketing script.",
                      "Open with something specific to them: their post, their project, a shared contact.", soft,
                      strength=0.5)
