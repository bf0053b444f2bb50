"""Hostile and odd inputs: whatever text, bytes, files or profiles arrive, the result is findings that are true to
the file or one clear error line, never a traceback, a hang or a run that eats the machine.

Already covered elsewhere (not repeated here): binary and invalid UTF-8 files, unterminated and invalid-YAML front
matter, front matter that is a list, a bad stage name, a non-mapping `recipient`, a profile whose `recent_posts` is
not a list (test_cli.py::test_user_errors_are_one_line_and_exit_2, test_drafts.py::
test_bad_front_matter_is_a_user_error_naming_the_draft); UTF-8 with a BOM and CRLF files
(test_cli.py::test_crlf_and_bom_files, test_drafts.py::test_crlf_positions_match_lf); empty and whitespace-only
drafts through the API (test_drafts.py::test_empty_and_whitespace_drafts_are_clean).
"""
from __future__ import annotations

import errno
import io
import json
import os
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import WARNING_ONLY, assert_one_line_error, assert_spans_match, run_linter
from linter import Config, Profile, UserError, lint
from linter import config as config_mod
from linter import draft as draft_mod
from linter import inputs
from linter import profile as profile_mod
from linter.formatters import to_json, to_text

LIMIT = draft_mod.MAX_BYTES_DEFAULT
PROPERTY = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
PROFILE = {"name": "Joanne Whitaker", "company": "Harrow & Lane Freight",
           "recent_posts": [{"text": "We now guarantee a finish window for every route to keep drivers.",
                             "topic": "driver retention"}]}


# --- properties over arbitrary and draft-like text ------------------------------------------------------------

ODD = [
    "\U0001F600", "\U0001F44D\U0001F3FD", "\U0001F469\u200d\U0001F4BB", "\U0001F1EC\U0001F1E7",   # emoji
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e",                      # zero-width
    "\x00", "\x07", "\x1b[31m", "\x7f", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029",   # controls
    "\r", "\n", "\r\n", "\n\r", "\r\r\n", "\t", "  ",                                        # line endings
    "e\u0301", "\u202e", "\ufdfa", "\ufb01", "\uff24\uff45\uff4d\uff4f", "\u0430", "\u2160",  # NFKC, bidi
    "\u2019", "\u201c", "\u201d", "\u2014", "\u2026", "\u00a0",                               # typography
]
FRAGMENTS = [
    "---\n", "---", "--- \r\n", "...\n", "stage: reply\n", "stage: [\n", "stage: 5\n", "recipient: {name: Sam}\n",
    "recipient:\n  name: [1, 2]\n", "ignore: [HS002]\n", "ignore: [nope]\n", "template: true\n", "replied: maybe\n",
    "connected_on: 2026-13-45\n", "sequence_step: 0\n", "&a [*a]\n", "{{ first_name }}", "{{", "}}", "{first_name}",
    "{% if x %}", "*|FNAME|*", "%FIRST%", "[Name]", "{{ nope }}", "# outreach-lint: disable=HS002\n",
    "# outreach-lint: disable-next-line=all\n", "# outreach-lint: enable=HS002\n", "# outreach-lint: disable=XX9\n",
    "https://calendly.com/x", "?", "!!!!", ". . .",
]
SALES = [
    "Hi Joanne,", "Hi {{first_name}},", "Hello there,", "Dear Sir/Madam,", "Hi Priya!", "thanks for connecting!",
    "We help companies like yours 3x their leads.", "Free for 15 min on Thursday?", "Book a d3mo today.",
    "Grab a fr33 tr1al", "hop on a c@ll", "D E M O", "Limited time offer, only 3 spots left!",
    "Here's my calendar: https://calendly.com/x", "Here\u2019s my calendar: https://calendly.com/x",
    "\u201cWe are the leading provider\u201d of AI sales tools.", "I\u2019d love to pick your brain.",
    "Just following up on my last 4 messages.", "Loved your post on churn.", "Your post about guaranteeing a finish "
    "window for every route was sharp.", "Did the first hire change your churn numbers?", "Not a fit? No worries.",
    "Our platform automates fleet telematics \u2014 trusted by 500+ companies.", "[Name]", "{company}",
    "# outreach-lint: disable-next-line=HS002",
]
FRONT = ["", "---\nstage: connection-request\n---\n", "---\r\nstage: cold\r\n---\r\n",
         "---\nstage: follow-up\nsequence_step: 3\n---\n", "---\nignore: [HS002]\n---\n", "---\n---\n",
         "---\ntemplate: true\n---\n", "---\nrecipient:\n  name: Joanne Whitaker\n---\n"]
