"""Per-rule fixtures: every draft rule has `tests/rules/<CODE>.yaml`, drafts it must flag and hard negatives it
must leave alone, discovered here without touching this file.

A fixture file names its rule and lists cases:

    rule: HS002
    cases:
      - stage: post-connection
        text: "Hi Marco, thanks for connecting. Are you free for a quick 15-minute call on Thursday?"
        flags: ["Are you free for a quick 15-minute call on Thursday?"]
      - stage: cold
        text: "..."
        flags: []        # must not fire at warning or error
        why: "an advice request from a student: a hint at most"

`flags` is the exact list of excerpts the rule reports at warning or error, in the order they appear (for a
rule whose default severity is `info`, such as SC001, at any severity). Optional keys: `severity` (the severity
every flagged excerpt must have), `profile` (a recipient mapping), `sequence_step`, `replied`, `config` (Config
fields, as in `[tool.outreach-lint]`), `why`, and `xfail: "<why the rule gets this wrong>"` for a case the rule
gets wrong today: it runs as a strict xfail, so it fails once the rule is fixed and the mark must go.

Test ids are `CODE-n`, n counting cases from 1. Every case of every file is linted in one `lint_many` call.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from linter import Source, catalogue, lint_many
from linter.config import from_mapping
from linter.draft import STAGES
from linter.errors import UserError
from linter.profile import from_mapping as profile_from_mapping

FIXTURES = Path(__file__).resolve().parent / "rules"
LOUD = ("warning", "error")
KEYS = {"stage", "text", "flags", "severity", "profile", "sequence_step", "replied", "config", "why", "xfail"}
REQUIRED = {"stage", "text", "flags"}
PLACEHOLDER = "FILL IN"  # what tools/new_rule.py writes into a new rule's cases; never a real case
MIN_FLAGGED = MIN_CLEAN = 3
DRAFT_RULES = {code: meta for code, meta in catalogue.rules().items() if not meta.thread}


def load(path: Path) -> dict[str, Any]:
    """A fixture file as YAML (a file that does not parse is reported by the well-formedness test)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return {"error": f"not valid YAML: {exc}"}
    return data if isinstance(data, dict) else {"error": "not a mapping with `rule` and `cases`"}


def problems(path: Path, data: dict[str, Any]) -> list[str]:
    """What is wrong with a fixture file: its shape, its keys, unfilled placeholders, excerpts not in the text."""
    if "error" in data:
        return [data["error"]]
    out = []
    code = data.get("rule")
    if code != path.stem:
        out.append(f"`rule: {code}` does not match the file name {path.name}")
    if code not in DRAFT_RULES:
        out.append(f"{code} is not a draft rule in the registry")
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases:
        return out + ["`cases` must be a non-empty list"]
    for n, case in enumerate(cases, 1):
        where = f"case {n}"
        if not isinstance(case, dict):
            out.append(f"{where} is not a mapping")
            continue
        if REQUIRED - set(case) or set(case) - KEYS:
            out.append(f"{where}: needs {sorted(REQUIRED)}, may have {sorted(KEYS - REQUIRED)}; has {sorted(case)}")
            continue
        text, flags = case["text"], case["flags"]
        if case["stage"] not in STAGES:
            out.append(f"{where}: unknown stage {case['stage']!r}")
        if not isinstance(text, str) or not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
            out.append(f"{where}: `text` must be a string and `flags` a list of strings")
            continue
        if PLACEHOLDER in text or any(PLACEHOLDER in f for f in flags):
            out.append(f"{where} is still a placeholder: write a real draft and its excerpts")
        out += [f"{where}: flagged excerpt {f!r} is not in the text" for f in flags if f not in text]
        if "severity" in case and (case["severity"] not in ("error", "warning", "info") or not flags):
            out.append(f"{where}: `severity` must be error, warning or info, and only on a case with flags")
        if "xfail" in case and not (isinstance(case["xfail"], str) and len(case["xfail"]) > 10):
            out.append(f"{where}: `xfail` must say why the rule gets this case wrong")
        for key, build in (("config", from_mapping), ("profile", profile_from_mapping)):
            if key in case:
                try:
                    build(case[key], f"{where}: {key}")
                except UserError as exc:
                    out.append(str(exc))
    return out


FILES = {path.stem: load(path) for path in sorted(FIXTURES.glob("*.yaml"))}
CASES = [(code, n, case) for code, data in FILES.items() if not problems(FIXTURES / f"{code}.yaml", data)
         for n, case in enumerate(data["cases"], 1)]


def source(case: dict[str, Any]) -> Source:
    profile = profile_from_mapping(case["profile"], "profile") if "profile" in case else None
    config = from_mapping(case["config"], "config") if "config" in case else None
    return Source(text=case["text"], stage=case["stage"], profile=profile, sequence_step=case.get("sequence_step"),
                  replied=case.get("replied"), config=config)


@pytest.fixture(scope="module")
def reports():
    """Every case linted, by (code, n), in one batch."""
    results = lint_many([source(case) for _, _, case in CASES], on_error="report")
    return {(code, n): report for (code, n, _), report in zip(CASES, results)}


def _param(code: str, n: int, case: dict[str, Any]):
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
    return pytest.param(code, n, case, id=f"{code}-{n}", marks=marks)


@pytest.mark.parametrize("code, n, case", [_param(*c) for c in CASES])
def test_rule_flags_exactly_the_fixture_excerpts(reports, code, n, case):
    report = reports[(code, n)]
    assert report.error is None, report.error
    quiet = DRAFT_RULES[code].severity == "info"  # a hint-only rule: every finding counts
    found = [f for f in report.findings if f.code == code and (quiet or f.severity in LOUD)]
    context = [(f.code, f.severity, f.excerpt) for f in report.findings]
    assert [f.excerpt for f in found] == case["flags"], (case.get("why", ""), context)
    if "severity" in case:
        assert [f.severity for f in found] == [case["severity"]] * len(found), context


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.name)
def test_fixture_file_is_well_formed(path):
    assert problems(path, FILES[path.stem]) == []


def test_every_draft_rule_has_flagged_and_clean_fixtures():
    """A rule cannot ship without at least three drafts it flags and three hard negatives."""
    missing = []
    for code in DRAFT_RULES:
        data = FILES.get(code)
        cases = [c for c in (data or {}).get("cases") or [] if isinstance(c, dict) and isinstance(c.get("text"), str)
                 and PLACEHOLDER not in c["text"]]
        flagged = sum(bool(c.get("flags")) for c in cases)
        clean = sum(c.get("flags") == [] for c in cases)
        if data is None or flagged < MIN_FLAGGED or clean < MIN_CLEAN:
            missing.append(f"{code}: {flagged} flagged and {clean} clean cases in tests/rules/{code}.yaml "
                           f"(needs {MIN_FLAGGED} and {MIN_CLEAN})")
    assert missing == []
