from __future__ import annotations

import re
from typing import Iterator

from ... import vocab
from ...features import span_text, span_tokens
from .. import Context, Hit, rule

INTRO_RE = re.compile(r"^\W*(my name is|allow me to introduce|let me introduce|i am the|i'm the|i am a|i'm a|"
                      r"we are a|we're a|we are the|we're the|i run|we run|i own|i lead|i head|this is \w+ from)\b",
                      re.I)


def opener(ctx: Context):
    """The first real sentence after the greeting, when it is about the sender."""
    focus = [f for f in ctx.doc._.focus if len([t for t in span_tokens(f.sentence) if t.is_alpha]) > 2
             and not {t.lemma_.lower() for t in f.sentence[:3]} & vocab.words("grammar", "pleasantries")]
    if not focus:
        return None
    first = focus[0]
    if any(e.span.sent.start == first.sentence.start for e in ctx.doc._.evidence):
        return None  # "Daniela Ruiz suggested I talk to you": research opens it, whoever is the subject
    about_them = any(t.lower_ in ("your", "you") for t in span_tokens(first.sentence))
    if INTRO_RE.match(span_text(first.sentence)) and not about_them or first.side == "sender" and not first.tied:
        return first.sentence
    return None


@rule("SC001", "opens-on-sender", severity="info", example_stage="cold", by_stage={"reply": "off"})
def opens_on_sender(ctx: Context) -> Iterator[Hit]:
    """Flags a message whose first sentence is about the sender: 'My name is...', 'I am the director of...', 'We
    are a leading...'.

    Why is this bad?
        The first line decides whether the rest is read. Open with the recipient, not your résumé.

    Example:
        My name is Luis and I am the founder of a bookkeeping agency. Do you need help with your books?

    Use instead:
        Your post on the pain of quarter-end reconciliations hit home. Which step takes your team the longest?
    """
    sent = opener(ctx)
    if sent is not None:
        yield ctx.hit("SC001", sent, "Opens on the sender, not the recipient.",
                      "Lead with them: what you noticed about their work, or a question about their goal.")
