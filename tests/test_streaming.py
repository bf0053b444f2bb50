"""json, sarif and junit output stream: each report is written as it arrives and then let go, so a run of
10,000 drafts needs the memory of one."""
from __future__ import annotations

import gc
import json
import weakref
import xml.etree.ElementTree as ET

import pytest

from linter import Report, lint
from linter.ci_formats import junit_stream, sarif_stream
from linter.formatters import json_stream

DRAFTS = ["Hi {first_name}, our platform is the leading tool. Book a demo: calendly.com/acme/demo",
          "Hi Sam, loved your post on churn. What made you drop the annual plan?",
          "Hey, just bumping this. Did you see my last message? We are the best agency in town."]
STREAMS = {"json": json_stream, "sarif": sarif_stream, "junit": junit_stream}


@pytest.fixture(scope="module")
def linted() -> list[Report]:
    return [lint(text, path=f"d{i}.txt") for i, text in enumerate(DRAFTS)]


def _fresh(report: Report) -> Report:
    copy = Report(path=report.path, stage=report.stage, text=report.text, fail_on=report.fail_on)
    copy.findings, copy.metrics, copy.confidence = list(report.findings), dict(report.metrics), report.confidence
    return copy


@pytest.mark.parametrize("fmt", STREAMS)
def test_each_report_is_let_go_once_written(fmt, linted):
    pulled: list[weakref.ref] = []
    alive_when_pulled: list[int] = []

    def reports():
        for i in range(60):
            gc.collect()
            alive_when_pulled.append(sum(ref() is not None for ref in pulled))
            report = _fresh(linted[i % len(linted)])
            pulled.append(weakref.ref(report))
            yield report, None
        broken = Report(path="broken.txt", stage="cold", fail_on="error", error="broken.txt:2: bad front matter")
        yield broken, None

    text = "".join(STREAMS[fmt](reports(), lambda: "error"))
    assert max(alive_when_pulled) <= 1  # at most the report being written
    if fmt == "junit":
        suite = ET.fromstring(text).find("testsuite")
        assert (suite.get("tests"), suite.get("errors")) == ("61", "1")
        assert int(suite.get("failures")) == sum(_fresh(linted[i % 3]).fails("error") for i in range(60)) > 0
    else:
        doc = json.loads(text)
        if fmt == "json":
            assert len(doc["files"]) == 60 and doc["errors"][0]["path"] == "broken.txt"
            assert doc["summary"]["files"] == 60 and doc["summary"]["file_errors"] == 1
        else:
            run = doc["runs"][0]
            assert len(run["results"]) == 20 * sum(len(r.findings) for r in linted)
            assert run["invocations"][0]["properties"]["files"] == 60
            assert run["invocations"][0]["executionSuccessful"] is False


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_output_starts_before_the_run_ends(fmt, linted):
    """The first draft's entry is out before the second report is asked for."""
    pulled = []

    def reports():
        for report in linted:
            pulled.append(report.path)
            yield report, None

    pieces = STREAMS[fmt](reports(), lambda: "error")
    seen = ""
    while '"d0.txt"' not in seen:
        seen += next(pieces)
    assert pulled == ["d0.txt"]


def test_cli_streams_every_whole_document_format(cli, tmp_path):
    for i, text in enumerate(DRAFTS * 3):
        (tmp_path / f"d{i}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "bad.txt").write_text("---\nstage: [\n---\nHi\n", encoding="utf-8")
    code, out, err = cli("check", str(tmp_path), "--no-cache", "--format", "json")
    doc = json.loads(out)
    assert code == 2 and len(doc["files"]) == 9 and [e["path"] for e in doc["errors"]] == [str(tmp_path / "bad.txt")]
    code, out, _ = cli("check", str(tmp_path), "--no-cache", "--format", "sarif")
    assert code == 2 and json.loads(out)["runs"][0]["invocations"][0]["properties"]["fileErrors"] == 1
    code, out, _ = cli("check", str(tmp_path), "--no-cache", "--format", "junit")
    assert code == 2 and ET.fromstring(out).find("testsuite").get("tests") == "10"
