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
    import concurrent.futures

    def refuse(*args, **kwargs):
        raise AssertionError("a worker pool was started for a small run")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
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
