"""Integration test: the hook in .pre-commit-hooks.yaml, run by the real pre-commit tool.

A sales team's repository (tests/fixtures/sales-repo: a pyproject.toml with [tool.outreach-lint], good drafts in
sequences/ and drafts/, a hard-sell draft in bad/, a README.md and requirements.txt that are not messages) is copied to a temporary git repository, and
`pre-commit try-repo HOOK_REPO outreach-lint --files ...` is run in it: once on the good drafts (passes), once on
the bad one (fails with PZ001 naming the file).

How try-repo gets this project (pre-commit 4.x, commands/try_repo.py): it clones HOOK_REPO at HEAD, plus the
staged and unstaged changes to *tracked* files; untracked files are left out, so a manifest or a new module
that is not yet `git add`ed would be missing. HOOK_REPO is therefore a snapshot of this working tree (tracked
and untracked files, .gitignore respected) committed to a temporary git repository: the hook is tested as the
tree stands, whatever its git state. In a fresh clone (CI) that is exactly HEAD.

try-repo always uses a new temporary store (not PRE_COMMIT_HOME), so each run creates a virtualenv and
pip-installs this project with spaCy and the model: a minute or two each with pip's cache warm. Marked
`integration`; skipped, with the reason, when pre-commit or git is not installed.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "sales-repo"
GOOD = ["sequences/01-after-connecting.txt", "sequences/02-after-connecting-ops.md", "drafts/dana-okoro.md",
        "templates/after-post.j2",
        # not messages: the default `exclude` skips them although pre-commit names them (README.md has an
        # unfilled placeholder and a meeting ask, so linting it would fail the commit)
        "README.md", "requirements.txt"]
BAD = "bad/hard-sell.txt"
HOOK_ID = "outreach-lint"
TIMEOUT = 900  # seconds, for every subprocess (try-repo installs spaCy into a fresh virtualenv)

# Git variables that would point our git calls at another repository (set when the suite itself runs
# inside a git hook) are dropped; these harmless ones are kept, as pre-commit itself does.
_GIT_KEEP = {"GIT_EXEC_PATH", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSL_CAINFO", "GIT_SSL_NO_VERIFY",
             "GIT_ASKPASS", "GIT_ALLOW_PROTOCOL", "GIT_HTTP_PROXY_AUTHMETHOD"}


def _pre_commit_command() -> list[str] | None:
    """`python -m pre_commit` from this interpreter when installed here, else `pre-commit` on PATH."""
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    exe = shutil.which("pre-commit")
    return [exe] if exe else None


PRE_COMMIT = _pre_commit_command()
if PRE_COMMIT is None:
    pytest.skip("pre-commit is not installed (pip install pre-commit, or the project's test extras)",
                allow_module_level=True)
if shutil.which("git") is None:
    pytest.skip("git is not installed (pre-commit needs it)", allow_module_level=True)


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    """The environment for git and pre-commit: no repository-redirecting GIT_* variables, no SKIP."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _GIT_KEEP}
    env.pop("SKIP", None)  # pre-commit's SKIP=outreach-lint would skip the very hook under test
    # try-repo keeps its environments in a temporary store of its own; this keeps pre-commit's other
    # files (its store database) out of the user's ~/.cache as well.
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env["PRE_COMMIT_COLOR"] = "never"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run cmd with stdout and stderr merged; a hang past TIMEOUT fails the test with what it printed."""
    try:
        return subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, text=True, encoding="utf-8", errors="replace",
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode("utf-8", "replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        pytest.fail(f"timed out after {TIMEOUT} s: {' '.join(cmd)}\n{out}")


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    proc = _run(["git", *args], cwd, env)
    assert proc.returncode == 0, f"git {' '.join(args)} failed in {cwd}:\n{proc.stdout}"
    return proc.stdout


def _commit_all(repo: Path, env: dict[str, str], message: str) -> None:
    _git(repo, env, "add", "-A")
    _git(repo, env, "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null",
         "commit", "--quiet", "--no-verify", "-m", message)


def _init(repo: Path, env: dict[str, str]) -> None:
    _git(repo, env, "init", "--quiet")
    _git(repo, env, "config", "user.name", "Outreach Lint Tests")
    _git(repo, env, "config", "user.email", "tests@outreach-lint.invalid")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory, env) -> Path:
    """This project's working tree (tracked + untracked, .gitignore respected), committed to a new git repo."""
    listing = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], REPO, env)
    if listing.returncode != 0:
        pytest.skip(f"{REPO} is not a git checkout, so there is no file list to snapshot: {listing.stdout}")
    names = [n for n in listing.stdout.split("\0") if n]
    assert ".pre-commit-hooks.yaml" in names, "the hook manifest .pre-commit-hooks.yaml is missing"
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for name in names:
        source = REPO / name
        if not source.is_file() and not source.is_symlink():
            continue  # deleted in the working tree (still in the index), or a submodule folder
        target = snapshot / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    _init(snapshot, env)
    _commit_all(snapshot, env, "snapshot of the outreach-lint working tree")
    return snapshot


@pytest.fixture(scope="module")
def sales_repo(tmp_path_factory, env) -> Path:
    """The sample sales-team repository, as a git repository with every file staged."""
    repo = tmp_path_factory.mktemp("sales") / "sales-repo"
    shutil.copytree(FIXTURE, repo)
    _init(repo, env)
    _git(repo, env, "add", "-A")
    return repo


def _try_repo(hook_repo: Path, sales_repo: Path, env: dict[str, str], *files: str
              ) -> subprocess.CompletedProcess[str]:
    for name in files:
        assert (sales_repo / name).is_file(), name
    return _run([*PRE_COMMIT, "try-repo", str(hook_repo), HOOK_ID, "--verbose", "--color", "never",
                 "--files", *files], sales_repo, env)


def _hook_line(output: str) -> str:
    """pre-commit's status line for the hook, e.g. 'outreach-lint.......Passed'."""
    match = re.search(rf"^{re.escape(HOOK_ID)}\.+(\S.*)$", output, re.MULTILINE)
    assert match, f"no status line for {HOOK_ID}:\n{output}"
    return match.group(1).strip()


def test_pre_commit_passes_good_drafts(hook_repo, sales_repo, env):
    proc = _try_repo(hook_repo, sales_repo, env, *GOOD)
    out = proc.stdout
    assert proc.returncode == 0, out
    assert "Passed" in out, out
    assert _hook_line(out) == "Passed", out
    assert "Traceback" not in out, out
    assert "README.md" not in out.split(HOOK_ID, 1)[-1], out  # never linted, so never reported


def test_pre_commit_fails_hard_sell_draft(hook_repo, sales_repo, env):
    proc = _try_repo(hook_repo, sales_repo, env, BAD)
    out = proc.stdout
    assert proc.returncode != 0, out
    assert "Failed" in out, out
    assert _hook_line(out) == "Failed", out
    assert "- exit code: 1" in out, out  # findings (1), not a usage or run error (2)
    assert "Traceback" not in out, out
    assert "PZ001" in out, out
    assert BAD in out, out  # reported as bad/hard-sell.txt:LINE:COL, relative to the sales repo's root
    assert re.search(rf"^{re.escape(BAD)}:\d+:\d+ PZ001 \[error\]", out, re.MULTILINE), out
