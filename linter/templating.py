"""Linting message templates: merge fields are variables, not unfilled placeholders.

A template is rendered with a sample profile and linted as the message a recipient would get; every
finding's span is mapped back to the template (a finding inside a rendered field covers the whole field).
Merge fields that name no known variable are findings of their own (PZ006).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import regex

from .errors import UserError
from .profile import Profile

MERGE_TIMEOUT = 1.0  # seconds a merge-syntax regex may take on one draft

SYNTAXES = {
    "jinja": r"\{\{\s*(?P<name>[A-Za-z_][\w.]*)\s*\}\}",
    "single": r"\{\s*(?P<name>[A-Za-z_][\w.]*)\s*\}",
    "mailchimp": r"\*\|(?P<name>[A-Za-z0-9_]+)\|\*",
    "percent": r"%(?P<name>[A-Za-z][A-Za-z0-9_]*)%",
    "bracket": r"\[(?P<name>[A-Za-z][\w ]{0,30})\]",
}
# Variable names a sales tool's merge fields commonly use, by normalised name, and the sample values.
SAMPLE = {
    "firstname": "Jordan", "first": "Jordan", "fname": "Jordan", "name": "Jordan Reyes",
    "fullname": "Jordan Reyes", "lastname": "Reyes", "lname": "Reyes", "company": "Northwind Logistics",
    "companyname": "Northwind Logistics", "organisation": "Northwind Logistics",
    "organization": "Northwind Logistics", "role": "Head of Operations", "title": "Head of Operations",
    "jobtitle": "Head of Operations", "headline": "Head of Operations at Northwind Logistics",
    "location": "Leeds", "city": "Leeds", "industry": "logistics",
    "posttopic": "night-shift routing", "recentposttopic": "night-shift routing",
    "recentpost": "moving the night shift to fixed routes",
    "sharedconnection": "Priya Chandran", "mutualconnection": "Priya Chandran",
    "school": "Aston University", "event": "the Birmingham Logistics Expo",
    "howwemet": "the Birmingham Logistics Expo", "companynews": "the opening of the Leeds depot",
    "sendername": "Sam", "sendercompany": "RouteIQ", "myname": "Sam", "mycompany": "RouteIQ",
}


def normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().split(".")[-1])


@dataclass
class Rendering:
    """A rendered template and how its offsets map back to the template text."""

    text: str
    # (rendered start, rendered end, template start, template end, is a merge field)
    segments: list[tuple[int, int, int, int, bool]] = field(default_factory=list)
    unknown: list[tuple[int, int, str]] = field(default_factory=list)  # template offsets of unknown fields

    def to_template(self, start: int, end: int) -> tuple[int, int]:
        return self._point(start, True), self._point(end, False)

    def _point(self, offset: int, is_start: bool) -> int:
        for r0, r1, t0, t1, is_field in self.segments:
            if is_field and (r0 < offset < r1 or (offset == r0 and is_start) or (offset == r1 and not is_start)):
                return t0 if is_start else t1
            if not is_field and r0 <= offset <= r1:
                return t0 + (offset - r0)
        return self.segments[-1][3] if self.segments else offset


def render(text: str, syntax: str, known: set[str], profile: Profile | None) -> Rendering:
    """Replace each merge field with a sample value (from `profile` if given, else built-in ones)."""
    pattern = regex.compile(SYNTAXES.get(syntax, syntax))
    values = dict(SAMPLE)
    if profile is not None:
        values.update({normalise(k): str(v) for k, v in profile.data.items() if isinstance(v, (str, int, float))})
        if profile.first_name:
            values.update(firstname=profile.first_name, first=profile.first_name, fname=profile.first_name)
    known_norm = {normalise(k) for k in known} | set(values)
    out: list[str] = []
    rendering = Rendering(text="")
    pos = rpos = 0
    for m in _matches(pattern, text):
        literal = text[pos:m.start()]
        out.append(literal)
        rendering.segments.append((rpos, rpos + len(literal), pos, m.start(), False))
        rpos += len(literal)
        name = m.group("name")
        key = normalise(name)
        value = values.get(key) or name.replace("_", " ").strip().title()
        if key not in known_norm:
            rendering.unknown.append((m.start(), m.end(), name))
        out.append(value)
        rendering.segments.append((rpos, rpos + len(value), m.start(), m.end(), True))
        rpos += len(value)
        pos = m.end()
    out.append(text[pos:])
    rendering.segments.append((rpos, rpos + len(text) - pos, pos, len(text), False))
    rendering.text = "".join(out)
    return rendering


def _matches(pattern: "regex.Pattern[str]", text: str) -> list["regex.Match[str]"]:
    """Every match, within MERGE_TIMEOUT seconds: a configured `merge-syntax` regex comes from the repo, and
    nested quantifiers ("(a|aa)+") can backtrack for ever."""
    try:
        return list(pattern.finditer(text, timeout=MERGE_TIMEOUT))
    except TimeoutError:
        raise UserError(f"merge-syntax: the pattern ran for over {MERGE_TIMEOUT:g} s on one draft (nested quantifiers "
                        "such as (a|aa)+ backtrack for ever); simplify it") from None


def is_template(path: str, meta: dict[str, Any], globs: tuple[str, ...]) -> bool:
    """Front matter `template: true`, or a path matching a configured template glob."""
    import fnmatch
    from pathlib import PurePath

    if "template" in meta:
        return bool(meta["template"])
    name = PurePath(path).name
    return any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(path, g) for g in globs)
