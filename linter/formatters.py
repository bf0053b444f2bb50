"""Output formats: `text` for people and `json` for tools (version 1)."""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from itertools import accumulate
from typing import Any, Callable, Iterable, Iterator

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
COLUMN_UNITS = ("char", "utf-8", "utf-16")
CUT = "..."  # marks where a long line is cut in text output
MIN_WIDTH = 40  # text output is laid out for at least this many terminal columns


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
    """Running counts for the summary, so output can stream without keeping every report. `files` counts the
    drafts linted; `file_errors` those that could not be (Report.error)."""

    def __init__(self) -> None:
        self.files = self.failed_files = self.file_errors = 0
        self.count = {"error": 0, "warning": 0, "info": 0}

    def add(self, report: Report) -> None:
        if report.error is not None:
            self.file_errors += 1
            return
        self.files += 1
        self.failed_files += report.fails()
        for f in report.findings:
            self.count[f.severity] += 1

    def as_dict(self, fail_on: str, column_unit: str = "char") -> dict[str, Any]:
        return {"files": self.files, "findings": sum(self.count.values()), "errors": self.count["error"],
                "warnings": self.count["warning"], "info": self.count["info"], "failed_files": self.failed_files,
                "file_errors": self.file_errors, "fail_on": fail_on, "column_unit": column_unit}


def with_columns(report: Report, unit: str) -> Report:
    """The report with `column`/`end_column` counted in `unit`: "char" (Unicode code points, the default),
    "utf-8" (bytes: Vim, Neovim's quickfix) or "utf-16" (code units: LSP, VS Code). Lines, `start`/`end` and
    excerpts do not change. Needs the report's text."""
    if unit == "char" or not report.findings:
        return report

    def convert(offset: int, column: int) -> int:
        before = report.text[offset - column + 1:offset]  # the line up to the offset
        return 1 + (len(before.encode("utf-8")) if unit == "utf-8" else len(before.encode("utf-16-le")) // 2)

    report.findings = [replace(f, column=convert(f.start, f.column), end_column=convert(f.end, f.end_column))
                       for f in report.findings]
    return report


_LOCATION = re.compile(r"^:(\d+)(?::(\d+))?: ")


def file_error(report: Report) -> dict[str, Any]:
    """A draft that could not be linted, for machine formats: {"path", "line", "column", "message"} (line and
    column are null when the problem has no position; the message does not repeat the path)."""
    message, line, column = report.error or "", None, None
    if message.startswith(report.path + ":"):
        rest = message[len(report.path):]
        m = _LOCATION.match(rest)
        if m:
            line, column = int(m.group(1)), int(m.group(2)) if m.group(2) else None
            message = rest[m.end():]
        else:
            message = rest[1:].lstrip()
    return {"path": report.path, "line": line, "column": column, "message": message}


def summary(reports: list[Report], fail_on: str, column_unit: str = "char") -> dict[str, Any]:
    totals = Totals()
    for report in reports:
        totals.add(report)
    return totals.as_dict(fail_on, column_unit)


def to_json(reports: list[Report], fail_on: str, rewrites: dict[int, Any] | None = None,
            column_unit: str = "char") -> str:
    """The versioned JSON document; `rewrites` (by report index) adds each draft's verified rewrites. Drafts
    that could not be linted are listed in `errors`, not in `files`."""
    results = ((r, (rewrites or {}).get(i)) for i, r in enumerate(reports))
    return "".join(json_stream(results, lambda: fail_on, column_unit))


def json_stream(results: Iterable[tuple[Report, Any]], fail_on: Callable[[], str], column_unit: str = "char"
                ) -> Iterator[str]:
    """The JSON document of to_json in pieces, one per draft as its report arrives, so a run of any size
    holds one report at a time (the errors of drafts that could not be linted are kept for the end).
    `fail_on` is asked at the end, for the summary."""
    totals, errors, first = Totals(), [], True
    yield '{\n  "version": %d,\n  "files": [' % JSON_VERSION
    for report, outcome in results:
        totals.add(report)
        if report.error is not None:
            errors.append(file_error(report))
            continue
        item = report.to_dict()
        if outcome is not None:
            item.update(outcome.to_dict())
        yield ("\n" if first else ",\n") + _nested(item, 2)
        first = False
    yield "]" if first else "\n  ]"
    tail = json.dumps({"errors": errors, "summary": totals.as_dict(fail_on(), column_unit)}, indent=2,
                      ensure_ascii=False)
    yield ",\n" + tail[2:]  # the two keys after "files", at the document's own indentation


def _nested(value: Any, depth: int) -> str:
    """json.dumps(value, indent=2) as it appears `depth` levels deep in an indented document."""
    pad = "  " * depth
    return pad + json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)


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


def to_text(reports: list[Report], fail_on: str, colour: bool = False, rewrites: dict[int, Any] | None = None,
            width: int = 100) -> str:
    out = [text_block(r, colour, (rewrites or {}).get(i), width) for i, r in enumerate(reports)]
    return "".join(out) + text_summary(summary(reports, fail_on))


def _painter(colour: bool):
    def paint(text: str, style: str) -> str:
        return f"{_COLOURS[style]}{text}{_RESET}" if colour else text
    return paint


