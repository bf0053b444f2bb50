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
            "failed_files": sum(r.fails() for r in reports), "fail_on": fail_on}


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
        return f"{report.path}: no rewrite: {outcome.reason}."
    out = [f"{report.path}: {len(outcome.rewrites)} rewrite{'s' if len(outcome.rewrites) > 1 else ''} "
           f"({report.stage}; the draft scores {report.score})"]
    for i, rw in enumerate(outcome.rewrites, 1):
        infos = [f.code for f in rw.report.findings]
        out += ["", f"--- {i}. {rw.template} (uses {', '.join(rw.profile_fields_used)}; score {rw.report.score}"
                    f"{'; hints: ' + ', '.join(infos) if infos else ''})", rw.text.rstrip()]
    if written:
        out += ["", f"wrote rewrite 1 to {report.path}"]
    return "\n".join(out)


def to_text(reports: list[Report], fail_on: str, colour: bool = False, rewrites: dict[int, Any] | None = None
            ) -> str:
    def paint(text: str, style: str) -> str:
        return f"{_COLOURS[style]}{text}{_RESET}" if colour else text

    out: list[str] = []
    for index, report in enumerate(reports):
        if rewrites and index in rewrites:
            out += [rewrites_text(report, rewrites[index]), ""]
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
