"""Audit outputs for people and tools: the terminal summary and the versioned JSON document (streamed)."""
from __future__ import annotations

import json
from typing import Any, Callable

from ..catalogue import CATEGORIES, rules
from .rules import THREAD_CODES

JSON_VERSION = 1


class JsonWriter:
    """Writes `{"version", "kind", "settings", "threads": [...], "exports", "outcomes", "summary"}` one thread
    at a time, so the document never sits in memory whole."""

    def __init__(self, out: Callable[..., None], settings: dict[str, Any]) -> None:
        self.out = out
        self.first = True
        head = json.dumps({"version": JSON_VERSION, "kind": "audit", "settings": settings}, ensure_ascii=False)
        out(head[:-1] + ', "threads": [', end="")

    def thread(self, t: dict[str, Any]) -> None:
        self.out(("\n" if self.first else ",\n") + json.dumps(t, ensure_ascii=False), end="")
        self.first = False

    def close(self, exports: list[dict], outcomes: dict, summary: dict) -> None:
        tail = json.dumps({"exports": exports, "outcomes": outcomes, "summary": summary}, ensure_ascii=False,
                          indent=1)
        self.out("\n], " + tail[1:].lstrip())


def _rate(r: dict[str, Any]) -> str:
    if not r["messages"]:
        return "n/a"
    lo, hi = r["ci95"]
    return f"{r['replied']}/{r['messages']} {r['rate']:.0%} [{lo:.0%}-{hi:.0%}]"


def text_summary(exports: list[dict], outcomes: dict, summary: dict, worst: list[dict], fail_on: str) -> str:
    """The terminal summary of an audit."""
    out = []
    for e in exports:
        out.append(f"{e['path']}: owner {e['owner']['name']} ({e['owner']['how']}); {e['conversations']} "
                   f"conversations, {e['messages']} messages, {e['connections']} connections")
    stages = ", ".join(f"{n} {s}" for s, n in summary["by_stage"].items())
    out.append(f"{summary['sent']} messages sent by the owner ({stages or 'none'})"
               + (f"; {summary['skipped']} not linted (too big or unreadable)" if summary["skipped"] else ""))
    out.append(f"{summary['findings']} findings ({summary['errors']} error, {summary['warnings']} warning, "
               f"{summary['info']} info); messages flagged per family: "
               + ", ".join(f"{c} {summary['flagged_messages_by_family'][c]}" for c in CATEGORIES))
    meta = rules()
    out.append("thread and timing rules: " + ", ".join(f"{c} {meta[c].name} {summary['by_code'].get(c, 0)}"
                                                       for c in THREAD_CODES))
    first = outcomes["first_messages"]
    out.append("")
    out.append("reply rate of first messages, flagged vs clean (replies/messages, 95% CI):")
    out.append(f"  {'any family':<17}flagged {_rate(first['any']['flagged']):<24}clean {_rate(first['any']['clean'])}")
    for cat in CATEGORIES:
        fam = first["by_family"][cat]
        out.append(f"  {cat:<17}flagged {_rate(fam['flagged']):<24}clean {_rate(fam['clean'])}")
    openers = outcomes["charts"]["top_openers"]
    if openers:
        out.append("")
        out.append("repeated openers:")
        out += [f"  {o['copies']:>4} x  {o['text'][:90]}" for o in openers[:5]]
    if worst:
        out.append("")
        out.append("worst threads:")
        for t in worst[:5]:
            codes = sorted({f["code"] for m in t["messages"] for f in m.get("findings", ())} |
                           {f["code"] for f in t["findings"]})
            first_mine = next((m for m in t["messages"] if m["mine"]), {})
            out.append(f"  score {t['score']:>3}  {', '.join(t['with']) or '?'} ({t['sent']} sent, "
                       f"{'replied' if t['replied'] else 'no reply'}) {first_mine.get('file', '')}:"
                       f"{first_mine.get('row', '')}: {', '.join(codes)}")
    out.append("")
    verdict = (f"{summary['failing_messages']} sent messages fail (--fail-on {fail_on})"
               if summary["failing_messages"] else f"no sent message fails (--fail-on {fail_on})")
    out.append(f"Audited {summary['threads']} threads; {verdict}.")
    return "\n".join(out)
