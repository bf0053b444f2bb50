"""Output formats: `text` for people and `json` for tools (version 1)."""
from __future__ import annotations

import json
from typing import Any

from .draft import LINE_BREAK
from .report import Report

JSON_VERSION = 1
_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "bold": "\033[1m", "dim": "\033[2m"}
_RESET = "\033[0m"
# Draft text and file names are untrusted: control characters (an escape sequence would drive the terminal)
# are shown as one visible character each (control pictures, U+FFFD), bidi controls too (they reorder the
# line), so the carets stay aligned; characters a terminal would break or tab on are shown as one space.
_DISPLAY = str.maketrans({**{c: chr(0x2400 + c) for c in range(0x20)}, 0x7f: "\u2421",
                          **{c: "\ufffd" for c in (*range(0x80, 0xa0), *range(0x202a, 0x202f), *range(0x2066, 0x206a))},
                          **{ord(c): " " for c in "\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}})


def display(text: str) -> str:
    """One line of untrusted text as text output shows it (see _DISPLAY)."""
    return text.translate(_DISPLAY)


def display_path(path: str) -> str:
    """A path as text output shows it; one that would start a line with `::` (a GitHub Actions workflow
    command, e.g. a file named `::warning::x.txt`) gets a `./` in front."""
    shown = path.translate(_DISPLAY)
    return "./" + shown if shown.lstrip().startswith("::") else shown


def _guard(line: str) -> str:
    """A line of text output that GitHub Actions would run as a workflow command (`::...`) is escaped."""
    return "\\" + line if line.lstrip().startswith("::") else line


class Totals:
    """Running counts for the summary, so output can stream without keeping every report."""

    def __init__(self) -> None:
        self.files = self.failed_files = 0
        self.count = {"error": 0, "warning": 0, "info": 0}

    def add(self, report: Report) -> None:
        self.files += 1
        self.failed_files += report.fails()
        for f in report.findings:
            self.count[f.severity] += 1

    def as_dict(self, fail_on: str) -> dict[str, Any]:
        return {"files": self.files, "findings": sum(self.count.values()), "errors": self.count["error"],
                "warnings": self.count["warning"], "info": self.count["info"], "failed_files": self.failed_files,
                "fail_on": fail_on}


def summary(reports: list[Report], fail_on: str) -> dict[str, Any]:
    totals = Totals()
    for report in reports:
        totals.add(report)
    return totals.as_dict(fail_on)


def to_json(reports: list[Report], fail_on: str, rewrites: dict[int, Any] | None = None) -> str:
    """The versioned JSON document; `rewrites` (by report index) adds each draft's verified rewrites."""
    files = []
    for i, report in enumerate(reports):
        item = report.to_dict()
        if rewrites and i in rewrites:
            item.update(rewrites[i].to_dict())
        files.append(item)
    doc = {"version": JSON_VERSION, "files": files, "summary": summary(reports, fail_on)}
    return json.dumps(doc, indent=2, ensure_ascii=False)


def rewrites_text(report: Report, outcome: Any, written: bool = False) -> str:
    """The rewrites of one draft for people: each with its template, profile fields and own lint result."""
    if not outcome.rewrites:
        return f"{display_path(report.path)}: no rewrite: {display(outcome.reason)}."
    out = [f"{display_path(report.path)}: {len(outcome.rewrites)} rewrite{'s' if len(outcome.rewrites) > 1 else ''} "
           f"({report.stage}; the draft scores {report.score})"]
    for i, rw in enumerate(outcome.rewrites, 1):
        infos = [f.code for f in rw.report.findings]
        out += ["", f"--- {i}. {rw.template} (uses {', '.join(rw.profile_fields_used)}; score {rw.report.score}"
                    f"{'; hints: ' + ', '.join(infos) if infos else ''})",
                *(_guard(display(line)) for line in rw.text.rstrip().split("\n"))]
    if written:
        out += ["", f"wrote rewrite 1 to {display_path(report.path)}"]
    return "\n".join(out)


def to_text(reports: list[Report], fail_on: str, colour: bool = False, rewrites: dict[int, Any] | None = None
            ) -> str:
    out = [text_block(r, colour, (rewrites or {}).get(i)) for i, r in enumerate(reports)]
    return "".join(out) + text_summary(summary(reports, fail_on))


def _painter(colour: bool):
    def paint(text: str, style: str) -> str:
        return f"{_COLOURS[style]}{text}{_RESET}" if colour else text
    return paint


def text_block(report: Report, colour: bool = False, outcome: Any = None) -> str:
    """One draft's findings (and rewrite, if any) for people, each line ending in a newline; "" when clean."""
    paint = _painter(colour)
    out: list[str] = []
    if outcome is not None:
        out += [rewrites_text(report, outcome), ""]
    lines = LINE_BREAK.split(report.text) if report.findings else []
    for f in report.findings:
        out.append(f"{paint(f'{display_path(report.path)}:{f.line}:{f.column}', 'bold')} {f.code} "
                   f"{paint(f'[{f.severity}]', f.severity)} {display(f.message)}")
        out.extend(_excerpt(lines, f, paint))
        out.append(f"  {paint('suggestion:', 'dim')} {display(f.suggestion)}")
        out.append("")
    return "".join(line + "\n" for line in out)


def text_summary(s: dict[str, Any]) -> str:
    """The closing line of text output, from `summary()` or `Totals.as_dict()`."""
    files = "file" if s["files"] == 1 else "files"
    if s["findings"]:
        return (f"Found {s['findings']} problem{'s' if s['findings'] != 1 else ''} "
                f"({s['errors']} error, {s['warnings']} warning, {s['info']} info) in {s['files']} {files}; "
                f"{s['failed_files']} failed (--fail-on {s['fail_on']}).")
    return f"All clear: no problems in {s['files']} {files}."


def _excerpt(lines: list[str], f, paint) -> list[str]:
    """The source line with the span marked (the first line of a multi-line span), from the draft's lines."""
    if not 0 < f.line <= len(lines):
        return []
    src = lines[f.line - 1].translate(_DISPLAY)
    end_col = f.end_column if f.end_line == f.line else len(src) + 1
    width = max(1, min(end_col, len(src) + 1) - f.column)
    gutter = f"{f.line:>4} | "
    return [paint(gutter, "dim") + src, " " * (len(gutter) + f.column - 1) + paint("^" * width, f.severity)]
