"""Scaffold a new draft rule: its module, its registration and its fixture file.

    python tools/new_rule.py HS008 discount-pitch [--severity warning] [--stage cold] [--dry-run] [--root DIR]

Writes linter/rules/<family>/<code>_<name>.py (the @rule decorator, the four-section docstring and a check
skeleton), imports it in the family's __init__.py, and writes tests/rules/<CODE>.yaml with placeholder cases
that tests/test_rule_fixtures.py rejects until they are real drafts. Refuses a code or a name that a draft rule
or an audit thread rule already has. It reads the source tree and never imports the package, so it works on
any checkout (--root).
"""
from __future__ import annotations

import argparse
import ast
import keyword
import os
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE_RE = re.compile(r"[A-Z]{2}\d{3}")
NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
SEVERITIES = ("error", "warning", "info")
PLACEHOLDER = "FILL IN"  # tests/test_rule_fixtures.py rejects any case that still holds it

MODULE = '''from __future__ import annotations

from typing import Iterator

from .. import Context, Hit, rule, short


@rule("{code}", "{name}", severity="{severity}", example_stage="{stage}")
def {function}(ctx: Context) -> Iterator[Hit]:
    """Flags {fill}: what this rule looks for, in a sentence or two.

    Why is this bad?
        {fill}: why the recipient minds it.

    Example:
        {fill}: a draft this rule flags (it runs as a test, at the {stage} stage).

    Use instead:
        {fill}: the same draft, fixed (it must have no warning or error).
    """
    for sentence in ctx.doc._.sentences:
        words = None  # {fill}: the Span of `sentence` that shows the problem, read from ctx.doc._ features
        if words is not None:
            yield ctx.hit("{code}", words, f"{fill}: what is wrong with '{{short(words.text)}}'.",
                          "{fill}: how to fix it.")
'''

FIXTURE = '''rule: {code}
# Cases for tests/test_rule_fixtures.py (its docstring has the format). Replace every {fill}: drafts {code}
# must flag, with the exact excerpts it reports at warning or error, and hard negatives, drafts close to those
# that it must leave alone. Write new drafts in many voices; keep a case {code} gets wrong with `xfail: "why"`.
cases:
{flagged}
{clean}
'''

FLAGGED_CASE = '''  - stage: {stage}
    text: "{fill}: a draft {code} must flag ({n})"
    flags: ["{fill}: the words {code} reports"]'''

CLEAN_CASE = '''  - stage: {stage}
    text: "{fill}: a hard negative {code} must not flag ({n})"
    flags: []
    why: "{fill}: why it is fine"'''


class UsageError(Exception):
    """A mistake in the command: one line on stderr, exit 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        raise UsageError(message)


def _literal(path: Path, name: str):
    """The value of the module-level constant `name` in a Python file, without importing it."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise UsageError(f"{path}: no {name} found (is --root a checkout of outreach-lint?)")


