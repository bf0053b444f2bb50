"""`outreach-lint audit` on generated LinkedIn exports of every era: reading, owner, staging, findings equal to
`check`, JSON shape, the terminal summary, redaction, and user errors."""
from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import assert_one_line_error, assert_spans_match
from linter import Config, lint
from linter.audit.command import run as run_audit
from linter.audit.run import Audit

sys.path.insert(0, str(Path(__file__).parent))
from linkedin_export import ERAS, generate  # noqa: E402


def norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\r\n", "\n").split())


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """One generated export per era (2026 as a zip with a spreadsheet-resaved Connections.csv)."""
    root = tmp_path_factory.mktemp("exports")
    out = {}
    for i, era in enumerate(ERAS):
        zipped = era in ("2024", "2026")
        path = root / (f"rep-{era}.zip" if zipped else f"rep-{era}")
        truth = generate(path, era, conversations=14, seed=11 + i, resaved=era == "2026", folder=not zipped,
                         shuffle_rows=era == "2022")
        out[era] = (path, truth, list(Audit([path], Config()).threads()))
    return out


@pytest.mark.parametrize("era", ERAS)
def test_each_era_is_read_and_staged_as_the_generator_meant(exports, era):
    path, truth, threads = exports[era]
    sent = [(t, m) for t in threads for m in t["messages"] if m["mine"] and m["stage"] != "connection-request"]
    got = sorted((norm(m["text"]), m["stage"], m["sequence_step"], m["replied"]) for _, m in sent)
    want = sorted((norm(s["text"]), s["stage"], s["sequence_step"], s["replied"]) for s in truth.sent)
    assert got == want
    invitations = [m for t in threads for m in t["messages"] if m.get("stage") == "connection-request"]
    assert len(invitations) == truth.invitations_sent
    assert {m["from"] for _, m in sent} == {truth.owner}
    # every thread of the export is there, including those the owner never wrote in
    assert sum(1 for t in threads if not t["id"].startswith("invitation:")) == truth.conversations
    quiet = [t for t in threads if t["sent"] == 0]
    assert any("LinkedIn Member" in t["with"] for t in quiet)
    if era >= "2020":
        assert any(m.get("sponsored") and "<" not in m["text"] and "%FIRSTNAME%" in m["text"]
                   for t in quiet for m in t["messages"])
    else:  # 2018: entities decoded, LinkedIn's own promotions are incoming
        assert any("\u2019" in m["text"] for _, m in sent)
        assert not any("&rsquo;" in m["text"] or "&nbsp;" in m["text"] for t in threads for m in t["messages"])
    # Connected On found for every pitched connection, even a styled-letter name or one with ", Ph.D."
    pitched = {p for p in truth.pitched_on_accept}
    for t in threads:
        if t["with"] and t["with"][0] in pitched and not t["id"].startswith("invitation:"):
            assert t["connected_on"], t["with"]
            assert "HS101" in {f["code"] for f in t["findings"]} or not any(
                f["category"] == "hard-sell" and f["severity"] != "info" for f in t["messages"][0]["findings"])


def test_owner_and_file_facts(exports):
    for era, (path, truth, _) in exports.items():
        audit = Audit([path], Config())
        list(audit.threads())
        info = audit.exports[0].as_dict()
        assert info["owner"]["name"] == truth.owner, era
        assert info["hidden_connections"] == 1
        assert info["drafts_skipped"] == (1 if era == "2026" else 0)
        assert info["files"]["messages"].endswith("Messages.csv" if era == "2018" else "messages.csv")


def test_findings_of_each_sent_message_equal_check_at_its_stage(exports):
    for era in ("2018", "2026"):
        _, _, threads = exports[era]
        for t in threads:
            for m in t["messages"]:
                if not m["mine"]:
                    continue
                expected = lint(m["text"], stage=m["stage"], sequence_step=m["sequence_step"],
                                replied=m["replied"]).findings
                assert [{k: v for k, v in f.items() if k not in ("file", "row")} for f in m["findings"]] == \
                    [f.to_dict() for f in expected]
                assert all((f["file"], f["row"]) == (m["file"], m["row"]) for f in m["findings"])
                assert_spans_match(m["text"], m["findings"])


