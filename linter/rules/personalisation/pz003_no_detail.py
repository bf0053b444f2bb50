from __future__ import annotations

from typing import Iterator

from ... import phrases
from ...features.text import body_sentences
from .. import Context, Hit, rule


@rule("PZ003", "no-specific-detail", severity="warning", example_stage="post-connection", by_stage={"reply": "off"},
      requires={"ner"})
def no_specific_detail(ctx: Context) -> Iterator[Hit]:
    """Flags a message with nothing specific to the recipient: no post, talk or project of theirs and what it
    said, no named mutual connection, no shared event, nothing specific from an earlier exchange. Name, company
    and title alone are merge fields, not research, and "great to meet you" alone is not a detail. With a
    profile, it also checks which researched profile facts the draft uses.

    Why is this bad?
        A message that could go to a thousand people unchanged will be treated like one. Name, company and title
        are merge fields, not research.

    Example:
        Hi Grace, thanks for connecting. I work with many leaders in your industry and would love to learn more
        about what you do.

    Use instead:
        Hi Grace, thanks for connecting. Your post arguing that nurses should own the shift-swap rules was
        convincing; did the pilot at your ward stick?
    """
    doc = ctx.doc
    if not doc._.sentences or doc._.evidence or doc._.facts_used:
        return
    hooks = phrases.find(doc, "fake_hook", ctx.config.phrases.get("fake_hook", ()))
    sents = body_sentences(doc) or doc._.sentences
    anchor = (hooks[0].sent if hooks else doc._.merge_mentions[0] if doc._.merge_mentions else
              next((s for s in sents if len([t for t in s if t.is_alpha]) > 2), sents[0]))
    detail = ""
    if ctx.profile is not None:
        fields = sorted({f.field for f in ctx.profile.facts()})
        detail = (f" It uses none of the profile's researched facts ({', '.join(fields)})." if fields
                  else " The profile has no researched facts (recent posts, shared connections...) to use.")
    what = ("It only restates merge-field facts (name, company, title, school)." if doc._.merge_mentions and not hooks
            else "It says you know them, but nothing specific about them or what you discussed."
            if doc._.relationship else "Nothing in this message is specific to the recipient.")
    yield ctx.hit("PZ003", anchor, what + detail,
                  "Mention something that took a minute of research: their recent post and what it argued, a talk, "
                  "a project, a named mutual connection or a shared event.")
