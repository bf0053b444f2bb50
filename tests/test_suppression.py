"""Suppression in plain text: front matter `ignore:` and `# outreach-lint:` directive lines."""
import pytest

from linter import lint
from linter.errors import UserError

ASK = "Are you free for a quick 15-minute call on Thursday?"


def codes(report):
    return [f.code for f in report.findings]


def test_disable_next_line_silences_only_that_line():
    text = f"Hi Marco, thanks for connecting.\n# outreach-lint: disable-next-line=HS002\n{ASK}\n{ASK}\n"
    report = lint(text)
    assert [f.line for f in report.findings if f.code == "HS002"] == [4]
    assert "FM007" not in codes(report)


def test_disable_and_enable_bracket_a_region_by_code_or_name():
    text = (f"Hi Marco, thanks for connecting.\n# outreach-lint: disable=uninvited-meeting-ask\n{ASK}\n"
            f"# outreach-lint: enable=uninvited-meeting-ask\n{ASK}\n")
    assert [f.line for f in lint(text).findings if f.code == "HS002"] == [5]


def test_disable_all_and_prefixes():
    text = f"# outreach-lint: disable=all\nHi {{first_name}}, {ASK}\n"
    assert codes(lint(text)) == []
    text = f"# outreach-lint: disable=HS\nHi Marco, {ASK}\n"
    assert not [c for c in codes(lint(text)) if c.startswith("HS")]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_directives_work_in_files_with_crlf_or_cr_line_ends(newline):
    text = newline.join(["Hi Marco, thanks for connecting.", "# outreach-lint: disable-next-line=HS002", ASK, ASK, ""])
    report = lint(text)
    assert [f.line for f in report.findings if f.code == "HS002"] == [4]
    assert "FM007" not in codes(report)


def test_directive_lines_are_not_analysed_and_offsets_stay_true():
    text = f"# outreach-lint: disable=SC003\nHi Marco, thanks for connecting. {ASK}\n"
    report = lint(text)
    for f in report.findings:
        assert text[f.start:f.end] == f.excerpt
    unused = [f for f in report.findings if f.code == "FM007"]
    assert [(f.line, f.excerpt) for f in unused] == [(1, "# outreach-lint: disable=SC003")]
    assert unused[0].severity == "warning"


def test_unknown_rule_in_a_directive_is_a_user_error():
    with pytest.raises(UserError, match="unknown rule 'HS999'"):
        lint("# outreach-lint: disable=HS999\nHi Marco.", path="d.txt")


def test_front_matter_ignore_still_works_with_directives():
    text = f"---\nignore: [HS002]\n---\nHi Marco, thanks for connecting.\n{ASK}\n"
    assert "HS002" not in codes(lint(text))
