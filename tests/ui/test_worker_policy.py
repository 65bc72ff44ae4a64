"""One policy for background work (qbtui.ui.workers): an unexpected exception in a command or a load
is told to the user and the app goes on; it neither ends the app nor vanishes."""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App

from qbtui.ui.workers import background
from tests.ui.helpers import make_app, until

PACKAGE = Path(__file__).parents[2] / "qbtui"


class Buggy(App[None]):
    @background(group="buggy")
    async def load_things(self) -> None:
        raise KeyError("a bug in a worker")


async def test_an_unexpected_exception_is_told_and_the_app_goes_on() -> None:
    app = Buggy()
    async with app.run_test() as pilot:
        app.load_things()
        await until(pilot, lambda: any("went wrong" in n.title for n in app._notifications), what="the toast")
        (note,) = [n for n in app._notifications if n.title == "Something went wrong"]
        assert "load things failed unexpectedly: KeyError" in note.message
        assert app.is_running


async def test_a_bug_in_a_torrent_command_leaves_the_monitor_running(sim_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.view) > 0 and app.main_screen.table.cursor_hash is not None)
        assert app.api is not None

        async def broken(*args: object, **kwargs: object) -> None:
            raise TypeError("unexpected")

        app.api.recheck = broken  # type: ignore[method-assign]
        await pilot.press("c")
        await until(pilot, lambda: any(n.title == "Something went wrong" for n in app._notifications))
        polls = app.poller.polls
        await until(pilot, lambda: app.poller.polls > polls + 1, what="polling goes on")
        assert app.is_running


def test_every_worker_follows_the_policy() -> None:
    """No bare @work (it ends the app on a bug, or with exit_on_error=False hides it), and work started
    with run_worker is wrapped in guarded()."""
    bare, unguarded = [], []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "workers.py" and re.search(r"@work\b", text):
            bare.append(str(path))
        for call in re.findall(r"run_worker\((.*?)\)", text, re.S):
            if not call.strip().startswith("guarded("):
                unguarded.append(f"{path}: run_worker({call[:60]})")
    assert not bare, f"use @background (qbtui.ui.workers): {bare}"
    assert not unguarded, unguarded
