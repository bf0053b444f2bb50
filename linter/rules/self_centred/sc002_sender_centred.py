from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule


def sender_focus(ctx: Context) -> tuple[float, float, dict[str, int]]:
    """(sender weight, recipient weight, the counts behind them) from the sentences' focus and the sender-side
    signals."""
    doc = ctx.doc
    focus = doc._.focus
    spoken = {f.sentence.start for f in focus if f.side == "sender"}  # counted once, as a sender sentence
    counts = {
        "sender sentences": sum(f.side == "sender" and not f.tied for f in focus),
        "mixed sentences": sum(f.side == "both" and not f.tied for f in focus),
        "tied to them": sum(f.tied for f in focus),
        "recipient sentences": sum(f.side == "recipient" for f in focus),
        "brags": len(doc._.brags),
        "credentials": sum(s.start not in spoken for s in doc._.credentials),
        "own needs": sum(s.start not in spoken for s in doc._.sender_needs),
        "asks for favours": sum(a.kind in ("promote", "favour") for a in doc._.asks),
        "research": len(doc._.evidence),
    }
    sender = counts["sender sentences"] + 0.5 * counts["mixed sentences"] + counts["brags"] + \
        0.5 * (counts["credentials"] + counts["own needs"]) + counts["asks for favours"]
    recipient = counts["recipient sentences"] + counts["tied to them"] + 0.5 * counts["mixed sentences"] + \
        counts["research"]
    return sender, recipient, counts


@rule("SC002", "sender-centred", severity="warning", example_stage="cold", by_stage={"reply": "info"})
def sender_centred(ctx: Context) -> Iterator[Hit]:
    """Flags a message that is mostly about the sender: sentences whose subject is the sender's side (I, we, our
    platform, the sender's company named in the draft or the config) doing something other than looking at the
    recipient, with credentials, brags and the sender's own needs, outweighing what is about the recipient and
    tied to their needs. Read from the dependency parse, sentence by sentence.

    Why is this bad?
        You are irrelevant until you tie your offer to what the other person wants; a message about yourself gives
        them no reason to answer.

    Example:
        I am a product designer with ten years of experience. I have worked with startups and banks. I run
        workshops and I write a newsletter. I would love to work together.

    Use instead:
        Your checkout redesign removed two steps; I noticed the address form still resets on mobile Safari. Would
        a short screen recording of the bug be useful?
    """
    sender, recipient, counts = sender_focus(ctx)
    focus = [f for f in ctx.doc._.focus if f.side in ("sender", "both") and not f.tied]
    if not focus or sender < 1 or sender < 0.5 * recipient:
        return
    weak = sender < ctx.config.self_talk_min or sender <= ctx.config.self_talk_ratio * recipient
    parts = ", ".join(f"{k}: {v}" for k, v in counts.items() if v)
    hit = ctx.hit("SC002", focus[0].sentence, f"Mostly about the sender (sender focus {sender:g}, recipient focus "
                                              f"{recipient:g}; {parts}).",
                  "Rewrite so the recipient is the subject: their goal, their problem, what changes for them.",
                  strength=min(1.0, sender / (sender + recipient + 1)))
    hit.weak = weak
    yield hit
