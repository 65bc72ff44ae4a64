"""A description of the machine a run happened on, written next to every result."""

from __future__ import annotations

import os
import platform
import random
import socket
import subprocess
import time
from importlib import metadata
from typing import Any


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _command_version(*argv: str) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"


def describe() -> dict[str, Any]:
    return {
        "host": socket.gethostname(),
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": round(_memory_gib(), 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "textual": _version("textual"),
        "httpx": _version("httpx"),
        "orjson": _version("orjson"),
        "qbittorrent_nox": _command_version("qbittorrent-nox", "--version"),
        "tmux": _command_version("tmux", "-V"),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def speed_probe(rounds: int = 5) -> list[float]:
    """Milliseconds a fixed piece of Python work takes (50,000 keyed values sorted), `rounds` times:
    how fast this shared machine was at that moment, to read a run's key timings against."""
    rng = random.Random(1)
    values = {f"{i:040x}": rng.random() for i in range(50_000)}
    hashes = list(values)
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        sorted(hashes, key=values.__getitem__)
        timings.append((time.perf_counter() - started) * 1000)
    return timings
