"""Shared fixtures for the outreach-lint tests.

Two ways to drive the command line:

* ``run`` starts a real ``python -m linter`` process (the way a user runs it). Each call that lints a
  draft loads spaCy (~3 s), so the suite keeps these to a couple of dozen.
* ``cli`` calls the real console-script entry point (``linter.cli.main``) in this process with the given
  arguments and captures what it writes to stdout/stderr and the exit status. Used for the matrix of
  user errors, which must all end as one stderr line and exit 2.
"""
from __future__ import annotations

import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from linter import catalogue

CLASSIC = ("Hi Joanne, thanks for connecting! We help companies like yours 3x their leads. "
           "Free for 15 min on Thursday? Here's my calendar: https://calendly.com/x")
WARM = ("Hi Priya, your post arguing that seed-stage startups should hire a support engineer before a "
        "second AE was convincing. Did the first hire change your churn numbers?")
# Personal enough to pass, but with an uninvited meeting ask: warnings only, no errors.
WARNING_ONLY = "Hi Sam, loved your post on churn. Free for 15 min on Thursday?"

FINDING_KEYS = {"code", "name", "category", "severity", "message", "line", "column", "end_line",
                "end_column", "start", "end", "excerpt", "suggestion"}
METRIC_KEYS = {"words", "characters", "sentences", "reading_grade", "reading_ease", "questions",
               "sender_clauses", "recipient_clauses", "sender_sentences", "recipient_sentences", "opt_outs",
               "profile_facts_used"}
CATEGORIES = {"hard-sell", "personalisation", "self-centred", "form"}
ALL_CODES = list(catalogue.rules())  # every registered rule, in catalogue order

REPO = Path(__file__).resolve().parent.parent


def run_linter(*args: str, input: str | bytes | None = None, cwd: Path | str | None = None
               ) -> tuple[int, str, str]:
    """Run `python -m linter ARGS` and return (returncode, stdout, stderr) decoded as UTF-8."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("NO_COLOR", None)
    data = input.encode("utf-8") if isinstance(input, str) else (input if input is not None else b"")
    proc = subprocess.run([sys.executable, "-m", "linter", *map(str, args)], input=data,
                          capture_output=True, cwd=cwd or REPO, env=env, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


@pytest.fixture
def run():
    """run(*args, input=None, cwd=None) -> (returncode, stdout, stderr) of a real subprocess."""
    return run_linter


@pytest.fixture
def cli(monkeypatch, capfd, tmp_path):
    """cli(*args) -> (exit code, stdout, stderr) of `outreach-lint ARGS` run in-process from tmp_path."""
    from linter.cli import main

    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> tuple[int, str, str]:
        capfd.readouterr()
        monkeypatch.setattr(sys, "argv", ["outreach-lint", *map(str, args)])
        trace = ""
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception:  # what a user would see: Python prints the traceback and exits 1
            code, trace = 1, traceback.format_exc()
        else:
            code = 0
        out, err = capfd.readouterr()
        return code, out, err + trace

    return invoke


def _write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    # Bytes exactly as given: no newline translation, so CRLF and BOM tests see what they wrote.
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.fixture
def write_draft(tmp_path):
    """write_draft(relative_name, text_or_bytes) -> Path under tmp_path (parents created)."""
    return lambda name, content: _write(tmp_path, name, content)


@pytest.fixture(scope="module")
def module_dir(tmp_path_factory):
    """A scratch directory shared by the tests of one module (for once-per-module CLI runs)."""
    return tmp_path_factory.mktemp("shared")


def assert_one_line_error(code: int, stderr: str, *fragments: str) -> None:
    """Exit 2, exactly one stderr line starting 'outreach-lint: error:', no traceback, naming the fragments."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("outreach-lint: error: "), stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, stderr)
    assert code == 2, (code, stderr)


def assert_spans_match(text: str, findings: list) -> None:
    """Every finding's excerpt is text[start:end], and line/column agree with the offsets ('\\n' lines)."""
    for f in findings:
        get = f.get if isinstance(f, dict) else (lambda k, f=f: getattr(f, k))
        start, end = get("start"), get("end")
        assert 0 <= start <= end <= len(text), f
        assert text[start:end] == get("excerpt"), f
        for offset, line_key, col_key in ((start, "line", "column"), (end, "end_line", "end_column")):
            assert get(line_key) == text.count("\n", 0, offset) + 1, f
            assert get(col_key) == offset - (text.rfind("\n", 0, offset) + 1) + 1, f


@pytest.fixture(autouse=True)
def user_cache(monkeypatch, tmp_path_factory) -> Path:
    """Each test gets its own per-user cache folder (XDG_CACHE_HOME, inherited by subprocesses), never ~/.cache."""
    home = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "outreach-lint"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Every test runs with outbound sockets blocked in this process: the linter never calls out.

    (Subprocesses, such as pre-commit installing the hook, are not affected.)"""
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network access attempted during a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
