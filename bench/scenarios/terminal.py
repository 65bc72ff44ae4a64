"""qbtui in a real terminal (tmux) next to the floor client, against one server, in one run.

For each: warm up past the first full update, then watch for `duration` seconds while reading CPU
seconds and resident memory from /proc. For qbtui also: first paint (launch to torrents on screen),
a poll's data to the frame written to the terminal, bytes and requests per poll, logins.
The server is the simulator (in its own process) or a real qbittorrent-nox (see scenarios/nox.py).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench import procfs
from bench.processes import Server, SimProcess, TmuxApp, floor_client
from bench.results import Metric, Run
from bench.stats import median

#: What qbtui asks between two maindata polls of a slow server (qbtui.model.sync), v2 and legacy.
REFRESH_PATHS = ("torrents/info", "transfer/info", "query/torrents", "query/transferInfo")
INTERVAL = 1.5  # qbtui's default: the server's refresh_interval (1500 ms on 4.0.4 and 4.5.2)


@dataclass
class Watch:
    """What one client did during the measured window."""

    usage: procfs.Usage
    server_usage: procfs.Usage | None = None
    trace: dict[str, Any] = field(default_factory=dict)
    window: tuple[float, float] = (0.0, 0.0)  # perf_counter stamps in the client's probe clock


def watch_floor(server: Server, duration: float, warmup: float, server_pid: int | None) -> Watch:
    with floor_client(server, INTERVAL) as process:
        time.sleep(warmup)
        if process.poll() is not None:
            raise RuntimeError("the floor client exited")
        return Watch(*_measure(process.pid, server_pid, duration))


def watch_textual_floor(server: Server, duration: float, warmup: float) -> Watch:
    """bench.textual_floor in tmux: the floor's loop plus the least screen a Textual app can draw."""
    with TmuxApp(server, module="bench.textual_floor") as app:
        assert app.pid is not None
        app.wait_for_torrents()
        time.sleep(warmup)
        return Watch(*_measure(app.pid, None, duration))


def textual_floor_metrics(out: Run, scenario: str, size: int, ours: Watch, textual: Watch) -> None:
    base = textual.usage.cpu_per_minute
    out.add(
        Metric(
            scenario,
            "textual_floor_cpu_s_per_min",
            size,
            base,
            "s/min",
            stat="window",
            note="the floor's loop in a Textual app showing one line",
        )
    )
    out.add(
        Metric(
            scenario,
            "cpu_ratio_to_textual_floor",
            size,
            ours.usage.cpu_per_minute / base if base else float("nan"),
            "×",
            stat="ratio",
        )
    )


def _measure(pid: int, server_pid: int | None, duration: float) -> tuple[procfs.Usage, procfs.Usage | None]:
    server = procfs.Window(server_pid).start() if server_pid else None
    usage = procfs.Window(pid).run_for(duration)
    return usage, server.stop() if server else None


def watch_app(
    server: Server, duration: float, warmup: float, server_pid: int | None, between: Callable[[], None]
) -> tuple[Watch, float]:
    """qbtui in tmux; returns the watch and the external first-paint time (capture-pane)."""
    with TmuxApp(server) as app:
        assert app.pid is not None
        seen = app.wait_for_torrents()
        external_first_paint = seen - app.launched_wall
        time.sleep(warmup)
        between()
        started_wall = time.time()
        usage, server_usage = _measure(app.pid, server_pid, duration)
        ended_wall = time.time()
        trace = app.quit()
    origin_perf, origin_wall = trace["origin"]
    window = (origin_perf + started_wall - origin_wall, origin_perf + ended_wall - origin_wall)
    return Watch(usage, server_usage, trace, window), external_first_paint


