"""Rewrites: grounded in real profile facts, verified by the linter, safe with hostile profile text."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from linter import Config, Source, lint, lint_many
from linter.errors import UserError
from linter.rewrite import apply, load_templates, suggest, templates_dir

ROOT = Path(__file__).resolve().parent.parent
PITCH = ("Hi Dana, thanks for connecting! We help logistics companies like yours cut fuel costs by 20% with our "
         "route optimisation platform. Are you free for a quick 15-minute call this week?")
RICH = {
    "name": "Dana Okoro", "first_name": "Dana", "company": "Harrow Freight", "role": "Head of Operations",
    "about": "I run operations for a regional freight company with 140 trucks. I care about drivers going home "
             "on time.",
    "recent_posts": [{"topic": "night-shift routing", "date": "2026-11-01",
                      "text": "Moving our night shift to fixed routes cut overtime by a third. Drivers also "
                              "reported less fatigue."}],
    "shared_connections": ["Priya Chandran"],
    "shared_groups": ["UK Freight Operations Network"],
    "education": [{"school": "Aston University", "degree": "BSc Logistics", "year": 2012}],
    "how_we_met": "the Birmingham Logistics Expo in October",
    "company_news": "the opening of the Leeds depot",
}


def run_suggest(text, stage="post-connection", profile=RICH, config=None, n=10):
    config = config or Config()
    report = next(lint_many([Source(text=text, stage=stage, profile=profile and _profile(profile))], config,
                            keep_analysis=True))
    return report, suggest(report, config, n=n)


def _profile(data):
    from linter.profile import from_mapping

    return from_mapping(data, "test profile")


def test_offer_is_read_from_the_parse_and_carried_into_rewrites():
    _, outcome = run_suggest(PITCH)
    assert outcome.offer.benefit == "cut fuel costs"
    assert outcome.offer.product == "route optimisation platform"
    assert any("cutting fuel costs" in r.text or "cut fuel costs" in r.text for r in outcome.rewrites)


@pytest.mark.parametrize("name, stage", [
    ("recent-post", "post-connection"), ("recent-post-note", "connection-request"),
    ("mutual-connection", "cold"), ("mutual-connection-note", "connection-request"),
    ("shared-context", "post-connection"), ("shared-context-note", "connection-request"),
    ("company-news", "post-connection"), ("role-problem", "cold"), ("follow-up-new-value", "follow-up"),
])
def test_each_template_renders_from_a_real_profile_and_passes_its_own_lint(name, stage):
    _, outcome = run_suggest(PITCH, stage=stage)
    rewrite = next((r for r in outcome.rewrites if r.template == name), None)
    assert rewrite is not None, [r.template for r in outcome.rewrites]
    assert "{" not in rewrite.text and "[" not in rewrite.text
    assert rewrite.profile_fields_used
    check = lint(rewrite.text, stage=stage, profile=RICH)
    assert not [f.code for f in check.findings if f.severity in ("warning", "error")]
    if stage == "connection-request":
        assert len(rewrite.text.strip()) <= 300


def test_rewrites_name_real_profile_facts():
    _, outcome = run_suggest(PITCH)
    texts = {r.template: r.text for r in outcome.rewrites}
    assert "Priya Chandran" in texts["mutual-connection"]
    assert "Moving our night shift to fixed routes cut overtime by a third." in texts["recent-post"]
    assert "the opening of the Leeds depot" in texts["company-news"]


def test_thin_profile_says_which_facts_would_unlock_a_rewrite():
    _, outcome = run_suggest(PITCH, profile={"name": "Dana Okoro", "company": "Harrow Freight"})
    assert outcome.rewrites == []
    assert "add a recent post or a shared connection" in outcome.reason
    _, none = run_suggest(PITCH, profile=None)
    assert "no recipient profile" in none.reason


def template_folder(root: Path, **bodies: str) -> Config:
    """A user template folder with one post-connection template per keyword argument (name=body)."""
    folder = root / "tpl"
    folder.mkdir()
    manifest = "".join(f'[{name}]\nfile = "{name}.j2"\nstages = ["post-connection"]\nneeds = ["recent_posts"]\n'
                       f"max_chars = 600\n" for name in bodies)
    (folder / "templates.toml").write_text(manifest)
    for name, body in bodies.items():
        (folder / f"{name}.j2").write_text(body)
    return Config(templates=str(folder))


def test_a_candidate_that_fails_its_own_lint_is_dropped(tmp_path):
    config = template_folder(
        tmp_path,
        pushy="{{ greeting }} loved your post on {{ post.topic }}. Are you free for a quick 15-minute call on "
              "Thursday? https://calendly.com/me/15",
        fine="{{ greeting }} your post on {{ post.topic }} said \"{{ post.claim }}\" How did the drivers take it?")
    strangers = {k: v for k, v in RICH.items() if k != "how_we_met"}  # met in person makes a call ask a hint
    _, outcome = run_suggest(PITCH, profile=strangers, config=config)
    assert [r.template for r in outcome.rewrites] == ["fine"]


def test_undefined_template_variables_are_errors_not_blanks(tmp_path):
    config = template_folder(tmp_path, typo="Hi {{ frist_name }}, your post on {{ post.topic }} was great.")
    with pytest.raises(UserError, match="typo.*undefined"):
        run_suggest(PITCH, config=config)


def test_profile_text_is_data_never_template_code():
    hostile = dict(RICH, company_news="{{ 7*7 }} and {% include '/etc/passwd' %}",
                   shared_connections=["{{ config.__class__ }}"])
    _, outcome = run_suggest(PITCH, profile=hostile)
    texts = " ".join(r.text for r in outcome.rewrites)
    assert "49" not in texts
    for rewrite in outcome.rewrites:
        if rewrite.template == "company-news":
            assert "{{ 7*7 }} and {% include '/etc/passwd' %}" in rewrite.text


def test_user_templates_render_in_the_sandbox(tmp_path):
    config = template_folder(tmp_path, evil="{{ greeting }} {{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(UserError, match="evil"):
        run_suggest(PITCH, config=config)


def test_builtin_templates_are_found_and_complete():
    names = {t.name for t in load_templates(templates_dir(Config()))}
    assert {"recent-post", "mutual-connection", "shared-context", "company-news", "role-problem",
            "follow-up-new-value"} <= names


def test_write_replaces_the_body_atomically_and_keeps_front_matter(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("---\nstage: post-connection\n---\n" + PITCH + "\n", encoding="utf-8")
    report = next(lint_many([Source(text=draft.read_text(), path=str(draft))]))
    apply(draft, report, "Hi Dana, new body.\n")
    assert draft.read_text() == "---\nstage: post-connection\n---\nHi Dana, new body.\n"
    assert [p.name for p in tmp_path.iterdir()] == ["draft.txt"]  # no temp file left behind


def test_failed_write_leaves_the_original_intact(tmp_path, monkeypatch):
    draft = tmp_path / "draft.txt"
    draft.write_text(PITCH, encoding="utf-8")
    report = next(lint_many([Source(text=PITCH, path=str(draft))]))

    def interrupted(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(UserError, match="cannot write the rewrite"):
        apply(draft, report, "new body")
    assert draft.read_text() == PITCH
    assert [p.name for p in tmp_path.iterdir()] == ["draft.txt"]


def test_cli_rewrite_json_shape_and_write(tmp_path):
    profile = tmp_path / "dana.json"
    profile.write_text(json.dumps(RICH))
    draft = tmp_path / "draft.txt"
    draft.write_text(f"---\nstage: post-connection\nrecipient: dana.json\n---\n{PITCH}\n", encoding="utf-8")
    before = draft.read_bytes()
    out = subprocess.run([sys.executable, "-m", "linter", "rewrite", str(draft), "--format", "json", "-n", "2"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    item = doc["files"][0]
    assert doc["version"] == 1 and item["findings"]
    assert len(item["rewrites"]) == 2
    for rw in item["rewrites"]:
        assert set(rw) == {"template", "text", "profile_fields_used", "score", "findings"}
        assert all(f["severity"] == "info" for f in rw["findings"])
    assert draft.read_bytes() == before  # never written without --write
    wrote = subprocess.run([sys.executable, "-m", "linter", "rewrite", str(draft), "--write"],
                           capture_output=True, text=True)
    assert wrote.returncode == 0, wrote.stderr
    text = draft.read_text()
    assert text.startswith("---\nstage: post-connection\nrecipient: dana.json\n---\n")
    assert PITCH not in text and "Dana" in text
    check = subprocess.run([sys.executable, "-m", "linter", "check", str(draft), "--fail-on", "warning"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_check_rewrite_attaches_the_best_rewrite_to_failing_drafts():
    example = ROOT / "corpora" / "examples" / "bad" / "post-connection-hard-sell.txt"
    good = ROOT / "corpora" / "examples" / "good" / "connection-note-recent-post.txt"
    out = subprocess.run([sys.executable, "-m", "linter", "check", str(example), str(good), "--rewrite",
                          "--format", "json"], capture_output=True, text=True)
    assert out.returncode == 1
    files = {Path(f["path"]).name: f for f in json.loads(out.stdout)["files"]}
    bad = files["post-connection-hard-sell.txt"]
    assert len(bad["rewrites"]) == 1 and "Joanne" in bad["rewrites"][0]["text"]
    assert "rewrites" not in files["connection-note-recent-post.txt"]  # passing drafts get none


# --- honest rewrites: "we both" only from facts on both sides; no introduction to a connection -------------

SCHOOL_ONLY = {k: v for k, v in RICH.items() if k not in ("how_we_met", "shared_groups")}


def test_we_both_studied_only_when_the_sender_did_too():
    from linter import Sender

    _, alone = run_suggest(PITCH, profile=SCHOOL_ONLY)
    text = next(r.text for r in alone.rewrites if r.template == "shared-context")
    assert "I saw you went to Aston University" in text
    assert "we both" not in text and "studied" not in text
    config = Config(sender=Sender(name="Sam", education=("Aston University, Birmingham",)))
    _, both = run_suggest(PITCH, profile=SCHOOL_ONLY, config=config)
    text = next(r.text for r in both.rewrites if r.template == "shared-context")
    assert "I noticed we both studied at Aston University." in text


def test_shared_facts_come_from_both_sides():
    from linter import Sender
    from linter.rewrite import shared_facts

    profile = _profile(dict(RICH, past_employers=["DHL"], events=["Multimodal 2026"], location="Leeds, UK"))
    assert shared_facts(profile, Sender()) == {"school": None, "employer": None,
                                               "group": "UK Freight Operations Network",  # LinkedIn's shared_groups
                                               "event": None, "location": None}
    sender = Sender(education=("aston university",), past_employers=("DHL",), events=("Multimodal 2026",),
                    locations=("Leeds",), groups=("Other Group",))
    assert shared_facts(profile, sender) == {"school": "Aston University", "employer": "DHL",
                                             "group": "UK Freight Operations Network", "event": "Multimodal 2026",
                                             "location": "Leeds, UK"}
    assert shared_facts(profile, Sender(education=("Aston Villa Academy",)))["school"] is None


@pytest.mark.parametrize("stage, extra, introduction", [
    ("cold", {}, True),                                  # not connected: a mutual contact can introduce you
    ("cold", {"connected_on": "2026-10-01"}, False),     # the profile says you are connected
    ("post-connection", {}, False),                      # they just accepted: you are connected
    ("follow-up", {}, False),
])
def test_introductions_are_offered_only_before_connecting(stage, extra, introduction):
    _, outcome = run_suggest(PITCH, stage=stage, profile=dict(RICH, **extra))
    assert outcome.rewrites
    offers = [r.template for r in outcome.rewrites if "introduction" in r.text]
    if introduction:
        assert offers == ["mutual-connection"]
    else:
        assert offers == []
