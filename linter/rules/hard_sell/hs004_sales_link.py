from __future__ import annotations

import re
from typing import Iterator

from ... import phrases
from ...features.text import in_quotes
from .. import Context, Hit, rule


@rule("HS004", "sales-link", severity="warning", example_stage="post-connection",
      by_stage={"connection-request": "error", "reply": "off"})
def sales_link(ctx: Context) -> Iterator[Hit]:
    """Flags booking-calendar, deck, pricing and demo links dropped into a message the recipient did not ask for.

    Why is this bad?
        A calendar link on a stranger says 'your time is mine to book'; it belongs in a reply when they have
        asked for a time.

    Example:
        Great to be connected, Ana. Grab a slot on my calendar here: https://calendly.com/sam-rivera/30min

    Use instead:
        Great to be connected, Ana. Your talk on open-source funding at PyCon made me rethink our sponsorship;
        which model has worked best for you?
    """
    links = phrases.data()["links"]
    text = ctx.doc._.text
    for start, end in ctx.doc._.links:
        url = text[start:end]
        bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower())
        host = bare.split("/")[0]
        before = text[max(0, start - 80):start].lower()
        labels = host.split(".")
        is_sales = (any((host.startswith(h) and len(labels) >= 3 if h.endswith(".") else
                         host == h or host.endswith("." + h)) or ("/" in h and bare.startswith(h))
                        for h in links["hosts"])
                    or any(p in bare[len(host):] for p in links["paths"])
                    or any(re.search(rf"\b{re.escape(w)}\b", before) for w in links["context"]))
        if not is_sales or in_quotes(ctx.doc, start, end):
            continue
        span = ctx.doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            yield ctx.hit("HS004", span, f"Sales or booking link dropped on the recipient: {url}",
                          "Leave links out until they ask; share a calendar link only when they want to meet.",
                          "info" if ctx.known else None)
