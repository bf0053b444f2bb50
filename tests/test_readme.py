"""The README's examples are tests: every fenced block in README.md runs here, so the README cannot drift.

Blocks are found by their fence language, so a new section's examples are picked up without touching this
file (the convention is documented in the README's "Contributing" section):

* ``console`` (or ``text`` whose first line starts with ``$ ``): a transcript. Each ``$ `` line is a command
  (a trailing ``\\`` continues it); the lines after it are the expected output, stdout then stderr, compared
  line by line; a line that is only ``...`` stands for any number of lines.
* ``sh`` / ``bash`` / ``shell``: commands, one a line (``# comments`` allowed); each must exit 0.
* ``toml``: a config: written to ``.outreach-lint.toml``, then ``config --show`` must show every key it sets
  and ``check draft.txt`` must work with it.
* ``yaml``: a pre-commit config (``repos:``) or a recipient profile. A remote hook must exist in
  ``.pre-commit-hooks.yaml`` and pin a rev that exists; a ``repo: local`` config runs in real pre-commit.
* ``json``: must parse (a JSON document or JSON Lines).
* ``python``: runs with this interpreter and must exit 0.
* ``text`` (any other): a draft: its front matter and suppression directives must be valid.

An HTML comment on the line before a fence adjusts the check: ``<!-- readme-test: exit=1 -->`` (one code, or
one per command: ``exit=0,0,1``), ``slow`` (run with the integration tests), ``numbers=any`` (measured
figures: digits and the spaces around them may differ), ``json-subset`` (the transcript's output is JSON and
the README shows part of it: every key and value shown must be in it), ``cwd=repo`` (run in the repository,
read-only, for data kept beside it), ``needs=PATH`` (skipped when PATH is missing) or ``skip: <reason>``.

Commands run in a scratch folder holding a copy of ``corpora/`` and of ``tests/fixtures/readme/`` (``draft.txt``,
``jane.yaml``, ``drafts/``, ``sequences/``, ``sales/templates/``, ``sample.yaml``, a README.md and a
requirements.txt) and ``tests/linkedin_export.py``, with ``outreach-lint`` on PATH running this checkout, ``COLUMNS=100`` and ``NO_COLOR=1``.
``python tests/test_readme.py`` prints what each runnable block really outputs, to paste when a change is
intended.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
FIXTURE = REPO / "tests" / "fixtures" / "readme"
MARKER = re.compile(r"^<!--\s*readme-test:\s*(.*?)\s*-->$")
FENCE = re.compile(r"^(`{3,})\s*([\w+-]*)\s*$")
TIMEOUT = 300  # seconds per command: a hang fails the test instead of the run


@dataclass
class Block:
    """One fenced block of the README, where it is, and the options of the marker before it."""

    lang: str
    text: str
    line: int
    section: str
    options: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        if self.lang == "console" or (self.lang == "text" and self.text.startswith("$ ")):
            return "transcript"
        return {"sh": "commands", "bash": "commands", "shell": "commands", "toml": "config", "yaml": "yaml",
                "yml": "yaml", "json": "json", "python": "python"}.get(self.lang, "draft")

    @property
    def id(self) -> str:
        return f"{self.section}:{self.line}:{self.kind}"


def parse_options(text: str) -> dict[str, str]:
    """`skip: why` -> {"skip": "why"}; `slow exit=1` -> {"slow": "", "exit": "1"}."""
    if text.startswith("skip"):
        return {"skip": text[4:].lstrip(" :") or "no reason given"}
    return dict((item.split("=", 1) + [""])[:2] for item in text.split())


def readme_blocks(text: str) -> list[Block]:
    """Every fenced block, with the heading it is under and the marker (if any) on the line before it."""
    lines = text.splitlines()
    out, section, i = [], "top", 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        if line.startswith("#"):
            section = re.sub(r"[^a-z0-9]+", "-", line.lstrip("#").strip().lower()).strip("-")[:40]
        elif fence:
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == fence.group(1)), len(lines))
            previous = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
            marker = MARKER.match(previous.strip())
            out.append(Block(fence.group(2) or "text", "\n".join(lines[i + 1:end]), i + 1, section,
                             parse_options(marker.group(1)) if marker else {}))
            i = end
        i += 1
    return out


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))


# --- running commands -----------------------------------------------------------------------------------

def make_sandbox(folder: Path) -> Path:
    """The scratch folder commands run in (see the module docstring)."""
    shutil.copytree(FIXTURE, folder, dirs_exist_ok=True)
    shutil.copytree(REPO / "corpora", folder / "corpora", ignore=shutil.ignore_patterns(".outreach-lint-cache"))
    (folder / "tests").mkdir()
    shutil.copy2(REPO / "tests" / "linkedin_export.py", folder / "tests")  # the audit section's export maker
    bin_dir = folder / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "outreach-lint"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m linter "$@"\n')
    shim.chmod(0o755)
    return folder


def run_command(command: str, cwd: Path, sandbox: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=f"{sandbox / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}", COLUMNS="100",
               NO_COLOR="1", PYTHONIOENCODING="utf-8")
    try:
        return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{command!r} did not finish in {TIMEOUT} s (a server or a prompt? mark the block "
                    "'readme-test: skip: <reason>' and test it elsewhere)")


def commands_of(text: str) -> list[str]:
    """Shell commands of an `sh` block: one a line, `\\` continues, comments dropped."""
    out, pending = [], ""
    for raw in text.splitlines():
        line = _strip_comment(raw).rstrip()
        if not line.strip() and not pending:
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        out.append((pending + line).strip())
        pending = ""
    return out


def _strip_comment(line: str) -> str:
    """The line without a trailing `# comment` (a # inside quotes or a word is kept)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def transcript_of(text: str) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each `$ ` line of a transcript."""
    steps: list[tuple[str, list[str]]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ "):
            raise AssertionError(f"transcript line {i + 1} is neither a `$ ` command nor its output")
        command = lines[i][2:]
        while command.endswith("\\") and i + 1 < len(lines):
            i += 1
            command = command[:-1] + " " + lines[i].strip()
        i += 1
        expected = []
        while i < len(lines) and not lines[i].startswith("$ "):
            expected.append(lines[i])
            i += 1
        steps.append((command, expected))
    return steps


def output_matches(expected: list[str], actual: str, numbers_any: bool = False) -> bool:
    """The actual output (all of it) line by line against the expected lines; a `...` line matches any lines."""
    parts = []
    for line in expected:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
            continue
        pattern = re.escape(line.rstrip())
        if numbers_any:
            pattern = re.sub(r"(?:\\ )*-?\d+(?:\\\.\d+)?(?:\\ )*", r" *-?\\d+(?:\\.\\d+)? *", pattern)
        parts.append(pattern + r"[ \t]*\n")
    text = "\n".join(line.rstrip() for line in actual.splitlines()) + "\n" if actual else ""
    return re.fullmatch("".join(parts), text) is not None


def json_subset(expected, actual) -> bool:
    """Every key and value of `expected` is in `actual`; each item of a list is like some item of the other."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and json_subset(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        if not expected:
            return actual == []
        return isinstance(actual, list) and all(any(json_subset(e, a) for a in actual) for e in expected)
    return expected == actual


def expected_exits(block: Block, count: int) -> list[int]:
    codes = [int(c) for c in block.options.get("exit", "0").split(",")]
    if len(codes) == 1:
        codes *= count
    assert len(codes) == count, f"exit={block.options['exit']} names {len(codes)} codes for {count} commands"
    return codes


def workdir(block: Block, sandbox: Path) -> Path:
    cwd = REPO if block.options.get("cwd") == "repo" else sandbox
    if "needs" in block.options and not (cwd / block.options["needs"]).exists():
        pytest.skip(f"README.md:{block.line} needs {block.options['needs']}, which is not here")
    return cwd


def check_transcript(block: Block, sandbox: Path) -> None:
    cwd = workdir(block, sandbox)
    steps = transcript_of(block.text)
    for (command, expected), code in zip(steps, expected_exits(block, len(steps))):
        proc = run_command(command, cwd, sandbox)
        actual = proc.stdout + proc.stderr
        assert proc.returncode == code, f"$ {command}\nexit {proc.returncode}, README says {code}\n{actual}"
        if "json-subset" in block.options:
            shown = json.loads("\n".join(expected))
            assert json_subset(shown, json.loads(proc.stdout)), f"$ {command}\n{proc.stdout}"
        else:
            assert output_matches(expected, actual, block.options.get("numbers") == "any"), (
                f"$ {command}\n--- README shows:\n" + "\n".join(expected) + f"\n--- it prints:\n{actual}")


def check_commands(block: Block, sandbox: Path) -> None:
    cwd = workdir(block, sandbox)
    commands = commands_of(block.text)
    assert commands, "an sh block with no command"
    for command, code in zip(commands, expected_exits(block, len(commands))):
        proc = run_command(command, cwd, sandbox)
        assert proc.returncode == code, f"$ {command}\nexit {proc.returncode}, README says {code}\n" \
                                        f"{proc.stdout}{proc.stderr}"
        assert "Traceback" not in proc.stderr, proc.stderr


def check_config(block: Block, sandbox: Path) -> None:
    import tomllib

    data = tomllib.loads(block.text)
    (sandbox / ".outreach-lint.toml").write_text(block.text, encoding="utf-8")
    shown = run_command("outreach-lint config --show", sandbox, sandbox)
    assert shown.returncode == 0, shown.stderr
    table = data.get("tool", {}).get("outreach-lint", data)
    resolved = tomllib.loads("\n".join(line for line in shown.stdout.splitlines()))["tool"]["outreach-lint"]
    for key, value in table.items():
        assert key in resolved, f"config --show does not show '{key}'"
        if not isinstance(value, dict):
            assert resolved[key] == value, (key, resolved[key], value)
    proc = run_command("outreach-lint check draft.txt --no-cache", sandbox, sandbox)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr


def check_yaml(block: Block, sandbox: Path) -> None:
    import yaml

    data = yaml.safe_load(block.text)
    if not (isinstance(data, dict) and "repos" in data):
        from linter.profile import load

        (sandbox / "profile.yaml").write_text(block.text, encoding="utf-8")
        load(sandbox / "profile.yaml")
        return
    hooks = {h["id"] for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    tags = subprocess.run(["git", "tag"], cwd=REPO, capture_output=True, text=True).stdout.split()
    for repo in data["repos"]:
        if repo["repo"] == "local":
            run_local_hooks(block.text, repo, sandbox)
            continue
        rev = str(repo["rev"])
        assert rev in ("main", "HEAD") or rev in tags or re.fullmatch(r"[0-9a-f]{40}", rev), \
            f"rev {rev!r} is not a branch, commit or existing tag of this repository (tags: {tags})"
        for hook in repo["hooks"]:
            assert hook["id"] in hooks, f"hook {hook['id']!r} is not in .pre-commit-hooks.yaml"


def run_local_hooks(config: str, repo: dict, sandbox: Path) -> None:
    """A `repo: local` config, run by the real pre-commit on the scratch folder as a git repository: the good
    drafts pass and the README and requirements.txt are never linted."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed (pre-commit needs it)")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    (sandbox / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    env_git = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t.invalid", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@t.invalid"}
    for args in (["init", "-q"], ["add", ".pre-commit-config.yaml", "README.md", "requirements.txt",
                                  "sequences", "sales"]):
        subprocess.run(["git", *args], cwd=sandbox, check=True, env=env_git, capture_output=True)
    proc = run_command(f"PRE_COMMIT_HOME={sandbox / '.pre-commit-home'} {' '.join(pre_commit)} run --color never "
                       "--verbose", sandbox, sandbox)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert re.search(r"^outreach-lint\.+Passed", out, re.M), out
    assert "README.md" not in out and "requirements.txt" not in out, out


def check_draft(block: Block, sandbox: Path) -> None:
    from linter.draft import parse

    parse(block.text, f"README.md:{block.line}", base_dir=sandbox)


def check_json(block: Block, sandbox: Path) -> None:
    try:
        json.loads(block.text)
    except json.JSONDecodeError:
        for line in block.text.splitlines():
            json.loads(line)


def check_python(block: Block, sandbox: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", block.text], cwd=sandbox, capture_output=True, text=True,
                          timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


CHECKS = {"transcript": check_transcript, "commands": check_commands, "config": check_config, "yaml": check_yaml,
          "json": check_json, "python": check_python, "draft": check_draft}


def _param(block: Block):
    marks = [pytest.mark.integration] if "slow" in block.options or (
        block.kind == "yaml" and "repo: local" in block.text) else []
    if "skip" in block.options:
        marks.append(pytest.mark.skip(reason=f"README.md:{block.line}: {block.options['skip']}"))
    return pytest.param(block, id=block.id, marks=marks)


@pytest.mark.parametrize("block", [_param(b) for b in BLOCKS])
def test_readme_block(block: Block, tmp_path):
    CHECKS[block.kind](block, make_sandbox(tmp_path / "sandbox"))


def test_the_readme_has_runnable_examples_and_every_skip_says_why():
    kinds = {b.kind for b in BLOCKS if "skip" not in b.options}
    assert {"transcript", "commands", "config", "yaml", "draft"} <= kinds
    for block in BLOCKS:
        if "skip" in block.options:
            assert len(block.options["skip"]) > 10, f"README.md:{block.line}: say why the block is skipped"
        assert set(block.options) <= {"skip", "exit", "slow", "numbers", "json-subset", "cwd", "needs"}, \
            f"README.md:{block.line}: unknown marker option in {block.options}"


if __name__ == "__main__":  # print what each runnable block really outputs
    import tempfile

    for block in BLOCKS:
        if block.kind not in ("transcript", "commands") or "skip" in block.options:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            sandbox = make_sandbox(Path(tmp) / "sandbox")
            cwd = REPO if block.options.get("cwd") == "repo" else sandbox
            commands = [c for c, _ in transcript_of(block.text)] if block.kind == "transcript" \
                else commands_of(block.text)
            print(f"===== README.md:{block.line} ({block.section})")
            for command in commands:
                proc = run_command(command, cwd, sandbox)
                print(f"$ {command}\n{proc.stdout}{proc.stderr}".rstrip() + f"\n(exit {proc.returncode})")
