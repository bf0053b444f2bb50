"""A CLI a newcomer trusts (issue 11): one bad file never hides the rest, empty paths fail, excludes, editor
columns, readable text output, help texts, error messages that say where and why."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import WARNING_ONLY, assert_one_line_error
from test_formats import validate_sarif

PITCH = ("Hi Dana, thanks for connecting! We help logistics teams cut fuel costs by 20% with our platform. "
         "Are you free for a quick 15-minute call this week?\n")
GOOD = ("Hi Priya, your post arguing that seed-stage startups should hire a support engineer before a second AE "
        "was convincing. Did the first hire change your churn numbers?\n")


def write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


# --- one bad file never hides the rest ------------------------------------------------------------------

BROKEN = {
    "drafts/binary.txt": (b"Hi \x00\x01\x02", None, "looks like a binary file"),
    "drafts/yaml.txt": ("---\nstage: [reply\n---\nHi Sam\n", 3, "front matter is not valid YAML: expected ','"),
    "drafts/recipient.txt": ("---\nstage: cold\nrecipient: nobody.yaml\n---\n" + GOOD, 3, "recipient: "),
}


@pytest.fixture
def folder(tmp_path):
    write(tmp_path, "drafts/a-pitch.txt", PITCH)
    write(tmp_path, "drafts/b-good.txt", GOOD)
    for name, (content, _, _) in BROKEN.items():
        write(tmp_path, name, content)
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "concise"])
def test_one_bad_file_never_hides_the_rest(cli, folder, fmt):
    code, out, err = cli("check", "drafts", "--format", fmt, "--no-cache")
    assert code == 2, (out, err)
    assert "Traceback" not in err
    in_output = fmt in ("github", "concise")
    if not in_output:  # one line on stderr per file that could not be linted, naming it and why
        lines = err.splitlines()
        assert len(lines) == len(BROKEN), err
        for (name, (_, line, reason)), message in zip(sorted(BROKEN.items()), sorted(lines)):
            assert message.startswith(f"outreach-lint: error: {name}{f':{line}' if line else ''}") \
                   and reason in message, message
    else:
        assert err == ""
    if fmt == "text":
        assert "drafts/a-pitch.txt:2:" not in out  # (the pitch is on line 1)
        assert re.search(r"^drafts/a-pitch\.txt:1:\d+ HS001 \[error\]", out, re.M)
        assert out.rstrip().endswith("3 files could not be linted (see the errors above).")
    elif fmt == "json":
        doc = json.loads(out)
        assert [f["path"] for f in doc["files"]] == ["drafts/a-pitch.txt", "drafts/b-good.txt"]
        assert "HS001" in {f["code"] for f in doc["files"][0]["findings"]}
        errors = {e["path"]: e for e in doc["errors"]}
        assert set(errors) == set(BROKEN)
        for name, (_, line, reason) in BROKEN.items():
            assert errors[name]["line"] == line and reason in errors[name]["message"]
            assert not errors[name]["message"].startswith(name)  # the path is its own field
        assert doc["summary"]["file_errors"] == 3 and doc["summary"]["files"] == 2
    elif fmt == "sarif":
        log = validate_sarif(out)
        [run] = log["runs"]
        invocation = run["invocations"][0]
        assert invocation["executionSuccessful"] is False
        notes = invocation["toolExecutionNotifications"]
        uris = {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes}
        assert uris == set(BROKEN) and {n["level"] for n in notes} == {"error"}
        assert "HS001" in {r["ruleId"] for r in run["results"]}
    elif fmt == "junit":
        suite = ET.fromstring(out).find("testsuite")
        assert (suite.get("tests"), suite.get("errors"), suite.get("failures")) == ("5", "3", "1")
        errored = {c.get("name") for c in suite.findall("testcase") if c.find("error") is not None}
        assert errored == set(BROKEN)
    elif fmt == "github":
        assert re.search(r"^::error file=drafts/binary\.txt,title=[^:]+::drafts/binary\.txt: looks like a binary",
                         out, re.M), out
        assert re.search(r"^::error file=drafts/a-pitch\.txt,line=1,.*title=HS001", out, re.M), out
    else:
        assert re.search(r"^drafts/yaml\.txt:3:1: error: front matter is not valid YAML", out, re.M), out
        assert re.search(r"^drafts/a-pitch\.txt:1:\d+: HS001 \[error\]", out, re.M), out


@pytest.mark.parametrize("paths, fragment", [
    (["empty"], "empty: no drafts in this folder"),
    (["empty/*.txt"], "empty/*.txt: no files match this pattern"),
    (["nope.txt"], "nope.txt: no such file or directory"),
    (["docs"], "docs: all 1 files found are excluded"),
])
def test_a_path_that_finds_nothing_is_exit_2(cli, tmp_path, paths, fragment):
    (tmp_path / "empty").mkdir()
    write(tmp_path, "docs/guide.md", PITCH)
    code, out, err = cli("check", *paths, "--no-cache")
    assert_one_line_error(code, err, fragment)
    assert out == ""


def test_a_missing_path_does_not_stop_the_others(cli, tmp_path):
    write(tmp_path, "a.txt", WARNING_ONLY)
    code, out, err = cli("check", "nope.txt", "a.txt", "--no-cache", "--no-color")
    assert code == 2
    assert_one_line_error(code, err, "nope.txt")
    assert "a.txt:1:35 HS002 [warning]" in out


# --- excludes -------------------------------------------------------------------------------------------

def test_default_excludes_apply_to_files_named_explicitly(cli, tmp_path):
    for name in ("README.md", "CHANGELOG.md", "LICENSE.txt", "CONTRIBUTING.md", "requirements-dev.txt",
                 "docs/guide.md", "sub/readme.txt"):
        write(tmp_path, name, PITCH)  # each would fail if it were linted
    code, out, err = cli("check", "README.md", "CHANGELOG.md", "LICENSE.txt", "CONTRIBUTING.md",
                         "requirements-dev.txt", "docs/guide.md", "sub/readme.txt", "--no-cache")
    assert (code, err) == (0, "")
    assert out.startswith("Nothing to lint: README.md, CHANGELOG.md, LICENSE.txt ... are excluded")
    write(tmp_path, "drafts/a.txt", PITCH)
    code, out, _ = cli("check", ".", "--format", "json", "--no-cache")
    assert code == 1 and [f["path"] for f in json.loads(out)["files"]] == ["drafts/a.txt"]


def test_exclude_and_extend_exclude_are_gitignore_style_from_the_config_folder(cli, tmp_path):
    write(tmp_path, "repo/.outreach-lint.toml", 'extend-exclude = ["/notes/", "*.idea.md", "!keep.idea.md"]\n')
    for name in ("notes/a.txt", "sub/notes/b.txt", "x.idea.md", "keep.idea.md", "README.md", "draft.txt"):
        write(tmp_path, f"repo/{name}", PITCH)
    code, out, _ = cli("check", "repo", "--format", "json", "--no-cache")
    linted = sorted(f["path"] for f in json.loads(out)["files"])
    # /notes/ is anchored to the config's folder; README.md stays excluded by the defaults
    assert linted == ["repo/draft.txt", "repo/keep.idea.md", "repo/sub/notes/b.txt"], linted
    write(tmp_path, "repo/.outreach-lint.toml", "exclude = []\n")  # replaces the defaults
    code, out, _ = cli("check", "repo/README.md", "--format", "json", "--no-cache")
    assert [f["path"] for f in json.loads(out)["files"]] == ["repo/README.md"]


def test_stdin_named_as_an_excluded_file_is_not_linted(run):
    code, out, err = run("check", "-", "--stdin-filename", "docs/notes.md", "--no-cache", input=PITCH)
    assert (code, err) == (0, "") and out.startswith("Nothing to lint: docs/notes.md is excluded")


# --- editor columns -------------------------------------------------------------------------------------

# an accented name, an emoji (outside the BMP: 2 UTF-16 units, 4 bytes) and an em dash before the finding
UNICODE = "Hi Zoë 👋 — loved your post on Łódź, really. Free for 15 min on Thursday?\n"


@pytest.fixture(scope="module")
def by_unit(module_dir):
    from conftest import run_linter

    draft = write(module_dir, "zoe.txt", UNICODE)
    out = {}
    for unit in ("char", "utf-8", "utf-16"):
        code, stdout, err = run_linter("check", draft, "--format", "json", "--column-unit", unit, "--no-cache")
        assert code == 0, err
        doc = json.loads(stdout)
        assert doc["summary"]["column_unit"] == unit
        out[unit] = doc["files"][0]["findings"]
    return out


@pytest.mark.parametrize("unit, encode, width", [("char", None, 1), ("utf-8", "utf-8", 1),
                                                 ("utf-16", "utf-16-le", 2)])
def test_columns_in_each_unit_underline_the_right_characters(by_unit, unit, encode, width):
    [ask] = [f for f in by_unit[unit] if f["code"] == "HS002"]
    line = UNICODE.rstrip("\n")
    if encode is None:
        shown = line[ask["column"] - 1:ask["end_column"] - 1]
    else:  # what an editor counting in this unit underlines
        data = line.encode(encode)
        shown = data[(ask["column"] - 1) * width:(ask["end_column"] - 1) * width].decode(encode)
    assert shown == ask["excerpt"] == "Free for 15 min on Thursday?"
    [char_ask] = [f for f in by_unit["char"] if f["code"] == "HS002"]
    assert (ask["start"], ask["end"]) == (char_ask["start"], char_ask["end"])  # offsets do not depend on the unit
    assert {(f["line"], f["start"]) for f in by_unit[unit]} == {(f["line"], f["start"]) for f in by_unit["char"]}


def test_the_three_units_differ_on_this_line(by_unit):
    columns = {unit: next(f["column"] for f in findings if f["code"] == "HS002")
               for unit, findings in by_unit.items()}
    assert columns["char"] < columns["utf-16"] < columns["utf-8"], columns


@pytest.mark.skipif(shutil.which("vim") is None, reason="vim is not installed (apt-get install vim)")
def test_vim_quickfix_underlines_the_right_characters(tmp_path, run):
    """Real Vim reads the concise output into its quickfix list (errorformat %f:%l:%c: %m) and takes the text
    from the reported column: with --column-unit utf-8 it is the finding's words; with char it is not."""
    draft = write(tmp_path, "zoe.txt", UNICODE)
    results = {}
    for unit in ("utf-8", "char"):
        code, out, err = run("check", "zoe.txt", "--format", "concise", "--column-unit", unit, "--no-cache",
                             cwd=tmp_path)
        assert code == 0, err
        write(tmp_path, f"qf-{unit}.txt", out)
        script = write(tmp_path, "qf.vim", "\n".join([
            "set errorformat=%f:%l:%c:\\ %m",
            f"cgetfile qf-{unit}.txt",
            "let q = filter(getqflist(), 'v:val.text =~# \"HS002\"')[0]",
            "execute 'edit' fnameescape(bufname(q.bufnr))",
            f"call writefile([strpart(getline(q.lnum), q.col - 1, {len('Free for 15 min on Thursday?')})],"
            f" 'got-{unit}.txt')",
            "qall!"]))
        proc = subprocess.run(["vim", "-Es", "-N", "-u", "NONE", "-i", "NONE", "-S", script.name],
                              cwd=tmp_path, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, proc.stderr
        results[unit] = (tmp_path / f"got-{unit}.txt").read_text(encoding="utf-8").strip()
    assert draft.read_text(encoding="utf-8") == UNICODE
    assert results["utf-8"] == "Free for 15 min on Thursday?"
    assert results["char"] != results["utf-8"]  # Vim counts bytes: code-point columns land early


def test_sarif_columns_follow_the_unit(cli, tmp_path):
    write(tmp_path, "zoe.txt", UNICODE)
    code, out, _ = cli("check", "zoe.txt", "--format", "sarif", "--column-unit", "utf-16", "--no-cache")
    run = validate_sarif(out)["runs"][0]
    assert run["columnKind"] == "utf16CodeUnits"
    code, out, err = cli("check", "zoe.txt", "--format", "sarif", "--column-unit", "utf-8")
    assert_one_line_error(code, err, "SARIF")


# --- readable text output -------------------------------------------------------------------------------

LONG = ("Hi Zoë 👋, thanks for connecting! I have been following the work your team has been doing on warehouse "
        "robotics for a while now and I really enjoyed the thread about the pilot in Rotterdam last month. "
        "Free for 15 min on Thursday? Here's my calendar: https://calendly.com/x and our deck too.\n")


@pytest.mark.parametrize("width", [60, 100])
def test_long_lines_become_a_window_that_fits_the_terminal(width):
    from rich.cells import cell_len

    from linter import lint
    from linter.formatters import text_block

    report = lint(LONG)
    assert {"HS002", "HS004"} <= {f.code for f in report.findings}
    lines = text_block(report, width=width).splitlines()
    for f in report.findings:
        i = next(n for n, ln in enumerate(lines) if ln.startswith(f"<text>:{f.line}:{f.column} {f.code}"))
        source, carets = lines[i + 1], lines[i + 2]
        assert cell_len(source) <= width and cell_len(carets) <= width, (source, carets)
        assert "..." in source  # cut marks: the line is longer than the terminal
        body = source[len("   1 | "):]
        start = body.index(f.excerpt[:10]) if f.excerpt[:10] in body else None
        assert start is not None, (f.excerpt, source)
        # the carets start under the first character of the excerpt, in terminal cells (the emoji is 2 wide)
        assert carets.index("^") == cell_len(source[:len("   1 | ") + start])
        assert set(carets.strip()) == {"^"}


def test_short_lines_are_shown_whole():
    from linter import lint
    from linter.formatters import text_block

    lines = text_block(lint(WARNING_ONLY), width=100).splitlines()
    assert lines[1] == "   1 | " + WARNING_ONLY and "..." not in lines[1]


def test_spans_and_sentences_never_cross_a_blank_line():
    from linter import lint
    from linter.nlp import load

    text = ("Hello,\n\nwould you have time for a quick call on Thursday\n\nhttps://calendly.com/sam/30min\n\n"
            "My name is Victor and I am the founder of Apexity.\n \nCheers,\nVictor\n")
    doc = load()(text)
    assert all("\n\n" not in s.text.strip() and "\n \n" not in s.text.strip() for s in doc.sents)
    report = lint(text)
    assert report.findings
    for f in report.findings:
        assert not re.search(r"\n[ \t]*\n", f.excerpt), f


# --- help, version, rules -------------------------------------------------------------------------------

def test_help_keeps_brackets_and_defaults(cli):
    code, out, err = cli("check", "--help")
    assert (code, err) == (0, "")
    flat = " ".join(out.split())
    for text in ("[tool.outreach-lint]", "[default: text]", "[default: error, or the config's fail-on]",
                 "[default: char]", "--column-unit", "[default: on a terminal, unless NO_COLOR is set]"):
        assert text in flat, text
    assert "╭" not in out and "\x1b[" not in out  # plain text, not a rich panel


def test_version(cli):
    from linter import __version__

    code, out, err = cli("--version")
    assert (code, err) == (0, "")
    assert re.fullmatch(rf"outreach-lint {re.escape(__version__)} \(spacy [\d.]+, en_core_web_sm\S* [\d.]+.*\)\n",
                        out), out


def test_rules_lists_the_stage_severities(cli):
    code, out, _ = cli("rules")
    hs001 = next(line for line in out.splitlines() if line.startswith("HS001"))
    assert "By stage: connection-request error, post-connection error, reply off." in hs001


# --- errors that say where and why ----------------------------------------------------------------------

@pytest.mark.parametrize("name, content, expected", [
    ("p.yaml", "name: Joanne\nrole: [COO\n", r"p\.yaml:3:1: profile is not valid YAML: expected ',' or ']'"),
    ("p.json", '{"name": "Joanne",\n "role": }\n', r"p\.json:2:10: profile is not valid JSON: Expecting value"),
    ("p.toml", 'name = "Joanne"\nrole = \n', r"p\.toml:2:8: profile is not valid TOML: Invalid value"),
    ("p.yaml", "name: Joanne\nrecent_posts: 5\n", r"p\.yaml:2: profile field 'recent_posts' must be a list"),
])
def test_profile_errors_name_file_line_and_reason(cli, tmp_path, name, content, expected):
    write(tmp_path, name, content)
    write(tmp_path, "d.txt", GOOD)
    code, out, err = cli("check", "d.txt", "--profile", name)
    assert_one_line_error(code, err)
    assert re.search(expected, err), err


def test_a_missing_recipient_profile_names_the_draft_and_line(cli, tmp_path):
    write(tmp_path, "drafts/d.txt", "---\nstage: cold\nrecipient: ../profiles/jane.yaml\n---\n" + GOOD)
    code, out, err = cli("check", "drafts/d.txt")
    assert_one_line_error(code, err, "drafts/d.txt:3: recipient: ", "profiles/jane.yaml: profile file not found")


def test_front_matter_yaml_errors_give_the_file_line(cli, tmp_path):
    write(tmp_path, "d.txt", "---\nstage: cold\nignore: [HS002\nreplied: true\n---\nHi\n")
    code, out, err = cli("check", "d.txt")
    assert_one_line_error(code, err, "d.txt:4:8: front matter is not valid YAML: ",
                          "(while parsing a flow sequence at line 3)")


# --- config ---------------------------------------------------------------------------------------------

def test_a_tool_table_works_in_an_outreach_lint_toml(cli, tmp_path):
    write(tmp_path, ".outreach-lint.toml", '[tool.outreach-lint]\nfail-on = "warning"\nmodel = "en_core_web_sm"\n')
    write(tmp_path, "d.txt", WARNING_ONLY)
    code, out, err = cli("check", "d.txt", "--no-cache")
    assert code == 1, err  # the warning fails: the table was read, and the model name resolves
    code, out, _ = cli("config", "--show")
    assert 'fail-on = "warning"' in out and 'model = "en_core_web_sm"' in out

