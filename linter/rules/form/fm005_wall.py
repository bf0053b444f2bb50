from __future__ import annotations

import re
from typing import Iterator

from .. import Context, Hit, rule

PARAGRAPH_RE = re.compile(r"\S(?:.|\n(?!\s*\n))*", re.M)
WALL_WORDS, WALL_SENTENCES = 80, 6


@rule("FM005", "wall-of-text", severity="warning", example_stage="post-connection", decisive=True)
def wall_of_text(ctx: Context) -> Iterator[Hit]:
    """Flags a paragraph of more than 80 words or 6 sentences with no break.

    Why is this bad?
        On a phone a dense block is skipped; short paragraphs get read.

    Example:
        Hi Zoe, thanks for connecting and I hope the launch went well because I know those weeks are hard and the
        team must be tired but also excited and I remember when we launched our first product we barely slept and
        everything broke the night before and we had to rebuild the payment flow from scratch while the marketing
        emails were already scheduled and it was chaos but it taught us a lot about planning and testing and about
        how much a calm team matters when things go wrong at the last minute and I would love to hear how yours
        went.

    Use instead:
        Hi Zoe, congrats on the Lumen launch! Your post said the payment flow broke the night before.

        How did the team pull it back in time?
    """
    greeting_end = ctx.doc._.greeting.end  # "Hi Tom," on the paragraph's first line is not a sentence of it
    for m in PARAGRAPH_RE.finditer(ctx.doc._.text):
        lines = [ln for ln in m.group(0).split("\n") if ln.strip()]
        if len(lines) >= 3 and sum(bool(re.match(r"\s*(?:[-*•◦▪‣✅✔☑►➤→]|\d{1,2}[.)])\s", ln)) for ln in lines) * 2 >= len(lines):
            continue  # a list, one item a line, is easy to scan
        n_words = len(m.group(0).split())
        n_sents = len([s for s in ctx.doc._.sentences if m.start() <= s.start_char < m.end()
                       and s.end_char > greeting_end])
        if n_words > WALL_WORDS or n_sents > WALL_SENTENCES:
            yield Hit("FM005", m.start(), m.end(), f"Wall of text: a {n_words}-word paragraph.",
                      "Break it into short paragraphs of one or two sentences.")
