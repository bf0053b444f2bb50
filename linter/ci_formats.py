"""Output formats for CI: SARIF 2.1.0, GitHub Actions annotations, JUnit XML, concise lines and statistics.

Every function is pure: it takes the reports (and the fail-on level where it matters) and returns text.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator
from urllib.parse import quote

from . import __version__, catalogue
from .report import SEVERITY_RANK, Finding, Report

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "outreach-lint"
INFORMATION_URI = "https://github.com/outreach-lint/outreach-lint"
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
SEVERITIES = ("error", "warning", "info")

# Everything str.splitlines() breaks on, so a one-line-per-finding format stays one line per finding.
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Characters XML 1.0 cannot carry at all (not even escaped).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The end of the first sentence: ., ! or ? then whitespace and a capital letter.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:/")


# --- SARIF -----------------------------------------------------------------------------------------------

def to_sarif(reports: list[Report], fail_on: str, rewrites: dict[int, Any] | None = None,
             column_unit: str = "char") -> str:
    """A SARIF 2.1.0 log with one run: every catalogue rule and one result per finding.

    Columns count Unicode code points (`columnKind`), like the findings, or UTF-16 code units when the
    findings' columns were converted to them (column_unit "utf-16"). A finding's suggestion is advice, so
    it goes into the message and `properties.suggestion`; a verified rewrite (`check --rewrite`) is a real
    edit, so each result of that draft carries it as a fix replacing the draft's body. A draft that could not
    be linted is a `toolExecutionNotifications` entry, and the invocation is then not successful."""
    results = ((r, (rewrites or {}).get(i)) for i, r in enumerate(reports))
    return "".join(sarif_stream(results, lambda: fail_on, column_unit))


def sarif_stream(results: Iterable[tuple[Report, Any]], fail_on: Callable[[], str], column_unit: str = "char"
                 ) -> Iterator[str]:
    """The SARIF log of to_sarif in pieces, one per draft as its report arrives (the run's `invocations`, which
    count the drafts, come after its `results`), so a run of any size holds one report at a time."""
    from .formatters import _nested

    metas = list(catalogue.rules().values())
    index = {meta.code: i for i, meta in enumerate(metas)}
    head = {"tool": {"driver": {"name": TOOL_NAME, "informationUri": INFORMATION_URI, "version": __version__,
                                "semanticVersion": __version__, "rules": [_sarif_rule(m) for m in metas]}},
            "columnKind": "utf16CodeUnits" if column_unit == "utf-16" else "unicodeCodePoints"}
    yield ('{\n  "$schema": %s,\n  "version": %s,\n  "runs": [\n    {\n'
           % (json.dumps(SARIF_SCHEMA), json.dumps(SARIF_VERSION)))
    yield _nested(head, 2)[6:-6] + ',\n      "results": ['  # its keys, without the braces
    files = failed = 0
    broken: list[dict[str, Any]] = []
    first = True
    for report, outcome in results:
        if report.error is not None:
            broken.append(_sarif_notification(report))
            continue
        files += 1
        fix = _rewrite_fix(report, outcome.rewrites[0]) if outcome is not None and outcome.rewrites else None
        for f in report.findings:
            result = _sarif_result(report, f, index)
            if fix is not None:
                result["fixes"] = [fix]
            yield ("\n" if first else ",\n") + _nested(result, 4)
            first = False
        failed += report.fails(fail_on())
    invocation: dict[str, Any] = {"executionSuccessful": not broken,
                                  "properties": {"failOn": fail_on(), "files": files, "failedFiles": failed,
                                                 "fileErrors": len(broken)}}
    if broken:
        invocation["toolExecutionNotifications"] = broken
    yield ("]" if first else "\n      ]") + ',\n      "invocations": ' + _nested([invocation], 3)[6:] \
        + "\n    }\n  ]\n}"


def _sarif_notification(report: Report) -> dict[str, Any]:
    """A draft that could not be linted, as a SARIF notification (level error) located at the file."""
    from .formatters import file_error

    error = file_error(report)
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(report.path)}}
    if error["line"] is not None:
        location["region"] = {"startLine": error["line"], **({"startColumn": error["column"]}
                                                              if error["column"] else {})}
    return {"level": "error", "descriptor": {"id": "file-error"}, "message": {"text": report.error},
            "locations": [{"physicalLocation": location}]}


def first_sentence(text: str) -> str:
    """The first sentence of a rule description (the whole text when it is one sentence)."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def _sarif_rule(meta: catalogue.RuleMeta) -> dict[str, Any]:
    help_text = (f"Why: {meta.why}\n\nFlagged ({meta.example_stage}):\n{meta.example}\n\n"
                 f"Instead:\n{meta.instead}")
    help_md = (f"**Why:** {meta.why}\n\nFlagged ({meta.example_stage}):\n\n```text\n{meta.example}\n```\n\n"
               f"Instead:\n\n```text\n{meta.instead}\n```")
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": first_sentence(meta.what)},
        "fullDescription": {"text": meta.what},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": SARIF_LEVEL[meta.severity]},
        "properties": {"category": meta.category, "tags": [meta.category]},
    }


