"""Issue 10: the linted repo is untrusted. Each numbered reproduction of the issue, tried as an attacker would,
now gives the safe outcome. Symlink and cache attacks run in a real git repository cloned fresh, as CI does."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from conftest import assert_one_line_error
from linter import Config, Source, lint, lint_many
from linter.errors import UserError

BAD = ("Hi {first_name}, thanks for connecting! We help companies like yours 3x their leads. Free for a quick demo "
       "call on Thursday? Book here: https://calendly.com/x. Limited offer, only 3 spots left!")
SECRET = "PRIVATE-KEY-BODY-7f3a9c"


def env(**extra: str) -> dict[str, str]:
    """The environment for a real process: this test's (its own XDG_CACHE_HOME), UTF-8 output."""
    return dict(os.environ, PYTHONIOENCODING="utf-8", **extra)


def codes(report) -> set[str]:
    return {f.code for f in report.findings}


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True,
                   capture_output=True)


@pytest.fixture
def clone(tmp_path):
    """clone(build) -> a fresh `git clone` of a repo that `build(folder)` filled and committed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def make(build) -> Path:
        origin = tmp_path / "origin"
        origin.mkdir()
        build(origin)
        git("init", "-q", cwd=origin)
        git("add", "-A", "-f", cwd=origin)
        git("commit", "-q", "-m", "attack", cwd=origin)
        work = tmp_path / "ci" / "clone"
        work.parent.mkdir(exist_ok=True)
        git("clone", "-q", str(origin), str(work), cwd=tmp_path)
        return work

    return make


# --- 1. files outside the repo are never read ----------------------------------------------------------------

def test_symlinks_out_of_the_repo_are_skipped_in_every_format(clone, cli, tmp_path, monkeypatch):
    (tmp_path / "ci" / "id_ed25519").parent.mkdir(parents=True, exist_ok=True)

    def build(repo: Path) -> None:
        (repo / "sequences").mkdir()
        (repo / "sequences" / "ok.txt").write_text(BAD)
        os.symlink("../../id_ed25519", repo / "sequences" / "key.txt")      # ../../ from the clone's sequences/
        os.symlink("/etc/passwd", repo / "sequences" / "passwd.txt")
        os.symlink("../..", repo / "up")                                   # a folder link out of the repo
        os.symlink("ok.txt", repo / "sequences" / "alias.txt")             # inside the repo: fine, linted once

    work = clone(build)
    (work.parent / "id_ed25519").write_text(f"-----BEGIN KEY-----\n{SECRET} Free for 15 min on Thursday?\n")
    assert (work / "sequences" / "key.txt").is_symlink()
    monkeypatch.chdir(work)
    for fmt in ("text", "json", "concise", "sarif", "github", "junit"):
        for args in (["sequences/"], ["sequences/*.txt"], ["sequences/key.txt", "sequences/ok.txt"], ["up"]):
            code, out, err = cli("check", *args, "-f", fmt, "--no-cache")
            assert SECRET not in out + err and "root:" not in out, (fmt, args)
            assert "Traceback" not in err
            assert code == (0 if args == ["up"] else 1), (fmt, args, err)
            assert "resolves outside" in err and err.startswith("outreach-lint: warning: "), err
    code, out, err = cli("check", "sequences", "-f", "json", "--no-cache")
    assert [f["path"] for f in json.loads(out)["files"]] == ["sequences/alias.txt"]  # ok.txt under its first name
    assert sorted(line.split(":")[2].strip() for line in err.splitlines()) == [
        "sequences/key.txt", "sequences/passwd.txt"]


def test_a_path_named_outside_the_current_folder_is_confined_to_its_own_folder(cli, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "d.txt").write_text(BAD)
    (tmp_path / "secret.txt").write_text(SECRET)
    os.symlink(tmp_path / "secret.txt", outside / "leak.txt")
    os.chdir(tmp_path / "elsewhere")
    os.mkdir(tmp_path / "cwd")
    os.chdir(tmp_path / "cwd")
    code, out, err = cli("check", str(outside), "--no-cache", "-f", "concise")
    assert code == 1 and SECRET not in out and "leak.txt: resolves outside" in err


def test_only_regular_files_are_read(cli, tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    code, out, err = cli("check", "pipe.txt")                      # opening a FIFO must not block
    assert_one_line_error(code, err, "pipe.txt", "not a regular file")
    code, out, err = cli("check", "/dev/zero")
    assert_one_line_error(code, err, "/dev/zero", "not a regular file")


# --- 2 and 3. the cache cannot be poisoned, nor write outside ----------------------------------------------

def entries(folder: Path) -> list[tuple[str, str]]:
    """(key, entry) rows of the result store in a cache folder ([] when it holds none)."""
    if not (folder / "results.sqlite3").is_file():
        return []
    with closing(sqlite3.connect(folder / "results.sqlite3")) as db:
        return db.execute("SELECT key, entry FROM entries ORDER BY key").fetchall()


def test_a_committed_cache_entry_is_never_believed(clone, tmp_path, user_cache):
    """The attacker runs the same version on the same draft, learns the entry's name, commits it with empty
    findings (the old attack), and links the cache marker and a folder out of the repo."""
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    attacker_cache = tmp_path / "attacker-xdg"
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "d.txt").write_text(BAD)
    run = env(XDG_CACHE_HOME=str(attacker_cache))
    subprocess.run([sys.executable, "-m", "linter", "check", "d.txt"], cwd=probe, env=run, capture_output=True)
    [(key, entry)] = entries(attacker_cache / "outreach-lint")
    poisoned = json.loads(entry)
    poisoned["findings"] = []

    def build(repo: Path) -> None:
        (repo / "d.txt").write_text(BAD)
        for folder in (".outreach-lint-cache", "cache"):  # the store, and an entry file as older versions wrote
            (repo / folder / key[:2]).mkdir(parents=True)
            (repo / folder / key[:2] / f"{key}.json").write_text(json.dumps(poisoned))
            with closing(sqlite3.connect(repo / folder / "results.sqlite3")) as db, db:
                db.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, entry TEXT NOT NULL) WITHOUT ROWID")
                db.execute("INSERT INTO entries VALUES (?, ?)", (key, json.dumps(poisoned)))
        os.symlink(victim, repo / ".outreach-lint-cache" / ".gitignore")
        os.symlink(victim, repo / ".outreach-lint-cache" / "CACHEDIR.TAG")
        os.symlink(outside, repo / ".outreach-lint-cache" / "ab")

    work = clone(build)
    proc = subprocess.run([sys.executable, "-m", "linter", "check", "d.txt", "-f", "json"], cwd=work, env=env(),
                          capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert {f["severity"] for f in json.loads(proc.stdout)["files"][0]["findings"]} >= {"error"}
    assert victim.read_text() == "untouched\n" and list(outside.iterdir()) == []
    assert [k for k, _ in entries(user_cache)] == [key]     # the real cache is the per-user one


@pytest.mark.parametrize("corrupt", [
    lambda e: e["findings"][0].update(severity="fatal"),
    lambda e: e["findings"][0].update(line="3"),
    lambda e: e["findings"][0].update(start=10_000, end=10_001),
    lambda e: e["findings"][0].update(excerpt="something else"),
    lambda e: e["findings"][0].update(code="XX999"),
    lambda e: e.update(stage="hostile"),
    lambda e: e.update(key="0" * 64),
    lambda e: e["findings"].append({"code": "HS002"}),
    lambda e: e.clear(),
])
def test_a_malformed_cache_entry_is_a_miss(tmp_path, corrupt):
    from linter.cache import Cache

    cache = Cache(tmp_path / "cache")
    source = Source(text=BAD, path="d.txt")
    [first] = lint_many([source], cache=cache)
    [(key, entry)] = entries(tmp_path / "cache")
    data = json.loads(entry)
    corrupt(data)
    with closing(sqlite3.connect(tmp_path / "cache" / "results.sqlite3")) as db, db:
        db.execute("UPDATE entries SET entry = ? WHERE key = ?", (json.dumps(data), key))
    [again] = lint_many([source], cache=Cache(tmp_path / "cache"))
    assert [(f.code, f.severity, f.line) for f in again.findings] == [(f.code, f.severity, f.line)
                                                                      for f in first.findings]


def test_a_symlinked_user_cache_folder_is_not_followed(cli, tmp_path, user_cache):
    outside = tmp_path / "outside"
    outside.mkdir()
    user_cache.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, user_cache)
    (tmp_path / "d.txt").write_text(BAD)
    assert cli("check", "d.txt")[0] == 1
    assert list(outside.iterdir()) == []


def test_a_cache_that_cannot_be_written_only_slows_the_next_run(tmp_path, monkeypatch):
    import linter.cache

    class Full(sqlite3.Connection):  # the store opens, and writing to it fails as on a full disk
        def executemany(self, *args):
            raise sqlite3.OperationalError("database or disk is full")

    connect = sqlite3.connect
    monkeypatch.setattr(linter.cache.sqlite3, "connect", lambda *a, **k: connect(*a, **k, factory=Full))
    cache = linter.cache.Cache(tmp_path / "cache")
    [report] = lint_many([Source(text=BAD, path="d.txt")], cache=cache)
    assert "PZ001" in codes(report)
    assert entries(tmp_path / "cache") == []
    assert {p.name for p in (tmp_path / "cache").iterdir()} <= {"CACHEDIR.TAG", "results.sqlite3",
                                                               "results.sqlite3-wal", "results.sqlite3-shm"}


@pytest.mark.parametrize("planted", ["symlink", "not a database", "another user's folder"])
def test_a_planted_store_file_is_never_read_nor_written(tmp_path, planted, monkeypatch):
    """A symlink to a file elsewhere in place of the store is not followed, a file that is not a database is a
    miss, and nothing in a cache folder owned by someone else is opened; the run is linted as without a cache."""
    from linter.cache import Cache

    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    outside = tmp_path / "outside.sqlite3"
    outside.write_bytes(b"untouched")
    store = folder / "results.sqlite3"
    if planted == "symlink":
        os.symlink(outside, store)
    else:
        store.write_bytes(b"untouched")
    if planted == "another user's folder":
        monkeypatch.setattr(os, "geteuid", lambda: os.stat(store).st_uid + 1)
    cache = Cache(folder)
    for _ in range(2):
        [report] = lint_many([Source(text=BAD, path="d.txt")], cache=cache)
        assert "PZ001" in codes(report)
    assert outside.read_bytes() == b"untouched"
    assert store.is_symlink() if planted == "symlink" else store.read_bytes() == b"untouched"


def test_the_cache_key_covers_the_sample_profile(tmp_path):
    from linter.cache import Cache

    (tmp_path / "sample.yaml").write_text("first_name: Dana\n")
    config = Config(sample_profile="sample.yaml", root=tmp_path)
    source = Source(text="Hi {{ first_name }}, loved your post.", path="t.j2")
    key = Cache(tmp_path / "c").key(source, config)
    (tmp_path / "sample.yaml").write_text("first_name: Maria\n")
    assert Cache(tmp_path / "c").key(source, config) not in (key, None)


# --- 4. config and front matter cannot read arbitrary files ------------------------------------------------

def _write_config(folder: Path, extra: str) -> None:
    (folder / ".outreach-lint.toml").write_text(extra)


@pytest.mark.parametrize("file", ["/etc/passwd", "/proc/self/environ", "../secret.txt"])
def test_a_template_manifest_cannot_name_a_file_outside_its_folder(cli, tmp_path, monkeypatch, file):
    monkeypatch.setenv("CI_TOKEN", SECRET)
    repo = tmp_path / "repo"
    (repo / "tpl").mkdir(parents=True)
    (repo / "secret.txt").write_text(SECRET)
    (repo / "tpl" / "templates.toml").write_text(f'[leak]\nfile = "{file}"\nstages = ["post-connection"]\n'
                                                 'max_chars = 100000\n')
    _write_config(repo, 'templates = "tpl"\n')
    (repo / "p.yaml").write_text("first_name: Dana\nrecent_posts: [{topic: churn}]\n")
    (repo / "d.txt").write_text("---\nrecipient: p.yaml\n---\n" + BAD)
    os.chdir(repo)
    code, out, err = cli("rewrite", "d.txt")
    assert SECRET not in out + err and "root:" not in out
    assert_one_line_error(code, err, "template 'leak' file", "outside")


def test_templates_folder_and_sample_profile_must_stay_in_the_config_folder(cli, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "secret.yaml").write_text(f"first_name: {SECRET}\n")
    (repo / "d.j2").write_text("Hi {{ first_name }}, free for a quick call on Thursday?")
    os.chdir(repo)
    _write_config(repo, 'sample-profile = "../secret.yaml"\n')
    code, out, err = cli("check", "d.j2", "--no-cache")
    assert SECRET not in out + err
    assert_one_line_error(code, err, "'sample-profile'", "outside")
    _write_config(repo, 'templates = ".."\n')
    (repo / "d.txt").write_text("---\nrecipient: {first_name: Dana, recent_posts: [{topic: churn}]}\n---\n" + BAD)
    code, out, err = cli("rewrite", "d.txt")
    assert_one_line_error(code, err, "'templates'", "outside")


@pytest.mark.parametrize("recipient", ["../../secret.yaml", "/dev/stdin", "{fifo}"])
def test_front_matter_recipient_is_confined_and_never_hangs(cli, tmp_path, recipient):
    (tmp_path / "secret.yaml").write_text(f"name: {SECRET}\n")
    drafts = tmp_path / "repo" / "drafts"
    drafts.mkdir(parents=True)
    if recipient == "{fifo}":
        os.mkfifo(drafts / "p.yaml")
        recipient = "p.yaml"
    (drafts / "d.txt").write_text(f"---\nrecipient: {recipient}\n---\nHi Joanne, great to connect.")
    os.chdir(tmp_path / "repo")
    code, out, err = cli("check", "drafts/d.txt", "--no-cache")
    assert SECRET not in out + err
    assert_one_line_error(code, err)
    assert ("drafts/d.txt: front matter recipient" in err and "outside" in err) or "p.yaml: not a regular" in err


def test_a_recipient_inside_the_repo_still_works(cli, tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "drafts").mkdir()
    (tmp_path / "profiles" / "jo.yaml").write_text("name: Joanne Pike\n")
    (tmp_path / "drafts" / "d.txt").write_text("---\nrecipient: ../profiles/jo.yaml\n---\nHi Maria, thanks!")
    code, out, err = cli("check", "drafts/d.txt", "-f", "json", "--no-cache")
    assert err == "" and "PZ004" in {f["code"] for f in json.loads(out)["files"][0]["findings"]}


# --- 5. dodges still fire -----------------------------------------------------------------------------------

DODGES = {
    "LRM": "\u200e", "VS16": "\ufe0f", "tag": "\U000e0041", "invisible times": "\u2062", "hangul filler": "\u3164",
    "mongolian FVS1": "\u180b", "soft hyphen": "\u00ad", "word joiner": "\u2060", "combining long stroke": "\u0336",
}


@pytest.mark.parametrize("name", DODGES)
def test_invisible_characters_inside_sales_words_do_not_hide_them(name):
    ch = DODGES[name]
    dodged = BAD
    for word in ("quick", "demo", "call", "Free", "Limited", "offer", "first_name", "leads", "calendly"):
        dodged = dodged.replace(word, ch.join(word))
    assert codes(lint(dodged)) == codes(lint(BAD))


@pytest.mark.parametrize("swap", [
    {"o": "\u0585", "u": "\u057d", "h": "\u0570", "n": "\u0578", "q": "\u0566"},   # Armenian
    {"a": "\u1d00", "e": "\u1d07", "m": "\u1d0d", "l": "\u029f", "c": "\u1d04", "r": "\u0280", "f": "\ua730"},
    {"C": "\u13df", "D": "\u13a0", "T": "\u13a2", "A": "\u13aa", "W": "\u13b3"},    # Cherokee
    {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441"},    # Cyrillic
], ids=["armenian", "small-capitals", "cherokee", "cyrillic"])
def test_look_alike_letters_do_not_hide_sales_words(swap):
    dodged = "".join(swap.get(c, c) for c in BAD.replace("{first_name}", "{{first}}").replace("Thursday", "THURSDAY"))
    clean = BAD.replace("{first_name}", "{{first}}").replace("Thursday", "THURSDAY")
    assert codes(lint(dodged)) == codes(lint(clean))


def test_bidi_controls_are_a_finding_of_their_own_and_spans_point_at_the_file():
    hidden = "Hi Ana, your post on onboarding was sharp. \u202eevird ruo ta kool a ekat\u202c What changed?"
    report = lint(hidden)
    [fm8] = [f for f in report.findings if f.code == "FM008"]
    assert fm8.excerpt == "\u202eevird ruo ta kool a ekat\u202c" and hidden[fm8.start:fm8.end] == fm8.excerpt
    assert fm8.severity == "warning" and fm8.category == "form"
    dodged = BAD.replace("demo call", "de\u202emo\u202c c\u2066al\u2069l")
    assert codes(lint(dodged)) == codes(lint(BAD)) | {"FM008"}


# --- 6. cost bounds -----------------------------------------------------------------------------------------

def test_a_flood_of_punctuation_reaches_spacy_as_a_few_tokens():
    from linter import draft as draft_mod

    for flood in ("!" * 100_000, "! " * 50_000, "?!." * 33_000, "\U0001f600" * 25_000):
        folded, index = draft_mod.parse(flood).analysed()
        assert len(folded.split()) <= 20 * 16 and len(index) == len(folded)
    report = lint("Hi Sam, loved your post on churn. " + "!" * 99_000)
    assert report.findings is not None


def test_too_many_tokens_is_one_line():
    with pytest.raises(UserError, match=r"^d.txt: about \d+ words and symbols, over the 30000"):
        lint("a! " * 33_000, path="d.txt")


def test_huge_drafts_are_parsed_alone(monkeypatch):
    from linter import engine, nlp as nlp_mod

    batches = []
    nlp = nlp_mod.load(None, ner=True)
    original = type(nlp).pipe

    def spy(self, texts, **kwargs):
        texts = list(texts)
        batches.append([len(t) for t in texts])
        return original(self, texts, **kwargs)

    monkeypatch.setattr(type(nlp), "pipe", spy)
    huge = "Hi Sam, loved your post on churn. " * 620  # just over HUGE_CHARS
    sources = [Source(text=t, path=f"{i}.txt") for i, t in enumerate(["Hi Sam, free Thursday?", huge, BAD])]
    reports = list(lint_many(sources))
    assert [r.path for r in reports] == ["0.txt", "1.txt", "2.txt"]
    assert all(max(batch) <= engine.HUGE_CHARS for batch in batches if len(batch) > 1)


def test_a_merge_syntax_that_backtracks_for_ever_is_stopped(cli, tmp_path):
    _write_config(tmp_path, 'merge-syntax = "(?P<name>(a|aa)+)b"\n')
    (tmp_path / "t.j2").write_text("Hi " + "a" * 60 + "c, loved your post.")
    code, out, err = cli("check", "t.j2", "--no-cache")
    assert_one_line_error(code, err, "merge-syntax", "over 1 s")


@pytest.mark.parametrize("body, fragment", [
    ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", "took over 2 s"),
    ('{{ "x" * 1000000000 }}', "'*' would build"),
    ("{{ 7 ** 99999999 }}", "'**' with an exponent"),
    ("{% for a in range(100000) %}{{ a }}{% endfor %}", "more than 20000 characters"),
])
def test_team_templates_have_cpu_and_output_bounds(cli, tmp_path, body, fragment):
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "templates.toml").write_text('[slow]\nfile = "slow.j2"\nstages = ["post-connection"]\n'
                                                     'max_chars = 1000\n')
    (tmp_path / "tpl" / "slow.j2").write_text(body)
    _write_config(tmp_path, 'templates = "tpl"\n')
    (tmp_path / "d.txt").write_text("---\nrecipient: {first_name: Dana}\n---\n" + BAD)
    code, out, err = cli("rewrite", "d.txt")
    assert_one_line_error(code, err, "template 'slow'", fragment)


# --- 7. write safety ----------------------------------------------------------------------------------------

def test_output_file_cannot_be_an_input(cli, tmp_path):
    (tmp_path / "d.txt").write_text(BAD)
    os.symlink("d.txt", tmp_path / "alias.txt")
    for target in ("d.txt", "./d.txt", "alias.txt"):
        code, out, err = cli("check", "d.txt", "-o", target)
        assert_one_line_error(code, err, Path(target).name, "one of the drafts being linted")
        assert (tmp_path / "d.txt").read_text() == BAD


def test_output_file_follows_symlinks_keeps_mode_and_honours_the_umask(cli, tmp_path):
    (tmp_path / "d.txt").write_text(BAD)
    (tmp_path / "report.txt").write_text("old")
    os.chmod(tmp_path / "report.txt", 0o640)
    os.symlink("report.txt", tmp_path / "link.txt")
    assert cli("check", "d.txt", "-o", "link.txt", "-f", "concise")[0] == 1
    assert (tmp_path / "link.txt").is_symlink() and "PZ001" in (tmp_path / "report.txt").read_text()
    assert stat.S_IMODE((tmp_path / "report.txt").stat().st_mode) == 0o640
    old = os.umask(0o027)
    try:
        assert cli("check", "d.txt", "-o", "new.txt")[0] == 1
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    code, out, err = cli("check", "d.txt", "-o", "-", "-f", "concise")
    assert code == 1 and "PZ001" in out
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_to_dev_stdout_works(run, tmp_path):
    (tmp_path / "d.txt").write_text(BAD)
    code, out, err = run("check", "d.txt", "-o", "/dev/stdout", "-f", "concise", cwd=tmp_path)
    assert code == 1 and "PZ001" in out and err == ""


def test_read_only_and_hard_linked_outputs_are_refused(cli, tmp_path):
    (tmp_path / "d.txt").write_text(BAD)
    (tmp_path / "ro.txt").write_text("keep")
    os.chmod(tmp_path / "ro.txt", 0o444)
    code, out, err = cli("check", "d.txt", "-o", "ro.txt")
    assert_one_line_error(code, err, "ro.txt", "read-only")
    (tmp_path / "a.txt").write_text("keep")
    os.link(tmp_path / "a.txt", tmp_path / "b.txt")
    code, out, err = cli("check", "d.txt", "-o", "a.txt")
    assert_one_line_error(code, err, "a.txt", "hard links")
    assert (tmp_path / "ro.txt").read_text() == (tmp_path / "b.txt").read_text() == "keep"


REWRITABLE = ("---\nrecipient: {first_name: Dana, recent_posts: [{topic: closing the books in three days, text: "
              "Controllers should own the data model.}]}\n---\nHi Dana, thanks for connecting! We help finance teams "
              "close their books faster. Free for a quick call on Thursday?\n")


def test_rewrite_write_follows_the_users_symlink_and_keeps_mode_and_owner(cli, tmp_path):
    (tmp_path / "real.txt").write_text(REWRITABLE)
    os.chmod(tmp_path / "real.txt", 0o604)
    os.symlink("real.txt", tmp_path / "d.txt")
    if os.geteuid() == 0:
        os.chown(tmp_path / "real.txt", 65534, 65534)
    code, out, err = cli("rewrite", "d.txt", "--write")
    assert code == 0, err
    assert (tmp_path / "d.txt").is_symlink() and (tmp_path / "real.txt").read_text() != REWRITABLE
    assert (tmp_path / "real.txt").read_text().startswith("---\nrecipient:")
    info = (tmp_path / "real.txt").stat()
    assert stat.S_IMODE(info.st_mode) == 0o604
    if os.geteuid() == 0:
        assert (info.st_uid, info.st_gid) == (65534, 65534)


def test_rewrite_write_refuses_a_hard_link_and_a_read_only_folder(cli, tmp_path, monkeypatch):
    (tmp_path / "d.txt").write_text(REWRITABLE)
    os.link(tmp_path / "d.txt", tmp_path / "other.txt")
    code, out, err = cli("rewrite", "d.txt", "--write")
    assert_one_line_error(code, err, "d.txt", "hard links")
    os.unlink(tmp_path / "other.txt")
    if os.geteuid() == 0:  # root writes into a 0555 folder anyway: make the temp file fail as it would
        import tempfile

        def denied(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", denied)
    else:
        os.chmod(tmp_path, 0o555)
    try:
        code, out, err = cli("rewrite", "d.txt", "--write")
    finally:
        os.chmod(tmp_path, 0o755)
    assert_one_line_error(code, err, "d.txt", "Permission denied")
    assert (tmp_path / "d.txt").read_text() == REWRITABLE


def test_a_concurrent_edit_is_not_overwritten(tmp_path):
    from linter.paths import atomic_writer

    path = tmp_path / "d.txt"
    path.write_text("original")
    with pytest.raises(UserError, match="changed since it was read"):
        with atomic_writer(path, unchanged="original") as handle:
            handle.write("rewrite")
            path.write_text("edited meanwhile")
    assert path.read_text() == "edited meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["d.txt"]


# --- 8. crashes and hangs become one line and exit 2 --------------------------------------------------------

def _linter(args, cwd, **kwargs):
    return subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, env=env(), capture_output=True,
                          **kwargs)


def test_output_failures_are_one_line_and_exit_2(cli, tmp_path):
    (tmp_path / "d.txt").write_text(BAD)
    assert cli("check", "d.txt")[0] == 1          # cached: the processes below need no model
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "linter", "check", "d.txt"], cwd=tmp_path, env=env(),
                              stdout=full, stderr=subprocess.PIPE)
    assert_one_line_error(proc.returncode, proc.stderr.decode(), "cannot write output", "No space left")
    proc = _linter(["check", "d.txt"], tmp_path, pass_fds=(), close_fds=True,
                   preexec_fn=lambda: os.close(1))
    assert_one_line_error(proc.returncode, proc.stderr.decode(), "standard output is closed")


def test_non_utf8_file_names_in_json_and_sarif(cli, tmp_path):
    name = os.fsdecode(b"bad\xff.txt")
    (tmp_path / name).write_text(BAD)
    for fmt in ("json", "sarif", "junit", "text"):
        code, out, err = cli("check", ".", "-f", fmt, "--no-cache")
        assert code == 1 and "Traceback" not in err and "bad\ufffd.txt" in out.replace("%EF%BF%BD", "\ufffd")


def test_jobs_are_capped_by_the_work(monkeypatch):
    import multiprocessing.pool

    started = []
    real_pool = multiprocessing.pool.Pool

    class Pool(real_pool):
        def __init__(self, processes, *args, **kwargs):
            started.append(processes)
            super().__init__(processes, *args, **kwargs)

    monkeypatch.setattr(multiprocessing.pool, "Pool", Pool)
    sources = [Source(text=f"Hi Sam, loved your post on churn number {i}. Free Thursday?") for i in range(130)]
    assert len(list(lint_many(sources, jobs=64))) == 130
    assert started == [3]                     # 130 drafts are 3 chunks of 64


def _children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


@pytest.mark.integration
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_workers_and_prints_interrupted(tmp_path, sig):
    if not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists():
        pytest.skip("needs /proc/PID/task/PID/children")
    for i in range(800):  # enough work that the run is still going when the signal comes (not a timing test)
        (tmp_path / f"d{i}.txt").write_text(f"Hi Sam, loved your post number {i}. Free Thursday? " * 3)
    proc = subprocess.Popen([sys.executable, "-m", "linter", "check", ".", "-j", "2", "--no-cache"], cwd=tmp_path,
                            env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "no workers started"
    time.sleep(0.5)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2 and err.decode().strip().splitlines()[-1] == "outreach-lint: interrupted"
    time.sleep(0.2)
    assert not [w for w in workers if Path(f"/proc/{w}").exists()
                and "Z" not in Path(f"/proc/{w}/stat").read_text().split()[2]], "workers left running"


# --- 9. terminal and CI injection ---------------------------------------------------------------------------

def _no_command_lines(text: str) -> None:
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::")], text


def test_escape_sequences_in_a_draft_are_not_printed_raw(cli, tmp_path):
    (tmp_path / "d.txt").write_text("Hi {first_name}, \x1b]0;owned\x07\x1b[2J free for a quick call Thursday?\x9b")
    for fmt in ("text", "concise"):
        code, out, err = cli("check", "d.txt", "-f", fmt, "--no-cache", "--no-color")
        assert code == 1 and "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "\u241b" in out or "\u241b" in cli("check", "d.txt", "--no-cache")[1]


def test_file_names_cannot_inject_workflow_commands(cli, tmp_path, monkeypatch):
    import io

    (tmp_path / "::warning::x.txt").write_text(BAD)
    for fmt in ("text", "concise", "json", "sarif", "junit"):
        code, out, err = cli("check", "::warning::x.txt", "-f", fmt, "--no-cache")
        assert code == 1, err
        _no_command_lines(out + err)
    code, out, err = cli("check", "::warning::x.txt", "-f", "github", "--no-cache")
    assert all(line.startswith(("::error file=%3A%3Awarning%3A%3Ax.txt,", "::warning file=%3A%3Awarning%3A%3Ax.txt,"))
               for line in out.splitlines()), out
    name = "a.txt\n::error::pwned\r::warning::x"
    for fmt in ("text", "concise", "json", "sarif", "junit", "github"):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
        code, out, err = cli("check", "-", "--stdin-filename", name, "-f", fmt, "--no-cache")
        assert code == 1, err
        lines = out.splitlines()
        if fmt == "github":
            assert all(line.startswith(("::error file=a.txt%0A%3A%3Aerror%3A%3Apwned%0D",
                                        "::warning file=a.txt%0A")) for line in lines), out
        else:
            _no_command_lines(out + err)


# --- 5 (property): random invisible characters and look-alikes never change what fires -------------------

from functools import lru_cache  # noqa: E402

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

KNOWN_BAD = [
    BAD,
    "Hi there, I came across your profile and we share a group. Our award-winning platform is the leading "
    "solution. Can we hop on a 15-minute call this week? Grab a slot: https://calendly.com/sam/15min",
    "Just bumping this to the top of your inbox. Did you see my last message? Our offer ends Friday, so book a "
    "demo today.",
]


@lru_cache(maxsize=None)
def _expected(text: str) -> frozenset[str]:
    """The codes the clean draft raises (computed, not hard-coded: detection is being reworked)."""
    return frozenset(codes(lint(text)))


@lru_cache(maxsize=1)
def _invisibles() -> list[str]:
    """Every default-ignorable or format character (BMP, variation selectors, tags), bidi controls excepted
    (they are FM008 findings of their own)."""
    from linter.normalise import IGNORABLE_RE
    from linter.rules.form.fm008_hidden_text import BIDI_RE

    candidates = (*range(0x80, 0x10000), *range(0xE0000, 0xE0080), *range(0xE0100, 0xE01F0))
    return [chr(c) for c in candidates if IGNORABLE_RE.match(chr(c)) and not BIDI_RE.match(chr(c))
            and not 0xD800 <= c <= 0xDFFF]


@lru_cache(maxsize=1)
def _look_alikes() -> dict[str, list[str]]:
    from linter.normalise import confusables

    out: dict[str, list[str]] = {}
    for ch, letter in sorted(confusables().items()):
        if letter.isalpha():
            out.setdefault(letter, []).append(ch)
    return out


@st.composite
def dodged(draw):
    text = draw(st.sampled_from(KNOWN_BAD))
    chars = list(text)
    letters = [i for i, c in enumerate(chars) if c.isascii() and c.isalpha()]
    alikes = _look_alikes()
    for i in draw(st.lists(st.sampled_from(letters), max_size=25, unique=True)):
        if chars[i] in alikes:
            chars[i] = draw(st.sampled_from(alikes[chars[i]]))
    inner = [i for i in range(1, len(text)) if text[i - 1].isalpha() and text[i].isalpha()]
    for i in sorted(draw(st.lists(st.sampled_from(inner), min_size=1, max_size=25, unique=True)), reverse=True):
        chars.insert(i, draw(st.sampled_from(_invisibles())))
    return text, "".join(chars)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dodged())
def test_random_invisibles_and_look_alikes_keep_every_code(case):
    clean, dirty = case
    report = lint(dirty)
    assert frozenset(codes(report)) == _expected(clean), dirty
    for f in report.findings:
        assert dirty[f.start:f.end] == f.excerpt


def test_the_character_sets_are_real():
    """The property test draws from Unicode's data, not a short list."""
    assert len(_invisibles()) > 400 and {"\u200b", "\u3164", "\u180b", "\ufe0f", "\U000e0041"} <= set(_invisibles())
    assert sum(map(len, _look_alikes().values())) > 1000 and "\u0585" in _look_alikes()["o"]


def test_a_config_file_linked_out_of_its_folder_is_not_read(cli, tmp_path):
    (tmp_path / "elsewhere.toml").write_text('[tool.outreach-lint]\nfail-on = "never"\n')
    repo = tmp_path / "repo"
    repo.mkdir()
    os.symlink(tmp_path / "elsewhere.toml", repo / "pyproject.toml")
    (repo / "d.txt").write_text(BAD)
    os.chdir(repo)
    assert cli("check", "d.txt", "--no-cache")[0] == 1       # the linked config (fail-on never) is not used
