"""Aggregates over linted threads, in bounded memory: counts, reply rates of flagged vs clean first messages
(per family, per rule, per rep, per month, with Wilson 95% intervals), and the data behind the report's charts."""
from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from ..catalogue import CATEGORIES
from ..report import SEVERITY_RANK
from ..draft import STAGES

DELAY_BUCKETS = ("same day", "1 day", "2-3 days", "4-7 days", "8-30 days", "over 30 days")
CHASE_BUCKETS = ("1", "2", "3", "4", "5+")


def wilson(k: int, n: int, z: float = 1.96) -> list[float] | None:
    """The Wilson score interval of k successes in n trials (95% by default), rounded to 3 places."""
    if n == 0:
        return None
    p = k / n
    d = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [round(max(0.0, centre - half), 3), round(min(1.0, centre + half), 3)]


class Rate:
    """Replies out of first messages."""

    __slots__ = ("n", "k")

    def __init__(self) -> None:
        self.n = self.k = 0

    def add(self, replied: bool) -> None:
        self.n += 1
        self.k += replied

    def as_dict(self) -> dict[str, Any]:
        return {"messages": self.n, "replied": self.k, "rate": round(self.k / self.n, 3) if self.n else None,
                "ci95": wilson(self.k, self.n)}


def _split() -> dict[str, Rate]:
    return {"flagged": Rate(), "clean": Rate()}


