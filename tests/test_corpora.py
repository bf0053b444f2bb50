"""The labelled corpora and the bundled examples: the quality bar and the quick-start promise."""
from pathlib import Path

import pytest

from linter import Source, lint_many
from linter.draft import read_file
from linter.evaluate import FAMILIES, evaluate, load_records

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "corpora" / "examples"


@pytest.fixture(scope="module")
def corpus_result():
    return evaluate(load_records([str(ROOT / "corpora")]))


def test_corpora_are_big_enough_and_cover_every_stage():
    records = load_records([str(ROOT / "corpora")])
    assert len(records) >= 300
    assert {r["stage"] for r in records} == {"connection-request", "post-connection", "follow-up", "reply", "cold"}
    assert sum(not r["categories"] for r in records) >= 100  # good drafts that must stay quiet


# Regression guard, per family, on the 1,040 corpus drafts (the decision is fitted on them and on the dev part of
# real_dev, so these are training figures): what the fitted decision reaches now, a little below, precision
# first. A change to a rule, a feature or the vocabularies that costs more than a few points fails here.
FLOORS = {"hard-sell": 0.80, "personalisation": 0.80, "self-centred": 0.77}
MAX_FALSE_ALARMS = {"hard-sell": 0.08, "personalisation": 0.08, "self-centred": 0.08}


@pytest.mark.parametrize("family", FAMILIES)
def test_family_scores_on_corpora_hold(corpus_result, family):
    scores = corpus_result.families[family].as_dict()
    assert scores["f1"] >= FLOORS[family], scores
    assert scores["false_alarm_rate"] <= MAX_FALSE_ALARMS[family], scores


@pytest.mark.xfail(strict=True, reason="the 0.90 F1 / 0.10 false-alarm target is not reached on the relabelled, "
                                       "many-voice corpora (README 'Measured'); strict: passing means raise FLOORS")
@pytest.mark.parametrize("family", FAMILIES)
def test_family_f1_on_corpora_reaches_the_0_90_target(corpus_result, family):
    scores = corpus_result.families[family].as_dict()
    assert scores["f1"] >= 0.90 and scores["false_alarm_rate"] <= 0.10, scores


def _lint_dir(folder: Path):
    files = sorted(folder.glob("*.txt"))
    sources = [Source(text=read_file(f), path=str(f), base_dir=f.parent) for f in files]
    return {Path(r.path).name: r for r in lint_many(sources)}


def test_good_examples_have_no_warning_or_error():
    reports = _lint_dir(EXAMPLES / "good")
    assert len(reports) == 4
    for name, report in reports.items():
        assert [f.code for f in report.findings if f.severity != "info"] == [], name


@pytest.mark.parametrize("name, families", [
    ("post-connection-hard-sell.txt", {"hard-sell", "personalisation", "self-centred"}),
    ("connection-note-placeholder.txt", {"hard-sell", "personalisation", "self-centred"}),
    ("nagging-follow-up.txt", {"hard-sell", "personalisation"}),
    ("cold-inmail-credentials.txt", {"hard-sell", "self-centred", "personalisation"}),  # "check out my book" too
])
def test_bad_examples_are_flagged_in_their_families(name, families):
    report = _lint_dir(EXAMPLES / "bad")[name]
    assert {f for f in FAMILIES if report.flagged(f)} == families


def test_bad_examples_use_their_profiles():
    report = _lint_dir(EXAMPLES / "bad")["post-connection-hard-sell.txt"]
    pz003 = next(f for f in report.findings if f.code == "PZ003")
    assert "recent_posts" in pz003.message


def test_readme_catalogue_is_generated_from_the_rule_data():
    from linter.catalogue import markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown() in readme


def test_readme_config_example_loads(tmp_path):
    import re

    from linter import config

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(\[tool\.outreach-lint\].*?)```", readme, re.S).group(1)
    path = tmp_path / "pyproject.toml"
    path.write_text(block, encoding="utf-8")
    cfg = config.load(path)
    assert cfg.note_limit == 200 and cfg.fail_on == "warning" and cfg.severity == {"HS007": "info"}
    assert cfg.sender.company == "RouteIQ" and cfg.sender.products == ("RouteIQ Fleet",)
