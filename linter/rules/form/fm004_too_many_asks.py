from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule


def questions(doc) -> list:
    text = doc._.text
    return [s for s in doc._.sentences if (t := text[s.start_char:s.end_char]).rstrip().endswith("?") or "?" in t[-4:]]


@rule("FM004", "too-many-asks", severity="warning", example_stage="post-connection", decisive=True)
def too_many_asks(ctx: Context) -> Iterator[Hit]:
    """Flags a message that asks more than two questions.

    Why is this bad?
        One clear question gets an answer; a list of asks gets postponed.

    Example:
        Hi Ivy, what tools do you use? Who decides on budget? When does your fiscal year start? Could you send me
        your org chart?

    Use instead:
        Hi Ivy, your post on moving the finance team off spreadsheets was great. What made you pick the tool you
        chose?
    """
    qs = questions(ctx.doc)
    if len(qs) > 2:
        yield ctx.hit("FM004", qs[2], f"{len(qs)} questions in one message.",
                      "Keep the one question that matters most to them.")