def test_check_on_the_command_line_agrees_with_the_audit(exports, run):
    _, _, threads = exports["2024"]
    picked = {}
    for t in threads:
        for m in t["messages"]:
            if m["mine"] and m["findings"]:
                picked.setdefault(m["stage"], m)
    for stage in ("post-connection", "follow-up"):
        m = picked[stage]
        code, out, err = run("check", "-", "--stage", stage, "--sequence-step", str(m["sequence_step"]),
                             "--replied" if m["replied"] else "--no-reply", "--format", "json", "--isolated",
                             "--no-cache", input=m["text"])
        assert code in (0, 1), err
        [checked] = json.loads(out)["files"]
        assert checked["findings"] == [{k: v for k, v in f.items() if k not in ("file", "row")}
                                       for f in m["findings"]]


def test_copy_paste_and_chasing_found_where_the_generator_put_them(exports):
    _, truth, threads = exports["2024"]
    by_partner = {t["with"][0]: {f["code"] for f in t["findings"]} for t in threads if t["with"]
                  and not t["id"].startswith("invitation:")}
    assert truth.copy_paste and all("PZ101" in by_partner[p] for p in truth.copy_paste)
    assert truth.chased and all("HS102" in by_partner[p] for p in truth.chased)


def test_cli_audit_zip_writes_summary_json_and_html(exports, run, tmp_path):
    path, truth, threads = exports["2026"]
    report = tmp_path / "report.html"
    code, out, err = run("audit", path, "--html", report, "--isolated", "--no-cache", "--progress", cwd=tmp_path)
    assert code == 1, err  # the generated history has errors (pitches on accept)
    assert f"owner {truth.owner}" in out and "reply rate of first messages" in out
    assert re.search(r"HS101 pitch-on-accept [1-9]", out) and "worst threads:" in out
    assert "auditing" in err and "Traceback" not in err  # the rich progress bar, on stderr
    page = report.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    code, out, err = run("audit", path, "--format", "json", "-o", tmp_path / "audit.json", "--isolated",
                         "--no-cache", "--fail-on", "never", cwd=tmp_path)
    assert code == 0 and out == "", err
    doc = json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))
    assert (doc["version"], doc["kind"]) == (1, "audit")
    assert list(doc) == ["version", "kind", "settings", "threads", "exports", "outcomes", "summary"]
    assert doc["settings"]["pitch-window-days"] == 3
    assert doc["summary"]["messages"] == sum(len(t["messages"]) for t in doc["threads"]) == \
        sum(len(t["messages"]) for t in threads)
    for t in doc["threads"]:
        for m in t["messages"]:
            assert m["file"].startswith(path.name + "/") and m["row"] >= 2
    first = doc["outcomes"]["first_messages"]
    flagged, clean = first["any"]["flagged"], first["any"]["clean"]
    started = [t for t in doc["threads"] if t["started_by_owner"] and t["messages"][0]["stage"] in
               ("post-connection", "cold")]
    assert flagged["messages"] + clean["messages"] == len(started)
    assert flagged["replied"] + clean["replied"] == sum(t["replied"] for t in started)
    lo, hi = flagged["ci95"]
    assert 0 <= lo <= flagged["rate"] <= hi <= 1
    assert set(first["by_rep"]) == {"0"} and first["by_month"]