def _sarif_result(report: Report, f: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    region = {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column,
              "charOffset": f.start, "charLength": f.end - f.start, "snippet": {"text": f.excerpt}}
    location = {"artifactLocation": {"uri": artifact_uri(report.path)}, "region": region}
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": SARIF_LEVEL[f.severity],
        "message": {"text": f"{f.message} Suggestion: {f.suggestion}" if f.suggestion else f.message},
        "locations": [{"physicalLocation": location}],
        "properties": {"name": f.name, "category": f.category, "severity": f.severity, "stage": report.stage,
                       "suggestion": f.suggestion},
    }
    if f.code in rule_index:
        result["ruleIndex"] = rule_index[f.code]
    return result


def _rewrite_fix(report: Report, rewrite: Any) -> dict[str, Any]:
    """A SARIF fix that replaces the draft's body (front matter kept) with a verified rewrite."""
    from .draft import parse

    body_start = parse(report.text, report.path).body_start
    return {
        "description": {"text": f"Rewrite from template '{rewrite.template}' (uses "
                                f"{', '.join(rewrite.profile_fields_used)}; it passes its own checks)."},
        "artifactChanges": [{"artifactLocation": {"uri": artifact_uri(report.path)}, "replacements": [{
            "deletedRegion": {"charOffset": body_start, "charLength": len(report.text) - body_start},
            "insertedContent": {"text": rewrite.text}}]}],
    }


def artifact_uri(path: str) -> str:
    """The path as a URI reference: forward slashes, percent-encoded, relative when the path is
    (an absolute path becomes a file: URI)."""
    posix = path.replace("\\", "/")
    if _WINDOWS_ABSOLUTE.match(posix):
        return "file:///" + quote(posix, safe="/:")
    if posix.startswith("/"):
        return PurePosixPath(posix).as_uri()
    # ':' is encoded so a first segment like "a:b.txt" is not read as a URI scheme
    return quote(posix, safe="/!$&'()*+,;=@")


# --- GitHub Actions ---------------------------------------------------------------------------------------

def to_github(reports: list[Report]) -> str:
    """GitHub Actions workflow commands, one `::error|warning|notice ...::message (suggestion)` per finding."""
    lines = []
    for report in reports:
        path = report.path.replace("\\", "/")
        if report.error is not None:
            from .formatters import file_error

            where = {k: v for k, v in (("line", file_error(report)["line"]),) if v is not None}
            props = {"file": path, **where, "title": "outreach-lint could not lint this file"}
            prop_text = ",".join(f"{key}={github_escape_property(str(value))}" for key, value in props.items())
            lines.append(f"::error {prop_text}::{github_escape_data(report.error)}")
        for f in report.findings:
            props = {"file": path, "line": f.line, "col": f.column, "endLine": f.end_line,
                     "endColumn": f.end_column, "title": f"{f.code} {f.name}"}
            prop_text = ",".join(f"{key}={github_escape_property(str(value))}" for key, value in props.items())
            text = f"{f.message} ({f.suggestion})" if f.suggestion else f.message
            lines.append(f"::{GITHUB_LEVEL[f.severity]} {prop_text}::{github_escape_data(text)}")
    return "\n".join(lines)


def github_escape_data(text: str) -> str:
    """Escape a workflow command's message (% first, then CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    """Escape a workflow command's property value: as data, plus ':' and ','."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


# --- JUnit ------------------------------------------------------------------------------------------------

def to_junit(reports: list[Report], fail_on: str) -> str:
    """JUnit XML: one <testsuite name="outreach-lint"> with a <testcase> per draft; a draft that fails
    `fail_on` gets one <failure> (type: the code of its first finding at or above `fail_on`) listing all
    of its findings; a passing draft's findings go to <system-out>."""
    return "".join(junit_stream(((r, None) for r in reports), lambda: fail_on))