class Outcomes:
    """Feed it every thread dict (in order); `as_dict()` gives the JSON `outcomes` and `summary`."""

    def __init__(self, worst: int = 50) -> None:
        self.threads = self.messages = self.sent = self.skipped = 0
        self.by_stage: Counter[str] = Counter()
        self.by_code: Counter[str] = Counter()
        self.by_severity: Counter[str] = Counter()
        self.flagged_by_family: Counter[str] = Counter()
        self.family: dict[str, dict[str, Rate]] = {c: _split() for c in CATEGORIES}
        self.rule_totals: Counter[bool] = Counter()  # first messages by whether they got a reply
        self.rule_flagged_replied: dict[str, Counter[bool]] = defaultdict(Counter)
        self.rep: dict[int, dict[str, dict[str, Rate]]] = defaultdict(lambda: {c: _split() for c in CATEGORIES})
        self.month: dict[str, dict[str, dict[str, Rate]]] = defaultdict(lambda: {c: _split() for c in CATEGORIES})
        self.any_flag = _split()
        self.family_month: dict[str, Counter[str]] = defaultdict(Counter)
        self.delays: Counter[str] = Counter()
        self.chase: Counter[str] = Counter()
        self.openers: dict[tuple[int, int], dict[str, Any]] = {}
        self.worst_n = worst
        self._worst: list[tuple[int, int, dict]] = []
        self._seq = 0
        self.failing = 0

    def add(self, t: dict[str, Any], fail_on: str = "error") -> None:
        self.threads += 1
        self.messages += len(t["messages"])
        thread_by_row = defaultdict(list)
        for f in t["findings"]:
            thread_by_row[(f["file"], f["row"])].append(f)
        mine = [m for m in t["messages"] if m["mine"]]
        for m in mine:
            self.sent += 1
            self.by_stage[m["stage"]] += 1
            self.skipped += "skipped" in m
            found = m.get("findings", []) + thread_by_row[(m["file"], m["row"])]
            for f in found:
                self.by_code[f["code"]] += 1
                self.by_severity[f["severity"]] += 1
                if SEVERITY_RANK[f["severity"]] >= 2 and m["date"]:
                    self.family_month[m["date"][:7]][f["category"]] += 1
            if fail_on != "never" and any(SEVERITY_RANK[f["severity"]] >= SEVERITY_RANK[fail_on] for f in found):
                self.failing += 1
            for cat in {f["category"] for f in found if SEVERITY_RANK[f["severity"]] >= 2}:
                self.flagged_by_family[cat] += 1
        if t["started_by_owner"] and mine and mine[0]["stage"] in ("post-connection", "cold") \
                and "skipped" not in mine[0]:
            self._first_message(t, mine[0], thread_by_row[(mine[0]["file"], mine[0]["row"])])
        if t["started_by_owner"] and mine:
            self.chase[_chase_bucket(t["messages"])] += 1
        if t["opener"] is not None:
            key = (t["export"], t["opener"]["group"])
            if key not in self.openers:
                from .threads import greeting_end

                text = t["messages"][0]["text"]
                self.openers[key] = {"export": t["export"], "copies": t["opener"]["copies"],
                                     "text": " ".join(text[greeting_end(text):].split())[:160]}
        if mine:
            self._seq += 1
            item = (-t["score"], -self._seq, t)
            if len(self._worst) < self.worst_n:
                heapq.heappush(self._worst, item)
            elif item > self._worst[0]:
                heapq.heapreplace(self._worst, item)

    def _first_message(self, t: dict[str, Any], first: dict[str, Any], extra: list[dict]) -> None:
        found = [f for f in first.get("findings", []) + extra if SEVERITY_RANK[f["severity"]] >= 2]
        replied = t["replied"]
        cats = {f["category"] for f in found}
        for cat in CATEGORIES:
            side = "flagged" if cat in cats else "clean"
            self.family[cat][side].add(replied)
            self.rep[t["export"]][cat][side].add(replied)
            if first["date"]:
                self.month[first["date"][:7]][cat][side].add(replied)
        self.any_flag["flagged" if found else "clean"].add(replied)
        self.rule_totals[replied] += 1
        for code in {f["code"] for f in found}:
            self.rule_flagged_replied[code][replied] += 1
        if t["connected_on"] and first["stage"] == "post-connection" and first["date"] \
                and any(f["category"] == "hard-sell" for f in found):
            days = (date.fromisoformat(first["date"][:10]) - date.fromisoformat(t["connected_on"][:10])).days
            self.delays[_delay_bucket(days)] += 1

    @property
    def worst(self) -> list[dict[str, Any]]:
        return [t for _, _, t in sorted(self._worst, reverse=True)]

    def as_dict(self) -> dict[str, Any]:
        rules = {}
        total_n, total_k = self.rule_totals[False] + self.rule_totals[True], self.rule_totals[True]
        for code in sorted(self.rule_flagged_replied):
            no, yes = self.rule_flagged_replied[code][False], self.rule_flagged_replied[code][True]
            flagged, clean = Rate(), Rate()
            flagged.n, flagged.k = no + yes, yes
            clean.n, clean.k = total_n - flagged.n, total_k - yes
            rules[code] = {"flagged": flagged.as_dict(), "clean": clean.as_dict()}
        split = lambda d: {side: r.as_dict() for side, r in d.items()}  # noqa: E731
        return {
            "first_messages": {"any": split(self.any_flag),
                               "by_family": {c: split(v) for c, v in self.family.items()},
                               "by_rule": rules,
                               "by_rep": {str(i): {c: split(v) for c, v in fam.items()}
                                          for i, fam in sorted(self.rep.items())},
                               "by_month": {m: {c: split(v) for c, v in fam.items()}
                                            for m, fam in sorted(self.month.items())}},
            "charts": {"findings_by_month": {m: dict(sorted(c.items())) for m, c in sorted(self.family_month.items())},
                       "accept_to_pitch_days": {b: self.delays[b] for b in DELAY_BUCKETS},
                       "chasing_depth": {b: self.chase[b] for b in CHASE_BUCKETS},
                       "top_openers": sorted(self.openers.values(), key=lambda o: (-o["copies"], o["export"],
                                                                                   o["text"]))[:10]},
        }

    def summary(self) -> dict[str, Any]:
        return {"threads": self.threads, "messages": self.messages, "sent": self.sent, "skipped": self.skipped,
                "by_stage": {s: self.by_stage[s] for s in STAGES if self.by_stage[s]},
                "findings": sum(self.by_severity.values()),
                "errors": self.by_severity["error"], "warnings": self.by_severity["warning"],
                "info": self.by_severity["info"], "by_code": dict(sorted(self.by_code.items())),
                "flagged_messages_by_family": {c: self.flagged_by_family[c] for c in CATEGORIES},
                "failing_messages": self.failing}


def _delay_bucket(days: int) -> str:
    if days <= 0:
        return DELAY_BUCKETS[0]
    if days == 1:
        return DELAY_BUCKETS[1]
    if days <= 3:
        return DELAY_BUCKETS[2]
    if days <= 7:
        return DELAY_BUCKETS[3]
    return DELAY_BUCKETS[4] if days <= 30 else DELAY_BUCKETS[5]


def _chase_bucket(messages: list[dict[str, Any]]) -> str:
    """The longest run of the owner's messages with no reply between them."""
    best = run = 0
    for m in messages:
        run = run + 1 if m["mine"] else 0
        best = max(best, run)
    return CHASE_BUCKETS[min(best, 5) - 1]
