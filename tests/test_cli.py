"""The `outreach-lint` command as a user runs it: exit codes, stderr, JSON and text output."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import (ALL_CODES, CATEGORIES, CLASSIC, FINDING_KEYS, METRIC_KEYS, REPO, WARM, WARNING_ONLY,
                      assert_one_line_error, assert_spans_match, run_linter)

ANSI = "\x1b["


# --- check: JSON ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def classic_json():
    """`check - --format json` with the classic hard-sell draft on stdin (one subprocess per module)."""
    return run_linter("check", "-", "--format", "json", input=CLASSIC)


def test_json_document_shape(classic_json):
    code, out, err = classic_json
    assert code == 1, err
    doc = json.loads(out)
    assert set(doc) == {"version", "files", "errors", "summary"}
    assert doc["errors"] == []
    assert doc["version"] == 1
    assert len(doc["files"]) == 1
    report = doc["files"][0]
    assert set(report) == {"path", "stage", "score", "metrics", "confidence", "findings"}
    assert report["path"] == "-"
    assert report["stage"] == "post-connection"
    assert isinstance(report["score"], int) and 0 <= report["score"] < 100
    assert set(report["metrics"]) == METRIC_KEYS
    assert report["metrics"]["questions"] == 1
    assert report["findings"]
    for f in report["findings"]:
        assert set(f) == FINDING_KEYS
        assert f["category"] in CATEGORIES
        assert f["severity"] in {"error", "warning", "info"}
        assert f["code"] in ALL_CODES
        assert f["message"] and f["suggestion"] and f["name"]
    assert_spans_match(CLASSIC, report["findings"])
    summary = doc["summary"]
    assert summary["files"] == 1
    assert summary["findings"] == len(report["findings"])
    assert summary["errors"] + summary["warnings"] + summary["info"] == summary["findings"]
    assert summary["failed_files"] == 1
    assert summary["fail_on"] == "error"


def test_classic_draft_is_flagged_in_all_three_families(classic_json):
    code, out, _ = classic_json
    findings = json.loads(out)["files"][0]["findings"]
    assert code == 1
    assert {"hard-sell", "personalisation", "self-centred"} <= {f["category"] for f in findings}
    meeting = [f for f in findings if f["name"] == "uninvited-meeting-ask"]
    assert [f["excerpt"] for f in meeting] == ["Free for 15 min on Thursday?"]
    assert meeting[0]["code"] == "HS002"
    assert meeting[0]["start"] == CLASSIC.index("Free for")
    link = [f for f in findings if f["code"] == "HS004"]
    assert [f["excerpt"] for f in link] == ["https://calendly.com/x"]
    assert link[0]["end"] == len(CLASSIC)
    assert any(f["severity"] == "error" for f in findings)


def test_warm_specific_note_is_clean(run):
    code, out, err = run("check", "-", "--stage", "post-connection", "--format", "json", input=WARM)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["files"][0]["stage"] == "post-connection"
    assert [f for f in doc["files"][0]["findings"] if f["severity"] in ("warning", "error")] == []
    assert doc["summary"]["errors"] == doc["summary"]["warnings"] == 0


# --- check: --fail-on ------------------------------------------------------------------------------

@pytest.mark.parametrize("fail_on, expected_code, failed", [
    ("warning", 1, 1),  # fails on the warning
    ("never", 0, 0),    # the same warning, reported but passing
])
def test_fail_on_decides_the_exit_code_for_warnings(run, write_draft, fail_on, expected_code, failed):
    path = write_draft("ask.txt", WARNING_ONLY)
    code, out, err = run("check", path, "--fail-on", fail_on, "--no-color")
    assert code == expected_code, err
    assert "HS002 [warning]" in out
    assert f"{failed} failed (--fail-on {fail_on})" in out


def test_fail_on_bogus_is_a_usage_error(run):
    code, out, err = run("check", "-", "--fail-on", "bogus", input=WARNING_ONLY)
    assert_one_line_error(code, err, "bogus")
    assert out == ""


# --- check: inputs and text output -----------------------------------------------------------------

def test_walk_glob_stdin_and_text_output(run, tmp_path):
    files = {
        "drafts/a.txt": WARNING_ONLY,
        "drafts/sub/deep/b.md": "Hi Ana, loved your post on churn.\nFree for a call on Friday?\n",
        "drafts/notes.csv": CLASSIC,            # not a draft extension: skipped by the directory walk
        "drafts/.hidden/c.txt": CLASSIC,        # hidden directory: skipped
        "more/c.txt": WARNING_ONLY,
        "more/d.txt": WARNING_ONLY,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(text.encode())
    before = {name: ((tmp_path / name).read_bytes(), (tmp_path / name).stat().st_mtime_ns) for name in files}

    code, out, err = run("check", "drafts", "more/c*.txt", "-", "--stdin-filename", "inbox/reply.txt",
                         "--no-color", input=WARNING_ONLY, cwd=tmp_path)

    assert code == 0, err            # warnings only, default --fail-on error
    assert err == ""
    assert ANSI not in out
    headers = re.findall(r"^(\S+):(\d+):(\d+) ([A-Z]{2}\d{3}) \[(error|warning|info)\] .+$", out, re.M)
    paths = [h[0] for h in headers]
    assert {"drafts/a.txt", "drafts/sub/deep/b.md", "more/c.txt", "inbox/reply.txt"} == set(paths)
    assert not any("notes.csv" in p or ".hidden" in p or "d.txt" in p for p in paths)
    assert ("inbox/reply.txt", "1", "35", "HS002", "warning") in headers
    assert ("drafts/sub/deep/b.md", "2", "1", "HS002", "warning") in headers

    lines = out.splitlines()
    i = lines.index(next(ln for ln in lines if ln.startswith("inbox/reply.txt:1:35 HS002 [warning]")))
    assert lines[i + 1] == "   1 | " + WARNING_ONLY
    caret = lines[i + 2]
    assert caret.strip() == "^" * len("Free for 15 min on Thursday?")
    assert caret.index("^") == len("   1 | ") + 34
    assert lines[i + 3].startswith("  suggestion: ")
    assert lines[-1] == ("Found 4 problems (0 error, 4 warning, 0 info) in 4 files; "
                         "0 failed (--fail-on error).")

    after = {name: ((tmp_path / name).read_bytes(), (tmp_path / name).stat().st_mtime_ns) for name in files}
    assert after == before
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                  if p.is_file() and ".outreach-lint-cache" not in p.parts) == \
        sorted(files)


def test_directory_without_drafts_is_an_error(cli, tmp_path):
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "sub" / "data.csv").write_text("not a draft")
    code, out, err = cli("check", "empty")
    assert_one_line_error(code, err, "empty: no drafts in this folder")
    assert out == ""


def test_front_matter_positions_and_relative_recipient(run, tmp_path):
    profile = tmp_path / "campaign" / "profiles" / "joanne.yaml"
    profile.parent.mkdir(parents=True)
    profile.write_text("name: Joanne Whitaker\ncompany: Harrow & Lane Freight\nrecent_posts:\n"
                       "  - We now guarantee a finish window for every route to keep drivers.\n")
    draft = tmp_path / "campaign" / "drafts" / "joanne.md"
    draft.parent.mkdir(parents=True)
    text = ("---\nstage: connection-request\nrecipient: ../profiles/joanne.yaml\n---\n"
            "Hi Priya, your post about guaranteeing a finish window for every route was sharp.\n"
            "Has it changed driver retention so far?\n")
    draft.write_bytes(text.encode())
    before = (draft.read_bytes(), draft.stat().st_mtime_ns)

    # Run from tmp_path: the recipient path must resolve against the draft's directory, not the cwd.
    code, out, err = run("check", "campaign/drafts/joanne.md", "--format", "json", cwd=tmp_path)

    assert code == 1, err
    report = json.loads(out)["files"][0]
    assert report["path"] == "campaign/drafts/joanne.md"
    assert report["stage"] == "connection-request"
    wrong = [f for f in report["findings"] if f["code"] == "PZ004"]
    assert len(wrong) == 1
    assert wrong[0]["excerpt"] == "Priya"
    assert (wrong[0]["line"], wrong[0]["column"], wrong[0]["end_line"], wrong[0]["end_column"]) == (5, 4, 5, 9)
    assert wrong[0]["start"] == text.index("Priya")
    assert_spans_match(text, report["findings"])
    assert (draft.read_bytes(), draft.stat().st_mtime_ns) == before


def test_crlf_and_bom_files(run, tmp_path):
    crlf = ("---\r\nstage: post-connection\r\n---\r\nHi Sam, loved your post on churn.\r\n\r\n"
            "Free for 15 min on Thursday? Here is my calendar: https://calendly.com/sam\r\n")
    bom_body = "Hi Sam, loved your post on churn.\nFree for 15 min on Thursday?\n"
    (tmp_path / "crlf.txt").write_bytes(crlf.encode())
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + bom_body.encode())

    code, out, err = run("check", "crlf.txt", "bom.txt", "--format", "json", cwd=tmp_path)

    assert code == 0, err
    by_path = {r["path"]: r for r in json.loads(out)["files"]}
    crlf_findings = by_path["crlf.txt"]["findings"]
    assert_spans_match(crlf, crlf_findings)
    ask = next(f for f in crlf_findings if f["code"] == "HS002")
    assert (ask["line"], ask["column"]) == (6, 1)
    assert ask["excerpt"] == "Free for 15 min on Thursday?"
    link = next(f for f in crlf_findings if f["code"] == "HS004")
    assert link["excerpt"] == "https://calendly.com/sam"
    assert (link["line"], link["column"]) == (6, 51)

    # The BOM is not part of the text: offsets and columns count from the first character after it.
    bom_findings = by_path["bom.txt"]["findings"]
    assert_spans_match(bom_body, bom_findings)
    ask = next(f for f in bom_findings if f["code"] == "HS002")
    assert ask["start"] == bom_body.index("Free")
    assert (ask["line"], ask["column"]) == (2, 1)


def test_the_quick_exit_delivers_all_output_and_the_exit_code(tmp_path):
    """`check` ends without the interpreter's teardown: output written to a file through a buffered standard
    output still arrives whole, with the documented exit code, and the cache store is closed (no WAL left)."""
    out = tmp_path / "out.json"
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    with out.open("wb") as handle:
        code = subprocess.run([sys.executable, "-m", "linter", "check", "corpora/examples", "-f", "json"],
                              stdout=handle, cwd=REPO, env=env, timeout=300).returncode
    assert code == 1
    files = json.loads(out.read_text(encoding="utf-8"))["files"]
    assert len(files) == len(list((REPO / "corpora" / "examples").glob("*/*.txt")))
    assert sorted(p.name for p in (tmp_path / "xdg" / "outreach-lint").iterdir()) == ["CACHEDIR.TAG",
                                                                                      "results.sqlite3"]


# --- user errors: exit 2 and one line on stderr ----------------------------------------------------

def test_missing_file_in_a_real_process(run, tmp_path):
    code, out, err = run("check", "nope.txt", cwd=tmp_path)
    assert_one_line_error(code, err, "nope.txt")
    assert out == ""


PROFILE_OK = "name: Joanne Whitaker\n"
DRAFT_OK = "Hi Joanne, your post about route planning was sharp. How did drivers take it?\n"

ERROR_CASES = {
    # id: (files to write, argv, fragments the message must contain)
    "missing-file": ({}, ["check", "nope.txt"], ["nope.txt", "no such file"]),
    "missing-glob": ({}, ["check", "drafts/*.txt"], ["drafts/*.txt"]),
    "binary-file": ({"d.txt": b"Hi \x00\x01\x02 there"}, ["check", "d.txt"], ["d.txt", "binary"]),
    "invalid-utf8": ({"d.txt": b"Caf\xe9 on Thursday?"}, ["check", "d.txt"], ["d.txt", "UTF-8"]),
    "unterminated-front-matter": ({"d.txt": "---\nstage: reply\nHi Joanne\n"}, ["check", "d.txt"],
                                  ["d.txt", "no closing"]),
    "invalid-yaml-front-matter": ({"d.txt": "---\nstage: [reply\n---\nHi Joanne\n"}, ["check", "d.txt"],
                                  ["d.txt", "not valid YAML"]),
    "front-matter-is-a-list": ({"d.txt": "---\n- stage\n- reply\n---\nHi Joanne\n"}, ["check", "d.txt"],
                               ["d.txt", "mapping"]),
    "unknown-front-matter-key": ({"d.txt": "---\nstag: reply\n---\nHi Joanne\n"}, ["check", "d.txt"],
                                 ["d.txt", "'stag'"]),
    "bad-front-matter-stage": ({"d.txt": "---\nstage: warm-intro\n---\nHi Joanne\n"}, ["check", "d.txt"],
                               ["d.txt", "warm-intro"]),
    "bad-front-matter-ignore": ({"d.txt": "---\nignore: 5\n---\nHi Joanne\n"}, ["check", "d.txt"],
                                ["d.txt", "ignore"]),
    "front-matter-recipient-missing": ({"d.txt": "---\nrecipient: nobody.yaml\n---\n" + DRAFT_OK},
                                       ["check", "d.txt"], ["nobody.yaml", "not found"]),
    "profile-missing": ({"d.txt": DRAFT_OK}, ["check", "d.txt", "--profile", "nobody.yaml"],
                        ["nobody.yaml", "not found"]),
    "profile-malformed-yaml": ({"d.txt": DRAFT_OK, "p.yaml": "name: [Joanne\nrole: COO\n"},
                               ["check", "d.txt", "--profile", "p.yaml"], ["p.yaml", "not valid YAML"]),
    "profile-wrong-type": ({"d.txt": DRAFT_OK, "p.yaml": PROFILE_OK + "recent_posts: 5\n"},
                           ["check", "d.txt", "--profile", "p.yaml"], ["p.yaml", "recent_posts", "list"]),
    "profile-unknown-format": ({"d.txt": DRAFT_OK, "p.txt": PROFILE_OK},
                               ["check", "d.txt", "--profile", "p.txt"], ["p.txt", "format"]),
    "unknown-select": ({"d.txt": DRAFT_OK}, ["check", "d.txt", "--select", "HS999"], ["HS999"]),
    "unknown-ignore": ({"d.txt": DRAFT_OK}, ["check", "d.txt", "--ignore", "HS002,hard-sel"], ["hard-sel"]),
    "bogus-stage": ({"d.txt": DRAFT_OK}, ["check", "d.txt", "--stage", "bogus"], ["bogus"]),
    "bogus-fail-on": ({"d.txt": DRAFT_OK}, ["check", "d.txt", "--fail-on", "bogus"], ["bogus"]),
    "unknown-option": ({"d.txt": DRAFT_OK}, ["check", "d.txt", "--colour"], ["--colour"]),
    "config-unknown-key": ({"d.txt": DRAFT_OK, "lint.toml": "fail-on = 'warning'\ncolour = true\n"},
                           ["check", "d.txt", "--config", "lint.toml"], ["lint.toml", "'colour'"]),
    "config-bad-value": ({"d.txt": DRAFT_OK, "lint.toml": "stage = 'warm'\n"},
                         ["check", "d.txt", "--config", "lint.toml"], ["lint.toml", "stage"]),
    "config-unknown-rule-in-severity": ({"d.txt": DRAFT_OK, "lint.toml": "[severity]\nHS999 = 'off'\n"},
                                        ["check", "d.txt", "--config", "lint.toml"], ["lint.toml", "HS999"]),
    "config-missing": ({"d.txt": DRAFT_OK}, ["check", "d.txt", "--config", "nope.toml"], ["nope.toml"]),
    "explain-unknown": ({}, ["explain", "XX999"], ["XX999"]),
    "eval-missing": ({}, ["eval", "nope.jsonl"], ["nope.jsonl"]),
    "eval-codes-not-a-list": ({"e.jsonl": '{"text": "Hi Sam", "categories": [], "codes": 5}\n'},
                              ["eval", "e.jsonl"], ["e.jsonl:1"]),
    "eval-unhashable-category": ({"e.jsonl": '{"text": "Hi Sam", "categories": [["hard-sell"]]}\n'},
                                 ["eval", "e.jsonl"], ["e.jsonl:1"]),
    "eval-step-not-a-number": ({"e.jsonl": '{"text": "Hi Sam, just checking in.", "categories": [], '
                                           '"stage": "follow-up", "sequence_step": "two"}\n'},
                               ["eval", "e.jsonl"], ["e.jsonl:1"]),
}


@pytest.mark.parametrize("files,argv,fragments", ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_user_errors_are_one_line_and_exit_2(cli, tmp_path, files, argv, fragments):
    for name, content in files.items():
        (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    code, out, err = cli(*argv)
    assert_one_line_error(code, err, *fragments)
    assert out == ""


def test_config_severity_by_rule_name_is_not_silently_ignored(cli, tmp_path):
    (tmp_path / "d.txt").write_text(WARNING_ONLY)
    (tmp_path / "lint.toml").write_text("[severity]\nuninvited-meeting-ask = 'off'\n")
    code, out, err = cli("check", "d.txt", "--config", "lint.toml", "--no-color")
    if code == 2:                       # rejected with a clear message naming the key...
        assert_one_line_error(code, err, "uninvited-meeting-ask")
    else:                               # ...or honoured, like names everywhere else
        assert (code, err) == (0, "")
        assert "HS002" not in out


# --- rules and explain -----------------------------------------------------------------------------

def test_rules_text_lists_every_rule(run):
    code, out, err = run("rules")
    assert (code, err) == (0, "")
    listed = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert listed == ALL_CODES
    assert re.search(r"^HS002\s+uninvited-meeting-ask\s+hard-sell\s+warning\s+\S", out, re.M)


def test_rules_json(run):
    code, out, err = run("rules", "--format", "json")
    assert (code, err) == (0, "")
    rules = json.loads(out)
    assert [r["code"] for r in rules] == ALL_CODES
    for r in rules:
        assert {"code", "name", "category", "severity", "summary"} <= set(r)
        assert r["category"] in CATEGORIES
        assert r["severity"] in {"error", "warning", "info"}
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", r["name"])
        assert r["summary"]
        assert r["category"] == {"HS": "hard-sell", "PZ": "personalisation", "SC": "self-centred",
                                 "FM": "form"}[r["code"][:2]]
    assert len({r["name"] for r in rules}) == len(rules)


@pytest.mark.parametrize("key", ["HS002", "uninvited-meeting-ask"])
def test_explain_prints_the_four_sections(run, key):
    code, out, err = run("explain", key)
    assert (code, err) == (0, "")
    assert out.startswith("HS002 uninvited-meeting-ask (hard-sell")
    sections = ["What it does", "Why is this bad?", "Example", "Use instead"]
    positions = [out.find("\n" + s) for s in sections]
    assert all(p > 0 for p in positions), out
    assert positions == sorted(positions)


def test_explain_unknown_rule_in_a_real_process(run):
    code, out, err = run("explain", "XX999")
    assert_one_line_error(code, err, "XX999")
    assert out == ""


# --- eval ------------------------------------------------------------------------------------------

EVAL_RECORDS = [
    {"id": "classic", "stage": "post-connection", "text": CLASSIC,
     "categories": ["hard-sell", "personalisation", "self-centred"], "codes": ["HS001", "HS002", "HS004"]},
    {"id": "warm", "stage": "post-connection", "text": WARM, "categories": []},
    {"id": "ask", "text": WARNING_ONLY, "categories": ["hard-sell"], "codes": ["HS002"]},
    {"id": "pitch", "stage": "cold", "text": "We are the leading provider of AI sales tools, trusted by 500+ "
     "companies. Book a demo: https://calendly.com/acme", "categories": ["hard-sell", "self-centred"]},
]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in EVAL_RECORDS[:2]) + "\n\n" +
                    "\n".join(json.dumps(r) for r in EVAL_RECORDS[2:]) + "\n")
    return path


def test_eval_text_table(run, corpus):
    code, out, err = run("eval", corpus)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "4 records"
    header = next(ln for ln in lines if ln.startswith("family"))
    assert header.split() == ["family", "precision", "recall", "F1", "false", "alarms", "tp", "fp", "fn", "tn"]
    for fam in ("hard-sell", "personalisation", "self-centred"):
        row = next(ln for ln in lines if ln.startswith(fam + " "))
        values = row.split()[1:]
        assert len(values) == 8
        assert all(0.0 <= float(v) <= 1.0 for v in values[:4])
    assert re.search(r"^HS002 uninvited-meeting-ask\s", out, re.M)


def test_eval_json(run, corpus):
    code, out, err = run("eval", corpus, "--format", "json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["records"] == 4
    assert set(doc["families"]) == {"hard-sell", "personalisation", "self-centred"}
    for fam in doc["families"].values():
        for key in ("precision", "recall", "f1", "false_alarm_rate"):
            assert 0.0 <= fam[key] <= 1.0
        assert fam["tp"] + fam["fp"] + fam["fn"] + fam["tn"] == 4
    hard_sell = doc["families"]["hard-sell"]
    # Every labelled hard-sell draft here is blatant; the warm note must not be flagged.
    assert hard_sell["recall"] == 1.0
    assert hard_sell["false_alarm_rate"] == 0.0
    assert "HS002" in doc["rules"]


def test_eval_malformed_line_names_file_and_line(run, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(EVAL_RECORDS[1]) + "\n\n" + '{"id": "broken", "text": \n')
    code, out, err = run("eval", path.name, cwd=tmp_path)
    assert_one_line_error(code, err, "bad.jsonl:3")
    assert out == ""


# --- text output snippet ---------------------------------------------------------------------------

def test_text_snippet_shows_the_line_the_finding_is_on(cli, tmp_path):
    # U+2028 (LINE SEPARATOR) turns up in text pasted from the web; it is not a line break for the
    # reported line numbers, so the snippet under the header must be that same '\n'-delimited line.
    text = "Hi Sam, loved your post on churn.\u2028\u2028Free for 15 min on Thursday?\nSam\n"
    (tmp_path / "d.txt").write_bytes(text.encode())
    code, out, err = cli("check", "d.txt", "--no-color")
    assert (code, err) == (0, "")
    lines = out.split("\n")
    i = next(n for n, ln in enumerate(lines) if ln.startswith("d.txt:1:36 HS002"))
    assert lines[i + 1] == "   1 | " + text.split("\n")[0].replace("\u2028", " ")
    assert lines[i + 2].strip() == "^" * len("Free for 15 min on Thursday?")
