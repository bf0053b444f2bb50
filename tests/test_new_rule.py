"""tools/new_rule.py: the scaffold for a new rule, run on a copy of the package (the checkout is never touched)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_rule_fixtures import load, problems

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO / "tools" / "new_rule.py"


def new_rule(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """A copy of the package with HS008 discount-pitch scaffolded into it."""
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(REPO / "linter", root / "linter", ignore=shutil.ignore_patterns("__pycache__"))
    proc = new_rule("HS008", "discount-pitch", "--stage", "post-connection", "--root", str(root))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[:3] == ["wrote linter/rules/hard_sell/hs008_discount_pitch.py",
                                            "wrote tests/rules/HS008.yaml",
                                            "registered it in linter/rules/hard_sell/__init__.py"]
    return root


def test_the_generated_rule_imports_registers_and_runs(copy):
    script = ("import json; from linter import catalogue, lint\n"
              "meta = catalogue.rules()['HS008']\n"
              "report = lint('Hi Ana, your post on night buses was great. Which route changed first?', stage='cold')\n"
              "print(json.dumps({'name': meta.name, 'category': meta.category, 'severity': meta.severity,\n"
              "                  'stage': meta.example_stage, 'module': meta.check.__module__,\n"
              "                  'file': meta.check.__code__.co_filename,\n"
              "                  'documented': meta.what.startswith('Flags') and bool(meta.example and meta.instead),\n"
              "                  'fired': [f.code for f in report.findings if f.code == 'HS008']}))")
    proc = subprocess.run([sys.executable, "-c", script], cwd=copy, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(copy)})
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout.splitlines()[-1])
    assert Path(found.pop("file")).resolve() == (copy / "linter/rules/hard_sell/hs008_discount_pitch.py").resolve()
    assert found == {
        "name": "discount-pitch", "category": "hard-sell", "severity": "warning", "stage": "post-connection",
        "module": "linter.rules.hard_sell.hs008_discount_pitch", "documented": True, "fired": []}


def test_the_placeholder_fixture_is_rejected_until_filled_in(copy):
    path = copy / "tests" / "rules" / "HS008.yaml"
    found = problems(path, load(path))
    assert sum("still a placeholder" in p for p in found) == 6, found
    assert load(path)["rule"] == "HS008" and len(load(path)["cases"]) == 6


@pytest.mark.parametrize("args, fragment", [
    (["HS008", "another-name"], "HS008 exists (discount-pitch)"),
    (["HS002", "fresh-name"], "HS002 exists (uninvited-meeting-ask); the next free HS code is HS009"),
    (["HS009", "discount-pitch"], "the name 'discount-pitch' exists (HS008)"),
    (["PZ101", "fresh-name"], "PZ101 exists (copy-paste-opener)"),
    (["XX001", "fresh-name"], "'XX001' is not a rule code"),
    (["HS009", "Fresh_Name"], "'Fresh_Name' is not a rule name"),
    (["HS009", "fresh-name", "--stage", "thread"], "--stage must be one of"),
])
def test_a_taken_or_malformed_code_or_name_is_refused_with_one_line(copy, args, fragment):
    before = sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if "__pycache__" not in p.parts)
    proc = new_rule(*args, "--root", str(copy))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("new_rule.py: error: "), proc.stderr
    assert fragment in proc.stderr, proc.stderr
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if "__pycache__" not in p.parts) == before


def test_dry_run_names_the_files_and_writes_nothing(tmp_path):
    shutil.copytree(REPO / "linter", tmp_path / "linter", ignore=shutil.ignore_patterns("__pycache__"))
    init = (tmp_path / "linter" / "rules" / "self_centred" / "__init__.py").read_text(encoding="utf-8")
    proc = new_rule("SC006", "own-horn", "--dry-run", "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["would write linter/rules/self_centred/sc006_own_horn.py",
                                        "would write tests/rules/SC006.yaml",
                                        "would register it in linter/rules/self_centred/__init__.py"]
    assert not (tmp_path / "tests").exists()
    assert (tmp_path / "linter" / "rules" / "self_centred" / "__init__.py").read_text(encoding="utf-8") == init
