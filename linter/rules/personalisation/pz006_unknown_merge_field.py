from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule


@rule("PZ006", "unknown-merge-field", severity="error", example_stage="post-connection", decisive=True)
def unknown_merge_field(ctx: Context) -> Iterator[Hit]:
    """In a message template (front matter `template: true`, or a file matching `template-files`), flags a merge
    field that names no known variable: not a profile field, not a common merge-field name, not in the config's
    `template-variables`.

    Why is this bad?
        A misspelt merge field goes out blank or raw ('Hi {{frist_name}}'), which is worse than no
        personalisation.

    Example:
        ---
        template: true
        ---
        Hi {{ frist_name }}, your post on {{ post_topic }} made me rethink our rota. What changed after the first
        month?

    Use instead:
        ---
        template: true
        ---
        Hi {{ first_name }}, your post on {{ post_topic }} made me rethink our rota. What changed after the first
        month?
    """
    if ctx.rendering is None:
        return
    for start, end, name in ctx.rendering.unknown:
        yield Hit("PZ006", start, end, f"Unknown merge field '{name}': not a profile field or a configured template "
                                       "variable.", "Fix the spelling, or add it to `template-variables` in the "
                                                    "config.", template_offsets=True)