JOINERS = [" ", "\n", "\r\n", "\n\n", "\r", "  ", ", ", "\u2028", " \u200b"]

arbitrary_text = st.one_of(
    st.text(),
    st.tuples(st.sampled_from(["", "", "---\n", "---\r\n", "--- \n"]),
              st.lists(st.one_of(st.text(max_size=12), st.sampled_from(ODD + FRAGMENTS)), max_size=40)
              ).map(lambda t: t[0] + "".join(t[1])),
)


@st.composite
def draft_like(draw) -> str:
    parts = draw(st.lists(st.tuples(st.sampled_from(SALES), st.sampled_from(JOINERS), st.sampled_from([""] + ODD)),
                          min_size=1, max_size=12))
    body = "".join(part + odd + joiner for part, joiner, odd in parts)
    return draw(st.sampled_from(FRONT)) + body


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset, lines ending at \\n, \\r\\n or a lone \\r (as the README says),
    computed independently of linter.draft."""
    line, start, i = 1, 0, 0
    while i < offset:
        if text[i] == "\r" and text[i + 1:i + 2] == "\n":
            if i + 1 >= offset:       # the offset is between \r and \n: still on this line
                break
            i += 2
            line, start = line + 1, i
            continue
        if text[i] in "\r\n":
            line, start = line + 1, i + 1
        i += 1
    return line, offset - start + 1


def check_any_text(text: str, profile: dict | None = None) -> None:
    """lint() either refuses with a documented one-line UserError or returns findings true to the text."""
    try:
        parsed = draft_mod.parse(text, "draft.md")
    except UserError as exc:
        parsed, refusal = None, str(exc)
    else:
        refusal = None
    try:
        report = lint(text, path="draft.md", profile=profile)
    except UserError as exc:
        message = str(exc)
        assert "\n" not in message and "Traceback" not in message
        if refusal is not None:
            # the draft's own front matter or directive lines: the same message parse() gives, naming the draft
            assert message == refusal and message.startswith("draft.md")
        else:
            # the only other refusal: a recipient named in valid front matter that is not a usable profile
            assert parsed is not None and parsed.meta.get("recipient") is not None, message
        return
    assert refusal is None, f"parse refused ({refusal}) but lint did not"
    doc = json.loads(to_json([report], "error"))
    assert doc["files"][0]["findings"] == [f.to_dict() for f in report.findings]
    assert to_text([report], "error")
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text), f
        assert text[f.start:f.end] == f.excerpt, f
        assert (f.line, f.column) == line_col(text, f.start), f
        assert (f.end_line, f.end_column) == line_col(text, f.end), f
        assert f.severity in ("error", "warning", "info")
    again = lint(text, path="draft.md", profile=profile)
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in report.findings]
    assert again.metrics == report.metrics


@PROPERTY
@given(arbitrary_text)
def test_arbitrary_text_is_linted_or_refused_in_one_line(text):
    check_any_text(text)


@PROPERTY
@given(draft_like(), st.booleans())
def test_draft_like_text_has_true_spans_and_is_deterministic(text, with_profile):
    check_any_text(text, PROFILE if with_profile else None)


# --- empty drafts through the command line ---------------------------------------------------------------------

EMPTY = {"empty.txt": b"", "space.txt": b" ", "lines.txt": b"\n\n\n", "crlf.txt": b"\r\n\t \r\n",
         "bom.txt": b"\xef\xbb\xbf", "bom-lines.txt": b"\xef\xbb\xbf\n\n", "zero-width.txt": "\u200b\u2060".encode(),
         "front-only.md": b"---\nstage: cold\n---\n", "utf16-bom-only.txt": b"\xff\xfe"}


def test_empty_and_whitespace_drafts_are_clean_on_the_command_line(cli, tmp_path):
    for name, data in EMPTY.items():
        (tmp_path / name).write_bytes(data)
    code, out, err = cli("check", *EMPTY, "--format", "json", "--no-cache")
    assert (code, err) == (0, "")
    files = json.loads(out)["files"]
    assert [f["path"] for f in files] == list(EMPTY)
    for f in files:
        assert (f["findings"], f["score"], f["metrics"]["words"]) == ([], 100, 0), f
    code, out, err = cli("check", *EMPTY, "--no-color", "--no-cache")
    assert (code, err) == (0, "")
    assert out.strip() == f"All clear: no problems in {len(EMPTY)} files."


def test_empty_stdin_is_clean(cli, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    code, out, err = cli("check", "-", "--no-color", "--no-cache")
    assert (code, err) == (0, "")
    assert out.strip() == "All clear: no problems in 1 file."


# --- the size limit ----------------------------------------------------------------------------------------------

def test_a_5_mb_file_is_refused_in_one_line(cli, tmp_path):
    (tmp_path / "big.txt").write_bytes(b"Hi Sam, free for a call? " * 200_000)
    code, out, err = cli("check", "big.txt", "--no-cache")
    assert_one_line_error(code, err, "big.txt", "5000000 bytes", f"{LIMIT}-byte limit", "max-bytes")
    assert out == ""


def test_a_5_mb_stdin_is_refused_in_one_line_in_a_real_process():
    # A real pipe: the process reads at most LIMIT + 1 bytes and exits before the writer has finished.
    code, out, err = run_linter("check", "-", input=b"Hi Sam, free for a call? " * 200_000)
    assert_one_line_error(code, err, "-: standard input", f"{LIMIT}-byte limit", "max-bytes")
    assert out == ""


def test_stdin_limit_in_process(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 11)))
    with pytest.raises(UserError, match=r"^inbox/a\.txt: standard input is over the 10-byte limit .*max-bytes"):
        inputs.read("-", "inbox/a.txt", max_bytes=10)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 10)))
    assert inputs.read("-", None, max_bytes=10)[:2] == ("x" * 10, "-")
    monkeypatch.setattr(sys, "stdin", None)   # started with standard input closed
    with pytest.raises(UserError, match="no standard input"):
        inputs.read("-")


def test_a_device_or_pipe_is_not_read(tmp_path):
    # /dev/zero never ends; a FIFO blocks: only regular files are read (issue 10)
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    with pytest.raises(UserError, match=r"^/dev/zero: not a regular file"):
        inputs.read("/dev/zero")


def test_parse_refuses_text_over_max_chars_in_one_line():
    with pytest.raises(UserError) as info:
        draft_mod.parse("x" * 11, "drafts/a.md", max_chars=10)
    message = str(info.value)
    assert message.startswith("drafts/a.md: 11 characters is over the 10-character limit")
    assert "max-bytes" in message and "\n" not in message
    assert draft_mod.parse("x" * 10, "drafts/a.md", max_chars=10).body == "x" * 10
    assert draft_mod.parse("x" * 10_000_000, "big.md").body_start == 0     # no max_chars: no limit in parse


def test_raised_max_bytes_is_read_from_the_config_and_accepts_a_1_5_mb_file(tmp_path):
    # Checked below the linter: linting 1.5 MB of prose with spaCy takes minutes (about 20 s per 100 KB here).
    (tmp_path / ".outreach-lint.toml").write_text("max-bytes = 2_000_000\n")
    big = tmp_path / "big.txt"
    big.write_bytes(b"Hi Sam, loved your post on churn.\n" * 45_000)        # 1,530,000 bytes
    cfg = config_mod.Resolver().for_path(str(big))
    assert cfg.max_bytes == 2_000_000
    assert "max-bytes = 2000000" in config_mod.to_toml(cfg)
    text, name, _ = inputs.read(str(big), max_bytes=cfg.max_bytes)
    assert (len(text), name) == (1_530_000, str(big))
    assert draft_mod.parse(text, name, max_chars=cfg.max_bytes).body == text
    with pytest.raises(UserError, match=f"over the {LIMIT}-byte limit"):
        inputs.read(str(big))                                             # the default limit refuses it
    assert Config().max_bytes == LIMIT


@pytest.mark.parametrize("value", ["0", "-5", "'1MB'", "1.5", "true", "[100]"])
def test_bad_max_bytes_is_one_line_naming_file_and_key(cli, tmp_path, value):
    (tmp_path / "d.txt").write_text(WARNING_ONLY)
    (tmp_path / "lint.toml").write_text(f"max-bytes = {value}\n")
    code, out, err = cli("check", "d.txt", "--config", "lint.toml")
    assert_one_line_error(code, err, "lint.toml", "'max-bytes'", "whole number")
    assert out == ""


def test_config_max_bytes_applies_on_the_command_line(cli, tmp_path):
    """Needs cli.py to pass the file's config.max_bytes to inputs.read (and engine.py to parse)."""
    (tmp_path / "small.txt").write_text(WARNING_ONLY)
    (tmp_path / ".outreach-lint.toml").write_text("max-bytes = 20\n")
    code, out, err = cli("check", "small.txt", "--no-cache")
    assert_one_line_error(code, err, "small.txt", "over the 20-byte limit", "max-bytes")
    # a file over the default limit but under a raised one is linted (mostly blank lines: quick to parse)
    (tmp_path / ".outreach-lint.toml").write_text(f"max-bytes = {3 * LIMIT // 2}\n")
    (tmp_path / "long.txt").write_bytes((WARNING_ONLY + "\n" * (LIMIT + 10)).encode())
    code, out, err = cli("check", "long.txt", "--format", "json", "--no-cache")
    assert (code, err) == (0, ""), err
    assert [f["code"] for f in json.loads(out)["files"][0]["findings"]] == ["HS002"]


