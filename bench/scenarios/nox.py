"""A real qbittorrent-nox holding thousands of stopped torrents, watched by the floor and by qbtui.

The suite makes the torrents itself: tiny single-file .torrent files (bencoded here; no content on
disk) added stopped in batches. Then, one after another on the same server: nobody watching (the
server's own idle CPU), the floor client, qbtui in tmux. For each, the server's CPU seconds per
minute from /proc; its resident memory before and after. `soak()` leaves qbtui watching for as
long as asked (an hour for the issue's "memory after an hour") and samples the server's memory.

The harness that starts nox is the tests' (tests/support/noxserver.py): a throwaway profile, its
own ports, a random password stored only as a PBKDF2 hash.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench import procfs
from bench.processes import Server
from bench.results import Metric, Run
from bench.scenarios.terminal import app_metrics, watch_app, watch_floor
from qbtui.util import bencode

BATCH = 250


def torrent_bytes(index: int) -> bytes:
    """A valid single-file .torrent of 1 MiB whose pieces hash nothing on disk (it stays stopped)."""
    name = f"qbtui-bench-{index:06d}.bin"
    length = 1024 * 1024
    piece_length = 256 * 1024
    pieces = b"".join(hashlib.sha1(f"{name}/{i}".encode()).digest() for i in range(length // piece_length))
    info = {"length": length, "name": name, "piece length": piece_length, "pieces": pieces}
    return bencode.encode({"info": info, "created by": "qbtui bench", "creation date": 0})


@contextmanager
def nox_server(torrents: int) -> Iterator[Server]:
    from tests.support.noxserver import NoxInstance, NoxOptions, find_nox_binary

    binary = find_nox_binary()
    if binary is None:
        raise RuntimeError("qbittorrent-nox not found (apt-get install qbittorrent-nox)")
    profile = Path(tempfile.mkdtemp(prefix="qbtui-bench-nox-"))
    instance = NoxInstance(binary, profile, NoxOptions(session_timeout=7200))
    instance.start()
    try:
        _fill(instance.url, instance.username, instance.password, torrents)
        yield Server(instance.url, instance.username, instance.password, "v2", instance.pid)
    finally:
        instance.stop()
        shutil.rmtree(profile, ignore_errors=True)


def _fill(url: str, username: str, password: str, count: int, timeout: float = 600.0) -> None:
    with httpx.Client(base_url=url, trust_env=False, timeout=120) as client:
        reply = client.post("/api/v2/auth/login", data={"username": username, "password": password})
        reply.raise_for_status()
        for start in range(0, count, BATCH):
            files = [
                ("torrents", (f"{i}.torrent", torrent_bytes(i), "application/x-bittorrent"))
                for i in range(start, min(start + BATCH, count))
            ]
            # 4.5 says paused, 5.x stopped; each ignores the other's word.
            form = {"paused": "true", "stopped": "true", "skip_checking": "true"}
            client.post("/api/v2/torrents/add", data=form, files=files).raise_for_status()
        deadline = time.monotonic() + timeout
        while len(client.get("/api/v2/torrents/info").json()) < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nox did not list {count} torrents within {timeout:.0f} s")
            time.sleep(1)
        client.post("/api/v2/auth/logout")


def run(out: Run, size: int, *, duration: float, warmup: float) -> None:
    with nox_server(size) as server:
        assert server.pid is not None
        time.sleep(warmup)
        rss_start = procfs.rss_bytes(server.pid)
        idle = procfs.Window(server.pid).run_for(duration)
        floor = watch_floor(server, duration, warmup + 5, server.pid)
        ours, external = watch_app(server, duration, warmup, server.pid, lambda: None)
        rss_end = procfs.rss_bytes(server.pid)
    mb = 1024 * 1024
    out.add(Metric("nox", "server_idle_cpu_s_per_min", size, idle.cpu_per_minute, "s/min", stat="window"))
    out.add(Metric("nox", "server_rss_start_mb", size, rss_start / mb, "MB", stat="once"))
    out.add(Metric("nox", "server_rss_end_mb", size, rss_end / mb, "MB", stat="once"))
    app_metrics(out, "nox", size, ours, floor)
    out.add(Metric("nox", "first_paint_capture_s", size, external, "s", stat="once"))


def soak(out: Run, size: int, *, duration: float, every: float = 30.0) -> None:
    """qbtui watching nox for `duration` seconds; the server's memory sampled every `every` seconds."""
    samples: list[float] = []
    with nox_server(size) as server:
        assert server.pid is not None
        pid = server.pid
        start_rss = procfs.rss_bytes(pid)

        window = procfs.Window(pid)

        def watch_for_duration() -> None:
            window.start()
            deadline = time.monotonic() + duration
            while time.monotonic() < deadline:
                samples.append(procfs.rss_bytes(pid) / 1024 / 1024)
                time.sleep(min(every, max(deadline - time.monotonic(), 0)))

        # watch_app measures its own (tiny) window after this returns; the soak is the part before.
        watch, _ = watch_app(server, 0.1, 5, pid, watch_for_duration)
        usage = window.stop()
    mb = 1024 * 1024
    note = f"{duration / 60:.0f} min with qbtui watching; start {start_rss / mb:.0f} MB"
    out.add(Metric("soak", "server_rss_mb", size, samples[-1], "MB", stat="end", samples=samples, note=note))
    out.add(Metric("soak", "server_cpu_s_per_min", size, usage.cpu_per_minute, "s/min", stat="window"))
    logins = sum(1 for r in watch.trace["requests"] if r["path"].endswith("auth/login"))
    out.add(Metric("soak", "logins", size, logins, "", stat="total", note="whole session"))
