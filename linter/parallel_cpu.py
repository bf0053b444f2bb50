"""How many cores are idle right now, from the kernel's CPU time counters (/proc/stat) sampled over a short
window: unlike the load average (a 1-minute mean), it reflects what the other processes do now."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Snapshot:
    at: float      # time.monotonic()
    idle: int      # idle + iowait ticks, all CPUs
    total: int     # all ticks, all CPUs
    own: float     # this process's CPU seconds


def snapshot() -> Snapshot | None:
    """The counters now, or None where there is no /proc/stat (not Linux)."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = fh.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    ticks = [int(x) for x in fields[1:9]]  # user nice system idle iowait irq softirq steal
    t = os.times()
    return Snapshot(time.monotonic(), ticks[3] + ticks[4], sum(ticks), t.user + t.system)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def idle_cores(before: Snapshot) -> int:
    """Cores idle since `before` (this process's own CPU time counts as idle: its work moves to the workers),
    rounded, between 1 and the usable cores."""
    after = snapshot()
    cores = usable_cores()
    if after is None or after.total <= before.total or after.at <= before.at:
        return 1
    idle_share = (after.idle - before.idle) / (after.total - before.total)  # of all the machine's CPUs
    free = idle_share * (os.cpu_count() or cores) + (after.own - before.own) / (after.at - before.at)
    return max(1, min(cores, int(free + 0.5)))
