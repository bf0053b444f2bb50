from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule, short


@rule("HS002", "uninvited-meeting-ask", severity="warning", example_stage="post-connection",
      by_stage={"connection-request": "error", "reply": "off"})
def uninvited_meeting_ask(ctx: Context) -> Iterator[Hit]:
    """Flags a request for a call, meeting, demo or chat that the recipient did not invite. Asks for advice or an
    informational chat, and asks to someone the sender already knows, are only hints.

    Why is this bad?
        Asking a stranger for 15 minutes of their calendar is the biggest ask you can make, made before they have
        any reason to say yes.

    Example:
        Hi Marco, thanks for connecting. Are you free for a quick 15-minute call on Thursday?

    Use instead:
        Hi Marco, thanks for connecting. I enjoyed your thread on warehouse robotics pilots; what surprised you
        most in the first month?
    """
    doc = ctx.doc
    selling = any(o.strength != "soft" for o in doc._.offers)
    for ask in doc._.asks:
        if ask.kind not in ("meeting", "demo"):
            continue
        soft, reason = None, ""
        if ctx.known:
            soft, reason = "info", " (you know them, so this is only a hint)"
        elif ask.purpose == "advice" and not selling:
            soft, reason = "info", " (an advice request)"
        elif ask.purpose == "relationship":
            soft, reason = "info", " (a catch-up)"
        strength = 1.0 if ask.kind == "demo" or ask.purpose == "sales" or selling else 0.7
        yield ctx.hit("HS002", ask.sentence, f"Uninvited meeting ask: '{short(ask.sentence.text)}'{reason}.",
                      "Ask one easy question they can answer in a line; suggest a call only after they engage.",
                      soft, strength)
