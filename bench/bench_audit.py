#!/usr/bin/env python
"""Benchmark `outreach-lint audit` on generated LinkedIn exports (tests/linkedin_export.py, fictional people).

    python bench/bench_audit.py [--messages 2000] [--memory 10000,50000] [--skip-dask] [--json]

Throughput: one export of about --messages messages, audited end to end (a fresh process each, model load
included, --no-cache) locally with --jobs 1, locally with --jobs 2, and on a Dask LocalCluster of 2 worker
processes. Memory: exports of each --memory size whose sent texts come from a small pool (distinct_texts), run
twice with a cache: the second, timed run finds every message in the result cache, so it measures the audit's
own streaming machinery (CSV reading, the SQLite spill, staging, thread rules, JSON writing) without NLP. Peak
RSS is ru_maxrss of the audit process (the largest process of the run)."""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from linkedin_export import generate  # noqa: E402

PER_CONVERSATION = 2.45  # messages per generated conversation, measured on the generator


def log(msg: str) -> None:
    print(f"[bench_audit] {msg}", file=sys.stderr, flush=True)


def timed(args: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of `python -m linter ARGS`, from a fresh wrapper process."""
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "rc = subprocess.run(sys.argv[1:]).returncode; "
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)")
    out = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "linter", *args], cwd=cwd,
                         capture_output=True, text=True, check=True).stdout.split()
    seconds, rss, rc = float(out[0]), int(out[1]), int(out[2])
    if rc not in (0, 1):
        raise SystemExit(f"audit failed ({rc}): {args}")
    return seconds, rss // 1024


def count(export: Path, work: Path) -> tuple[int, int]:
    out = work / "count.json"
    subprocess.run([sys.executable, "-m", "linter", "audit", str(export), "--format", "json", "-o", str(out),
                    "--isolated", "--fail-on", "never", "--select", "FM001"], cwd=work, check=True)
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
    return summary["messages"], summary["sent"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--memory", default="10000,50000")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        export = work / "throughput.zip"
        generate(export, "2024", conversations=round(a.messages / PER_CONVERSATION), seed=1)
        messages, sent = count(export, work)
        log(f"throughput export: {messages} messages, {sent} sent")
        base = ["audit", str(export), "--format", "json", "-o", os.devnull, "--isolated", "--no-cache",
                "--fail-on", "never"]
        runs = {"local --jobs 1": ["--jobs", "1"], "local --jobs 2": ["--jobs", "2"]}
        if not a.skip_dask:
            runs["dask LocalCluster, 2 workers"] = ["--engine", "dask", "--scheduler", "local", "--jobs", "2"]
        for name, extra in runs.items():
            log(f"running {name}")
            seconds, rss = timed(base + extra, work)
            rows[name] = {"messages": messages, "sent": sent, "seconds": round(seconds, 1),
                          "sent_per_s": round(sent / seconds, 1), "peak_rss_mib": rss}
        for size in (int(s) for s in a.memory.split(",") if s):
            path = work / f"memory-{size}.zip"
            generate(path, "2024", conversations=round(size / PER_CONVERSATION), seed=2, edge_cases=False,
                     distinct_texts=12)
            args = ["audit", str(path), "--format", "json", "-o", os.devnull, "--isolated", "--fail-on", "never",
                    "--jobs", "1"]
            log(f"memory {size}: warming the cache")
            timed(args, work)
            seconds, rss = timed(args, work)
            rows[f"memory {size}"] = {"messages": size, "seconds": round(seconds, 1),
                                      "messages_per_s": round(size / seconds), "peak_rss_mib": rss}
            log(f"memory {size}: {seconds:.1f} s, {rss} MiB")
    if a.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"outreach-lint audit benchmark on {platform.platform()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    for name, r in rows.items():
        print(f"  {name:<32}" + "  ".join(f"{k} {v}" for k, v in r.items()))


if __name__ == "__main__":
    main()