def app_metrics(out: Run, scenario: str, size: int, watch: Watch, floor: Watch) -> None:
    trace, (start, end) = watch.trace, watch.window
    mb = 1024 * 1024
    add = out.add
    launch = trace["launch_wall"]
    first_paint = trace["first_paint"]
    if launch and first_paint:
        origin_perf, origin_wall = trace["origin"]
        add(
            Metric(
                scenario,
                "first_paint_s",
                size,
                origin_wall + first_paint - origin_perf - launch,
                "s",
                stat="once",
            )
        )
    repaints = [(frame - arrived) * 1000 for arrived, frame in trace["repaints"] if start <= arrived <= end]
    add(
        Metric(
            scenario,
            "repaint_tmux_ms",
            size,
            median(repaints),
            "ms",
            samples=repaints,
            note=f"n={len(repaints)}",
        )
    )
    ours = watch.usage.cpu_per_minute
    base = floor.usage.cpu_per_minute
    add(
        Metric(
            scenario, "cpu_s_per_min", size, ours, "s/min", stat="window", note=f"{watch.usage.wall:.0f} s"
        )
    )
    add(
        Metric(
            scenario,
            "floor_cpu_s_per_min",
            size,
            base,
            "s/min",
            stat="window",
            note=f"{floor.usage.wall:.0f} s",
        )
    )
    add(
        Metric(scenario, "cpu_ratio_to_floor", size, ours / base if base else float("nan"), "×", stat="ratio")
    )
    add(Metric(scenario, "rss_mb", size, watch.usage.rss_max / mb, "MB", stat="max"))
    add(Metric(scenario, "floor_rss_mb", size, floor.usage.rss_max / mb, "MB", stat="max"))
    requests = trace["requests"]
    in_window = [r for r in requests if start <= r["started"] <= end]
    minutes = (end - start) / 60
    maindata = [r for r in in_window if r["path"].endswith("sync/maindata")]
    # The active torrents and the speeds refreshed while a slow server's maindata rests.
    refreshes = Counter(r["path"] for r in in_window if r["path"].endswith(REFRESH_PATHS))
    others = Counter(
        r["path"] for r in in_window if not r["path"].endswith(("sync/maindata", *REFRESH_PATHS))
    )
    add(Metric(scenario, "requests_per_min", size, len(in_window) / minutes, "/min", stat="window"))
    for name, counted in (("refresh_requests_per_min", refreshes), ("other_requests_per_min", others)):
        note = ", ".join(f"{p} ×{n}" for p, n in counted.items())
        add(Metric(scenario, name, size, sum(counted.values()) / minutes, "/min", stat="window", note=note))
    logins = sum(1 for r in requests if r["path"].rstrip("/").endswith(("login", "auth/login")))
    add(Metric(scenario, "logins", size, logins, "", stat="total", note="whole session"))
    waited = sum(r["ended"] - r["started"] for r in maindata)
    add(Metric(scenario, "maindata_wait_share", size, waited / (end - start), "", stat="window"))
    payloads = trace["payloads"]
    fulls = sum(1 for p in payloads[1:] if p["full_update"])
    add(Metric(scenario, "full_updates_after_first", size, fulls, "", stat="total"))
    steady = [p for p in payloads if start <= p["at"] <= end + 1 and not p["full_update"]]
    changed = sum(p["torrents"] + p["removed"] for p in steady)
    body = sum(r["body_bytes"] for r in maindata)
    wire = [float(r["wire_bytes"]) for r in maindata]
    add(
        Metric(
            scenario,
            "bytes_per_poll",
            size,
            median(wire),
            "B",
            samples=wire,
            note="on the wire (gzip where offered)",
        )
    )
    add(
        Metric(
            scenario,
            "delta_bytes_per_changed_torrent",
            size,
            body / changed if changed else float("nan"),
            "B",
            stat="ratio",
            note=f"{changed / max(len(steady), 1):.0f} torrents changed per poll; JSON bytes",
        )
    )
    if watch.server_usage and floor.server_usage:
        ours_server = watch.server_usage.cpu_per_minute
        floor_server = floor.server_usage.cpu_per_minute
        add(Metric(scenario, "server_cpu_s_per_min", size, ours_server, "s/min", stat="window"))
        add(Metric(scenario, "server_cpu_floor_s_per_min", size, floor_server, "s/min", stat="window"))
        add(
            Metric(
                scenario,
                "server_cpu_ratio_to_floor",
                size,
                ours_server / floor_server if floor_server else float("nan"),
                "×",
                stat="ratio",
            )
        )


def run(out: Run, size: int, *, duration: float, warmup: float, textual_floor: bool = False) -> None:
    with SimProcess(size) as server:
        floor = watch_floor(server, duration, warmup + _full_update_allowance(size), None)
        ours, external = watch_app(server, duration, warmup, None, lambda: None)
        textual = watch_textual_floor(server, duration, warmup) if textual_floor else None
    app_metrics(out, "tmux", size, ours, floor)
    if textual is not None:
        textual_floor_metrics(out, "tmux", size, ours, textual)
    out.add(
        Metric(
            "tmux",
            "first_paint_capture_s",
            size,
            external,
            "s",
            stat="once",
            note="tmux capture-pane, 50 ms polls",
        )
    )


def _full_update_allowance(size: int) -> float:
    """Seconds for a client's first full update to arrive and be parsed (the simulator is slow at 50k)."""
    return 1.0 + size / 5000
