from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule, short

PUSHING_ASKS = {"meeting", "demo", "buy", "apply", "promote", "reply", "other", "guest"}
WHERE = {"connection-request": "a connection note", "post-connection": "the first message after connecting",
         "cold": "a cold first message"}


@rule("HS001", "pitch-in-first-touch", severity="warning", example_stage="post-connection",
      by_stage={"connection-request": "error", "post-connection": "error", "reply": "off"})
def pitch_in_first_touch(ctx: Context) -> Iterator[Hit]:
    """Flags a pitch (the sender's product, service, offer, price, trial or a job 'opportunity') together with an
    ask, in a first touch: a connection note, the first message after connecting, or a cold message. Also flags
    a first touch that asks a stranger to try, star or promote the sender's work.

    Why is this bad?
        Nobody accepted your invitation to be sold to. Pitching the minute they connect is the classic
        post-connection hard sell: it reads as bait-and-switch and kills the relationship before it starts.

    Example:
        Thanks for connecting, Dana! Our platform helps logistics teams cut fuel costs by 20%. Want to try it free
        this month?

    Use instead:
        Thanks for connecting, Dana! Your post on rerouting around the port strikes was sharp. How did the team
        decide which lanes to move first?
    """
    if not ctx.first_touch:
        return
    doc = ctx.doc
    where = WHERE[ctx.stage]
    pitches = [o for o in doc._.offers if o.strength != "soft"]
    promotes = [a for a in doc._.asks if a.kind == "promote"]
    if not pitches:
        for ask in promotes[:1]:
            yield ctx.hit("HS001", ask.sentence, f"Asks a stranger to try or promote your work in {where}: "
                                                 f"'{short(ask.sentence.text)}'.",
                          "Earn the favour first: help them, or ask about their work; share yours once they are "
                          "interested.", strength=0.8)
        invited = any(o.kind == "invite" for o in doc._.offers)  # "Interested?" after a guest invitation
        for ask in [a for a in doc._.asks if a.kind == "interest" and not invited][:1]:
            hit = ctx.hit("HS001", ask.sentence, f"Asks a stranger whether they are interested in {where}: "
                                                 f"'{short(ask.sentence.text)}'.",
                          "Find out what they need first; propose something once they have shown interest.",
                          strength=0.3)
            hit.weak = True
            yield hit
        return
    first = pitches[0]
    later = [a for a in doc._.asks if a.kind in PUSHING_ASKS and a.sentence.end_char > first.sentence.start_char]
    strong = [o for o in pitches if o.strength == "strong"]
    pushed = bool(later or strong or promotes)
    why = "a price or a 'perfect fit' claim" if strong and not later else "an ask" if pushed else "no ask yet"
    hit = ctx.hit("HS001", first.sentence, f"Pitch in {where}: '{short(first.sentence.text)}' ({first.kind}, "
                                           f"with {why}).",
                  "Ask about their situation first; offer help or a resource with no ask, and pitch only once they "
                  "show interest.", strength=1.0 if strong or later else 0.6 if pushed else 0.4)
    hit.weak = not pushed
    yield hit
