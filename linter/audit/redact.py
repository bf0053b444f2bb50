"""`--redact`: names, profile URLs, links and e-mail addresses replaced in every output, with each finding's
span moved to the redacted text. Pseudonyms are given in order of first appearance, so runs are reproducible."""
from __future__ import annotations

import bisect
import re
import unicodedata
from pathlib import PurePosixPath
from typing import Any

from ..draft import Draft

LINK_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"']+|\b[\w.+-]+@[\w-]+\.[\w.-]+\b", re.I)
SKIP_TOKENS = {"ph.d.", "phd", "md", "mba", "jr", "jr.", "sr", "sr.", "ii", "iii", "linkedin", "member", "and",
               "the", "of", "de", "van", "von"}


class Redactor:
    def __init__(self) -> None:
        self.people: dict[str, str] = {}
        self.exports: dict[str, str] = {}

    def person(self, name: str, owner: bool = False) -> str:
        key = unicodedata.normalize("NFKC", name).casefold().strip()
        if not key:
            return name
        if key not in self.people:
            if owner:
                self.people[key] = f"Owner {sum(v.startswith('Owner') for v in self.people.values()) + 1}"
            else:
                self.people[key] = f"Person {sum(v.startswith('Person') for v in self.people.values()) + 1}"
        return self.people[key]

    def export(self, info: dict[str, Any]) -> dict[str, Any]:
        label = f"export-{info['index'] + 1}"
        self.exports[PurePosixPath(info["path"]).name] = label
        owner = dict(info["owner"], name=self.person(info["owner"]["name"], owner=True))
        files = {k: self.file(v) for k, v in info["files"].items()}
        return dict(info, path=label, owner=owner, files=files)

    def file(self, label: str) -> str:
        parts = PurePosixPath(label).parts
        for i, part in enumerate(parts):
            if part in self.exports:
                return "/".join((self.exports[part], *parts[i + 1:]))
        return "/".join((self.exports.get(parts[0], "export"), *parts[-1:]))

    def thread(self, t: dict[str, Any], owner: str) -> dict[str, Any]:
        names = {owner: self.person(owner, owner=True)}
        for name in [*t["with"], *(m["from"] for m in t["messages"])]:
            if name and name not in names:
                names[name] = self.person(name, owner=name == owner)
        pattern = _pattern(names)
        out = dict(t, **{"with": [names.get(n, n) for n in t["with"]],
                         "profile_url": "[profile]" if t["profile_url"] else "",
                         "title": self.text(t["title"], pattern, names)[0]})
        maps = {}
        messages = []
        for m in t["messages"]:
            text, shift = self.text(m["text"], pattern, names)
            maps[(m["file"], m["row"])] = (text, shift)
            new = dict(m, file=self.file(m["file"]), **{"from": names.get(m["from"], m["from"]), "text": text})
            if "findings" in m:
                new["findings"] = [self._finding(f, text, shift, pattern, names) for f in m["findings"]]
            messages.append(new)
        out["messages"] = messages
        out["findings"] = [self._finding(f, *maps[(f["file"], f["row"])], pattern, names) for f in t["findings"]]
        return out

    def _finding(self, f, text, shift, pattern, names) -> dict[str, Any]:
        start, end = shift(f["start"], False), shift(f["end"], True)
        d = Draft(text)
        line, col = d.position(start)
        end_line, end_col = d.position(end)
        return dict(f, file=self.file(f["file"]), start=start, end=end, line=line, column=col, end_line=end_line,
                    end_column=end_col, excerpt=text[start:end],
                    message=self.text(f["message"], pattern, names)[0],
                    suggestion=self.text(f["suggestion"], pattern, names)[0])

    def text(self, text: str, pattern: re.Pattern | None, names: dict[str, str]):
        """The redacted text and a function mapping an offset in `text` to one in the result."""
        edits = []
        for m in LINK_RE.finditer(text):
            edits.append((m.start(), m.end(), "[email]" if "@" in m.group(0) and "/" not in m.group(0)
                          else "[link]"))
        if pattern is not None:
            taken = [(a, b) for a, b, _ in edits]
            for m in pattern.finditer(text):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    edits.append((m.start(), m.end(), self._alias(m.group(0), names)))
        edits.sort()
        pieces, starts, new_starts, pos, delta = [], [], [], 0, 0
        for a, b, rep in edits:
            pieces += [text[pos:a], rep]
            starts.append((a, b))
            new_starts.append((a + delta, a + delta + len(rep)))
            delta += len(rep) - (b - a)
            pos = b
        pieces.append(text[pos:])

        lefts = [a for a, _ in starts]

        def shift(offset: int, is_end: bool) -> int:
            i = bisect.bisect_right(lefts, offset) - 1
            if i < 0:
                return offset
            (a, b), (na, nb) = starts[i], new_starts[i]
            if offset >= b:
                return offset - b + nb
            return na if offset == a or not is_end else nb

        return "".join(pieces), shift

    def _alias(self, matched: str, names: dict[str, str]) -> str:
        key = _fold(matched)
        for name, alias in names.items():
            if key == _fold(name) or key in _tokens(name):
                return alias
        return "[name]"


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _tokens(name: str) -> set[str]:
    folded = _fold(name).replace(",", " ")
    return {t for t in folded.split() if len(t) > 1 and t not in SKIP_TOKENS and any(c.isalpha() for c in t)}


def _pattern(names: dict[str, str]) -> re.Pattern | None:
    forms = set()
    for name in names:
        for variant in (name, unicodedata.normalize("NFKC", name)):
            clean = " ".join(variant.split())
            if clean:
                forms.add(clean)
            for token in re.split(r"[\s,]+", clean):
                if len(token) > 1 and token.casefold() not in SKIP_TOKENS and any(c.isalpha() for c in token):
                    forms.add(token)
    if not forms:
        return None
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.I)
