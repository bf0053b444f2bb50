from __future__ import annotations

from typing import Iterator

from ...features.text import in_quotes
from .. import Context, Hit, rule


@rule("PZ002", "fake-hook", severity="warning", example_stage="connection-request", requires={"ner"})
def fake_hook(ctx: Context) -> Iterator[Hit]:
    """Flags hooks that pretend to be personal but fit anyone: 'I came across your profile', 'impressive
    background', 'we share a group', 'people like you', 'add you to my network'.

    Why is this bad?
        Recipients see these every day; they read as mass outreach and undo any real personalisation next to
        them.

    Example:
        Hi Omar, I came across your profile and was impressed by your background. I'd like to add you to my
        professional network.

    Use instead:
        Hi Omar, your answer on the Kafka forum about consumer lag saved me a weekend. I'd love to follow your
        work.
    """
    from ... import phrases

    for span in phrases.find(ctx.doc, "fake_hook", ctx.config.phrases.get("fake_hook", ())):
        if in_quotes(ctx.doc, span.start_char, span.end_char):
            continue
        if "mutual" in span.text.lower() and any(e.label_ == "PERSON" for e in span.sent.ents):
            continue  # "mutual connections, including Eddie Marsh": named
        if any(e.span.sent == span.sent for e in ctx.doc._.evidence):
            continue  # "your impressive 41% cut at the Rotterdam depot": the research is right there
        yield ctx.hit("PZ002", span, f"Fake or generic hook: '{span.text}' could be sent to anyone.",
                      "Name the specific thing that made you write: their post and what it argued, a project, a "
                      "named mutual contact.")
