"""Thread and timing rules (HS101 pitch-on-accept, HS102 chasing, HS103 repeated-pitch, PZ101 copy-paste-opener):
each looks at a staged thread and the lint reports of its sent messages. Documentation: audit/rules.toml."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Iterator

from .. import catalogue
from ..config import Config
from ..draft import Draft
from ..errors import UserError
from ..report import SEVERITY_RANK, Finding, Report
from .threads import Item, Thread, greeting_end

THREAD_CODES = ("HS101", "HS102", "HS103", "PZ101")


@dataclass(frozen=True)
class Settings:
    """Thresholds of the thread rules: the `[tool.outreach-lint.audit]` table of the config."""

    pitch_window_days: int = 3
    chase_sends: int = 3
    chase_gap_days: float = 2.0
    repeat_similarity: float = 90.0
    copy_paste_similarity: float = 90.0
    copy_paste_min: int = 3

    @classmethod
    def from_config(cls, config: Config) -> "Settings":
        raw: dict[str, Any] = getattr(config, "audit", None) or {}
        known = {f.name.replace("_", "-"): f for f in fields(cls)}
        values = {}
        where = config.source or "config"
        for key, value in raw.items():
            spec = known.get(key) or known.get(key.replace("_", "-"))
            if spec is None:
                raise UserError(f"{where}: unknown key 'audit.{key}' (known: {', '.join(sorted(known))})")
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not number or value < (1 if spec.type in (int, "int") else 0) or (
                    spec.type in (int, "int") and not isinstance(value, int)):
                raise UserError(f"{where}: 'audit.{key}' must be a {'whole ' if spec.type in (int, 'int') else ''}"
                                "number above 0")
            if "similarity" in spec.name and value > 100:
                raise UserError(f"{where}: 'audit.{key}' is a percentage (0-100)")
            values[spec.name] = value
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        return {f.name.replace("_", "-"): getattr(self, f.name) for f in fields(self)}


def thread_findings(thread: Thread, reports: dict[int, Report], config: Config, settings: Settings
                    ) -> list[tuple[Item, Finding]]:
    """The thread rules' findings, each with the message it is about. `reports` maps an item's index in
    thread.items to its lint report (messages that could not be linted are missing)."""
    out: list[tuple[Item, Finding]] = []
    for rule in (_pitch_on_accept, _copy_paste, _chasing, _repeated_pitch):
        for index, code, start, end, message, suggestion in rule(thread, reports, config, settings):
            item = thread.items[index]
            if code not in _active(config, item.stage):
                continue
            out.append((item, _finding(item, code, start, end, message, suggestion, config)))
    out.sort(key=lambda pair: (thread.items.index(pair[0]), pair[1].start, pair[1].code))
    return out


def _active(config: Config, stage: str | None) -> frozenset[str]:
    from ..engine import active_rules

    return active_rules(config, stage or "post-connection")


def _finding(item: Item, code: str, start: int, end: int, message: str, suggestion: str, config: Config
             ) -> Finding:
    meta = catalogue.rules()[code]
    text = item.text
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    located = Draft(text)
    line, col = located.position(start)
    end_line, end_col = located.position(end)
    return Finding(code=code, name=meta.name, category=meta.category,
                   severity=config.severity.get(code) or meta.severity_for(item.stage or "post-connection"),
                   message=message, line=line, column=col, end_line=end_line, end_column=end_col, start=start,
                   end=end, excerpt=text[start:end], suggestion=suggestion)


def _hard_sell(report: Report | None) -> list[Finding]:
    if report is None:
        return []
    return [f for f in report.findings if f.category == "hard-sell" and SEVERITY_RANK[f.severity] >= 2
            and f.code not in THREAD_CODES]


def _delay(thread: Thread, item: Item) -> tuple[float, str] | None:
    """Days from Connected On to the message, and how to say it (day resolution without a time)."""
    c, w = thread.connected_on, item.when
    if c is None or w is None:
        return None
    if c.exact and w.exact:
        hours = (w.at - c.at).total_seconds() / 3600
        if hours < 1:
            return hours / 24, f"{max(1, round(hours * 60))} minutes"
        return hours / 24, (f"{hours:.0f} hours" if hours < 48 else f"{hours / 24:.0f} days")
    days = (w.at.date() - c.at.date()).days
    return days, {0: "the same day", 1: "the day after"}.get(days, f"{days} days")


def _pitch_on_accept(thread, reports, config, settings) -> Iterator[tuple]:
    first = next((k for k, i in enumerate(thread.items) if i.mine and i.stage == "post-connection"), None)
    if first is None:
        return
    delay = _delay(thread, thread.items[first])
    pitches = _hard_sell(reports.get(first))
    if delay is None or delay[0] > settings.pitch_window_days or not pitches:
        return
    f = pitches[0]
    connected = thread.connected_on.at.strftime("%d %b %Y")
    yield (first, "HS101", f.start, f.end,
           f"Pitch {delay[1]} after they accepted (connected {connected}): '{_short(f.excerpt)}' ({f.code}).",
           "Wait for a real reason to write, open with something about them, and pitch only once they show "
           "interest.")


def _copy_paste(thread, reports, config, settings) -> Iterator[tuple]:
    if thread.opener_copies < settings.copy_paste_min or not thread.started_by_owner:
        return
    text = thread.items[0].text
    start = greeting_end(text)
    if start >= len(text.rstrip()):
        return
    yield (0, "PZ101", start, len(text.rstrip()),
           f"Copy-paste opener: near-identical to the first message sent to {thread.opener_copies - 1} other "
           f"people (at least {settings.copy_paste_similarity:g}% alike after the greeting).",
           "Write the first line about them (their post, their project, a shared contact); a template with the "
           "name swapped reads as one.")


def _offers_exit(text: str, report: Report | None, config: Config) -> bool:
    """Whether a sent message offers an easy way out: the exits its lint recognised from the parse (the
    report's `opt_outs` metric), else, for a message that was not linted, the opt-out phrase list."""
    if report is not None and "opt_outs" in report.metrics:
        return report.metrics["opt_outs"] > 0
    from . import optout

    return optout.offers_exit(text, config)


def _chasing(thread, reports, config, settings) -> Iterator[tuple]:
    run: list[int] = []
    for k, item in enumerate([*thread.items, None]):
        if item is not None and item.mine and item.stage != "connection-request":
            run.append(k)
            continue
        if len(run) >= 2:
            hit = _chase_point(thread, run, settings)
            if hit is not None and not any(_offers_exit(thread.items[j].text, reports.get(j), config) for j in run):
                at, why = hit
                text = thread.items[at].text
                lead = len(text) - len(text.lstrip())
                yield (at, "HS102", lead, len(text.rstrip()), f"Chasing: {why}, and none of them offers an easy "
                       "way to say no.",
                       "Stop after one follow-up, leave a week between messages, and end with an exit such as "
                       "\"If it isn't a priority, just say so and I won't follow up.\"")
        run = []


def _chase_point(thread: Thread, run: list[int], settings: Settings) -> tuple[int, str] | None:
    """Where a run of unanswered sends becomes chasing, and why."""
    items = thread.items
    for n, j in enumerate(run[1:], start=2):
        a, b = items[run[n - 2]].when, items[j].when
        gap = (b.at - a.at).total_seconds() / 86400 if a and b else None
        if n >= settings.chase_sends:
            return j, f"{n} messages in a row with no reply"
        if gap is not None and gap < settings.chase_gap_days:
            return j, f"message {n} in a row with no reply, {_gap(gap)} after the one before"
    return None


def _gap(days: float) -> str:
    hours = days * 24
    return f"{hours:.0f} hours" if hours < 48 else f"{days:.0f} days"


def _repeated_pitch(thread, reports, config, settings) -> Iterator[tuple]:
    from rapidfuzz import fuzz

    pitched: list[str] = []
    for k, item in enumerate(thread.items):
        if not item.mine:
            pitched = []  # they answered: a later message starts afresh
            continue
        if pitched and item.stage == "follow-up":
            text = item.text
            processor = str.lower if len(text.lower()) == len(text) else None
            for pitch in pitched:
                m = fuzz.partial_ratio_alignment(pitch, text, processor=processor,
                                                 score_cutoff=settings.repeat_similarity)
                if m is not None:
                    yield (k, "HS103", m.dest_start, m.dest_end,
                           f"Repeats the pitch of an earlier unanswered message: '{_short(pitch)}' "
                           f"({m.score:.0f}% alike).",
                           "Add something new and useful, or let them go; the same pitch twice reads as a "
                           "sequence, not a person.")
                    break
        pitched += [f.excerpt for f in _hard_sell(reports.get(k)) if len(f.excerpt) >= 25]


def _short(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1].rstrip() + "…"