def taken(root: Path) -> dict[str, str]:
    """Every rule code in the tree, with its name: @rule(...) calls in linter/rules/, and the audit thread rules."""
    out: dict[str, str] = {}
    for module in sorted((root / "linter" / "rules").glob("*/*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "rule" \
                    and len(node.args) >= 2 and all(isinstance(a, ast.Constant) for a in node.args[:2]):
                out[node.args[0].value] = node.args[1].value
    threads = root / "linter" / "audit" / "rules.toml"
    if threads.is_file():
        out.update({code: spec.get("name", "") for code, spec in tomllib.loads(threads.read_text("utf-8")).items()})
    return out


def next_free(prefix: str, codes: dict[str, str]) -> str:
    n = max((int(c[2:]) for c in codes if c.startswith(prefix) and int(c[2:]) < 100), default=0) + 1
    return f"{prefix}{n:03d}"


def plan(root: Path, code: str, name: str, severity: str, stage: str) -> list[tuple[Path, str, str]]:
    """(path, new content, what happens) for each file, after every check: nothing is written if one fails."""
    rules_init = root / "linter" / "rules" / "__init__.py"
    if not rules_init.is_file():
        raise UsageError(f"{rules_init} does not exist (is --root a checkout of outreach-lint?)")
    families: dict[str, str] = _literal(rules_init, "FAMILY_PREFIX")
    stages: tuple[str, ...] = _literal(root / "linter" / "draft.py", "STAGES")
    if not CODE_RE.fullmatch(code) or code[:2] not in families:
        raise UsageError(f"'{code}' is not a rule code: two capitals from {', '.join(families)} and three digits, "
                         "e.g. HS008")
    if not NAME_RE.fullmatch(name):
        raise UsageError(f"'{name}' is not a rule name: lowercase words joined by hyphens, e.g. discount-pitch")
    if stage not in stages:
        raise UsageError(f"--stage must be one of {', '.join(stages)}")
    codes = taken(root)
    if code in codes:
        raise UsageError(f"{code} exists ({codes[code]}); the next free {code[:2]} code is "
                         f"{next_free(code[:2], codes)}")
    if name in codes.values():
        owner = next(c for c, n in codes.items() if n == name)
        raise UsageError(f"the name '{name}' exists ({owner}); choose another")
    package = root / "linter" / "rules" / families[code[:2]].replace("-", "_")
    module = package / f"{code.lower()}_{name.replace('-', '_')}.py"
    fixture = root / "tests" / "rules" / f"{code}.yaml"
    for path in (module, fixture):
        if path.exists() or path.is_symlink():
            raise UsageError(f"{path} exists")
    function = name.replace("-", "_") + ("_rule" if keyword.iskeyword(name.replace("-", "_")) else "")
    init = package / "__init__.py"
    registered = init.read_text(encoding="utf-8")
    registered += ("" if registered.endswith("\n") else "\n") + f"from . import {module.stem}  # noqa: F401\n"
    fields = {"code": code, "name": name, "severity": severity, "stage": stage, "fill": PLACEHOLDER}
    cases = {kind: "\n".join(template.format(n=n, **fields) for n in (1, 2, 3))
             for kind, template in (("flagged", FLAGGED_CASE), ("clean", CLEAN_CASE))}
    return [(module, MODULE.format(function=function, **fields), "write"),
            (fixture, FIXTURE.format(**cases, **fields), "write"),
            (init, registered, "register")]


def write(path: Path, text: str, new: bool) -> None:
    """A new file is created exclusively (never over another); an existing one is replaced atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if new:
        with open(path, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="new_rule.py", description=__doc__.splitlines()[0])
    parser.add_argument("code", help="the rule code, e.g. HS008")
    parser.add_argument("name", help="the kebab-case rule name, e.g. discount-pitch")
    parser.add_argument("--severity", choices=SEVERITIES, default="warning", help="default severity (warning)")
    parser.add_argument("--stage", default="cold", help="the stage its documented examples run at (cold)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to write into (this one)")
    parser.add_argument("--dry-run", action="store_true", help="print what would be written, write nothing")
    try:
        args = parser.parse_args(argv)
        steps = plan(args.root.resolve(), args.code, args.name, args.severity, args.stage)
        for path, text, what in steps:
            rel = path.relative_to(args.root.resolve()).as_posix()
            if not args.dry_run:
                write(path, text, what == "write")
            done = {"write": "wrote", "register": "registered it in"}[what]
            print(f"would {what}{' it in' if what == 'register' else ''} {rel}" if args.dry_run else f"{done} {rel}")
    except (UsageError, OSError, SyntaxError, ValueError, tomllib.TOMLDecodeError) as exc:
        print(f"new_rule.py: error: {exc}", file=sys.stderr)
        return 2
    if not args.dry_run:
        print(f"next: replace every {PLACEHOLDER} in both files, then follow 'Adding a rule' in README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
