"""Quiet when unseen (issue 18): qBittorrent's own CPU while qbtui watches it from a tmux session
with a client attached, and after the client detached (qbtui then polls every `unseen_interval`).

A real qbittorrent-nox holds `size` stopped torrents; qbtui runs in tmux (bench.processes.TmuxApp)
through bench.proxy, which counts its polls; a tmux client is attached through a pseudo-terminal of
its own (tests.support.tmuxclient) and then detached. Each window's server CPU is also given net of
the server's own idle CPU (measured last, with no client): what qbtui's polls cost it.
"""

from __future__ import annotations

import time

from bench import procfs
from bench.processes import Server, TmuxApp
from bench.results import Metric, Run
from bench.scenarios.peers import ProxyProcess
from qbtui.model.visibility import LOOK_EVERY, UNSEEN_INTERVAL
from tests.support.tmuxclient import TmuxClient


def _window(proxy: ProxyProcess, server_pid: int, seconds: float) -> tuple[float, int]:
    """(server CPU-s per minute, polls) over `seconds`."""
    before = proxy.stats()["polls"]
    usage = procfs.Window(server_pid).run_for(seconds)
    return usage.cpu_per_minute, proxy.stats()["polls"] - before


def run(out: Run, size: int, *, attached: float, detached: float, warmup: float) -> None:
    from bench.scenarios.nox import nox_server

    with nox_server(size) as server, ProxyProcess(server) as proxy:
        assert server.pid is not None
        time.sleep(warmup)
        target = Server(proxy.url, server.username, server.password, "v2")
        with TmuxApp(target) as app:
            app.wait_for_torrents(timeout=300)
            client = TmuxClient(app.socket, "bench")
            try:
                client.wait_attached()
                proxy.wait_for_polls(2)
                seen, seen_polls = _window(proxy, server.pid, attached)
                client.detach()
                # The app looks every LOOK_EVERY s: the first poll after that rests the long rest.
                time.sleep(LOOK_EVERY + 0.5)
                proxy.wait_for_polls(1)
                unseen, unseen_polls = _window(proxy, server.pid, detached)
            finally:
                client.close()
            app.quit()
        # The server's own CPU with nobody asking, once it has settled after the fill (measured
        # before the clients, it still carried the fill's aftermath: more than detached qbtui).
        time.sleep(warmup)
        idle = procfs.Window(server.pid).run_for(attached / 2).cpu_per_minute
    add = out.add
    add(Metric("unseen", "server_idle_cpu_s_per_min", size, idle, "s/min", stat="window"))
    add(
        Metric(
            "unseen", "attached_server_cpu_s_per_min", size, seen, "s/min", stat="window",
            note=f"{seen_polls} polls in {attached:.0f} s",
        )
    )  # fmt: skip
    add(
        Metric(
            "unseen", "detached_server_cpu_s_per_min", size, unseen, "s/min", stat="window",
            note=f"{unseen_polls} polls in {detached:.0f} s (unseen_interval {UNSEEN_INTERVAL:.0f} s)",
        )
    )  # fmt: skip
    net_seen, net_unseen = max(seen - idle, 1e-9), max(unseen - idle, 0.0)
    add(
        Metric(
            "unseen", "detached_share_of_attached", size, net_unseen / net_seen, "×", stat="ratio",
            note=f"server CPU net of its idle {idle:.2f} s/min: detached {net_unseen:.2f}, "
            f"attached {net_seen:.2f} s/min; gross {unseen / seen:.2f}",
        )
    )  # fmt: skip
