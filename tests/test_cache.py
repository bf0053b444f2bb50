"""The result cache: a second run over unchanged drafts does no NLP; any change that matters misses."""
import os
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

import linter.engine
from linter import Config, Source, lint_many
from linter.cache import Cache

ASK = "Hi Marco, thanks for connecting. Are you free for a quick 15-minute call on Thursday?"


@pytest.fixture
def no_nlp(monkeypatch):
    """Make any attempt to parse fail, to prove a run was served from the cache."""
    def refuse(*args, **kwargs):
        raise AssertionError("spaCy was asked to parse a cached draft")

    monkeypatch.setattr(linter.engine, "_run", refuse)


def lint_all(sources, cache, config=None):
    return [(r.path, [(f.code, f.start, f.end) for f in r.findings], r.metrics)
            for r in lint_many(sources, config, cache=cache)]


def test_second_run_is_served_from_the_cache(tmp_path, request):
    cache = Cache(tmp_path / "cache")
    sources = [Source(text=ASK, path="a.txt"), Source(text=ASK + " Thanks!", path="b.txt")]
    first = lint_all(sources, cache)
    request.getfixturevalue("no_nlp")
    assert lint_all(sources, cache) == first
    assert (tmp_path / "cache" / "CACHEDIR.TAG").exists()


@pytest.mark.parametrize("change", ["text", "stage", "config", "profile"])
def test_changes_that_matter_miss_the_cache(tmp_path, monkeypatch, change):
    cache = Cache(tmp_path / "cache")
    lint_all([Source(text=ASK, path="a.txt")], cache)
    source = Source(text=ASK, path="a.txt")
    config = None
    if change == "text":
        source = Source(text=ASK + " Cheers", path="a.txt")
    elif change == "stage":
        source = Source(text=ASK, path="a.txt", stage="reply")
    elif change == "config":
        config = Config(ignore=("HS002",))
    else:
        from linter.profile import from_mapping

        source = Source(text=ASK, path="a.txt", profile=from_mapping({"first_name": "Marco"}, "p"))
    calls = []
    original = linter.engine._run
    monkeypatch.setattr(linter.engine, "_run", lambda *a, **k: calls.append(1) or original(*a, **k))
    lint_all([source], cache, config)
    assert calls


def test_a_profile_file_named_in_front_matter_is_part_of_the_key(tmp_path):
    (tmp_path / "p.yaml").write_text("first_name: Marco\n")
    text = "---\nrecipient: p.yaml\n---\nHi Marco, thanks for connecting."
    cache = Cache(tmp_path / "cache")
    key = cache.key(Source(text=text, path="d.txt", base_dir=tmp_path), Config())
    (tmp_path / "p.yaml").write_text("first_name: Maria\n")
    assert cache.key(Source(text=text, path="d.txt", base_dir=tmp_path), Config()) != key


def test_cli_no_cache_writes_nothing_and_the_cache_lives_outside_the_repo(cli, tmp_path, user_cache):
    (tmp_path / "d.txt").write_text(ASK)
    assert cli("check", "d.txt", "--no-cache")[0] == 0
    assert not user_cache.exists()
    assert cli("check", "d.txt")[0] == 0
    assert sorted(p.name for p in user_cache.iterdir()) == ["CACHEDIR.TAG", "results.sqlite3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.txt"]   # nothing written into the linted folder


def test_the_network_is_really_blocked_in_tests():
    import socket

    with pytest.raises(OSError, match="network access attempted"):
        socket.create_connection(("127.0.0.1", 9))


def test_a_recipient_device_is_one_line_with_the_cache_on(cli, write_draft):
    """The cache key hashes a front-matter profile file with a bounded read, so /dev/zero is refused by the
    profile loader in one line rather than exhausting memory."""
    write_draft("d.txt", "---\nrecipient: /dev/zero\n---\nHi Sam, loved your post on churn.\n")
    code, out, err = cli("check", "d.txt")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_two_runs_at_once_share_the_store(tmp_path):
    """Two `check` processes writing one store at the same time (parallel pre-commit hooks): both finish with
    their own exit code and every draft of both ends up cached."""
    drafts = {"a": [ASK, "Hi Marco, are you free for a demo of our CRM on Friday?"],
              "b": ["Hi Lena, loved your talk at PyCon on typed pipelines. How did the team take the migration?",
                    "Hi Lena, your post on retry budgets was sharp. Did you cap them per tenant?"]}
    for folder, texts in drafts.items():
        (tmp_path / folder).mkdir()
        for i, text in enumerate(texts * 5):
            (tmp_path / folder / f"d{i}.txt").write_text(f"{text} ({folder}{i})\n")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    runs = [subprocess.Popen([sys.executable, "-m", "linter", "check", folder, "--fail-on", "warning", "-f", "concise"],
                             cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for folder in drafts]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    assert [code for code, _ in results] == [1, 0], results
    with closing(sqlite3.connect(tmp_path / "xdg" / "outreach-lint" / "results.sqlite3")) as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone() == (20,)
