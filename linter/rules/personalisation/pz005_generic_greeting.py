from __future__ import annotations

from typing import Iterator

from ... import phrases, vocab
from .. import Context, Hit, rule


@rule("PZ005", "generic-greeting", severity="warning", example_stage="cold", by_stage={"reply": "info"})
def generic_greeting(ctx: Context) -> Iterator[Hit]:
    """Flags generic greetings in a one-to-one message: 'Dear Sir/Madam', 'Hi there', 'Hello friend', 'To whom it
    may concern'.

    Why is this bad?
        A greeting without a name tells the reader the same text went to everyone.

    Example:
        Dear Sir/Madam, I'm reaching out about your recent talk on urban beekeeping.

    Use instead:
        Dear Dr. Mensah, I'm reaching out about your recent talk on urban beekeeping and the rooftop hive data you
        shared.
    """
    doc = ctx.doc
    for span in phrases.find(doc, "generic_greeting", ctx.config.phrases.get("generic_greeting", ())):
        after = [t for t in doc[span.end:min(len(doc), span.end + 4)] if not t.is_punct and not t.is_space]
        named = any(t.pos_ == "PROPN" and t.text[:1].isupper() for t in after[:2]) or bool(
            after and after[0].lower_.rstrip(".") in vocab.words("grammar", "titles"))
        if span.start_char > 3 or named:
            continue
        yield ctx.hit("PZ005", span, f"Generic greeting '{span.text}' in a one-to-one message.", "Greet them by name.")
