"""Several servers in one table: qbtui headless (`App.run_test`, as in bench.scenarios.headless)
showing `servers` simulators of `size` torrents each (`--server all`), each simulator in its own
process with its usual churn.

Measures: first paint and the time until every server's rows are in, then until the idle work that
follows (the other columns' sorts prepared) is done; a poll's data to the screen;
key p95 (cursor, a filter keystroke, a sort change) with every server polling (`_polling`), and
at the end with the poll loops stopped and the simulators paused (each key's own cost, as
bench.scenarios.headless budgets it: five simulators churning on the client's two cores are this
bench's doing, not the app's; real servers run elsewhere); the app's CPU per
minute against `servers` times the floor client's on one of them (bench.floor), and its memory;
then one server black-holed (SIGSTOP: its connections accepted by the kernel, never answered) and
what that costs the others: their polls per minute (counted by the simulators themselves) and the
keys, before and after, and how long until its rows are marked stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from bench import machine, probe, procfs
from bench.processes import Server, SimProcess, floor_client
from bench.results import Metric, Run
from bench.scenarios.headless import _cases, _filter_keystrokes, _measure_key, send_key
from bench.stats import median, p95
from qbtui.api import ConnectionSettings
from qbtui.api.target import ServerTarget
from qbtui.settings.config import ServerConfig
from qbtui.settings.passwords import PasswordSource
from qbtui.settings.ui_state import UiState
from qbtui.ui.app import QbtuiApp

now = time.perf_counter
SIZE = (160, 45)
INTERVAL = 1.5
MAINDATA = "/sync/maindata"


def make_app(servers: dict[str, Server]) -> QbtuiApp:
    first = next(iter(servers.values()))
    configs = {
        name: ServerConfig(name, s.url, s.username, PasswordSource(plain=s.password), timeout=5)
        for name, s in servers.items()
    }
    settings = ConnectionSettings(url=first.url, username=first.username, password=first.password)
    # UiState() without a path: nothing the keys change is written to the user's files.
    return QbtuiApp(
        ServerTarget(settings),
        ui_state=UiState(),
        servers=configs,
        server_name=next(iter(servers)),
        fleet="all",
    )


@contextlib.contextmanager
def simulators(count: int, size: int) -> Iterator[list[tuple[SimProcess, Server]]]:
    with contextlib.ExitStack() as stack:
        started = []
        for index in range(count):
            process = SimProcess(size, seed=6 + index)
            started.append((process, stack.enter_context(process)))
        yield started


@contextlib.contextmanager
def paused(processes: Iterable[SimProcess]) -> Iterator[None]:
    """The simulators stopped (SIGSTOP) meanwhile, and continued after."""
    pids = [process.process.pid for process in processes if process.process is not None]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


async def _polls(sims: list[tuple[SimProcess, Server]]) -> list[int]:
    """maindata requests each simulator answered since the last call (which resets the counts);
    asked from a thread, so the app's loop goes on meanwhile."""

    def ask() -> list[int]:
        counts = []
        for process, _ in sims:
            paths = process.stats(reset=True)["paths"]
            counts.append(sum(s["requests"] for path, s in paths.items() if path.endswith(MAINDATA)))
        return counts

    return await asyncio.to_thread(ask)


