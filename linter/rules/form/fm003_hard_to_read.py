from __future__ import annotations

from typing import Iterator

from ...readability import readability
from .. import Context, Hit, rule

HARD_GRADE = 12.0
MIN_WORDS_FOR_GRADE = 30


@rule("FM003", "hard-to-read", severity="info", example_stage="post-connection", decisive=True)
def hard_to_read(ctx: Context) -> Iterator[Hit]:
    """Flags text above reading grade 8 (Flesch-Kincaid, via textstat) in messages of 30 words or more; a warning
    above grade 12.

    Why is this bad?
        A message read on a phone between meetings should be easy; long words and long sentences lose people.

    Example:
        Your post on the platform migration was interesting. Considering the multifaceted organizational
        transformation initiatives currently underway, comprehensive stakeholder alignment regarding
        implementation prioritization represents an indispensable precondition for sustainable operational
        effectiveness throughout your distributed engineering organization. How are you approaching
        prioritization?

    Use instead:
        Your post says the team is moving to a new stack and a new office at once. Getting everyone to agree on
        what comes first is hard. How are you deciding?
    """
    if len(ctx.doc._.text.split()) < MIN_WORDS_FOR_GRADE:
        return
    grade, _ = readability(ctx.doc._.text)
    if grade is None or grade <= ctx.config.reading_grade:
        return
    hardest = max(ctx.doc._.sentences, key=len, default=None)
    if hardest is not None:
        yield ctx.hit("FM003", hardest, f"Reading grade {grade:.1f} (target: {ctx.config.reading_grade:g} or below).",
                      "Use shorter sentences and everyday words.", "warning" if grade > HARD_GRADE else None)
