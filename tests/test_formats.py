"""The CI output formats (linter.ci_formats): SARIF, GitHub annotations, JUnit, concise and statistics.

The drafts are linted once per module, in-process; every format is a pure function of those reports.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

import linter
from linter import Source, catalogue, lint_many
from linter.ci_formats import (artifact_uri, first_sentence, github_escape_data, github_escape_property,
                               statistics, to_concise, to_github, to_junit, to_sarif)
from linter.report import SEVERITY_RANK, Finding, Report

BAD = ("Hi {first_name}, thanks for connecting! We help companies like yours 3x their leads. "
       "Free for 15 min on Thursday? Here's my calendar: https://calendly.com/x")
CLEAN = ("Hi Priya, your post arguing that seed-stage startups should hire a support engineer before a "
         "second AE was convincing. Did the first hire change your churn numbers?")
MULTILINE = ("Hi {first_name},\r\n\r\nthanks for connecting!\rFree for 15 min on Thursday?\n"
             "My calendar: https://calendly.com/x")
BAD_PATH, CLEAN_PATH = "drafts/bad draft.txt", "drafts/clean.txt"
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
TRICKY = "50% off, today: act now\nor never\r\nreally::done"


@pytest.fixture(scope="module")
def reports() -> list[Report]:
    out = list(lint_many([Source(BAD, BAD_PATH, stage="post-connection"),
                          Source(CLEAN, CLEAN_PATH, stage="post-connection")]))
    bad, clean = out
    assert bad.fails("error") and not clean.fails("error"), "fixture drafts changed meaning"
    assert {"PZ001", "HS001", "HS002", "HS004"} <= {f.code for f in bad.findings}
    assert clean.findings == []
    return out


@pytest.fixture(scope="module")
def multiline(reports) -> Report:
    """A draft with CRLF, LF and lone CR line breaks (linted after `reports`, reusing the loaded pipeline)."""
    [report] = lint_many([Source(MULTILINE, "drafts/multi.txt", stage="post-connection")])
    # a span over several lines, and one on line 5 (after CRLF, CRLF, CR and LF)
    assert any(f.end_line > f.line for f in report.findings), "fixture draft changed meaning"
    assert any(f.line == 5 for f in report.findings), "fixture draft changed meaning"
    return report


def findings(reports: list[Report]) -> list[tuple[Report, Finding]]:
    return [(r, f) for r in reports for f in r.findings]


def tricky_report() -> Report:
    """A report whose path and message need every GitHub escape, with a line break in the message."""
    f = Finding(code="HS003", name="urgency-scarcity", category="hard-sell", severity="info", message=TRICKY,
                line=2, column=3, end_line=3, end_column=4, start=10, end=20, excerpt="x" * 10,
                suggestion="100%: no, really,\nno.")
    return Report(path="dir,with:colon/50%.txt", stage="cold", findings=[f], text="")


# --- SARIF -----------------------------------------------------------------------------------------------

def validate_sarif(text: str) -> dict:
    log = json.loads(text)
    for validator in (jsonschema.Draft7Validator, jsonschema.Draft4Validator):  # as asked; as the schema says
        errors = sorted(validator(SCHEMA).iter_errors(log), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return log


def test_sarif_validates_and_describes_the_tool(reports):
    log = validate_sarif(to_sarif(reports, "error"))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["informationUri"], driver["version"]) == (
        "outreach-lint", "https://github.com/outreach-lint/outreach-lint", linter.__version__)
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["invocations"][0]["properties"]["failedFiles"] == 1
    assert run["columnKind"] == "unicodeCodePoints"  # Python offsets count code points, not UTF-16 units

    metas = list(catalogue.rules().values())
    assert [r["id"] for r in driver["rules"]] == [m.code for m in metas]
    for rule, meta in zip(driver["rules"], metas):
        assert rule["name"] == meta.name
        assert rule["fullDescription"]["text"] == meta.what
        short = rule["shortDescription"]["text"]
        assert meta.what.startswith(short) and short[-1] in ".!?"
        for part in (meta.why, meta.example, meta.instead):
            assert part in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == SARIF_LEVEL[meta.severity]
        assert rule["properties"]["category"] == meta.category
    # PZ003's `what` is two sentences: the short description is only the first
    assert driver["rules"][[m.code for m in metas].index("PZ003")]["shortDescription"]["text"].endswith(
        "nothing specific from an earlier exchange.")


def test_sarif_results_match_the_findings(reports):
    log = validate_sarif(to_sarif(reports, "error"))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    pairs = findings(reports)
    assert [r["ruleId"] for r in run["results"]] == [f.code for _, f in pairs]
    for result, (report, f) in zip(run["results"], pairs):
        assert rules[result["ruleIndex"]]["id"] == f.code
        assert result["level"] == SARIF_LEVEL[f.severity]
        assert result["message"]["text"] == f"{f.message} Suggestion: {f.suggestion}"
        assert result["properties"]["suggestion"] == f.suggestion
        assert "fixes" not in result  # a suggestion is advice, not an edit
        [location] = result["locations"]
        phys = location["physicalLocation"]
        assert phys["artifactLocation"]["uri"] == "drafts/bad%20draft.txt"
        assert unquote(phys["artifactLocation"]["uri"]) == report.path
        region = phys["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            f.line, f.column, f.end_line, f.end_column)
        assert (region["charOffset"], region["charLength"]) == (f.start, f.end - f.start)
        assert region["snippet"]["text"] == f.excerpt
        assert report.text[region["charOffset"]:region["charOffset"] + region["charLength"]] == f.excerpt


def test_sarif_regions_across_line_breaks(multiline):
    results = validate_sarif(to_sarif([multiline], "error"))["runs"][0]["results"]
    assert len(results) == len(multiline.findings)
    lines = MULTILINE.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # SARIF: CR, LF and CRLF end lines
    for result, f in zip(results, multiline.findings):
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            f.line, f.column, f.end_line, f.end_column)
        assert MULTILINE[region["charOffset"]:region["charOffset"] + region["charLength"]] == f.excerpt
        if region["startLine"] == region["endLine"]:
            line = lines[region["startLine"] - 1]
            assert line[region["startColumn"] - 1:region["endColumn"] - 1] == region["snippet"]["text"]


def test_sarif_edge_cases_validate():
    assert validate_sarif(to_sarif([], "error"))["runs"][0]["results"] == []


def test_a_verified_rewrite_becomes_a_sarif_fix_that_replaces_the_body():
    from pathlib import Path

    from linter import Config, Source, lint_many
    from linter.draft import read_file
    from linter.rewrite import suggest

    path = Path(__file__).resolve().parent.parent / "corpora" / "examples" / "bad" / "post-connection-hard-sell.txt"
    text = read_file(path)
    report = next(lint_many([Source(text=text, path=str(path), base_dir=path.parent)], keep_analysis=True))
    outcome = suggest(report, Config(), n=1)
    log = validate_sarif(to_sarif([report], "error", rewrites={0: outcome}))
    results = log["runs"][0]["results"]
    assert results and all(r["fixes"] for r in results)
    [change] = results[0]["fixes"][0]["artifactChanges"]
    [replacement] = change["replacements"]
    start = replacement["deletedRegion"]["charOffset"]
    assert text[:start].startswith("---\n") and text[:start].rstrip().endswith("---")  # front matter kept
    assert replacement["deletedRegion"]["charLength"] == len(text) - start
    assert replacement["insertedContent"]["text"] == outcome.rewrites[0].text


@pytest.mark.parametrize(("path", "uri"), [
    ("drafts/a.txt", "drafts/a.txt"),
    ("drafts\\sub\\a b.txt", "drafts/sub/a%20b.txt"),
    ("a:b.txt", "a%3Ab.txt"),                 # not a URI scheme
    ("-", "-"),
    ("/home/me/a.txt", "file:///home/me/a.txt"),
    ("C:\\work\\a.txt", "file:///C:/work/a.txt"),
])
def test_artifact_uri(path, uri):
    assert artifact_uri(path) == uri
    assert "\\" not in uri and " " not in uri
    assert urlsplit(uri).scheme == ("file" if uri.startswith("file:") else "")  # relative stays relative


def test_first_sentence():
    assert first_sentence("One thing. Two things.") == "One thing."
    assert first_sentence("Flags 'did you see it?', 'My name is...', break-ups.") == \
        "Flags 'did you see it?', 'My name is...', break-ups."


# --- GitHub Actions --------------------------------------------------------------------------------------

def unescape(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def parse_github(line: str) -> tuple[str, dict[str, str], str]:
    """(level, properties, message) of one workflow command, unescaped."""
    assert line.startswith("::")
    _, head, data = line.split("::", 2)
    level, _, props = head.partition(" ")
    properties = dict(item.split("=", 1) for item in props.split(","))
    return level, {k: unescape(v) for k, v in properties.items()}, unescape(data)


def test_github_lines_parse_back(reports):
    out = to_github(reports)
    lines = out.split("\n")
    pairs = findings(reports)
    assert len(lines) == len(pairs)
    for line, (report, f) in zip(lines, pairs):
        level, props, message = parse_github(line)
        assert level == GITHUB_LEVEL[f.severity]
        assert props == {"file": report.path, "line": str(f.line), "col": str(f.column),
                         "endLine": str(f.end_line), "endColumn": str(f.end_column), "title": f"{f.code} {f.name}"}
        assert message == f"{f.message} ({f.suggestion})"
    assert to_github([]) == ""


def test_github_escaping():
    report = tricky_report()
    [line] = to_github([report]).splitlines()   # the line breaks are escaped, so still one line
    assert line.startswith("::notice file=dir%2Cwith%3Acolon/50%25.txt,line=2,col=3,endLine=3,endColumn=4,"
                           "title=HS003 urgency-scarcity::")
    assert line.endswith("::50%25 off, today: act now%0Aor never%0D%0Areally::done (100%: no, really,%0Ano.)"
                         .replace("100%:", "100%25:"))
    level, props, message = parse_github(line)
    assert (level, props["file"], message) == ("notice", report.path,
                                               f"{TRICKY} ({report.findings[0].suggestion})")
    assert github_escape_data("a%b:c,d\r\n") == "a%25b:c,d%0D%0A"
    assert github_escape_property("a%b:c,d\r\n") == "a%25b%3Ac%2Cd%0D%0A"


# --- JUnit -----------------------------------------------------------------------------------------------

def test_junit(reports):
    root = ET.fromstring(to_junit(reports, "error"))
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    assert suite.get("name") == "outreach-lint"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    cases = suite.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("outreach-lint", BAD_PATH), ("outreach-lint", CLEAN_PATH)]
    bad, clean = reports
    [failure] = cases[0].findall("failure")
    first_failing = next(f for f in bad.findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["error"])
    assert failure.get("type") == first_failing.code
    assert first_failing.code in failure.get("message") and "error" in failure.get("message")
    assert failure.text.splitlines() == [f"{f.line}:{f.column} {f.code} [{f.severity}] {f.message}"
                                         for f in bad.findings]
    assert cases[1].findall("failure") == [] and cases[1].findall("system-out") == []


@pytest.mark.parametrize("fail_on", ["info", "warning", "error", "never"])
def test_junit_failures_follow_fail_on(reports, fail_on):
    suite = ET.fromstring(to_junit(reports, fail_on)).find("testsuite")
    assert suite.get("failures") == str(sum(r.fails(fail_on) for r in reports))
    assert len(suite.findall("testcase/failure")) == int(suite.get("failures"))
    if fail_on == "never":  # passing drafts' findings are still listed
        assert len(suite.find("testcase/system-out").text.splitlines()) == len(reports[0].findings)


def test_junit_survives_characters_xml_forbids():
    report = tricky_report()
    report.path = "odd\x0bname.txt"
    report.findings[0].severity = "error"
    report.findings[0].message = "form\x0cfeed, \x01 and \x00 nul"
    case = ET.fromstring(to_junit([report], "error")).find("testsuite/testcase")
    assert case.get("name") == "odd\ufffdname.txt"
    failure = case.find("failure")
    assert failure.text == "2:3 HS003 [error] form feed, \ufffd and \ufffd nul"  # a form feed would break the line
    assert "\ufffd and \ufffd nul" in failure.get("message")
    assert ET.fromstring(to_junit([], "error")).find("testsuite").get("tests") == "0"


# --- concise and statistics ------------------------------------------------------------------------------

CONCISE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]{2}\d{3}) "
                     r"\[(?P<severity>error|warning|info)\] (?P<message>.+)$")


def test_concise(reports):
    out = to_concise(reports)
    lines = out.splitlines()
    pairs = findings(reports)
    assert len(lines) == len(pairs) and not out.endswith("\n")
    for line, (report, f) in zip(lines, pairs):
        assert line == f"{report.path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}"
        m = CONCISE.match(line)
        assert m and (m["path"], int(m["line"]), int(m["col"]), m["code"]) == (report.path, f.line, f.column, f.code)
    # a line break in a message cannot split a finding over two lines
    assert len(to_concise([tricky_report()]).splitlines()) == 1
    assert to_concise(reports[1:]) == ""


def test_statistics(reports):
    many = reports + reports[:1]  # the bad draft twice: every count is 2
    expected = Counter(f.code for _, f in findings(many))
    header, *lines, total = statistics(many).splitlines()
    assert header.split() == ["count", "code", "name", "severities"]
    assert total.startswith(f"total: {sum(expected.values())} findings (") and "in 3 files; 2 failed" in total
    rows = [line.split(None, 3) for line in lines]
    assert {code: int(n) for n, code, _, _ in rows} == expected
    counts = [int(n) for n, *_ in rows]
    assert counts == sorted(counts, reverse=True)
    names = {f.code: f.name for _, f in findings(many)}
    for n, code, name, mix in rows:
        assert name == names[code]
        parts = [p.split() for p in mix.split(", ")]
        assert sum(int(k) for k, _ in parts) == int(n)
        assert {sev for _, sev in parts} == {f.severity for _, f in findings(many) if f.code == code}
    # a rule reported at two severities shows the mix
    extra = replace(reports[0], findings=[replace(f, severity="info") for f in reports[0].findings[:1]])
    first = reports[0].findings[0]
    row = next(r for r in statistics(many + [extra]).splitlines() if first.code in r)
    assert row.split()[0] == "3" and row.endswith(f"2 {first.severity}, 1 info")
    assert statistics(reports[1:]) == "total: 0 findings (0 error, 0 warning, 0 info) in 1 file; 0 failed (--fail-on error)"
