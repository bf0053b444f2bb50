from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule, short


@rule("SC005", "promote-my-work", severity="warning", example_stage="cold")
def promote_my_work(ctx: Context) -> Iterator[Hit]:
    """Flags asks to look at, try, share, star, like or give feedback on the sender's own work, and favours asked
    for the sender's own ends.

    Why is this bad?
        Asking a stranger to spend time on your project, before you have done anything for them, is a favour with
        nothing in return.

    Example:
        Could you check out my new course and share it with your network?

    Use instead:
        Your thread on teaching SQL to analysts was great; I wrote up the exercises that worked for my students
        and can send them if useful.
    """
    for ask in ctx.doc._.asks:
        if ask.kind in ("promote", "favour"):
            what = "your work" if ask.kind == "promote" else "your own ends"
            yield ctx.hit("SC005", ask.sentence, f"Asks the recipient to spend time on {what}: "
                                                 f"'{short(ask.sentence.text)}'.",
                          "Do something for them first; offer your work only if it solves a problem they named.",
                          strength=1.0 if ask.kind == "promote" else 0.6)
