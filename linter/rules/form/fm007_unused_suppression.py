from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule


@rule("FM007", "unused-suppression", severity="warning", example_stage="post-connection", decisive=True,
      after_suppression=True)
def unused_suppression(ctx: Context, findings: list) -> Iterator[Hit]:
    """Flags a suppression directive (`# outreach-lint: disable=...`, `enable=`, `disable-next-line=`) that
    suppressed nothing.

    Why is this bad?
        A stale suppression hides the next real problem on that line and tells readers a rule fired where none
        does.

    Example:
        # outreach-lint: disable=HS002
        Hi Sam, your post on churn in Q3 was sharp. What changed after the pricing test?

    Use instead:
        Hi Sam, your post on churn in Q3 was sharp. What changed after the pricing test?
    """
    for directive in ctx.draft.directives:
        if directive.kind != "enable" and not directive.used:
            yield Hit("FM007", directive.start, directive.end, f"This {directive.kind} directive suppressed nothing "
                                                               f"({', '.join(directive.rules)}).",
                      "Remove the directive.", file_offsets=True)
