#!/usr/bin/env python
"""Benchmark outreach-lint: cold start, throughput against bare spaCy, and peak memory.

    python bench/bench.py [--drafts 1000] [--repeat 3] [--scale] [--rounds 3] [--skip-peers] [--json]

Needs the project installed (`pip install .` or `pip install -e .`); the corpora are read from the
repository this file sits in (the parent of bench/). Nothing here touches the network.
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO / "corpora"
EXAMPLES = CORPORA / "examples"


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- inputs

def load_records() -> list[dict]:
    files = sorted(CORPORA.glob("*.jsonl"))
    if not files:
        sys.exit(f"bench: no corpora/*.jsonl under {CORPORA}")
    records = []
    for path in files:
        with path.open(encoding="utf-8") as fh:
            records.extend(json.loads(line) for line in fh if line.strip())
    return [r for r in records if r.get("text")]


def make_sources(records: list[dict], n: int, suffix: str = "v"):
    """n Sources cycling through the corpus records, each text made unique with ' (v{i})'."""
    return list(iter_sources(records, n, suffix))


def iter_sources(records: list[dict], n: int, suffix: str = "v"):
    """The same drafts as make_sources, generated one at a time (as the CLI reads files)."""
    from linter import Source

    for i in range(n):
        r = records[i % len(records)]
        yield Source(text=f"{r['text']} ({suffix}{i})", stage=r.get("stage"))


def small_draft_file(tmp: Path, records: list[dict]) -> Path:
    """The smallest example draft in the repo (else a temp file holding the shortest corpus text)."""
    candidates = sorted((p for p in EXAMPLES.glob("*/*.txt")), key=lambda p: (p.stat().st_size, str(p)))
    if candidates:
        return candidates[0]
    r = min(records, key=lambda r: len(r["text"]))
    path = tmp / "draft.txt"
    path.write_text(f"---\nstage: {r.get('stage') or 'post-connection'}\n---\n{r['text']}\n", encoding="utf-8")
    return path


def max_rss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB, macOS bytes


def vm_hwm_bytes() -> int | None:
    """Linux's per-address-space high-water mark, a cross-check on ru_maxrss (None elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


# --------------------------------------------------------------------------- child mode (memory)

def child_rss(n: int) -> None:
    """Run in a fresh process: lint n drafts streamed the way `check` streams them (read one, report one),
    print peak RSS and timings as JSON on stdout."""
    t0 = time.perf_counter()
    from linter import Config, lint_many

    records = load_records()
    t1 = time.perf_counter()
    count = findings = 0
    for report in lint_many(iter_sources(records, n), Config()):
        count += 1
        findings += len(report.findings)
    t2 = time.perf_counter()
    assert count == n, (count, n)
    print(json.dumps({"drafts": n, "findings": findings, "max_rss_bytes": max_rss_bytes(),
                      "vm_hwm_bytes": vm_hwm_bytes(), "setup_s": t1 - t0, "lint_s": t2 - t1}))


# --------------------------------------------------------------------------- measurements

def run_timed(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr.strip()}")
    return elapsed


def cold_start(model: str, draft: Path, repeat: int, cwd: Path) -> dict:
    """Median wall time of the CLI on one draft, beside a bare `spacy.load` of the same model."""
    lint_cmd = [sys.executable, "-m", "linter", "check", str(draft), "--fail-on", "never", "--no-cache"]
    load_cmd = [sys.executable, "-c", f"import spacy; spacy.load({model!r})"]
    log("cold start: 1 untimed warm-up of each command (page cache, .pyc)")
    # the warm-up writes the bytecode an installed package has, even where PYTHONDONTWRITEBYTECODE is set
    compiling = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    run_timed(lint_cmd, cwd, compiling)
    run_timed(load_cmd, cwd, compiling)
    lint_times, load_times = [], []
    for i in range(repeat):  # interleaved so drift hits both alike
        lint_times.append(run_timed(lint_cmd, cwd))
        load_times.append(run_timed(load_cmd, cwd))
        log(f"cold start run {i + 1}/{repeat}: lint {lint_times[-1]:.2f}s, spacy.load {load_times[-1]:.2f}s")
    lint_med, load_med = statistics.median(lint_times), statistics.median(load_times)
    return {
        "draft_file": str(draft.relative_to(REPO) if draft.is_relative_to(REPO) else draft),
        "repeat": repeat,
        "lint_cli_s": lint_med, "lint_cli_runs_s": lint_times,
        "spacy_load_s": load_med, "spacy_load_runs_s": load_times,
        "ratio": lint_med / load_med,
        "lint_cmd": "python -m linter check FILE --fail-on never --no-cache",
        "spacy_cmd": f"python -c \"import spacy; spacy.load('{model}')\"",
    }


