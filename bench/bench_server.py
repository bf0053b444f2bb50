#!/usr/bin/env python
"""Benchmark `outreach-lint server` as an editor drives it, over stdio with pygls's LSP client.

    python bench/bench_server.py [--starts 3] [--edits 300] [--memory-edits 10000] [--interval-ms 2]
                                 [--pause-every 10] [--json]

- time to first diagnostics: from starting the process to the first publishDiagnostics for a draft opened
  right after `initialize` (model loaded in the background), median of --starts fresh servers;
- latency on a warm server: one word of a 100-word draft changed (incremental didChange), time until the
  diagnostics of that version arrive, --edits times (each waits for its diagnostics): median, p95, max;
- memory: VmRSS of the server after warm-up, after 1,000 and after --memory-edits edits, one character
  typed or erased every --interval-ms (faster than anyone types: the server coalesces them), waiting for the
  diagnostics every --pause-every edits (so about one lint per pause);
- each latency edit's text is also linted in the bench's own process with `lint_many` right after (the server
  idle then, the machine's load the same), to show what the server adds to the lint itself.

Needs the project installed (`pip install .`); nothing here touches the network.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parent.parent
TARGETS = {"median_ms": 50.0, "p95_ms": 150.0}
# 100 words: a first message after connecting, personal enough, with a meeting ask in it.
DRAFT = ("Hi Dana, thanks for connecting. I read your post about moving the night shift to fixed routes and the "
         "drop in overtime that followed, and it matched what I have seen at two other depots. I am curious how "
         "you handled the drivers who preferred the old flexible schedule, because that seemed to be the hardest "
         "part for the teams I know. Did you phase the change in by depot, or switch everything over at once? "
         "If it would help, I can share the rota template one of them used. Would you be free for a quick call "
         "on Thursday to compare notes?\n")
WORD = "curious"  # the word the latency edits replace
VARIANTS = ("curious", "keen to know", "wondering", "interested in", "eager to hear")


def log(msg: str) -> None:
    print(f"[bench_server] {msg}", file=sys.stderr, flush=True)


class Session:
    """A server process and a client that records when each document version's diagnostics arrive."""

    def __init__(self) -> None:
        self.client = LanguageClient("bench", "0")
        self.arrived: dict[tuple[str, int | None], float] = {}
        self.waiting: dict[tuple[str, int | None], asyncio.Future] = {}
        self.publishes = 0

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: types.PublishDiagnosticsParams) -> None:
            key = (params.uri, params.version)
            self.arrived[key] = time.perf_counter()
            self.publishes += 1
            if key in self.waiting and not self.waiting[key].done():
                self.waiting[key].set_result(None)

    async def start(self) -> float:
        started = time.perf_counter()
        await self.client.start_io(sys.executable, "-m", "linter", "server", cwd=REPO)
        await self.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=REPO.as_uri(), process_id=None))
        self.client.initialized(types.InitializedParams())
        return started

    @property
    def pid(self) -> int:
        return self.client._server.pid

    def open(self, uri: str, text: str) -> None:
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=text)))

    def change(self, uri: str, version: int, start: tuple[int, int], end: tuple[int, int], text: str) -> None:
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(*start), types.Position(*end)), text=text)]))

    async def wait(self, uri: str, version: int, timeout: float = 120) -> float:
        """When the diagnostics of this version arrived (waiting for them without polling)."""
        key = (uri, version)
        if key not in self.arrived:
            self.waiting[key] = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait_for(self.waiting[key], timeout)
            except TimeoutError:
                raise SystemExit(f"bench_server: no diagnostics for version {version} after {timeout} s") from None
            finally:
                del self.waiting[key]
        return self.arrived[key]

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def rss_mib(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MiB (Linux)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def first_diagnostics(starts: int) -> dict:
    times = []
    for i in range(starts):
        session = Session()
        started = await session.start()
        uri = (REPO / f"bench-first-{i}.txt").as_uri()
        session.open(uri, DRAFT)
        times.append(await session.wait(uri, 1) - started)
        await session.stop()
        log(f"first diagnostics {i + 1}/{starts}: {times[-1]:.2f} s")
    return {"runs": times, "median_s": statistics.median(times)}


def word_edit(text: str, current: str, new: str) -> tuple[tuple[int, int], tuple[int, int], str]:
    """The incremental edit replacing `current` (on the first line) by `new`; the draft is ASCII, so UTF-16
    positions are character offsets."""
    at = text.index(current)
    return (0, at), (0, at + len(current)), text[:at] + new + text[at + len(current):]


async def latency(edits: int) -> dict:
    """Each edit's server latency, and the same text linted in this process right after (the server idle
    then), so that both see the same machine load."""
    from linter import Source, lint_many

    next(lint_many([Source(text=DRAFT)]))  # load the model here too
    session = Session()
    await session.start()
    uri = (REPO / "bench-latency.txt").as_uri()
    session.open(uri, DRAFT)
    await session.wait(uri, 1)
    text, current, samples, library = DRAFT, WORD, [], []
    for version in range(2, edits + 2):
        new = VARIANTS[version % len(VARIANTS)]
        if new == current:
            new = VARIANTS[(version + 1) % len(VARIANTS)]
        start, end, text = word_edit(text, current, new)
        sent = time.perf_counter()
        session.change(uri, version, start, end, new)
        samples.append((await session.wait(uri, version) - sent) * 1000)
        started = time.perf_counter()
        next(lint_many([Source(text=text)]))
        library.append((time.perf_counter() - started) * 1000)
        current = new
        await asyncio.sleep(0.01)  # a pause between keystrokes, as when typing
    await session.stop()
    added = sorted(s - lib for s, lib in zip(samples, library))
    samples.sort()
    return {"edits": edits, "words": len(DRAFT.split()), "median_ms": statistics.median(samples),
            "p95_ms": samples[int(0.95 * (len(samples) - 1))], "max_ms": samples[-1],
            "library_median_ms": statistics.median(library), "added_median_ms": statistics.median(added)}


async def memory(edits: int, interval_ms: float, pause_every: int) -> dict:
    session = Session()
    await session.start()
    uri = (REPO / "bench-memory.txt").as_uri()
    session.open(uri, DRAFT)
    await session.wait(uri, 1)
    points = {"after warm-up": rss_mib(session.pid)}
    publishes_before = session.publishes
    # type and erase a word at the end of the first line, one character per edit, pausing (until the
    # diagnostics of what was typed arrive) every `pause_every` edits
    end = len(DRAFT.rstrip("\n"))
    word, typed, growing, version, started = " rotas", 0, True, 1, time.perf_counter()
    for i in range(edits):
        version += 1
        if growing:
            session.change(uri, version, (0, end + typed), (0, end + typed), word[typed])
            typed += 1
            growing = typed < len(word)
        else:
            typed -= 1
            session.change(uri, version, (0, end + typed), (0, end + typed + 1), "")
            growing = typed == 0
        await asyncio.sleep(interval_ms / 1000)
        if (i + 1) % pause_every == 0:
            await session.wait(uri, version)
        if i + 1 == 1000:
            points["after 1,000 edits"] = rss_mib(session.pid)
    await session.wait(uri, version)
    elapsed = time.perf_counter() - started
    points[f"after {edits:,} edits"] = rss_mib(session.pid)
    lints = session.publishes - publishes_before
    await session.stop()
    return {"edits": edits, "interval_ms": interval_ms, "pause_every": pause_every, "seconds": elapsed,
            "lints_published": lints, "rss_mib": {k: v[0] for k, v in points.items()},
            "peak_mib": max(v[1] for v in points.values())}


def machine() -> str:
    import os

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load average {load}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--memory-edits", type=int, default=10_000)
    parser.add_argument("--interval-ms", type=float, default=2.0)
    parser.add_argument("--pause-every", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    began = time.perf_counter()
    result = {"machine": machine(), "first": await first_diagnostics(args.starts),
              "latency": await latency(args.edits),
              "memory": await memory(args.memory_edits, args.interval_ms, args.pause_every)}
    result["total_s"] = time.perf_counter() - began
    if args.json:
        print(json.dumps(result, indent=2))
        return
    lat, mem, first = result["latency"], result["memory"], result["first"]
    print("outreach-lint server benchmark")
    print(f"machine : {result['machine']}\n")
    print(f"Time to first diagnostics (process start -> publishDiagnostics), median of {len(first['runs'])}: "
          f"{first['median_s']:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in first['runs'])})\n")
    print(f"didChange -> publishDiagnostics, {lat['words']}-word draft, warm server, {lat['edits']} edits:")
    for key, label in (("median_ms", "median"), ("p95_ms", "p95"), ("max_ms", "max")):
        target = TARGETS.get(key)
        verdict = "" if target is None else (f"  target <= {target:.0f} ms: "
                                             f"{'met' if lat[key] <= target else 'MISSED'}")
        print(f"  {label:<7}{lat[key]:8.1f} ms{verdict}")
    print(f"  the same texts linted in-process with lint_many right after each: median "
          f"{lat['library_median_ms']:.1f} ms; the server adds a median {lat['added_median_ms']:.1f} ms")
    print(f"\nMemory: {mem['edits']:,} edits, one every {mem['interval_ms']:g} ms and a pause for diagnostics "
          f"every {mem['pause_every']} ({mem['seconds']:.0f} s), {mem['lints_published']} lints published")
    for label, value in mem["rss_mib"].items():
        print(f"  VmRSS {label:<22}{value:8.1f} MiB")
    print(f"  VmHWM (peak){'':<17}{mem['peak_mib']:8.1f} MiB")
    points = list(mem["rss_mib"].values())
    if len(points) == 3:
        print(f"  growth 1,000 -> {mem['edits']:,} edits: {points[2] / points[1]:.3f}x")
    print(f"\ntotal bench wall time: {result['total_s']:.0f} s")


if __name__ == "__main__":
    asyncio.run(main())