def text_block(report: Report, colour: bool = False, outcome: Any = None, width: int = 100) -> str:
    """One draft's findings (and rewrite, if any) for people, each line ending in a newline; "" when clean.
    Source lines are cut to a window around the span so that they and their carets fit `width` columns."""
    paint = _painter(colour)
    out: list[str] = []
    if outcome is not None:
        out += [rewrites_text(report, outcome), ""]
    lines = LINE_BREAK.split(report.text) if report.findings else []
    starts = [0] + [m.end() for m in LINE_BREAK.finditer(report.text)] if report.findings else []
    for f in report.findings:
        out.append(f"{paint(f'{display_path(report.path)}:{f.line}:{f.column}', 'bold')} {f.code} "
                   f"{paint(f'[{f.severity}]', f.severity)} {display(f.message)}")
        out.extend(_excerpt(lines, starts, f, paint, max(width, MIN_WIDTH)))
        out.append(f"  {paint('suggestion:', 'dim')} {display(f.suggestion)}")
        out.append("")
    return "".join(line + "\n" for line in out)


def text_summary(s: dict[str, Any]) -> str:
    """The closing line of text output, from `summary()` or `Totals.as_dict()`."""
    files = "file" if s["files"] == 1 else "files"
    broken = s.get("file_errors", 0)
    unlinted = f" {broken} {'file' if broken == 1 else 'files'} could not be linted (see the errors above)." \
        if broken else ""
    if s["findings"]:
        return (f"Found {s['findings']} problem{'s' if s['findings'] != 1 else ''} "
                f"({s['errors']} error, {s['warnings']} warning, {s['info']} info) in {s['files']} {files}; "
                f"{s['failed_files']} failed (--fail-on {s['fail_on']}).{unlinted}")
    if broken:
        return f"No problems in {s['files']} {files}.{unlinted}"
    return f"All clear: no problems in {s['files']} {files}."


def nothing_to_lint(excluded: list[str]) -> str:
    """The text output of a run whose every file was excluded (as when pre-commit passes only a README)."""
    names = ", ".join(excluded[:3]) + (" ..." if len(excluded) > 3 else "")
    return (f"Nothing to lint: {names} {'is' if len(excluded) == 1 else 'are'} excluded by the config's exclude "
            "(see: outreach-lint config --show).")


def _excerpt(lines: list[str], starts: list[int], f, paint, width: int) -> list[str]:
    """The source line around the span (the first line of a multi-line span), with carets under it; a line too
    long for `width` terminal columns is cut to a window around the span, with `...` where it is cut."""
    from rich.cells import cell_len  # terminal columns: an emoji takes two, a combining accent none

    if not 0 < f.line <= len(lines):
        return []
    src = lines[f.line - 1].translate(_DISPLAY)
    first = min(max(f.start - starts[f.line - 1], 0), len(src))
    last = min(f.end - starts[f.line - 1], len(src)) if f.end_line == f.line else len(src)
    last = max(last, first + 1) if first < len(src) else first
    gutter = f"{f.line:>4} | "
    room = width - len(gutter)
    # acc[i]: the columns of src[:i], summed once for the window, the padding and the carets
    acc = range(len(src) + 1) if src.isascii() and src.isprintable() else \
        list(accumulate((cell_len(c) for c in src), initial=0))
    lo, hi = _window(src, acc, first, last, room)
    shown = (CUT if lo else "") + src[lo:hi] + (CUT if hi < len(src) else "")
    pad = (len(CUT) if lo else 0) + max(0, acc[first] - acc[lo])
    carets = max(1, acc[min(last, hi)] - acc[first])
    carets = max(1, min(carets, room - pad))
    return [paint(gutter, "dim") + shown, " " * (len(gutter) + pad) + paint("^" * carets, f.severity)]


def _window(src: str, acc, first: int, last: int, room: int) -> tuple[int, int]:
    """[lo, hi) of `src` to show in `room` columns (cut marks included): the whole line when it fits, else a
    window that starts a few words before the span and ends on a word boundary after it (or cuts the span
    where the room ends). `acc[i]` is the columns of `src[:i]`."""
    n = len(src)
    if acc[n] <= room:
        return 0, n
    lo = max(0, first - min(room // 4, 30))  # some context before the span
    if lo:
        space = src.find(" ", lo, first)
        lo = space + 1 if space != -1 else lo  # start on a word
    budget = room - (len(CUT) if lo else 0) - len(CUT)
    hi = max(lo, bisect_right(acc, acc[lo] + budget) - 1)  # as many characters as fit after lo
    if hi == n or acc[n] - acc[lo] <= room - (len(CUT) if lo else 0):
        hi = n  # the rest of the line fits: show more context before the span instead
        lo = min(lo, bisect_left(acc, acc[n] - (room - len(CUT))))
        space = src.find(" ", lo, first) if lo else -1
        return (space + 1 if space != -1 else lo), hi
    if hi > last:  # the span fits: end on a word boundary after it
        space = src.rfind(" ", last, hi)
        hi = space if space != -1 else hi
    return lo, hi
