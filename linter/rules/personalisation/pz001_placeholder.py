from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule


@rule("PZ001", "unfilled-placeholder", severity="error", example_stage="post-connection", decisive=True)
def unfilled_placeholder(ctx: Context) -> Iterator[Hit]:
    """Flags merge fields left unfilled: {first_name}, {{company}}, [Name], %FIRSTNAME%, *|FNAME|*, <Company>,
    ${name}, ___.

    Why is this bad?
        An unfilled merge field proves the message was sent to a list, and it is the fastest way to be ignored.

    Example:
        Hi {first_name}, I noticed {{company}} is growing fast!

    Use instead:
        Hi Lena, your post on the Graz office opening said you are hiring twelve engineers; how are you planning
        their onboarding?
    """
    text = ctx.doc._.text
    for start, end in ctx.doc._.placeholders:
        yield Hit("PZ001", start, end, f"Unfilled placeholder {text[start:end]} left in the draft.",
                  "Replace it with the real detail, or the whole sentence with something you know about them.")
