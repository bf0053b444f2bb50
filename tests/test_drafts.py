"""Drafts through the library API: front matter, stages, ignores, recipients, spans and odd inputs."""
from __future__ import annotations

import pytest

from conftest import CATEGORIES, CLASSIC, REPO, WARM, WARNING_ONLY, assert_spans_match
from linter import Config, Source, UserError, lint, lint_many

BODY = "Hi Joanne, thanks for connecting!\nWe help companies like yours 3x their leads. Free for 15 min on Thursday?\n"
PROFILE_YAML = ("name: Joanne Whitaker\ncompany: Harrow & Lane Freight\nrecent_posts:\n"
                "  - We now guarantee a finish window for every route to keep drivers.\n")
WRONG_NAME = "Hi Priya, your post about a finish window for every route was sharp. How are drivers taking it?\n"
RIGHT_NAME = WRONG_NAME.replace("Priya", "Joanne")


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def warnings_or_errors(report) -> list:
    return [f for f in report.findings if f.severity in ("warning", "error")]


# --- the two reference drafts -------------------------------------------------------------------------

def test_classic_draft_findings():
    report = lint(CLASSIC)
    assert report.stage == "post-connection"
    assert {"hard-sell", "personalisation", "self-centred"} <= {f.category for f in report.findings}
    assert {f.category for f in report.findings} <= CATEGORIES
    assert report.fails("error") and report.fails("warning") and not report.fails("never")
    by_code = {f.code: f for f in report.findings}
    assert by_code["HS002"].excerpt == "Free for 15 min on Thursday?"
    assert by_code["HS004"].excerpt == "https://calendly.com/x"
    assert_spans_match(CLASSIC, report.findings)


def test_warm_note_has_no_warnings():
    report = lint(WARM, stage="post-connection")
    assert warnings_or_errors(report) == []
    assert not report.fails("warning")
    assert report.metrics["questions"] == 1


def test_typographic_characters_are_kept_in_excerpts():
    # Curly quotes and dashes are folded for matching, but excerpts and offsets are the user's own text.
    text = "Hi Sam, loved your post on churn. Here\u2019s my calendar: https://calendly.com/sam \u2014 grab a slot."
    report = lint(text)
    assert_spans_match(text, report.findings)
    by_code = {f.code: f for f in report.findings}
    assert by_code["HS004"].excerpt == "https://calendly.com/sam"
    assert by_code["FM006"].excerpt == "Here\u2019s my calendar: https://calendly.com/sam \u2014 grab a slot."


# --- front matter -------------------------------------------------------------------------------------

def test_front_matter_positions_refer_to_the_file():
    front = "---\nstage: post-connection\nconnected_on: 2026-11-02\n---\n"
    text = front + BODY
    report = lint(text)
    plain = lint(BODY)
    assert codes(report) == codes(plain)
    assert_spans_match(text, report.findings)
    ask = next(f for f in report.findings if f.code == "HS002")
    assert ask.line == 6                       # 4 front matter lines + the second body line
    assert ask.column == BODY.split("\n")[1].index("Free") + 1
    assert ask.start == text.index("Free")
    assert ask.excerpt.rstrip("\r\n") == "Free for 15 min on Thursday?"
    pitch = next(f for f in report.findings if f.code == "HS001")
    assert (pitch.line, pitch.column) == (6, 1)


def test_front_matter_stage_is_used_and_stage_argument_wins():
    text = "---\nstage: reply\n---\n" + BODY
    assert lint(text).stage == "reply"
    # In a reply the recipient has engaged: no uninvited-meeting-ask, no first-touch pitch.
    assert not {"HS001", "HS002"} & set(codes(lint(text)))
    overridden = lint(text, stage="connection-request")
    assert overridden.stage == "connection-request"
    assert {"HS001", "HS002"} <= set(codes(overridden))
    assert next(f for f in overridden.findings if f.code == "HS002").severity == "error"
    # Front matter beats the configured default stage.
    assert lint(text, config=Config(stage="cold")).stage == "reply"
    assert lint(BODY, config=Config(stage="cold")).stage == "cold"


@pytest.mark.parametrize("ignore", ["[HS002]", "uninvited-meeting-ask", "'HS002, PZ003'"])
def test_front_matter_ignore_suppresses_the_rule(ignore):
    baseline = lint(BODY)
    assert "HS002" in codes(baseline)
    report = lint(f"---\nignore: {ignore}\n---\n" + BODY)
    assert "HS002" not in codes(report)
    assert set(codes(report)) >= set(codes(baseline)) - {"HS002", "PZ003"}


def test_front_matter_only_and_empty_front_matter():
    assert lint("---\nstage: cold\n---\n").findings == []
    report = lint("---\n---\n" + WARNING_ONLY)
    assert codes(report) == ["HS002"]
    assert (report.findings[0].line, report.findings[0].column) == (3, 35)


@pytest.mark.parametrize("text,fragment", [
    ("---\nstage: reply\nHi Joanne\n", "no closing"),
    ("---\nstage: reply\nrecipient: a: b\n---\nHi\n", "x.md:3:13: front matter is not valid YAML: mapping values are "
                                                    "not allowed here"),
    ("---\n- a\n---\nHi\n", "mapping"),
    ("---\nstag: reply\n---\nHi\n", "unknown front matter key 'stag'"),
    ("---\nstage: warm\n---\nHi\n", "stage 'warm'"),
    ("---\nsequence_step: 0\n---\nHi\n", "sequence_step"),
    ("---\nreplied: maybe\n---\nHi\n", "replied"),
    ("---\nrecipient: [a, b]\n---\nHi\n", "recipient"),
    ("---\nrecipient:\n  recent_posts: 5\n---\nHi\n", "recent_posts"),
    # A typo in ignore must not silently do nothing (the CLI rejects the same name in --ignore).
    ("---\nignore: [uninvited-meting-ask]\n---\nHi\n", "uninvited-meting-ask"),
])
def test_bad_front_matter_is_a_user_error_naming_the_draft(text, fragment):
    with pytest.raises(UserError) as info:
        lint(text, path="drafts/x.md")
    message = str(info.value)
    assert message.startswith("drafts/x.md")
    assert fragment in message
    assert "\n" not in message


