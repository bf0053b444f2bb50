"""Team workflow: config discovery, selection, per-file ignores, team phrase lists, output files."""
import json
import re
from pathlib import Path

ASK = "Hi Marco, thanks for connecting. Are you free for a quick 15-minute call on Thursday?\n"
CLEAN = ("Hi Priya, your post arguing that seed-stage startups should hire a support engineer before a second AE "
         "was convincing. Did the first hire change your churn numbers?\n")


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def codes(out: str) -> list[str]:
    return [f["code"] for file in json.loads(out)["files"] for f in file["findings"]]


def test_nearest_pyproject_config_applies_to_each_file_and_isolated_ignores_it(cli, tmp_path):
    write(tmp_path, "team/pyproject.toml", '[tool.outreach-lint]\nfail-on = "warning"\nignore = ["PZ003"]\n')
    draft = write(tmp_path, "team/sequences/step1.txt", ASK)
    other = write(tmp_path, "elsewhere/step1.txt", ASK)
    code, out, err = cli("check", str(draft), "--format", "json")
    assert (code, err) == (1, "")  # fail-on warning from the discovered config
    assert "PZ003" not in codes(out) and "HS002" in codes(out)
    code, out, _ = cli("check", str(other), "--format", "json")
    assert code == 0 and "PZ003" in codes(out)  # default fail-on error: warnings only
    code, out, _ = cli("check", str(draft), "--format", "json", "--isolated")
    assert code == 0 and "PZ003" in codes(out)


def test_dot_config_wins_over_pyproject_in_the_same_folder_and_cli_flags_win(cli, tmp_path):
    write(tmp_path, "pyproject.toml", '[tool.outreach-lint]\nfail-on = "never"\n')
    write(tmp_path, ".outreach-lint.toml", 'fail-on = "warning"\n')
    draft = write(tmp_path, "d.txt", ASK)
    assert cli("check", str(draft))[0] == 1
    assert cli("check", str(draft), "--fail-on", "never")[0] == 0


def test_per_file_ignores_extend_select_and_severity_by_name(cli, tmp_path):
    write(tmp_path, ".outreach-lint.toml",
          'select = ["PZ"]\nextend-select = ["HS002"]\n[per-file-ignores]\n"replies/*.txt" = ["HS002"]\n'
          '[severity]\nuninvited-meeting-ask = "error"\n')
    first = write(tmp_path, "first/a.txt", ASK)
    reply = write(tmp_path, "replies/a.txt", ASK)
    code, out, _ = cli("check", str(first), "--format", "json")
    found = json.loads(out)["files"][0]["findings"]
    assert {f["code"] for f in found} == {"HS002", "PZ003"}
    assert [f["severity"] for f in found if f["code"] == "HS002"] == ["error"] and code == 1
    code, out, _ = cli("check", str(reply), "--format", "json")
    assert codes(out) == ["PZ003"] and code == 0


def test_team_phrase_lists_and_accepted_phrases(cli, tmp_path):
    write(tmp_path, ".outreach-lint.toml",
          '[phrases]\nnag = ["per my voicemail"]\nbrag = ["as the original inventors"]\n')
    draft = write(tmp_path, "d.txt", "Hi Ana, per my voicemail, we are as the original inventors of the format "
                                     "the best choice. Your post on the Porto depot was great.\n")
    code, out, _ = cli("check", str(draft), "--format", "json", "--stage", "follow-up")
    assert {"HS005", "SC003"} <= set(codes(out))
    # accept drops the findings on the accepted words, never the sentence around them
    write(tmp_path, ".outreach-lint.toml", 'accept = ["as the original inventors"]\n[phrases]\n'
                                           'nag = ["per my voicemail"]\nbrag = ["as the original inventors"]\n')
    code, out, _ = cli("check", str(draft), "--format", "json", "--stage", "follow-up")
    assert "SC003" not in codes(out) and "HS005" in codes(out)
    write(tmp_path, ".outreach-lint.toml", 'accept = ["quick question"]\n')
    ask = write(tmp_path, "e.txt", "Hi Ana, quick question: are you free for a call on Thursday?\n")
    code, out, _ = cli("check", str(ask), "--format", "json")
    assert "HS002" in codes(out)


def test_config_show_prints_the_resolved_config_and_its_source(cli, tmp_path):
    write(tmp_path, "pyproject.toml", '[tool.outreach-lint]\nnote-limit = 200\n[tool.outreach-lint.sender]\n'
                                      'company = "Ledgerly"\n')
    code, out, err = cli("config", "--show", str(tmp_path))
    assert (code, err) == (0, "")
    assert "# resolved from: " in out and "pyproject.toml" in out
    assert "note-limit = 200" in out and 'company = "Ledgerly"' in out
    for unset in ("model", "templates", "sample-profile", "name"):  # every key, set or not
        assert re.search(rf"^# {unset}: not set", out, re.M), unset


def test_bad_config_keys_and_values_name_the_file_and_key(cli, tmp_path):
    for body, message in [('colour = "red"\n', "unknown key 'colour'"),
                          ('note-limit = "long"\n', "'note-limit' must be a whole number"),
                          ('ignore = ["HS999"]\n', "unknown rule 'HS999'"),
                          ('[phrases]\nmade_up = ["x"]\n', "unknown phrase list 'made_up'"),
                          ('[severity]\nHS002 = "loud"\n', "must map rule codes")]:
        write(tmp_path, ".outreach-lint.toml", body)
        code, out, err = cli("check", str(write(tmp_path, "d.txt", CLEAN)))
        assert code == 2 and out == "", body
        assert err.count("\n") == 1 and ".outreach-lint.toml" in err and message in err, err


def test_output_file_and_statistics(cli, tmp_path):
    draft = write(tmp_path, "d.txt", ASK)
    report = tmp_path / "out" / "report.sarif"
    report.parent.mkdir()
    code, out, _ = cli("check", str(draft), "--format", "sarif", "--output-file", str(report))
    assert code == 0 and out == ""
    assert json.loads(report.read_text())["version"] == "2.1.0"
    code, out, _ = cli("check", str(draft), "--statistics")
    header, *rows, total = out.strip().splitlines()
    assert header.split() == ["count", "code", "name", "severities"]
    assert [line.split()[1] for line in rows] == ["HS002", "PZ003"]
    assert total == "total: 2 findings (0 error, 2 warning, 0 info) in 1 file; 0 failed (--fail-on error)"


def test_sample_profile_renders_templates_with_the_teams_own_values(cli, tmp_path):
    write(tmp_path, "sample.yaml", "first_name: Ada\ncompany: Lovelace Engines\n")
    write(tmp_path, ".outreach-lint.toml", 'sample-profile = "sample.yaml"\n')
    template = write(tmp_path, "t.j2", "Hi {{ first_name }} at {{ company }}, are you free for a quick call?\n")
    code, out, _ = cli("check", str(template), "--format", "json")
    doc = json.loads(out)["files"][0]
    assert doc["metrics"]["characters"] == len("Hi Ada at Lovelace Engines, are you free for a quick call?")
    ask = next(f for f in doc["findings"] if f["code"] == "HS002")
    assert ask["excerpt"] == template.read_text().strip()  # mapped back onto the template text


def test_unknown_model_is_one_clear_error(cli, tmp_path):
    write(tmp_path, ".outreach-lint.toml", 'model = "xx_no_such_model"\n')
    code, out, err = cli("check", str(write(tmp_path, "d.txt", CLEAN)), "--no-cache")
    assert code == 2 and err.count("\n") == 1 and "xx_no_such_model" in err