def test_redact_hides_names_and_urls_in_every_output(exports, tmp_path):
    path, truth, _ = exports["2024"]
    chunks: list[str] = []
    run_audit([path], Config(), lambda text="", end="\n": chunks.append(text + end), as_json=True, redact=True,
              html_path=tmp_path / "r.html", progress=False)
    doc = json.loads("".join(chunks))
    everything = "".join(chunks) + (tmp_path / "r.html").read_text(encoding="utf-8")
    names = {s["partner"] for s in truth.sent} | {truth.owner}
    for name in names:
        for part in re.split(r"[\s,]+", name):
            if len(part) > 2 and part not in ("Ph.D.",):
                assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", everything), part
    assert "linkedin.com/in/" not in everything and "calendly.com" not in everything
    assert path.name not in everything
    assert doc["exports"][0]["owner"]["name"] == "Owner 1"
    for t in doc["threads"]:
        for m in t["messages"]:
            assert_spans_match(m["text"], m.get("findings", []))
        texts = {(m["file"], m["row"]): m["text"] for m in t["messages"]}
        for f in t["findings"]:
            assert texts[(f["file"], f["row"])][f["start"]:f["end"]] == f["excerpt"]


def test_oversized_message_is_reported_not_linted(tmp_path):
    path = tmp_path / "ex"
    generate(path, "2024", conversations=6, seed=3, folder=True)
    threads = list(Audit([path], Config(max_bytes=120)).threads())
    skipped = [m for t in threads for m in t["messages"] if "skipped" in m]
    assert skipped and all("max-bytes" in m["skipped"] and "findings" not in m for m in skipped)
    assert all(len(m["text"].encode()) > 120 for m in skipped)


def test_user_errors_are_one_line(cli, tmp_path):
    assert_one_line_error(*cli("audit", "nope.zip")[::2], "nope.zip", "no such export")
    (tmp_path / "empty").mkdir()
    assert_one_line_error(*cli("audit", "empty")[::2], "not a LinkedIn data export")
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
    assert_one_line_error(*cli("audit", "bad.zip")[::2], "not a readable zip")
    generate(tmp_path / "ok.zip", "2024", conversations=3, seed=1, edge_cases=False)
    assert_one_line_error(*cli("audit", "ok.zip", "--engine", "dask")[::2], "--scheduler")
    assert_one_line_error(*cli("audit", "ok.zip", "--html", "empty")[::2], "HTML report")
    with zipfile.ZipFile(tmp_path / "tie.zip", "w") as zf:  # two people, one conversation, no connections
        zf.writestr("messages.csv", "CONVERSATION ID,FROM,TO,DATE,CONTENT\nc1,Ann Lee,Bo Chan,"
                                    "2024-01-02 10:00:00 UTC,Hi Bo\nc1,Bo Chan,Ann Lee,2024-01-03 10:00:00 UTC,Hi\n")
    assert_one_line_error(*cli("audit", "tie.zip")[::2], "--me")


def test_me_names_the_owner(tmp_path):
    with zipfile.ZipFile(tmp_path / "tie.zip", "w") as zf:
        zf.writestr("messages.csv", "CONVERSATION ID,FROM,TO,DATE,CONTENT\nc1,Ann Lee,Bo Chan,"
                                    "2024-01-02 10:00:00 UTC,Hi Bo\nc1,Bo Chan,Ann Lee,2024-01-03 10:00:00 UTC,Hi\n")
    for me, sender, stage in (("Ann Lee", "Ann Lee", "cold"), ("bo chan", "Bo Chan", "reply")):
        [t] = list(Audit([tmp_path / "tie.zip"], Config(), me=me).threads())
        [mine] = [m for m in t["messages"] if m["mine"]]
        assert (mine["from"], mine["stage"]) == (sender, stage)


def test_symlink_out_of_the_export_is_refused(cli, tmp_path):
    generate(tmp_path / "ex", "2024", conversations=3, seed=2, folder=True, edge_cases=False)
    outside = tmp_path / "secret.csv"
    outside.write_text("First Name,Last Name\n")
    (tmp_path / "ex" / "Connections.csv").unlink()
    (tmp_path / "ex" / "Connections.csv").symlink_to(outside)
    assert_one_line_error(*cli("audit", "ex")[::2], "outside the export")