def test_config_max_bytes_applies_to_lint_api():
    """Needs engine.py to pass config.max_bytes to draft.parse as max_chars."""
    with pytest.raises(UserError, match="over the 20-character limit"):
        lint(WARNING_ONLY, config=Config(max_bytes=20), path="a.txt")
    assert [f.code for f in lint(WARNING_ONLY, config=Config(max_bytes=len(WARNING_ONLY))).findings] == ["HS002"]


def test_100_000_line_file(cli, tmp_path):
    # 100,000 lines are at least 100,000 bytes, so with any text in them they are over the default limit and the
    # command line refuses them at once. Linted anyway (a raised limit), mostly blank lines cost spaCy little (a
    # few seconds here): findings land on the right lines, no traceback.
    head = "Hi Sam, loved your post on churn.\nFree for 15 min on Thursday?\n"
    text = head + "\n" * (100_000 - head.count("\n"))
    (tmp_path / "lines.txt").write_bytes(text.encode())
    code, out, err = cli("check", "lines.txt", "--no-cache")
    assert_one_line_error(code, err, "lines.txt", f"{len(text)} bytes", f"{LIMIT}-byte limit", "max-bytes")
    report = lint(text, path="lines.txt", config=Config(max_bytes=2 * LIMIT))
    assert [(f.code, f.line) for f in report.findings] == [("HS002", 2)]
    assert_spans_match(text, report.findings)
    # 100,000 lines of real text (1.7 MB) are refused the same way: linted, they would take spaCy minutes and
    # gigabytes (measured: about 20 s and 0.5 GB per 100 KB of prose), which is what the limit exists to stop.
    (tmp_path / "prose.txt").write_bytes(b"Free for a call?\n" * 100_000)
    code, out, err = cli("check", "prose.txt", "--no-cache")
    assert_one_line_error(code, err, "prose.txt", "1700000 bytes", f"{LIMIT}-byte limit")


