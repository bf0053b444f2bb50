from __future__ import annotations

import re
from typing import Iterator

from .. import Context, Hit, rule


@rule("FM002", "message-too-long", severity="warning", example_stage="post-connection", decisive=True,
      by_stage={"connection-request": "off"})
def message_too_long(ctx: Context) -> Iterator[Hit]:
    """Flags a message far past the length that gets replies (default: above 125 words), and an InMail over 2,000
    characters.

    Why is this bad?
        Cold messages of 50-125 words get the most replies; longer ones are skimmed or skipped.

    Example:
        Hi Rosa, thanks for connecting. I wanted to share a bit about our agency. We were founded in 2012 and have
        grown to a team of forty designers, developers and strategists across three offices. Over the years we
        have worked with retailers, banks, universities and hospitals, helping them rebuild their websites, design
        their apps, and plan their digital strategy. Our process starts with discovery workshops, then moves
        through research, prototyping, design sprints, development and launch, followed by ongoing support. We
        also offer training for in-house teams, accessibility audits, performance tuning and analytics setups.
        Many of our clients stay with us for years because we care about quality. If any of this sounds
        interesting, I would be happy to tell you more about our work and how we could help your organisation.

    Use instead:
        Hi Rosa, thanks for connecting. Your post on the hospital's new patient portal said older patients
        struggle with the login; we ran into the same thing with a bank app. What have you tried so far?
    """
    text = ctx.doc._.text
    body = text.strip()
    lead = len(text) - len(text.lstrip())
    cfg = ctx.config
    count = len(text.split())  # (the words' positions are only needed past the limit)
    if ctx.stage == "cold" and len(body) > cfg.inmail_limit:
        yield Hit("FM002", lead + cfg.inmail_limit, lead + len(body),
                  f"{len(body)} characters: over the {cfg.inmail_limit}-character InMail limit.",
                  "Cut it to under 125 words.", "error")
    elif count > cfg.word_limit:
        words = list(re.finditer(r"\S+", text))
        yield Hit("FM002", words[cfg.word_limit].start(), words[-1].end(),
                  f"{count} words; messages of 50-{cfg.word_limit} words get the most replies.",
                  "Keep one point about them, one line about you, one question.")