async def _keys(app: QbtuiApp, recorder: probe.Probe, rounds: int) -> dict[str, list[float]]:
    cases = _cases(app)
    found: dict[str, list[float]] = {}
    for name in ("cursor_down", "sort_change"):
        found[name] = []
        for _ in range(rounds):
            found[name].append(await _measure_key(app, recorder, cases[name]()) * 1000)
            await asyncio.sleep(0.1)
    strokes = await _filter_keystrokes(app, recorder, "linux", max(1, rounds // 10))
    found["filter_keystroke"] = [x * 1000 for x in strokes]
    return found


@dataclass
class Outcome:
    first_paint: float = 0.0
    all_servers: float = 0.0
    usage: procfs.Usage | None = None
    repaint: list[float] = field(default_factory=list)
    polls_before: list[float] = field(default_factory=list)
    polls_after: list[float] = field(default_factory=list)
    keys: dict[str, list[float]] = field(default_factory=dict)
    keys_held: dict[str, list[float]] = field(default_factory=dict)
    #: The same keys with every poll loop stopped: each key's own cost (as headless measures it).
    keys_still: dict[str, list[float]] = field(default_factory=dict)
    stale_after: float = 0.0
    sorts_prepared: float = 0.0
    #: bench.machine.speed_probe just before the keys with the polls stopped.
    machine_speed: list[float] = field(default_factory=list)


async def _session(sims: list[tuple[SimProcess, Server]], size: int, duration: float, rounds: int) -> Outcome:
    probe.install()
    recorder = probe.reset()
    servers = {f"s{index}": server for index, (_, server) in enumerate(sims)}
    total = size * len(servers)
    app = make_app(servers)
    results = Outcome()
    window = procfs.Window(os.getpid())
    started = now()
    async with app.run_test(size=SIZE) as pilot:
        await recorder.until(lambda: recorder.first_paint is not None, timeout=300)
        assert recorder.first_paint is not None
        results.first_paint = recorder.first_paint - started
        all_in = await recorder.until(lambda: len(app.view) >= total * 0.99, timeout=300)
        results.all_servers = all_in - started
        await asyncio.sleep(3.0)
        # Once after the lists: the other columns' sorts prepared while idle. Steady state is after.
        preparation = app.main_screen.sort_preparation
        results.sorts_prepared = await recorder.until(lambda: preparation.idle, timeout=120) - all_in
        # Steady state: CPU and memory over `duration`, repaints, each server's polls.
        await _polls(sims)
        counted_from = time.monotonic()
        steady_from = now()
        window.start()
        deadline = time.monotonic() + duration
        while time.monotonic() < deadline:
            await asyncio.sleep(1.0)
            window.sample()
        usage = window.stop()
        results.usage = usage
        results.repaint = recorder.repaint_latencies(steady_from)
        others = sims[:-1]
        before = await _polls(others)
        results.polls_before = [count / (time.monotonic() - counted_from) * 60 for count in before]
        results.keys = await _keys(app, recorder, rounds)
        # One server black-holed: the others must not notice.
        fleet = app.fleet
        assert fleet is not None
        victim_process, _ = sims[-1]
        victim_name = f"s{len(sims) - 1}"
        assert victim_process.process is not None
        await _polls(others)
        counted_from = time.monotonic()
        os.kill(victim_process.process.pid, signal.SIGSTOP)
        try:
            holed_at = now()
            stale_at = await recorder.until(lambda: victim_name in fleet.stale(), timeout=120)
            results.stale_after = stale_at - holed_at
            await asyncio.sleep(duration / 2)
            after = await _polls(others)
            results.polls_after = [count / (time.monotonic() - counted_from) * 60 for count in after]
            results.keys_held = await _keys(app, recorder, rounds)
        finally:
            os.kill(victim_process.process.pid, signal.SIGCONT)
        # Each key's own cost: the poll loops stopped (quietly: no server is marked refused) and the
        # simulators paused, so that their churn does not take the two cores from the app.
        for task in list(fleet.sync._tasks.values()):
            task.cancel()
        await asyncio.sleep(1.0)
        with paused(process for process, _ in sims):
            results.machine_speed = machine.speed_probe()
            results.keys_still = await _keys(app, recorder, rounds)
        send_key(app, "escape", None)
        await pilot.pause()
    return results


def run(out: Run, size: int, *, servers: int, duration: float, warmup: float, key_rounds: int) -> None:
    with simulators(servers, size) as sims:
        with floor_client(sims[0][1], INTERVAL) as floor:
            time.sleep(warmup)
            floor_usage = procfs.Window(floor.pid).run_for(duration)
        results = asyncio.run(_session(sims, size, duration, key_rounds))
    total = size * servers
    note = f"{servers} servers x {size:,}"

    def add(name: str, value: float, unit: str, **more: object) -> None:
        out.add(Metric("fleet", name, total, value, unit, **more))  # type: ignore[arg-type]

    add("fleet_first_paint_s", results.first_paint, "s", stat="once", note=note)
    add("fleet_all_servers_s", results.all_servers, "s", stat="once", note=f"every server's rows in; {note}")
    add(
        "fleet_sorts_prepared_s", results.sorts_prepared, "s", stat="once",
        note="from every row in until the other columns' sorts are prepared (idle work, once)",
    )  # fmt: skip
    repaint = [x * 1000 for x in results.repaint]
    add("fleet_repaint_ms", median(repaint), "ms", samples=repaint, note=note)
    usage = results.usage
    assert usage is not None
    floor_per_min = floor_usage.cpu_per_minute * servers
    add("fleet_cpu_s_per_min", usage.cpu_per_minute, "s/min", stat="window", note=f"{usage.wall:.0f} s")
    add(
        "fleet_floor_x_servers_cpu_s_per_min", floor_per_min, "s/min", stat="window",
        note=f"{servers} x the floor client on one server ({floor_usage.cpu_per_minute:.2f} s/min)",
    )  # fmt: skip
    ratio = usage.cpu_per_minute / floor_per_min if floor_per_min else float("nan")
    add("fleet_cpu_ratio_to_floors", ratio, "×", stat="ratio", note=note)
    add("fleet_rss_mb", usage.rss_max / 2**20, "MB", stat="max", note=note)
    measured = (("", results.keys_still), ("_polling", results.keys), ("_blackholed", results.keys_held))
    for label, keys in measured:
        for name, samples in keys.items():
            add(
                f"fleet_key_{name}{label}_ms", p95(samples), "ms", stat="p95", samples=samples,
                note=f"median {median(samples):.1f} ms, n={len(samples)}",
            )  # fmt: skip
    add(
        "fleet_machine_probe_ms", median(results.machine_speed), "ms", samples=results.machine_speed,
        note="a fixed 50,000-value sort just before the keys with the polls stopped: the machine's speed",
    )  # fmt: skip
    others_before, others_after = sum(results.polls_before), sum(results.polls_after)
    loss = 100 * (1 - others_after / others_before) if others_before else float("nan")
    add(
        "fleet_blackhole_others_poll_loss_pct", max(0.0, loss), "%", stat="ratio",
        note=f"the others' polls/min: {others_before:.0f} before, {others_after:.0f} with one black-holed",
    )  # fmt: skip
    add(
        "fleet_blackhole_stale_s",
        results.stale_after,
        "s",
        stat="once",
        note="until its rows are marked stale",
    )