def throughput(records: list[dict], n: int) -> dict:
    """In-process: lint_many over n drafts vs a bare nlp.pipe over the same texts: on the very pipeline object
    lint_many used (what the linter adds after parsing) and on the stock pipeline `spacy.load(model)` gives
    (the spaCy pass the rules need, as spaCy ships it). CPU seconds (time.process_time) beside wall seconds:
    other processes on a shared machine slow the wall clock, not the CPU time."""
    import spacy

    from linter import Config, lint_many
    from linter import engine, nlp as nlp_mod

    config = Config()
    sources = make_sources(records, n)
    # Which pipeline lint_many asks for (it drops NER when no active rule in a batch needs it).
    ner_flags = {engine.needs_ner(engine.active_rules(config, s.stage or config.stage)) for s in sources}

    step = max(1, len(records) // engine.BATCH_SIZE)
    warm = make_sources(records[::step][:engine.BATCH_SIZE], min(engine.BATCH_SIZE, len(records[::step])),
                        suffix="warm-up ")
    log(f"throughput: warm-up (loads the model), {len(warm)} drafts")
    t0 = time.perf_counter()
    list(lint_many(warm, config))
    warm_s = time.perf_counter() - t0

    # Same call signature as engine._run, so lru_cache hands back the very object lint_many used.
    misses = nlp_mod.load.cache_info().misses
    nlp = nlp_mod.load(config.model, ner=True in ner_flags)
    same_object = nlp_mod.load.cache_info().misses == misses
    stock = spacy.load(nlp_mod.resolve_model(config.model), exclude=[] if True in ner_flags else ["ner"])
    for pipeline in (nlp, stock):
        list(pipeline.pipe([t.text for t in warm], batch_size=engine.BATCH_SIZE))

    # The variants run over the same chunks, in an order that rotates, so machine drift and noisy neighbours
    # hit them alike. A chunk is a multiple of the engine's batch size, so lint_many batches exactly as it
    # would in one call; the per-chunk ratios show how noisy the measurement is.
    chunk = 4 * engine.BATCH_SIZE
    totals = {name: [0.0, 0.0] for name in ("lint", "bare", "stock")}
    ratios: dict[str, list[float]] = {"bare": [], "stock": []}

    def timed(name, part):
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        if name == "lint":
            out = list(lint_many(part, config))
        else:
            out = list((nlp if name == "bare" else stock).pipe([s.text for s in part], batch_size=engine.BATCH_SIZE))
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        assert len(out) == len(part)
        totals[name][0] += cpu
        totals[name][1] += wall
        return cpu

    log(f"throughput: lint_many vs bare nlp.pipe (same and stock pipeline) over {n} drafts, chunks of {chunk}")
    order = ["lint", "bare", "stock"]
    for k, start in enumerate(range(0, n, chunk)):
        part = sources[start:start + chunk]
        cpu = {name: timed(name, part) for name in order[k % 3:] + order[:k % 3]}
        for name in ratios:
            ratios[name].append(cpu["lint"] / cpu[name])

    (lint_cpu, lint_wall), (bare_cpu, bare_wall), (stock_cpu, stock_wall) = (totals[k] for k in order)
    return {
        "drafts": n, "warm_up_s": warm_s, "pipeline": nlp.pipe_names, "same_pipeline_object": same_object,
        "stock_pipeline": stock.pipe_names, "ner_loaded_for_batches": sorted(ner_flags),
        "lint_s": lint_cpu, "lint_wall_s": lint_wall, "lint_drafts_per_s": n / lint_cpu,
        "bare_s": bare_cpu, "bare_wall_s": bare_wall, "bare_drafts_per_s": n / bare_cpu,
        "stock_s": stock_cpu, "stock_wall_s": stock_wall, "stock_drafts_per_s": n / stock_cpu,
        "overhead_ratio": lint_cpu / stock_cpu, "own_work_ratio": lint_cpu / bare_cpu, "chunk": chunk,
        "chunk_ratio_min": min(ratios["stock"]), "chunk_ratio_max": max(ratios["stock"]),
    }


def write_drafts(records: list[dict], n: int, folder: Path) -> Path:
    """n draft files (front matter with the stage), as a repo of templates and sequences would hold them."""
    if not folder.exists():
        folder.mkdir()
        for i, source in enumerate(iter_sources(records, n)):
            (folder / f"d{i:05}.txt").write_text(f"---\nstage: {source.stage or 'cold'}\n---\n{source.text}\n",
                                                 encoding="utf-8")
    return folder


def run_measured(cmd: list[str], cwd: Path, env: dict | None = None, ok=(0,)) -> dict:
    """Wall seconds, CPU seconds (the process and its children) and peak RSS of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok:
        shown = " ".join(cmd[:4]) + (" ..." if len(cmd) > 4 else "")
        sys.exit(f"bench: {shown} exited {proc.returncode}:\n{proc.stderr.decode(errors='replace')[-2000:]}")
    return {"wall_s": wall, "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "stdout_bytes": len(proc.stdout), "output_bytes": len(proc.stdout) + len(proc.stderr)}


def cli_jobs(records: list[dict], n: int, jobs: int, cwd: Path) -> dict:
    """End to end: `check` over n draft files, serial (--jobs 1) and with --jobs, each a fresh process, so
    start-up is counted; the two alternate, twice, and each keeps its faster run."""
    folder = write_drafts(records, n, cwd / f"drafts-{n}")
    out = {"drafts": n, "jobs": jobs, "serial_s": float("inf"), "parallel_s": float("inf")}
    for _ in range(2):
        for label, j in (("serial_s", 1), ("parallel_s", jobs)):
            log(f"cli: check {n} files --jobs {j}")
            cmd = [sys.executable, "-m", "linter", "check", str(folder), "--no-cache", "--fail-on", "never",
                   "--format", "concise", "--jobs", str(j)]
            out[label] = min(out[label], run_measured(cmd, cwd)["wall_s"])
    out["speedup"] = out["serial_s"] / out["parallel_s"]
    return out


PEERS = {  # name: (how to find it, command line for a folder of .txt files)
    "alex": "npm", "write-good": "npm", "proselint": "pypi",
}


def find_peer(name: str) -> list[str] | None:
    """The command that runs a peer linter, or None when it is not installed: npm packages from
    $BENCH_NODE_MODULES/.bin, ./node_modules/.bin or PATH; proselint from this Python or PATH."""
    import shutil

    if name == "proselint":
        if importlib.util.find_spec("proselint") is not None:
            return [sys.executable, "-m", "proselint"]
        found = shutil.which("proselint")
        return [found] if found else None
    for base in (os.environ.get("BENCH_NODE_MODULES"), str(REPO / "node_modules"), "node_modules"):
        if base and (Path(base) / ".bin" / name).exists():
            return [str(Path(base) / ".bin" / name)]
    found = shutil.which(name)
    return [found] if found else None


def peer_command(name: str, exe: list[str], folder: Path, files: list[Path]) -> list[str]:
    if name == "alex":
        return [*exe, "--text", str(folder)]
    if name == "write-good":
        return [*exe, *map(str, files)]
    return [*exe, "check", str(folder)]


def peers(records: list[dict], n: int, cwd: Path, rounds: int) -> dict:
    """`outreach-lint check DIR` with its default options (a cold result cache in a fresh folder) beside the
    peer prose linters on the same n files, in one run: the commands alternate, `rounds` times, and each
    keeps its median wall time (and CPU seconds)."""
    folder = write_drafts(records, n, cwd / f"drafts-{n}")
    files = sorted(folder.glob("*.txt"))
    commands = {"outreach-lint": [sys.executable, "-m", "linter", "check", str(folder)]}
    missing = {}
    for name, registry in PEERS.items():
        exe = find_peer(name)
        if exe is None:
            missing[name] = (f"not installed: npm install {name} (or set BENCH_NODE_MODULES)" if registry == "npm"
                             else f"not installed: pip install {name}")
        else:
            commands[name] = peer_command(name, exe, folder, files)
    runs: dict[str, list[dict]] = {name: [] for name in commands}
    names = list(commands)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            cmd = commands[name]
            log(f"peers: round {r + 1}/{rounds}: {name} on {n} files")
            env = dict(os.environ)
            if name == "outreach-lint":  # default options, but a cache of its own that starts empty
                env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="cache-", dir=cwd)
            # a prose linter's exit code counts its findings (write-good: one per suggestion, modulo 256), so
            # only a signal (a negative code) or no output at all means it failed
            run = run_measured(cmd, cwd, env, ok=(0, 1) if name == "outreach-lint" else range(256))
            if run["output_bytes"] == 0 and name != "outreach-lint":  # alex reports on stderr
                sys.exit(f"bench: {name} printed nothing on {n} files")
            runs[name].append(run)
    rows = {name: {"wall_s": statistics.median(x["wall_s"] for x in rs), "cpu_s": statistics.median(
        x["cpu_s"] for x in rs), "runs_wall_s": [x["wall_s"] for x in rs]} for name, rs in runs.items()}
    ours = rows["outreach-lint"]
    for name, row in rows.items():
        row["drafts_per_s"] = n / row["wall_s"]
        row["speed_vs_outreach_lint"] = ours["wall_s"] / row["wall_s"]  # > 1: the peer is faster
    return {"drafts": n, "rounds": rounds, "rows": rows, "missing": missing,
            "commands": {k: " ".join(v[:1] + ["..."] if len(v) > 6 else v) for k, v in commands.items()}}


def format_memory(records: list[dict], sizes: list[int], cwd: Path) -> list[dict]:
    """Peak RSS of `check DIR --format F --jobs 1` (a fresh process) for json and sarif at each size: the
    whole-document formats stream, so the peak should not grow with the number of drafts."""
    out = []
    for n in sizes:
        folder = write_drafts(records, n, cwd / f"drafts-{n}")
        for fmt in ("json", "sarif"):
            log(f"memory: check {n} files --format {fmt}")
            cmd = [sys.executable, str(Path(__file__).resolve()), "--_child-cli", str(folder), fmt]
            proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if proc.returncode != 0:
                sys.exit(f"bench: memory child for {fmt} {n} failed:\n{proc.stderr.strip()[-2000:]}")
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            out.append({"drafts": n, "format": fmt, **row, "max_rss_mib": row["max_rss_bytes"] / 2**20})
    return out


def child_cli(folder: str, fmt: str) -> None:
    """Run `check` in this fresh process, output to a file, and print its peak RSS as JSON."""
    from linter.cli import main

    out = Path(tempfile.mkdtemp()) / f"out.{fmt}"
    t0 = time.perf_counter()
    sys.argv = ["outreach-lint", "check", folder, "--no-cache", "--fail-on", "never", "--jobs", "1",
                "--format", fmt, "--output-file", str(out)]
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, 1, None):
            raise
    print(json.dumps({"max_rss_bytes": max_rss_bytes(), "vm_hwm_bytes": vm_hwm_bytes(),
                      "output_bytes": out.stat().st_size, "wall_s": time.perf_counter() - t0}))


def peak_memory(sizes: list[int], cwd: Path) -> list[dict]:
    """Peak RSS of fresh child processes. Runs before this process imports spaCy: on Linux a child's
    ru_maxrss starts at the RSS its parent had when it forked (maxrss survives exec), so a big parent
    would mask the child's own peak."""
    out = []
    for n in sizes:
        log(f"memory: child process linting {n} drafts")
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--_child-rss", str(n)],
                              cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            sys.exit(f"bench: memory child for {n} drafts failed:\n{proc.stderr.strip()}")
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        row["max_rss_mib"] = row["max_rss_bytes"] / 2**20
        out.append(row)
    return out


def git_revision() -> str | None:
    """Commit of the repo the corpora came from, '+dirty' if linter/ has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, timeout=10)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "linter"], cwd=REPO,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return head.stdout.strip() + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None


def machine(model: str) -> dict:
    import spacy
    import linter

    try:
        from importlib.metadata import version
        model_version = version(model)
    except Exception:  # a path or an unpackaged model
        model_version = "?"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "git": git_revision(),
        "platform": platform.platform(), "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(), "cpus_usable": usable,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "spacy": spacy.__version__, "model": model, "model_version": model_version,
        "linter": linter.__version__, "linter_path": str(Path(linter.__file__).parent),
    }


# --------------------------------------------------------------------------- output

TARGETS = {"overhead": 1.15, "cold_start": 1.30, "memory_growth": 1.05,  # issue 5's targets
           "format_memory_growth": 1.10, "vs_alex": 1.00}  # issue 14's


def verdict(value: float, target: float) -> str:
    return f"target <= {target:.2f}x: {'met' if value <= target else 'MISSED'} ({value - target:+.2f})"


def render(res: dict) -> str:
    m, c = res["machine"], res["cold_start"]
    lines = [
        "outreach-lint benchmark",
        f"machine : {m['platform']}, {m['cpu_count']} CPUs ({m['cpus_usable']} usable), {m['processor']}",
        f"python  : {m['python']} ({sys.executable})",
        f"software: outreach-lint {m['linter']} ({m['linter_path']}), spaCy {m['spacy']}, "
        f"{m['model']} {m['model_version']}" + (f"; repo at {m['git']}" if m.get("git") else ""),
        "",
    ]
    w = max(52, len(c["spacy_cmd"]) + 2)

    def row(label, *cols):
        return f"  {label:<{w}}" + "".join(f"{col:>12}" for col in cols)

    lines.append(f"Cold start: median of {c['repeat']} runs (+1 warm-up), draft {c['draft_file']}")
    lines.append(row("", "seconds"))
    lines.append(row(c["lint_cmd"], f"{c['lint_cli_s']:.2f}"))
    lines.append(row(c["spacy_cmd"], f"{c['spacy_load_s']:.2f}"))
    lines.append(row("ratio (CLI / spacy.load)", f"{c['ratio']:.2f}x") + "  " + verdict(c["ratio"], TARGETS["cold_start"]))
    for t in res["throughput"]:
        lines.append("")
        lines.append(f"Throughput: {t['drafts']} drafts in-process after warm-up, one pass each, interleaved in "
                     f"chunks of {t['chunk']}, batch_size 64; CPU seconds (wall seconds in brackets)")
        lines.append(f"  linter pipeline: {', '.join(t['pipeline'])} (same object as lint_many used: "
                     f"{'yes' if t['same_pipeline_object'] else 'NO'})")
        lines.append(f"  stock pipeline:  {', '.join(t['stock_pipeline'])} (spacy.load as spaCy ships it)")
        lines.append(row("", "CPU s", "drafts/s", "(wall s)"))
        lines.append(row("list(lint_many(sources, Config()))", f"{t['lint_s']:.2f}", f"{t['lint_drafts_per_s']:.1f}",
                         f"({t['lint_wall_s']:.2f})"))
        lines.append(row("stock.pipe(texts, batch_size=64)", f"{t['stock_s']:.2f}", f"{t['stock_drafts_per_s']:.1f}",
                         f"({t['stock_wall_s']:.2f})"))
        lines.append(row("nlp.pipe(texts, batch_size=64), linter's pipeline", f"{t['bare_s']:.2f}",
                         f"{t['bare_drafts_per_s']:.1f}", f"({t['bare_wall_s']:.2f})"))
        lines.append(row("overhead (lint CPU / stock pipeline CPU)", f"{t['overhead_ratio']:.2f}x") + "  "
                     + verdict(t["overhead_ratio"], TARGETS["overhead"]))
        lines.append(row("own work (lint CPU / linter's pipeline CPU)", f"{t['own_work_ratio']:.2f}x"))
        lines.append(f"  (per-chunk overhead over the stock pipeline ranged {t['chunk_ratio_min']:.2f}x to "
                     f"{t['chunk_ratio_max']:.2f}x)")
    lines.append("")
    lines.append("Peak memory: ru_maxrss of a fresh child process streaming drafts through lint_many")
    lines.append(row("", "MiB", "lint s *"))
    for r in res["memory"]:
        label = "1 draft (baseline: model loaded)" if r["drafts"] == 1 else f"{r['drafts']} drafts"
        lines.append(row(label, f"{r['max_rss_mib']:.1f}", f"{r['lint_s']:.2f}"))
    big = [r for r in res["memory"] if r["drafts"] > 1]
    if len(big) >= 2:
        growth = big[-1]["max_rss_bytes"] / big[0]["max_rss_bytes"]
        lines.append(row(f"growth {big[0]['drafts']} -> {big[-1]['drafts']} drafts", f"{growth:.2f}x") + "  "
                     + verdict(growth, TARGETS["memory_growth"]))
    lines.append("  * lint_many wall time in the child, including its first-call model load")
    off = [r["drafts"] for r in res["memory"]
           if r.get("vm_hwm_bytes") and abs(r["max_rss_bytes"] - r["vm_hwm_bytes"]) > 0.05 * r["vm_hwm_bytes"]]
    if off:
        lines.append(f"  ! ru_maxrss and VmHWM disagree by >5% for {off} drafts; see --json")
    if res.get("cli_jobs"):
        j = res["cli_jobs"]
        lines.append("")
        lines.append(f"Parallel: `check` over {j['drafts']} draft files end to end (fresh process, --no-cache)")
        lines.append(row("", "seconds", "drafts/s"))
        lines.append(row("--jobs 1", f"{j['serial_s']:.2f}", f"{j['drafts'] / j['serial_s']:.1f}"))
        lines.append(row(f"--jobs {j['jobs']}", f"{j['parallel_s']:.2f}", f"{j['drafts'] / j['parallel_s']:.1f}"))
        lines.append(row("speed-up", f"{j['speedup']:.2f}x"))
    if res.get("format_memory"):
        lines.append("")
        lines.append("Output memory: peak RSS of `check DIR --format F --jobs 1 -o FILE` (a fresh process each)")
        lines.append(row("", "MiB", "wall s", "output MiB"))
        for r in res["format_memory"]:
            lines.append(row(f"--format {r['format']}, {r['drafts']} drafts", f"{r['max_rss_mib']:.1f}",
                             f"{r['wall_s']:.1f}", f"{r['output_bytes'] / 2**20:.1f}"))
        for fmt in ("json", "sarif"):
            rs = [r for r in res["format_memory"] if r["format"] == fmt]
            if len(rs) >= 2:
                growth = rs[-1]["max_rss_bytes"] / rs[0]["max_rss_bytes"]
                lines.append(row(f"{fmt}: growth {rs[0]['drafts']} -> {rs[-1]['drafts']} drafts", f"{growth:.2f}x")
                             + "  " + verdict(growth, TARGETS["format_memory_growth"]))
    if res.get("peers"):
        p = res["peers"]
        lines.append("")
        lines.append(f"Peers: the same {p['drafts']} draft files, one run, commands alternating, median of "
                     f"{p['rounds']} (fresh processes: start-up counted)")
        lines.append(row("", "wall s", "drafts/s", "CPU s", "vs ours"))
        ours = p["rows"]["outreach-lint"]
        for name, r in p["rows"].items():
            label = "outreach-lint check DIR (default options)" if name == "outreach-lint" else name
            lines.append(row(label, f"{r['wall_s']:.2f}", f"{r['drafts_per_s']:.0f}", f"{r['cpu_s']:.2f}",
                             f"{r['speed_vs_outreach_lint']:.2f}x"))
        if "alex" in p["rows"]:
            ratio = ours["wall_s"] / p["rows"]["alex"]["wall_s"]
            lines.append(row("outreach-lint wall / alex wall", f"{ratio:.2f}x") + "  "
                         + verdict(ratio, TARGETS["vs_alex"]))
        for name, why in p["missing"].items():
            lines.append(f"  {name}: {why}")
    lines.append("")
    lines.append(f"total bench wall time: {res['total_s']:.1f}s")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--drafts", type=int, default=1000, help="drafts for throughput and memory (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="cold-start runs to take the median of (default 3)")
    ap.add_argument("--scale", action="store_true", help="also measure throughput and memory at 10x --drafts "
                                                         "(slow: about 10 minutes on 2 cores)")
    ap.add_argument("--jobs", type=int, default=None, help="workers for the parallel row (default: usable CPUs; "
                                                           "1 skips it)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the peer comparison (default 3)")
    ap.add_argument("--skip-peers", action="store_true", help="skip the comparison with alex, write-good and "
                                                              "proselint")
    ap.add_argument("--_child-rss", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--_child-cli", nargs=2, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args._child_rss is not None:
        child_rss(args._child_rss)
        return
    if args._child_cli is not None:
        child_cli(*args._child_cli)
        return
    if args.drafts < 1 or args.repeat < 1:
        ap.error("--drafts and --repeat must be at least 1")

    t_start = time.perf_counter()
    if importlib.util.find_spec("linter") is None:
        sys.exit("bench: the `linter` package is not importable; run `pip install .` in the repo first")
    records = load_records()
    sizes = [args.drafts] + ([10 * args.drafts] if args.scale else [])

    with tempfile.TemporaryDirectory(prefix="outreach-lint-bench-") as tmp:
        # Subprocesses run from an empty directory so `-m linter` imports the installed package,
        # the same one this process imports, never a stray ./linter.
        cwd = Path(tmp)
        # Memory first, while this process is still small (see peak_memory); then the rest.
        parent_rss = max_rss_bytes()
        memory = peak_memory([1, *sizes], cwd)
        fmt_sizes = [args.drafts, 10 * args.drafts] if args.scale else [max(1, args.drafts // 10), args.drafts]
        res_formats = format_memory(records, fmt_sizes, cwd)

        from linter import nlp as nlp_mod

        model = nlp_mod.resolve_model(None)
        draft = small_draft_file(cwd, records)
        res = {"machine": machine(model), "corpus_records": len(records)}
        res["cold_start"] = cold_start(model, draft, args.repeat, cwd)
        jobs = args.jobs or machine(model)["cpus_usable"] or 1
        res["cli_jobs"] = cli_jobs(records, args.drafts, jobs, cwd) if jobs > 1 else None
        res["throughput"] = [throughput(records, n) for n in sizes]
        res["memory"] = memory
        res["format_memory"] = res_formats
        res["peers"] = None if args.skip_peers else peers(records, args.drafts, cwd, args.rounds)
        res["memory_parent_rss_at_launch_mib"] = parent_rss / 2**20
    res["total_s"] = time.perf_counter() - t_start

    print(json.dumps(res, indent=2) if args.json else render(res))


if __name__ == "__main__":
    main()