# --- recipients ---------------------------------------------------------------------------------------

def test_relative_recipient_resolves_against_the_draft_directory(tmp_path, monkeypatch):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "joanne.yaml").write_text(PROFILE_YAML)
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)               # the cwd must not matter
    front = "---\nrecipient: ../profiles/joanne.yaml\n---\n"
    with pytest.raises(UserError, match="front matter recipient: .* is outside"):
        lint(front + WRONG_NAME, base_dir=drafts)   # out of the draft's folder, and no config above it (issue 10)
    config = Config(root=tmp_path)                  # as if read from tmp_path/pyproject.toml
    wrong = lint(front + WRONG_NAME, base_dir=drafts, path=str(drafts / "a.md"), config=config)
    pz004 = [f for f in wrong.findings if f.code == "PZ004"]
    assert [(f.excerpt, f.line, f.column, f.severity) for f in pz004] == [("Priya", 4, 4, "error")]
    right = lint(front + RIGHT_NAME, base_dir=drafts, config=config)
    assert "PZ004" not in codes(right)
    with pytest.raises(UserError, match="outside"):
        lint(front + RIGHT_NAME, base_dir=tmp_path, config=config)   # tmp_path/../profiles is out of the root


def test_inline_recipient_mapping():
    front = "---\nrecipient:\n  name: Joanne Whitaker\n  company: Harrow & Lane Freight\n---\n"
    wrong = lint(front + WRONG_NAME)
    assert [f.excerpt for f in wrong.findings if f.code == "PZ004"] == ["Priya"]
    assert "PZ004" not in codes(lint(front + RIGHT_NAME))


def test_profile_argument_and_without_profile_no_name_check():
    assert "PZ004" in codes(lint(WRONG_NAME, profile={"name": "Joanne Whitaker"}))
    assert "PZ004" not in codes(lint(WRONG_NAME))
    with pytest.raises(UserError, match="recent_posts"):
        lint(WRONG_NAME, profile={"name": "Joanne", "recent_posts": 5})


# --- line endings, odd input ----------------------------------------------------------------------------

def test_crlf_positions_match_lf():
    lf = "---\nstage: post-connection\n---\n" + BODY
    crlf = lf.replace("\n", "\r\n")
    lf_report, crlf_report = lint(lf), lint(crlf)
    assert codes(crlf_report) == codes(lf_report)
    assert_spans_match(crlf, crlf_report.findings)
    assert [(f.line, f.column) for f in crlf_report.findings] == [(f.line, f.column) for f in lf_report.findings]
    assert all("\r" not in f.excerpt.rstrip("\r\n") for f in crlf_report.findings)


@pytest.mark.parametrize("text", ["", " ", "\n", "   \n\n  \t \n", "\r\n\r\n"])
def test_empty_and_whitespace_drafts_are_clean(text):
    report = lint(text)
    assert report.findings == []
    assert report.score == 100
    assert report.metrics["words"] == 0
    assert report.metrics["sentences"] == 0
    assert not report.fails("info")


def test_examples_spans_are_true_to_the_file():
    paths = sorted((REPO / "corpora" / "examples").glob("*/*.txt"))
    assert paths
    sources = [Source(text=p.read_bytes().decode("utf-8-sig"), path=str(p), base_dir=p.parent) for p in paths]
    reports = list(lint_many(sources))
    assert [r.path for r in reports] == [str(p) for p in paths]
    for source, report in zip(sources, reports):
        assert_spans_match(source.text, report.findings)
        assert report.score == max(0, 100 - sum({"error": 25, "warning": 10, "info": 2}[f.severity]
                                                 for f in report.findings))


# --- configuration --------------------------------------------------------------------------------------

def test_select_ignore_and_severity_config():
    only_hard_sell = lint(CLASSIC, config=Config(select=("hard-sell",)))
    assert only_hard_sell.findings and {f.category for f in only_hard_sell.findings} == {"hard-sell"}
    no_links = lint(CLASSIC, config=Config(ignore=("HS004", "self-centred")))
    assert "HS004" not in codes(no_links)
    assert not any(f.category == "self-centred" for f in no_links.findings)
    relaxed = lint(CLASSIC, config=Config(severity={"HS001": "info", "HS002": "off"}))
    assert "HS002" not in codes(relaxed)
    assert next(f for f in relaxed.findings if f.code == "HS001").severity == "info"
    assert not relaxed.fails("error")


def test_lint_many_keeps_order_and_per_source_stage():
    sources = [Source(WARM, path="warm"), Source(CLASSIC, path="classic", stage="reply"),
               Source("", path="empty"), Source(WARNING_ONLY, path="ask")]
    reports = list(lint_many(sources, Config()))
    assert [r.path for r in reports] == ["warm", "classic", "empty", "ask"]
    assert [r.stage for r in reports] == ["post-connection", "reply", "post-connection", "post-connection"]
    assert codes(reports[3]) == ["HS002"]
    assert "HS002" not in codes(reports[1])
