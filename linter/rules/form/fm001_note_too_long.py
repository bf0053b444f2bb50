from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule


@rule("FM001", "note-too-long", severity="error", example_stage="connection-request", decisive=True,
      by_stage={"post-connection": "off", "follow-up": "off", "reply": "off", "cold": "off"})
def note_too_long(ctx: Context) -> Iterator[Hit]:
    """Flags a connection-request note longer than LinkedIn's limit (300 characters; 200 on free accounts,
    configurable).

    Why is this bad?
        LinkedIn cuts the note off, or refuses to send it.

    Example:
        Hi Ben, I really enjoyed your recent article about the economics of community solar and how co-ops in the
        Midwest are financing shared arrays. I work on similar financing models for rural utilities and have been
        thinking a lot about the same problem of tax equity and how small co-ops can access it. Would love to
        connect!

    Use instead:
        Hi Ben, your article on how Midwest co-ops finance community solar was the clearest take on tax equity
        I've read. I work on rural utility financing; would love to connect.
    """
    text = ctx.doc._.text
    body = text.strip()
    lead = len(text) - len(text.lstrip())
    limit = ctx.config.note_limit
    if len(body) > limit:
        yield Hit("FM001", lead + limit, lead + len(body),
                  f"Connection note is {len(body)} characters; LinkedIn allows {limit}.",
                  "Cut it to one specific line about them and why you want to connect.")
