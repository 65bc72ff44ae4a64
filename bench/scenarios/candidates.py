"""What each request a fresher polling plan could use costs qBittorrent (issue 18), on a real
qbittorrent-nox holding `size` stopped torrents: the server's CPU per request, one request at a time
from a plain httpx client, the server's idle CPU over the same time subtracted.

Candidates: a full `sync/maindata` (rid=0), an idle `sync/maindata` delta, `torrents/info` filtered
to active / downloading torrents, to one category of a few torrents, to 40 hashes (a screenful),
and `transfer/info`. The torrents are stopped: the filtered lists come back empty or short, so
their cost here is the filter's pass over every torrent, the least such a request costs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from bench import procfs
from bench.results import Metric, Run
from bench.stats import median

CATEGORY = "bench-few"


def _cpu(pid: int) -> float:
    """The server's CPU seconds so far, in nanoseconds' resolution where /proc has it (a request
    of a few ms is below the 10 ms ticks of /proc/PID/stat)."""
    threads = procfs.thread_cpu_ns(pid)
    return sum(threads.values()) / 1e9 if threads else procfs.cpu_seconds(pid)


def _per_request(server_pid: int, send: Callable[[], object], count: int) -> tuple[float, float]:
    """Median server CPU seconds per request over `count` rounds of one request each (gross: with
    the server's own idle CPU over the round), and the median round's wall time."""
    costs, walls = [], []
    for _ in range(count):
        started, cpu0 = time.monotonic(), _cpu(server_pid)
        send()
        time.sleep(0.02)  # the server finishes its bookkeeping after the answer
        costs.append(_cpu(server_pid) - cpu0)
        walls.append(time.monotonic() - started)
    return median(costs), median(walls)


def run(out: Run, size: int, *, rounds: int = 9, settle: float = 30.0) -> None:
    from bench.scenarios.nox import nox_server

    with nox_server(size) as server, httpx.Client(base_url=server.url, trust_env=False, timeout=120) as c:
        assert server.pid is not None
        login = {"username": server.username, "password": server.password}
        c.post("/api/v2/auth/login", data=login).raise_for_status()
        hashes = [t["hash"] for t in c.get("/api/v2/torrents/info", params={"limit": 40}).json()]
        c.post("/api/v2/torrents/createCategory", data={"category": CATEGORY, "savePath": ""})
        c.post("/api/v2/torrents/setCategory", data={"hashes": "|".join(hashes[:10]), "category": CATEGORY})
        # Right after the fill the server is still busy with it (10+ CPU-s/min at 10,000).
        time.sleep(settle)
        idle = procfs.Window(server.pid).run_for(10.0)
        idle_per_s = idle.cpu / idle.wall
        rid = c.get("/api/v2/sync/maindata", params={"rid": 0}).json()["rid"]

        def info(**params: str) -> Callable[[], object]:
            return lambda: c.get("/api/v2/torrents/info", params=params).raise_for_status()

        def delta() -> object:
            nonlocal rid
            rid = c.get("/api/v2/sync/maindata", params={"rid": rid}).json()["rid"]
            return rid

        candidates: dict[str, Callable[[], object]] = {
            "maindata_full": lambda: c.get("/api/v2/sync/maindata", params={"rid": 0}).raise_for_status(),
            "maindata_delta": delta,
            "info_active": info(filter="active"),
            "info_downloading": info(filter="downloading"),
            "info_category": info(category=CATEGORY),
            "info_40_hashes": info(hashes="|".join(hashes)),
            "transfer_info": lambda: c.get("/api/v2/transfer/info").raise_for_status(),
        }
        for name, send in candidates.items():
            cost, wall = _per_request(server.pid, send, rounds)
            note = f"median of {rounds}, gross: idle alone is {idle_per_s * wall * 1000:.1f} ms of a round"
            out.add(Metric("candidates", f"{name}_server_ms", size, cost * 1000, "ms", note=note))
        out.add(Metric("candidates", "server_idle_cpu_s_per_min", size, idle.cpu_per_minute, "s/min"))
