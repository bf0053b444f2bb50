"""Output formats: `text` for people and `json` for tools (version 1)."""
from __future__ import annotations

import json
from typing import Any

from .draft import LINE_BREAK
from .report import Report

JSON_VERSION = 1
_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "bold": "\033[1m", "dim": "\033[2m"}
_RESET = "\033[0m"
# characters a terminal would break or tab on, shown as one space so the carets stay aligned
_DISPLAY = str.maketrans({c: " " for c in "\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


def summary(reports: list[Report], fail_on: str) -> dict[str, Any]:
    findings = [f for r in reports for f in r.findings]
    count = {sev: sum(f.severity == sev for f in findings) for sev in ("error", "warning", "info")}
    return {"files": len(reports), "findings": len(findings), "errors": count["error"],
            "warnings": count["warning"], "info": count["info"],
            "failed_files": sum(r.fails(fail_on) for r in reports), "fail_on": fail_on}


def to_json(reports: list[Report], fail_on: str, extra: dict[str, Any] | None = None) -> str:
    doc = {"version": JSON_VERSION, "files": [r.to_dict() for r in reports], "summary": summary(reports, fail_on)}
    doc.update(extra or {})
    return json.dumps(doc, indent=2, ensure_ascii=False)


def to_text(reports: list[Report], fail_on: str, colour: bool = False) -> str:
    def paint(text: str, style: str) -> str:
        return f"{_COLOURS[style]}{text}{_RESET}" if colour else text

    out: list[str] = []
    for report in reports:
        for f in report.findings:
            out.append(f"{paint(f'{report.path}:{f.line}:{f.column}', 'bold')} {f.code} "
                       f"{paint(f'[{f.severity}]', f.severity)} {f.message}")
            out.extend(_excerpt(report, f, paint))
            out.append(f"  {paint('suggestion:', 'dim')} {f.suggestion}")
            out.append("")
    s = summary(reports, fail_on)
    files = "file" if s["files"] == 1 else "files"
    if s["findings"]:
        out.append(f"Found {s['findings']} problem{'s' if s['findings'] != 1 else ''} "
                   f"({s['errors']} error, {s['warnings']} warning, {s['info']} info) in {s['files']} {files}; "
                   f"{s['failed_files']} failed (--fail-on {fail_on}).")
    else:
        out.append(f"All clear: no problems in {s['files']} {files}.")
    return "\n".join(out)


def _excerpt(report: Report, f, paint) -> list[str]:
    """The source line with the span marked (the first line of a multi-line span)."""
    lines = LINE_BREAK.split(report.text)
    if not 0 < f.line <= len(lines):
        return []
    src = lines[f.line - 1].translate(_DISPLAY)
    end_col = f.end_column if f.end_line == f.line else len(src) + 1
    width = max(1, min(end_col, len(src) + 1) - f.column)
    gutter = f"{f.line:>4} | "
    return [paint(gutter, "dim") + src, " " * (len(gutter) + f.column - 1) + paint("^" * width, f.severity)]
