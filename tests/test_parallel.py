"""--jobs: linting in worker processes gives exactly what a serial run gives, in the same order."""
from __future__ import annotations

import json

import pytest

from linter import Config, Source, lint_many
from linter import engine, profile as profile_mod
from linter.cache import Cache
from linter.evaluate import load_records

from conftest import REPO

N = engine.PARALLEL_MIN + 40  # enough for the pool to start


def corpus_sources(n: int) -> list[Source]:
    records = load_records([str(REPO / "corpora")])[:n]
    strict = Config(select=("hard-sell",))  # a per-draft config must reach the workers too
    return [Source(text=r["text"], path=f"draft-{i}.txt", stage=r.get("stage"),
                   profile=profile_mod.from_mapping(r["profile"], "profile") if r.get("profile") else None,
                   config=strict if i % 7 == 0 else None)
            for i, r in enumerate(records)]


def as_dicts(reports) -> list[dict]:
    return [dict(r.to_dict(), path=r.path) for r in reports]


def test_jobs_give_the_serial_findings_in_order():
    sources = corpus_sources(N)
    assert len(sources) == N and sum(s.profile is not None for s in sources) > 20
    serial = as_dicts(lint_many(sources, Config()))
    parallel = as_dicts(lint_many(sources, Config(), jobs=2))
    assert [r["path"] for r in parallel] == [s.path for s in sources]
    assert parallel == serial
    assert sum(len(r["findings"]) for r in serial) > N  # a real run, not an empty one
    strict = [r for i, r in enumerate(serial) if i % 7 == 0]
    assert all(f["category"] == "hard-sell" for r in strict for f in r["findings"])


def test_jobs_with_a_cache(tmp_path):
    sources = corpus_sources(N)
    cache = Cache(tmp_path / "cache")
    first = as_dicts(lint_many(sources[: N // 2], Config(), cache=cache))  # half cached beforehand
    both = as_dicts(lint_many(sources, Config(), cache=cache, jobs=2))
    assert both[: N // 2] == first
    assert both == as_dicts(lint_many(sources, Config()))


def test_small_runs_stay_in_process(monkeypatch):
    """A pre-commit run of a few files never pays for starting workers."""
    def refuse(*args, **kwargs):
        raise AssertionError("a worker pool was started for a small run")

    monkeypatch.setattr(engine, "_parallel", refuse)  # the pool's only way in
    sources = corpus_sources(engine.PARALLEL_MIN - 1)
    assert len(list(lint_many(sources, Config(), jobs=8))) == len(sources)


def test_cli_jobs_same_output(cli, tmp_path):
    records = load_records([str(REPO / "corpora")])[:N]
    folder = tmp_path / "drafts"
    folder.mkdir()
    for i, r in enumerate(records):
        (folder / f"d{i:03}.txt").write_text(f"---\nstage: {r.get('stage') or 'cold'}\n---\n{r['text']}\n",
                                             encoding="utf-8")
    code1, out1, err1 = cli("check", "drafts", "--no-cache", "--format", "json", "--jobs", "1")
    code2, out2, err2 = cli("check", "drafts", "--no-cache", "--format", "json", "--jobs", "2")
    assert (code1, err1) == (1, "") and (code2, err2) == (1, "")
    assert json.loads(out2) == json.loads(out1)
    assert json.loads(out1)["summary"]["files"] == N


@pytest.mark.parametrize("value", ["0", "-1", "x"])
def test_bad_jobs(cli, value):
    code, out, err = cli("check", "-", "--jobs", value)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--jobs" in err


def test_idle_cores_come_from_cpu_time_now(monkeypatch):
    """jobs=0 counts the cores idle over the sampling window, this process's own work included as idle."""
    from linter import parallel_cpu as cpu

    monkeypatch.setattr(cpu.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cpu, "usable_cores", lambda: 2)
    before = cpu.Snapshot(at=10.0, idle=1000, total=5000, own=3.0)
    for idle, own, expected in ((20, 0.0, 2),    # both cores idle over 0.1 s (20 of 20 ticks)
                                (10, 0.0, 1),    # another process kept one core busy
                                (10, 0.1, 2),    # the busy core was this process reading files
                                (1, 0.0, 1)):    # a busy machine: one process, never zero
        after = cpu.Snapshot(at=10.1, idle=1000 + idle, total=5020, own=3.0 + own)
        monkeypatch.setattr(cpu, "snapshot", lambda after=after: after)
        assert cpu.idle_cores(before) == expected, (idle, own)


def test_default_jobs_pick_workers_only_for_large_uncached_runs(monkeypatch, tmp_path):
    from linter import parallel_cpu as cpu

    pools = []
    real = engine._parallel

    def recording(chunks, jobs, cache):
        pools.append(jobs)
        return real(chunks, jobs, cache)

    monkeypatch.setattr(engine, "_parallel", recording)
    monkeypatch.setattr(cpu, "idle_cores", lambda before: 2)  # an idle 2-core machine
    small = corpus_sources(engine.PARALLEL_MIN - 1)
    assert len(list(lint_many(small, Config(), jobs=0))) == len(small) and pools == []
    sources = corpus_sources(N)
    cache = Cache(tmp_path / "cache")
    serial = as_dicts(lint_many(sources, Config(), cache=cache, jobs=1))
    assert as_dicts(lint_many(sources, Config(), cache=cache, jobs=0)) == serial and pools == []  # all cached
    assert as_dicts(lint_many(sources, Config(), jobs=0)) == serial and pools == [2]
    monkeypatch.setattr(cpu, "idle_cores", lambda before: 1)  # one core left free: no pool
    assert as_dicts(lint_many(sources, Config(), jobs=0)) == serial and pools == [2]
