"""CPU time and resident memory of a process, read from /proc (Linux only, like the seedboxes)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of every thread of `pid` so far."""
    with open(f"/proc/{pid}/stat") as handle:
        stat = handle.read()
    # The command name (field 2) may contain spaces; the fields after it are split safely.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def thread_cpu_ns(pid: int) -> dict[int, int] | None:
    """CPU nanoseconds of each live thread of `pid` (/proc/PID/task/TID/schedstat), or None where
    the kernel does not keep them. /proc/PID/stat counts in clock ticks (10 ms): over a short
    window a light process is a handful of ticks, ±20 % from rounding alone."""
    times: dict[int, int] = {}
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as handle:
                    times[int(tid)] = int(handle.read().split()[0])
            except (OSError, ValueError, IndexError):
                continue  # a thread that ended while we looked
    except OSError:
        return None
    return times or None


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * _PAGE


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@dataclass
class Usage:
    """What a process used over one window of wall time."""

    wall: float
    cpu: float
    rss_start: int
    rss_end: int
    rss_max: int

    @property
    def cpu_per_minute(self) -> float:
        return self.cpu / self.wall * 60.0 if self.wall else float("nan")


class Window:
    """`with Window(pid) as w: ...` or start()/stop(); `sample()` tracks the peak RSS in between."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._t0 = self._cpu0 = 0.0
        self._threads0: dict[int, int] | None = None
        self._rss0 = self._rss_max = 0
        self.usage: Usage | None = None

    def start(self) -> Window:
        self._t0 = time.monotonic()
        self._cpu0 = cpu_seconds(self.pid)
        self._threads0 = thread_cpu_ns(self.pid)
        self._rss0 = self._rss_max = rss_bytes(self.pid)
        return self

    def sample(self) -> int:
        rss = rss_bytes(self.pid)
        self._rss_max = max(self._rss_max, rss)
        return rss

    def stop(self) -> Usage:
        rss = self.sample()
        self.usage = Usage(time.monotonic() - self._t0, self._cpu_used(), self._rss0, rss, self._rss_max)
        return self.usage

    def _cpu_used(self) -> float:
        """Nanosecond thread times where the kernel has them and no thread ended in the window (its
        time would be lost); clock ticks otherwise."""
        ticks = cpu_seconds(self.pid) - self._cpu0
        before, after = self._threads0, thread_cpu_ns(self.pid)
        if before is None or after is None or not set(before) <= set(after):
            return ticks
        return sum(ns - before.get(tid, 0) for tid, ns in after.items()) / 1e9

    def run_for(self, seconds: float, every: float = 1.0) -> Usage:
        """Measure for `seconds` of wall time, sampling RSS every `every` seconds."""
        self.start()
        deadline = self._t0 + seconds
        while (left := deadline - time.monotonic()) > 0:
            time.sleep(min(every, left))
            if not alive(self.pid):
                raise RuntimeError(f"process {self.pid} exited during the measurement")
            self.sample()
        return self.stop()
