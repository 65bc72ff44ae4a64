"""Fresher for the same server cost (issue 18): qbtui in tmux, a client attached, watching a real
qbittorrent-nox of `size` stopped torrents through bench.proxy, once with the active torrents
refreshed while the slow `maindata` rests (the default `active_interval`) and once with
`maindata` alone (`active_interval = 0`).

Per window of `cycles` whole maindata cycles: qBittorrent's CPU per minute (net of its own idle
CPU, measured last), the polls and refreshes the proxy answered, and how old the active torrents
get: the longest and the median gap between two answers that brought them (a `maindata` poll or a
refresh), plus the request itself.
"""

from __future__ import annotations

import itertools
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import procfs
from bench.processes import Server, TmuxApp
from bench.results import Metric, Run
from bench.scenarios.peers import ProxyProcess
from bench.stats import median
from qbtui.model.sync import ACTIVE_INTERVAL
from tests.support.tmuxclient import TmuxClient

MODES = (("refreshed", ACTIVE_INTERVAL), ("maindata_only", 0.0))
#: No maindata cycle of a healthy server takes longer (the wait gives up after this many per cycle).
SECONDS_PER_CYCLE_MAX = 60.0


def _gaps(stats: dict[str, Any], since: float) -> list[float]:
    times = sorted(t for key in ("poll_times", "refresh_times") for t in stats[key] if t >= since)
    return [b - a for a, b in itertools.pairwise(times)]


def _watch(
    proxy: ProxyProcess, target: Server, server_pid: int, active: float, cycles: int
) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="qbtui-fresh-") as folder:
        config = Path(folder) / "config.toml"
        config.write_text(f"active_interval = {active}\n")
        with TmuxApp(target, extra_env={"QBTUI_CONFIG": str(config)}) as app:
            app.wait_for_torrents(timeout=300)
            client = TmuxClient(app.socket, "bench")
            try:
                client.wait_attached()
                proxy.wait_for_polls(2)
                # Whole maindata cycles (answer to answer): at 10,000 a minute holds only six or
                # seven, and one more or less in a fixed window would be 15 % of the CPU.
                window = procfs.Window(server_pid).start()
                before = proxy.stats()
                proxy.wait_for_polls(cycles, timeout=SECONDS_PER_CYCLE_MAX * cycles)
                usage = window.stop()
                after = proxy.stats()
            finally:
                client.close()
            app.quit()
    gaps = _gaps(after, before["now"])
    return {
        "cpu": usage.cpu_per_minute,
        "polls": after["polls"] - before["polls"],
        "refreshes": len(after["refresh_times"]) - len(before["refresh_times"]),
        "age_max": max(gaps, default=float("nan")),
        "age_median": median(gaps) if gaps else float("nan"),
        "wall": usage.wall,
    }


def run(out: Run, size: int, *, cycles: int, warmup: float) -> None:
    from bench.scenarios.nox import nox_server

    found: dict[str, dict[str, float]] = {}
    with nox_server(size) as server, ProxyProcess(server) as proxy:
        assert server.pid is not None
        time.sleep(warmup)
        target = Server(proxy.url, server.username, server.password, "v2")
        for label, active in MODES:
            found[label] = _watch(proxy, target, server.pid, active, cycles)
        time.sleep(warmup)
        idle = procfs.Window(server.pid).run_for(30.0).cpu_per_minute
    add = out.add
    for label, result in found.items():
        polls, refreshes = result["polls"], result["refreshes"]
        note = f"{polls:.0f} maindata polls, {refreshes:.0f} refreshes in {result['wall']:.0f} s"
        add(
            Metric(
                "fresh",
                f"{label}_server_cpu_s_per_min",
                size,
                result["cpu"],
                "s/min",
                stat="window",
                note=note,
            )
        )
        add(
            Metric(
                "fresh", f"{label}_active_age_max_s", size, result["age_max"], "s", stat="max",
                note=f"median {result['age_median']:.2f} s between answers that bring the active torrents",
            )
        )  # fmt: skip
    net = {label: max(result["cpu"] - idle, 1e-9) for label, result in found.items()}
    add(
        Metric(
            "fresh", "refreshed_server_cpu_ratio", size, net["refreshed"] / net["maindata_only"], "×",
            stat="ratio",
            note=f"server CPU net of its idle {idle:.2f} s/min: refreshed {net['refreshed']:.2f}, "
            f"maindata alone {net['maindata_only']:.2f} s/min",
        )
    )  # fmt: skip
