from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule
from .fm004_too_many_asks import questions


@rule("FM006", "no-question", severity="info", example_stage="post-connection", decisive=True,
      by_stage={"connection-request": "off", "reply": "off"})
def no_question(ctx: Context) -> Iterator[Hit]:
    """Notes a message that gives the recipient no question to answer.

    Why is this bad?
        A message with nothing to answer gets no answer. End on one easy question.

    Example:
        Hi Sol, thanks for connecting. Your post on drought-resistant barley trials was fascinating.

    Use instead:
        Hi Sol, thanks for connecting. Your post on drought-resistant barley trials was fascinating; did the
        second season confirm the yields?
    """
    sents = ctx.doc._.sentences
    if sents and not questions(ctx.doc):
        yield ctx.hit("FM006", sents[-1], "No question for the recipient to answer.",
                      "End with one easy, specific question about them.")
