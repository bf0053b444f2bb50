from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule


@rule("SC003", "credentials-brag", severity="warning", example_stage="cold")
def credentials_brag(ctx: Context) -> Iterator[Hit]:
    """Flags credentials and brags: awards, client logos, 'leading provider', 'trusted by 500+ companies',
    'world-class', track records claimed for other clients.

    Why is this bad?
        Claims about yourself are easy to make and impossible to check; they crowd out the one thing the reader
        cares about, their own problem.

    Example:
        We are an award-winning agency trusted by 500+ companies, including Fortune 500 brands.

    Use instead:
        You mentioned that trial sign-ups stall at the pricing page; I have two ideas from a similar test, happy
        to share them if useful.
    """
    for span in ctx.doc._.brags:
        yield ctx.hit("SC003", span, f"Credentials and brags: '{span.text}' is about you, not them.",
                      "Cut the credentials; one concrete result that matches their problem, tied to them, is enough.")