def test_normalisation_that_outgrows_the_model_limit_is_refused():
    # NFKC folds U+247D to "(10)": 300,000 of them (900 KB, under a raised limit) would hand spaCy 1.2 million
    # characters, over its own 1,000,000 limit (a ValueError from spaCy); the draft is refused in one line instead.
    with pytest.raises(UserError) as info:
        lint("\u247d" * 300_000, path="a.txt", config=Config(max_bytes=1_000_000))
    message = str(info.value)
    assert message.startswith("a.txt: normalised, the draft is ") and "1000000-character limit" in message
    assert "\n" not in message


# --- encodings -------------------------------------------------------------------------------------------------

BODY = "Hi Sam, loved your post on churn.\nFree for 15 min on Thursday? \u2014 Priya \U0001F600\n"


@pytest.mark.parametrize("name,data", [
    ("utf16le.txt", b"\xff\xfe" + BODY.encode("utf-16-le")),
    ("utf16be.txt", b"\xfe\xff" + BODY.encode("utf-16-be")),
    ("utf32le.txt", b"\xff\xfe\x00\x00" + BODY.encode("utf-32-le")),
    ("utf8bom-crlf.txt", b"\xef\xbb\xbf" + BODY.replace("\n", "\r\n").encode()),
])
def test_bom_encodings_are_decoded_and_offsets_count_characters(cli, tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    code, out, err = cli("check", name, "--format", "json", "--no-cache")
    assert (code, err) == (0, "")
    findings = json.loads(out)["files"][0]["findings"]
    text = BODY.replace("\n", "\r\n") if "crlf" in name else BODY
    assert "HS002" in [f["code"] for f in findings]
    for f in findings:
        assert text[f["start"]:f["end"]] == f["excerpt"]
        assert (f["line"], f["column"]) == line_col(text, f["start"])


@pytest.mark.parametrize("data,fragment", [
    (BODY.encode("utf-16-le"), "binary"),                          # UTF-16 without a BOM: NUL bytes
    (b"\xff\xfe" + BODY.encode("utf-16-le")[:-1], "not valid UTF-16"),  # odd number of bytes
    (b"\xff\xfe" + "a\x00binary".encode("utf-16-le"), "binary"),   # a NUL character after the BOM
    (b"\xfe\xff\xd8\x00\x00A", "not valid UTF-16"),                # a lone surrogate
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
])
def test_broken_encodings_are_one_line(cli, tmp_path, data, fragment):
    (tmp_path / "d.txt").write_bytes(data)
    code, out, err = cli("check", "d.txt", "--no-cache")
    assert_one_line_error(code, err, "d.txt", fragment)
    assert out == ""


# --- the file system -------------------------------------------------------------------------------------------

def test_symlink_loops_terminate_and_each_file_is_linted_once(cli, tmp_path):
    drafts = tmp_path / "drafts"
    (drafts / "sub").mkdir(parents=True)
    (drafts / "a.txt").write_text(WARNING_ONLY)
    (drafts / "sub" / "b.md").write_text(WARNING_ONLY)
    os.symlink("..", drafts / "sub" / "loop")              # drafts/sub/loop -> drafts: a cycle
    os.symlink(drafts, drafts / "sub" / "abs-loop")        # and an absolute one
    os.symlink("a.txt", drafts / "alias.txt")              # a second name for a.txt
    os.symlink("missing.txt", drafts / "broken.txt")       # dangling: not a file, skipped
    if hasattr(os, "mkfifo"):
        os.mkfifo(drafts / "pipe.txt")                     # reading it would block: not a regular file, skipped
    for args in (["drafts"], ["drafts/**/*.txt", "drafts/**/*.md"], ["drafts", "./drafts/a.txt"]):
        code, out, err = cli("check", *args, "--format", "json", "--no-cache")
        assert (code, err) == (0, ""), (args, err)
        assert sorted(f["path"] for f in json.loads(out)["files"]) == ["drafts/a.txt", "drafts/sub/b.md"], args


def test_unreadable_file_is_one_line(cli, tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text(WARNING_ONLY)
    if os.geteuid() != 0:
        secret.chmod(0)
    else:
        # root reads any file whatever its mode, so the permission error is simulated where the draft is opened
        real_open = os.open

        def guarded(file, *args, **kwargs):
            if isinstance(file, (str, Path)) and Path(file).resolve() == secret.resolve():
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(os, "open", guarded)
    try:
        code, out, err = cli("check", "secret.txt", "--no-cache")
    finally:
        secret.chmod(0o644)
    assert_one_line_error(code, err, "secret.txt", "cannot read", os.strerror(errno.EACCES))
    assert out == ""


def test_directories_where_files_are_expected(cli, tmp_path):
    (tmp_path / "d.txt").write_text(WARNING_ONLY)
    (tmp_path / "profile.yaml").mkdir()
    code, out, err = cli("check", "d.txt", "--profile", "profile.yaml", "--no-cache")
    assert_one_line_error(code, err, "profile.yaml", "cannot read profile")
    with pytest.raises(UserError, match="is a directory"):
        draft_mod.read_file(tmp_path / "profile.yaml")


# --- front matter ----------------------------------------------------------------------------------------------

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n" \
       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"


@pytest.mark.parametrize("front,fragment", [
    ("just a sentence", "mapping"),
    ("stage: 5", "stage (a number) is not one of"),
    ("connected_on: 2026-13-45", "not valid YAML (month must be in 1..12)"),
    ("sequence_step: " + "9" * 5000, "not valid YAML"),
    ("stage: " + "[" * 3000 + "]" * 3000, "not valid YAML (nested too deeply)"),
    # a YAML bomb: 9^8 strings if written out; the message names the type and never prints the value
    ("stage: [&a [x, x, x, x, x, x, x, x, x], " + ", ".join(
        f"&{b} [{', '.join(['*' + a] * 9)}]" for a, b in zip("abcdefg", "bcdefgh")) + "]", "stage (a list)"),
])
def test_hostile_front_matter_is_one_line(front, fragment):
    assert_short_refusal(front, "drafts/x.md: front matter", fragment)  # (a line number may follow the path)


def assert_short_refusal(front_matter: str, prefix: str, fragment: str) -> None:
    """Linting a draft with this front matter is refused in one short line starting with prefix."""
    with pytest.raises(UserError) as info:
        lint(f"---\n{front_matter}\n---\nHi Sam\n", path="drafts/x.md")
    message = str(info.value)
    path, _, rest = prefix.partition(": ")
    assert re.match(rf"{re.escape(path)}(?::\d+)?: {re.escape(rest)}", message) and fragment in message, message
    assert "\n" not in message and len(message) < 300


@pytest.mark.parametrize("recipient,fragment", [
    ("{name: [1, 2]}", "'name' must be text"),
    # aliases that expand to 9^6 values, and a profile that contains itself
    ("\n  " + BOMB.replace("\n", "\n  ") + "recent_posts: [*f]", "more than"),
    ("&r {name: Sam, recent_posts: [*r]}", "more than"),
])
def test_hostile_inline_recipient_is_one_line(recipient, fragment):
    assert_short_refusal(f"recipient: {recipient}", "drafts/x.md: recipient", fragment)


# --- profiles --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,content,fragment", [
    ("p.yaml", "name: [1, 2]\n", "'name' must be text"),
    ("p.yaml", "name: Sam\nconnected_on: 2026-13-45\n", "not valid YAML"),
    ("p.yaml", BOMB + "recent_posts: [*f]\n", "more than"),
    ("p.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("p.json", '{"name": "Sam", "recent_posts": [' + "9" * 5000 + "]}", "not valid JSON"),
    ("p.toml", "name = " + "[" * 5000 + "]" * 5000, "not valid TOML"),
])
def test_hostile_profiles_are_one_line(cli, tmp_path, name, content, fragment):
    (tmp_path / "d.txt").write_text(WARNING_ONLY)
    (tmp_path / name).write_text(content)
    code, out, err = cli("check", "d.txt", "--profile", name, "--no-cache")
    assert_one_line_error(code, err, name, fragment)
    assert len(err) < 400


