"""Full collections at quiet moments: the interpreter never starts one while the app runs, the app
makes one every so often once no key has come for a moment, and the interpreter's own pace is
back when the app closes."""

from __future__ import annotations

import gc

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from qbtui.model.visibility import Visibility
from qbtui.ui import idle_collector
from qbtui.ui.idle_collector import IdleCollector


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("host")


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(idle_collector, "EVERY", 0.05)
    monkeypatch.setattr(idle_collector, "QUIET", 0.1)
    monkeypatch.setattr(idle_collector, "LATEST", 30.0)


async def test_collections_wait_for_a_quiet_moment(quick: None) -> None:
    before = gc.get_threshold()
    app = Host()
    async with app.run_test() as pilot:
        keys = Visibility()
        collector = IdleCollector(app, keys.since_input)
        collector.start()
        assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] > 10**6
        for _ in range(30):  # a key every 20 ms: never quiet for 0.1 s
            keys.saw_input()
            await pilot.pause(0.02)
        assert collector.collections == 0
        await pilot.pause(0.3)
        assert collector.collections >= 1
        collector.stop()
    assert gc.get_threshold() == before


async def test_keys_that_never_stop_put_it_off_only_so_long(
    quick: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_collector, "LATEST", 0.2)
    app = Host()
    async with app.run_test() as pilot:
        keys = Visibility()
        collector = IdleCollector(app, keys.since_input)
        collector.start()
        for _ in range(30):
            keys.saw_input()
            await pilot.pause(0.02)
        assert collector.collections >= 1
        collector.stop()


async def test_the_app_hands_the_pace_back_when_it_closes() -> None:
    from qbtui.sim import SimConfig, Simulator, run_in_thread
    from tests.ui.helpers import make_app, until

    before = gc.get_threshold()
    with run_in_thread(Simulator(SimConfig(seed=5, torrent_count=5))) as url:
        app = make_app(url)
        async with app.run_test() as pilot:
            await until(pilot, lambda: len(app.view) == 5, what="the torrents")
            assert gc.get_threshold()[2] > 10**6
    assert gc.get_threshold() == before
