"""The app headless (`App.run_test`) against the simulator in another process.

Measures, with the real poller running: a poll's data to the repainted table, and key latency
(cursor down, page down, a sort change, a filter keystroke, toggling the sidebar, opening details)
from the key event entering the app to the first frame that shows its effect.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from textual import events

from bench import probe
from bench.processes import Server, SimProcess
from bench.results import Metric, Run
from bench.stats import median, p95
from qbtui.api import ConnectionSettings, QbtApi, connect
from qbtui.settings.ui_state import UiState
from qbtui.ui.app import QbtuiApp
from qbtui.ui.widgets.torrent_table import TorrentTable

now = time.perf_counter
SIZE = (160, 45)


def make_app(server: Server) -> QbtuiApp:
    settings = ConnectionSettings(url=server.url, username=server.username, password=server.password)

    async def connector() -> QbtApi:
        return await connect(settings)

    # UiState() without a path: toggling the sidebar or sorting must not write the user's file.
    return QbtuiApp(connector, ui_state=UiState())


def send_key(app: QbtuiApp, key: str, char: str | None = None) -> None:
    """What a terminal driver does with a keypress: one Key event into the app's queue."""
    event = events.Key(key, char if char is not None else (key if len(key) == 1 else None))
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


@dataclass
class KeyCase:
    name: str
    key: str
    char: str | None
    #: Made just before the key is sent; returns the check that the key's effect is on screen.
    effect: Callable[[], Callable[[], bool]]


async def _wait(seconds: float) -> None:
    await asyncio.sleep(seconds)


async def _measure_key(app: QbtuiApp, recorder: probe.Probe, case: KeyCase) -> float:
    check = case.effect()
    started = now()
    send_key(app, case.key, case.char)
    shown = await recorder.until(check, timeout=30)
    return shown - started


def _cases(app: QbtuiApp) -> dict[str, Callable[[], KeyCase]]:
    screen = app.main_screen
    table = screen.query_one(TorrentTable)
    view = app.view

    def moved() -> Callable[[], bool]:
        before = table.cursor_hash
        return lambda: table.cursor_hash != before

    def sorted_() -> Callable[[], bool]:
        before = view.sort_column
        return lambda: view.sort_column != before

    def sidebar() -> Callable[[], bool]:
        # `display` answers whether the screen hides it by a class or by setting it directly.
        widget = screen.sidebar
        before = widget.display
        return lambda: widget.display != before

    def details() -> Callable[[], bool]:
        panel = screen.query_one("#details")
        return lambda: panel.display

    return {
        "cursor_down": lambda: KeyCase("cursor_down", "down", None, moved),
        "page_down": lambda: KeyCase("page_down", "pagedown", None, moved),
        "sort_change": lambda: KeyCase("sort_change", "greater_than_sign", ">", sorted_),
        "sidebar_toggle": lambda: KeyCase("sidebar_toggle", "b", "b", sidebar),
        "open_details": lambda: KeyCase("open_details", "enter", "\r", details),
    }


async def _filter_keystrokes(app: QbtuiApp, recorder: probe.Probe, word: str, rounds: int) -> list[float]:
    """Type `word` into the name filter and delete it again, each keystroke timed."""
    view = app.view
    samples = []
    send_key(app, "slash", "/")
    await recorder.until(lambda: app.focused is not None and app.focused.id == "name-filter")
    for _ in range(rounds):
        typed = ""
        for char in word:
            typed += char
            expected = typed
            started = now()
            send_key(app, char, char)
            samples.append(await recorder.until(lambda e=expected: view.name_filter == e, 30) - started)  # type: ignore[misc]
            await _wait(random.uniform(0.05, 0.15))
        for _ in word:
            typed = typed[:-1]
            expected = typed
            started = now()
            send_key(app, "backspace", None)
            samples.append(await recorder.until(lambda e=expected: view.name_filter == e, 30) - started)  # type: ignore[misc]
            await _wait(random.uniform(0.05, 0.15))
    send_key(app, "escape", None)
    await recorder.until(lambda: app.focused is not None and isinstance(app.focused, TorrentTable))
    return samples


async def _keys(app: QbtuiApp, recorder: probe.Probe, rounds: int, seed: int) -> dict[str, list[float]]:
    """Every key of the issue's list, `rounds` times each (the filter: rounds keystrokes or so)."""
    results: dict[str, list[float]] = {}
    details = app.main_screen.query_one("#details")
    rng = random.Random(seed)
    for name, make in _cases(app).items():
        samples = []
        for index in range(rounds):
            samples.append(await _measure_key(app, recorder, make()) * 1000)
            if name == "open_details":
                send_key(app, "enter", "\r")  # close it again, untimed
                await recorder.until(lambda: not details.display)
            elif name == "page_down" and index % 10 == 9:
                send_key(app, "home", None)
            # People do not type at machine speed; and keys must not queue behind each other.
            await _wait(rng.uniform(0.05, 0.15))
        results[f"key_{name}_ms"] = samples
    strokes = await _filter_keystrokes(app, recorder, "linux", max(1, rounds // 10))
    results["key_filter_keystroke_ms"] = [x * 1000 for x in strokes]
    return results


async def _session(
    server: Server, size: int, polls: int, key_rounds: int, keys_while_polling: bool
) -> dict[str, list[float]]:
    probe.install()
    recorder = probe.reset()
    recorder.freeze_gc = os.environ.get("BENCH_GC_FREEZE") == "1"  # python3 -m bench --gc-freeze
    app = make_app(server)
    results: dict[str, list[float]] = {}
    started = now()
    async with app.run_test(size=SIZE) as pilot:
        await recorder.until(lambda: recorder.first_paint is not None, timeout=300)
        assert recorder.first_paint is not None
        results["first_paint_headless_s"] = [recorder.first_paint - started]
        # Repaints: let `polls` payloads arrive after the first one, untouched by keys.
        steady_from = now()
        deadline = steady_from + polls * 1.5 * 4 + 30
        while len(recorder.repaint_latencies(steady_from)) < polls and now() < deadline:
            await _wait(0.2)
        results["repaint_headless_ms"] = [x * 1000 for x in recorder.repaint_latencies(steady_from)]
        if keys_while_polling:
            # Keys that land while a poll is being applied wait for it: the realistic mix.
            polled = await _keys(app, recorder, key_rounds, size)
            results.update({name.replace("_ms", "_polling_ms"): v for name, v in polled.items()})
        # Then each key's own cost: the poller stopped, so a poll (or the simulator, which shares
        # the two cores) cannot land inside a measurement. A poll's own time is repaint_headless_ms.
        app.workers.cancel_group(app, "sync")
        await _wait(0.5)
        results.update(await _keys(app, recorder, key_rounds, size + 1))
        await pilot.pause()
    return results


def run(out: Run, size: int, *, polls: int, key_rounds: int, keys_while_polling: bool = True) -> None:
    with SimProcess(size) as server:
        results = asyncio.run(_session(server, size, polls, key_rounds, keys_while_polling))
    first = results.pop("first_paint_headless_s")
    out.add(Metric("headless", "first_paint_headless_s", size, first[0], "s", stat="once"))
    repaint = results.pop("repaint_headless_ms")
    out.add(Metric("headless", "repaint_headless_ms", size, median(repaint), "ms", samples=repaint))
    for name, samples in results.items():
        out.add(
            Metric(
                "headless",
                name,
                size,
                p95(samples),
                "ms",
                stat="p95",
                samples=samples,
                note=f"median {median(samples):.1f} ms, n={len(samples)}",
            )
        )