def test_a_profile_over_its_size_limit_is_refused(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes(b"about: " + b"x" * profile_mod.MAX_PROFILE_BYTES + b"\n")
    with pytest.raises(UserError, match=f"over the {profile_mod.MAX_PROFILE_BYTES}-byte limit for a profile"):
        profile_mod.load(path)


def test_unknown_profile_fields_are_kept_whatever_their_type():
    # `posts` is not a profile field (that is `recent_posts`): kept for templates, not validated, never a fact
    profile = profile_mod.from_mapping({"name": "Sam", "posts": "x", "extra": {"deep": [1, 2]}}, "p")
    assert profile.data["posts"] == "x" and profile.facts() == []


def test_odd_values_inside_profile_lists_are_skipped_not_printed():
    profile = Profile({"recent_posts": [None, [1, 2], {"text": {"a": 1}}, {"topic": "churn"}, 7],
                       "shared_groups": [{"members": 5}, "CS Leaders"], "interests": [None, "", "sailing"],
                       "education": [{"school": "Aston", "degree": None}], "about": "x" * 10_000})
    facts = [(f.field, f.text) for f in profile.facts()]
    assert facts == [("recent_posts", "churn"), ("recent_posts", "7"), ("shared_groups", "CS Leaders"),
                     ("education", "Aston"), ("about", "x" * profile_mod.MAX_FACT_CHARS), ("interests", "sailing")]


def test_a_profile_with_10_000_posts_uses_the_most_recent(cli, tmp_path):
    # Every fact is parsed by spaCy: 10,000 posts took a minute before the cap. Profiles list posts newest first,
    # so only the first MAX_POSTS count: a draft about post 3 uses the profile, one about post 5,000 does not.
    def profile_with(topic_at: int) -> dict:
        posts = [{"text": "Quarterly planning notes from the operations team.", "date": "2026-01-01"}
                 for _ in range(10_000)]
        posts[topic_at] = {"text": "We moved our cold chain refrigeration audits to weekly.", "date": "2026-02-01"}
        return {"name": "Joanne Whitaker", "recent_posts": posts}

    facts = profile_mod.from_mapping(profile_with(3), "p").facts()
    assert len(facts) == profile_mod.MAX_POSTS
    draft = "Hi Joanne, your post on weekly cold chain refrigeration audits was sharp. How did drivers take it?"
    assert lint(draft, profile=profile_with(3)).metrics["profile_facts_used"] == ["recent_posts"]
    assert lint(draft, profile=profile_with(5_000)).metrics["profile_facts_used"] == []
    # the same through the command line, from a JSON file
    (tmp_path / "p.json").write_text(json.dumps(profile_with(3)))
    (tmp_path / "d.txt").write_text(draft)
    code, out, err = cli("check", "d.txt", "--profile", "p.json", "--format", "json", "--no-cache")
    assert (code, err) == (0, "")
    assert json.loads(out)["files"][0]["metrics"]["profile_facts_used"] == ["recent_posts"]


def test_fact_text_is_bounded_in_total():
    profile = Profile({"interests": [f"{i:03d} " + "y" * 1_996 for i in range(100)]})   # 2,000 characters each
    facts = profile.facts()
    assert sum(len(f.text) for f in facts) <= profile_mod.MAX_FACTS_CHARS
    assert [f.text[:3] for f in facts] == [f"{i:03d}" for i in range(profile_mod.MAX_FACTS_CHARS // 2_000)]
