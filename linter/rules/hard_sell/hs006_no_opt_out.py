from __future__ import annotations

from typing import Iterator

from ... import vocab
from ...features.pressure import chase_only
from .. import Context, Hit, rule, short

CHASING_ASKS = {"meeting", "demo", "buy", "apply", "promote"}


@rule("HS006", "follow-up-without-opt-out", severity="warning", example_stage="follow-up",
      by_stage={"connection-request": "off", "post-connection": "off", "cold": "off", "reply": "off"})
def follow_up_without_opt_out(ctx: Context) -> Iterator[Hit]:
    """Flags a follow-up (sequence step 2 or later, no reply yet) that chases an unanswered message or repeats
    the pitch or the ask, and gives the recipient no easy way to say no. A message that only points at the
    unanswered one ("making sure you got my last message") chases; thank-you notes, updates and answers do not.

    Why is this bad?
        Without an exit, every further message feels like a chase; an explicit 'no worries if not' earns more
        replies and fewer blocks.

    Example:
        Hi Tom, following up with the case study on hospital scheduling I mentioned. Would Tuesday work to walk
        through it?

    Use instead:
        Hi Tom, here is the hospital scheduling case study I mentioned, in case it helps with the night-shift rota
        change you described in your post. If it isn't relevant, just say so and I won't follow up.
    """
    doc = ctx.doc
    if ctx.sequence_step < 2 or ctx.replied or doc._.opt_outs or not doc._.sentences:
        return
    chase = doc._.chases[0].sent if doc._.chases else None
    pitch = next((o for o in doc._.offers if o.strength != "soft"), None)
    ask = next((a for a in doc._.asks if a.kind in CHASING_ASKS and (a.purpose == "sales" or pitch is not None)
                and a.purpose != "advice"), None)
    anchor = chase or (ask.sentence if ask is not None else None) or (pitch.sentence if pitch is not None else None)
    chased = ask is not None or pitch is not None or doc._.nags or _chase_alone(doc) or any(
        a.kind in ("reply", "interest", "other") and a.form != "wish" for a in doc._.asks)
    if anchor is None or not chased:
        return  # a follow-up that only brings something new, asking nothing, chases nobody
    what = "chases" if chase is not None else "repeats the ask" if ask is not None else "repeats the pitch"
    yield ctx.hit("HS006", anchor, f"Follow-up (step {ctx.sequence_step}) {what} with no easy way to say no: "
                                   f"'{short(anchor.text)}'.",
                  "End with an exit, e.g. \"If this isn't a priority, just say so and I won't follow up.\"",
                  strength=1.0 if chase is not None else 0.7)


def _chase_alone(doc) -> bool:
    """The chase is the whole message: every body sentence is the chasing line or about no one ("Apologies for
    the double message, just making sure you saw this one"), and it does not amend the earlier one."""
    if not chase_only(doc):
        return False
    chased = {c.sent.start for c in doc._.chases}
    if any(vocab.has(t, "nouns", "amend") for c in doc._.chases for t in c.sent):
        return False  # it points at the earlier message to correct or withdraw it: news, not a chase
    return all(f.sentence.start in chased or f.side == "neutral" for f in doc._.focus)