def junit_stream(results: Iterable[tuple[Report, Any]], fail_on: Callable[[], str]) -> Iterator[str]:
    """The JUnit XML of to_junit in pieces. Its first lines count the drafts, so the test cases are spooled to
    a temporary file as reports arrive (memory holds one report) and follow the counts at the end."""
    import tempfile
    import xml.etree.ElementTree as ET

    tests = failures = errors = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for report, _ in results:
            tests += 1
            errors += report.error is not None
            failures += report.fails(fail_on())
            case = _junit_case(report, fail_on())
            ET.indent(case, level=2)
            spool.write("    " + ET.tostring(case, encoding="unicode") + "\n")
        counts = f'name="{TOOL_NAME}" tests="{tests}" failures="{failures}" errors="{errors}" skipped="0"'
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites {counts}>\n'
        if not tests:
            yield f"  <testsuite {counts} />\n</testsuites>"
            return
        yield f"  <testsuite {counts}>\n"
        spool.seek(0)
        while chunk := spool.read(1 << 16):
            yield chunk
    yield "  </testsuite>\n</testsuites>"


def _junit_case(report: Report, fail_on: str) -> ET.Element:
    import xml.etree.ElementTree as ET

    case = ET.Element("testcase", {"classname": TOOL_NAME, "name": _xml_text(report.path)})
    if report.error is not None:  # could not be linted: a JUnit error, not a failure
        error = ET.SubElement(case, "error", {"message": _xml_text(_one_line(report.error)), "type": "file-error"})
        error.text = _xml_text(report.error)
        return case
    listing = "\n".join(f"{f.line}:{f.column} {f.code} [{f.severity}] {_one_line(f.message)}"
                        for f in report.findings)
    if report.fails(fail_on):
        failing = [f for f in report.findings if _reaches(f, fail_on)] or report.findings
        first = failing[0]
        more = f" (+{len(failing) - 1} more)" if len(failing) > 1 else ""
        message = (f"{len(failing)} finding{'s' if len(failing) != 1 else ''} at or above {fail_on} "
                   f"(score {report.score}): {first.code} {_one_line(first.message)}{more}")
        failure = ET.SubElement(case, "failure", {"message": _xml_text(message), "type": first.code})
        failure.text = _xml_text(listing)
    elif listing:
        ET.SubElement(case, "system-out").text = _xml_text(listing)
    return case


def _reaches(f: Finding, fail_on: str) -> bool:
    return fail_on != "never" and SEVERITY_RANK[f.severity] >= SEVERITY_RANK.get(fail_on, 99)


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold: characters it forbids become U+FFFD."""
    return _XML_INVALID.sub("\ufffd", text)


# --- concise and statistics -------------------------------------------------------------------------------

def to_concise(reports: list[Report]) -> str:
    """One line per finding, `path:line:col: CODE [severity] message`, and one per draft that could not be
    linted, `path:line:col: error: reason` (line and column 1 when the problem has none), so a quickfix list
    jumps to it. Control characters are shown, never sent to the terminal."""
    from .formatters import display, display_path, file_error

    lines = []
    for r in reports:
        if r.error is not None:
            e = file_error(r)
            lines.append(f"{display_path(r.path)}:{e['line'] or 1}:{e['column'] or 1}: error: "
                         f"{display(_one_line(e['message']))}")
        lines += [f"{display_path(r.path)}:{f.line}:{f.column}: {f.code} [{f.severity}] {display(_one_line(f.message))}"
                  for f in r.findings]
    return "\n".join(lines)


def statistics(reports: list[Report], fail_on: str = "error") -> str:
    """Counts per rule, most frequent first, under a header: count, code, name and the mix of severities it was
    reported at (e.g. "2 error, 1 warning", as stage and config can change a rule's severity); then a total
    line (findings by severity, files, failed files)."""
    from .formatters import summary

    s = summary(reports, fail_on)
    broken = f"; {s['file_errors']} could not be linted" if s["file_errors"] else ""
    total = (f"total: {s['findings']} finding{'s' if s['findings'] != 1 else ''} ({s['errors']} error, "
             f"{s['warnings']} warning, {s['info']} info) in {s['files']} file{'s' if s['files'] != 1 else ''}; "
             f"{s['failed_files']} failed (--fail-on {fail_on}){broken}")
    table = _rule_counts(reports)
    return f"{table}\n{total}" if table else total


def _rule_counts(reports: list[Report]) -> str:
    counts: Counter[str] = Counter()
    mix: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, str] = {}
    for f in (f for r in reports for f in r.findings):
        counts[f.code] += 1
        mix[f.code][f.severity] += 1
        names[f.code] = f.name
    if not counts:
        return ""
    order = {code: i for i, code in enumerate(catalogue.rules())}
    codes = sorted(counts, key=lambda c: (-counts[c], order.get(c, len(order)), c))
    rows = [(str(counts[c]), c, names[c], ", ".join(f"{mix[c][s]} {s}" for s in SEVERITIES if mix[c][s]))
            for c in codes]
    rows.insert(0, ("count", "code", "name", "severities"))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(f"{n:>{widths[0]}}  {code:<{widths[1]}}  {name:<{widths[2]}}  {sev}"
                     for n, code, name, sev in rows)


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text)
