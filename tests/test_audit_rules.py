"""Thread and timing rules (HS101 pitch-on-accept, HS102 chasing, HS103 repeated-pitch, PZ101 copy-paste-opener):
their documented examples run as tests, their thresholds from config, and their place in the catalogue."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from linter import Config, catalogue, lint
from linter.audit.rules import THREAD_CODES
from linter.audit.run import Audit

sys.path.insert(0, str(Path(__file__).parent))
from linkedin_export import write_transcripts  # noqa: E402

THREAD_RULES = [catalogue.rules()[c] for c in THREAD_CODES]


def audit_codes(tmp_path: Path, transcript: str, config: Config | None = None, name: str = "export") -> list:
    folder = tmp_path / name
    write_transcripts(folder, transcript)
    threads = list(Audit([folder], config or Config()).threads())
    return threads


def thread_codes(threads) -> set[str]:
    return {f["code"] for t in threads for f in t["findings"]}


@pytest.mark.parametrize("meta", THREAD_RULES, ids=[m.code for m in THREAD_RULES])
def test_documented_thread_example_is_flagged_and_instead_is_not(meta, tmp_path):
    assert meta.example_stage == "thread"
    bad = audit_codes(tmp_path, meta.example, name="bad")
    good = audit_codes(tmp_path, meta.instead, name="good")
    assert meta.code in thread_codes(bad)
    assert meta.code not in thread_codes(good)
    for t in bad:  # every thread finding quotes the message it is about
        texts = {(m["file"], m["row"]): m["text"] for m in t["messages"]}
        for f in t["findings"]:
            assert texts[(f["file"], f["row"])][f["start"]:f["end"]] == f["excerpt"]


def test_pitch_on_accept_follows_the_linters_own_hard_sell_finding_and_the_window(tmp_path):
    pitch = ("Thanks for connecting, Dana! Our platform helps logistics teams cut fuel costs by 20%. "
             "Are you free for a quick demo on Thursday?")
    has_hard_sell = any(f.category == "hard-sell" and f.severity in ("warning", "error")
                        for f in lint(pitch, stage="post-connection").findings)
    same_day = f"connected 2025-06-03\n2025-06-03 10:12 me: {pitch}"
    later = f"connected 2025-06-03\n2025-06-09 10:12 me: {pitch}"
    assert ("HS101" in thread_codes(audit_codes(tmp_path, same_day, name="a"))) == has_hard_sell
    assert "HS101" not in thread_codes(audit_codes(tmp_path, later, name="b"))  # 6 days > 3
    wide = Config(audit={"pitch-window-days": 7})
    assert ("HS101" in thread_codes(audit_codes(tmp_path, later, wide, name="c"))) == has_hard_sell
    [t] = audit_codes(tmp_path, same_day, name="d")
    [f] = [f for f in t["findings"] if f["code"] == "HS101"]
    assert "the same day" in f["message"] and f["severity"] == "error"
    first_hs = next(x for x in t["messages"][0]["findings"] if x["category"] == "hard-sell")
    assert (f["start"], f["end"]) == (first_hs["start"], first_hs["end"])


def test_chasing_thresholds_and_opt_out(tmp_path):
    meta = catalogue.rules()["HS102"]
    relaxed = Config(audit={"chase-sends": 4, "chase-gap-days": 0.5})
    assert "HS102" not in thread_codes(audit_codes(tmp_path, meta.example, relaxed, name="relaxed"))
    with_exit = meta.example.replace("to the top of your inbox.", "to the top of your inbox. No worries if not.")
    assert "HS102" not in thread_codes(audit_codes(tmp_path, with_exit, name="exit"))
    replied = meta.example.replace("\n2025-03-12 09:00 me:", "\n2025-03-11 18:00 them: Thanks!\n2025-03-12 09:00 me:")
    # the reply breaks the run: two sends remain, 24 hours apart, chasing only under chase-gap-days (2)
    [t] = audit_codes(tmp_path, replied, name="replied")
    [f] = [f for f in t["findings"] if f["code"] == "HS102"]
    assert "24 hours after the one before" in f["message"] and f["row"] == t["messages"][-1]["row"]
    assert "HS102" not in thread_codes(audit_codes(tmp_path, replied, Config(audit={"chase-gap-days": 0.9}),
                                                   name="replied-gap"))


def test_copy_paste_needs_min_recipients(tmp_path):
    meta = catalogue.rules()["PZ101"]
    threads = audit_codes(tmp_path, meta.example, name="three")
    assert sum("PZ101" in {f["code"] for f in t["findings"]} for t in threads) == 3
    assert all(t["opener"]["copies"] == 3 for t in threads)
    strict = Config(audit={"copy-paste-min": 4})
    assert "PZ101" not in thread_codes(audit_codes(tmp_path, meta.example, strict, name="strict"))


def test_select_ignore_and_severity_apply_to_thread_rules(tmp_path):
    meta = catalogue.rules()["HS101"]
    assert "HS101" not in thread_codes(audit_codes(tmp_path, meta.example, Config(ignore=("pitch-on-accept",)),
                                                   name="ignored"))
    [t] = audit_codes(tmp_path, meta.example, Config(severity={"HS101": "warning"}), name="warn")
    assert [f["severity"] for f in t["findings"] if f["code"] == "HS101"] == ["warning"]
    [t] = audit_codes(tmp_path, meta.example, Config(select=("hard-sell",)), name="select")
    assert {f["code"] for f in t["findings"]} == {"HS101"}
    assert {f["code"][:2] for f in t["messages"][0]["findings"]} == {"HS"}
    # HS101 is about the linter's own hard-sell findings: with none selected, it has nothing to go on
    [t] = audit_codes(tmp_path, meta.example, Config(select=("HS1",)), name="thread-only")
    assert not t["findings"] and not t["messages"][0]["findings"]


def test_bad_audit_thresholds_are_one_line_errors(cli, tmp_path):
    from conftest import assert_one_line_error

    write_transcripts(tmp_path / "ex", catalogue.rules()["HS101"].example)
    (tmp_path / "bad.toml").write_text("[audit]\nchase-sends = 0\n")
    assert_one_line_error(*cli("audit", str(tmp_path / "ex"), "--config", str(tmp_path / "bad.toml"))[::2],
                          "audit.chase-sends")
    (tmp_path / "typo.toml").write_text("[audit]\nchase-send = 3\n")
    assert_one_line_error(*cli("audit", str(tmp_path / "ex"), "--config", str(tmp_path / "typo.toml"))[::2],
                          "unknown key 'audit.chase-send'")


def test_rules_and_explain_show_the_thread_rules(cli):
    code, out, _ = cli("rules")
    assert code == 0 and all(c in out for c in THREAD_CODES)
    code, out, _ = cli("explain", "copy-paste-opener")
    assert code == 0 and out.startswith("PZ101 copy-paste-opener (personalisation, warning")
    assert "Example (thread)" in out and "connected 2025-05-01" in out


def test_chasing_reads_the_exits_the_parse_finds_not_only_the_phrase_list(tmp_path):
    from linter.audit.optout import offers_exit

    meta = catalogue.rules()["HS102"]
    exit_line = "If your plate is full, ignore this one and I'll stay quiet."
    assert not offers_exit(exit_line, Config())  # no listed phrase: only the parse sees the exit
    assert lint(exit_line, stage="follow-up").metrics["opt_outs"] == 1
    with_exit = meta.example.replace("to the top of your inbox.", "to the top of your inbox. " + exit_line)
    assert "HS102" in thread_codes(audit_codes(tmp_path, meta.example, name="plain"))
    assert "HS102" not in thread_codes(audit_codes(tmp_path, with_exit, name="exit"))
