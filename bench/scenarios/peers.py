"""qbtui, qbittorrentui and the floor side by side on one real qbittorrent-nox (issue 18).

The server holds `size` stopped torrents. Every client talks to it through `bench.proxy`, which
counts each client's `sync/maindata` polls and, in the churn window, changes 1,000 torrents after
every poll's answer: each poll of every client names exactly 1,000 changed torrents, whatever
the client's rhythm. One client at a time (never two on the two cores), each for an idle window
(nothing changes) and a churn window; a client's CPU per poll is its CPU over the window (all
its threads, /proc) divided by the polls the proxy counted in that window.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import peers, procfs
from bench.processes import PASSWORD_ENV, ROOT, Server, TmuxApp, _stop, floor_client
from bench.results import Metric, Run

CHURN = 1_000
#: The floor's and qbittorrentui's rest between polls (qbittorrentui takes whole seconds only).
INTERVAL = 2
CLIENTS = ("floor", "qbtui", "qbittorrentui")


@dataclass
class Reading:
    cpu: float  # seconds
    wall: float
    polls: int
    server_cpu: float

    @property
    def ms_per_poll(self) -> float:
        return self.cpu / self.polls * 1000 if self.polls else float("nan")

    @property
    def cpu_per_minute(self) -> float:
        return self.cpu / self.wall * 60

    @property
    def polls_per_minute(self) -> float:
        return self.polls / self.wall * 60

    @property
    def server_per_minute(self) -> float:
        return self.server_cpu / self.wall * 60


class ProxyProcess:
    def __init__(self, server: Server) -> None:
        self.server = server
        self.process: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> ProxyProcess:
        env = dict(os.environ, **{PASSWORD_ENV: self.server.password})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.proxy", "--target", self.server.url, "--username",
             self.server.username, "--password-env", PASSWORD_ENV],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            _stop(self.process)
            raise RuntimeError("the proxy exited before listening")
        self.url = json.loads(line)["url"]
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            _stop(self.process)

    def stats(self, churn: int | None = None) -> dict[str, Any]:
        path = "/__bench/stats" if churn is None else f"/__bench/churn?count={churn}"
        reply = httpx.get(self.url + path, timeout=60, trust_env=False)
        reply.raise_for_status()
        result: dict[str, Any] = reply.json()
        return result

    def wait_for_polls(self, count: int, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        start = self.stats()["polls"]
        while self.stats()["polls"] - start < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"fewer than {count} polls through the proxy in {timeout:.0f} s")
            time.sleep(0.2)


def _window(proxy: ProxyProcess, pid: int, server_pid: int, duration: float) -> Reading:
    """CPU of `pid` and of the server over `duration`, from the first poll after the start to the
    last poll before the end (whole polls only)."""
    proxy.wait_for_polls(1)
    server = procfs.Window(server_pid).start()
    client = procfs.Window(pid).start()
    before = proxy.stats()["polls"]
    time.sleep(duration)
    usage = client.stop()
    server_usage = server.stop()
    polls = proxy.stats()["polls"] - before
    return Reading(usage.cpu, usage.wall, polls, server_usage.cpu)


def _measure(
    proxy: ProxyProcess, pid: int, server_pid: int, duration: float, warmup: float
) -> dict[str, Reading]:
    readings: dict[str, Reading] = {}
    for mode, churn in (("idle", 0), ("churn", CHURN)):
        proxy.stats(churn=churn)
        time.sleep(warmup)
        proxy.wait_for_polls(2)  # a poll after the churn was switched on has seen churn
        readings[mode] = _window(proxy, pid, server_pid, duration)
    proxy.stats(churn=0)
    return readings


@contextlib.contextmanager
def _client(name: str, target: Server, workdir: Path) -> Iterator[int]:
    """Start one client against `target` (the proxy); yields its pid once it has its first full list."""
    if name == "floor":
        with floor_client(target, INTERVAL) as process:
            yield process.pid
    elif name == "qbtui":
        # maindata alone, as the floor and qbittorrentui poll: this compares what one poll costs.
        # The refreshes between a slow server's polls (active_interval) are bench.scenarios.fresh's.
        config = workdir / "qbtui.toml"
        config.write_text("active_interval = 0\n")
        with TmuxApp(target, extra_env={"QBTUI_CONFIG": str(config)}) as app:
            assert app.pid is not None
            app.wait_for_torrents(timeout=300)
            yield app.pid
            app.quit()
    else:
        python = peers.qbittorrentui_python()
        config = workdir / "qbittorrentui.ini"
        peers.qbittorrentui_config(config, target.url, target.username, target.password, INTERVAL)
        argv = [str(python), "-m", "qbittorrentui", "-c", str(config)]
        with TmuxApp(target, argv=argv) as app:
            assert app.pid is not None
            yield app.pid


def run(out: Run, size: int, *, duration: float, warmup: float, clients: tuple[str, ...] = CLIENTS) -> None:
    from bench.scenarios.nox import nox_server

    workdir = Path(tempfile.mkdtemp(prefix="qbtui-bench-peers-"))
    results: dict[str, dict[str, Reading]] = {}
    try:
        with nox_server(size) as server, ProxyProcess(server) as proxy:
            assert server.pid is not None
            time.sleep(warmup)
            idle_server = procfs.Window(server.pid).run_for(duration / 2)
            target = Server(proxy.url, server.username, server.password, "v2")
            for name in clients:
                with _client(name, target, workdir) as pid:
                    proxy.wait_for_polls(2)
                    results[name] = _measure(proxy, pid, server.pid, duration, warmup)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _metrics(out, size, results, idle_server.cpu_per_minute)


def _metrics(out: Run, size: int, results: dict[str, dict[str, Reading]], idle_server: float) -> None:
    add = out.add
    add(Metric("peers", "server_idle_cpu_s_per_min", size, idle_server, "s/min", stat="window"))
    for name, readings in results.items():
        for mode, reading in readings.items():
            note = f"{reading.polls} polls in {reading.wall:.0f} s; {reading.cpu_per_minute:.2f} CPU-s/min"
            if mode == "churn":
                note += f"; {CHURN:,} torrents changed per poll"
            add(
                Metric(
                    "peers", f"{name}_{mode}_ms_per_poll", size, reading.ms_per_poll, "ms",
                    stat="window", note=note,
                )
            )  # fmt: skip
            add(
                Metric(
                    "peers", f"{name}_{mode}_server_cpu_s_per_min", size, reading.server_per_minute,
                    "s/min", stat="window", note=f"{reading.polls_per_minute:.1f} polls/min",
                )
            )  # fmt: skip
    floor, ours, peer = (results.get(n) for n in CLIENTS)
    if floor and ours:
        for mode in ("idle", "churn"):
            add(
                Metric(
                    "peers", f"{mode}_ratio_to_floor", size,
                    ours[mode].ms_per_poll / floor[mode].ms_per_poll, "×", stat="ratio",
                    note="qbtui's CPU per poll over the floor's",
                )
            )  # fmt: skip
    if ours and peer:
        add(
            Metric(
                "peers", "churn_share_of_qbittorrentui", size,
                ours["churn"].ms_per_poll / peer["churn"].ms_per_poll, "×", stat="ratio",
                note=f"qbittorrentui {peer['churn'].ms_per_poll:.1f} ms per churn poll; "
                f"{peer['churn'].ms_per_poll / ours['churn'].ms_per_poll:.1f}× qbtui's",
            )
        )  # fmt: skip
