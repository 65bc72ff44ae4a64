"""Two actions before a poll has shown the first: the second is planned from the first.

Polls are held back after the first data (the test stands in for a slow server, or for
qBittorrent's own 1.5 s status refresh), so the store still shows the state from before both
actions. Without expectations `p` twice paused twice, and undoing the second of two category
changes went back past the first.
"""

from __future__ import annotations

from pathlib import Path

from qbtui.ui.app import QbtuiApp
from qbtui.ui.screens.dialogs import PickOne
from tests.support.both_servers import Server
from tests.ui.helpers import make_app, until


def held_back(server: Server, tmp_path: Path) -> QbtuiApp:
    """An app whose store will not move after its first data: a long interval, and commands do
    not poke the poller."""
    app = make_app(
        server.url, username=server.username, password=server.password, state_dir=tmp_path, interval=600
    )
    app.poller.poke = lambda: None  # type: ignore[method-assign]
    return app


async def test_p_twice_pauses_then_resumes_and_u_walks_back(server: Server, tmp_path: Path) -> None:
    app = held_back(server, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.view) > 0, what="torrents")
        await pilot.pause()
        api = app.api
        assert api is not None
        main = app.main_screen
        hash = app.view.order[0]
        main.table.move_to_row(0)
        rid = app.store.rid
        was_paused = app.store.torrents[hash].state.is_paused
        paused_first = not was_paused
        await pilot.press("p")
        await until(pilot, lambda: len(main.undo) == 1, what="the first p answered")
        await pilot.press("p")
        await until(pilot, lambda: len(main.undo) == 2, what="the second p answered")
        assert app.store.rid == rid, "a poll ran: the test no longer covers the race"
        descriptions = [item.description for item in app.undo.history()]
        first, second = ("pause", "resume") if paused_first else ("resume", "pause")
        assert descriptions[0].startswith(second) and descriptions[1].startswith(first), descriptions
        await pilot.press("H")
        await until(pilot, lambda: any(n.title == "Undo history" for n in app._notifications), what="H")
        listed = next(n.message for n in app._notifications if n.title == "Undo history")
        # One line per action, newest first (line breaks kept, not shown as U+FFFD).
        lines = listed.split("\n")
        assert "\ufffd" not in listed and len(lines) == 3, listed
        assert second in lines[1] and first in lines[2], listed

        async def paused_on_server() -> bool:
            (torrent,) = await api.torrents(hashes=[hash])
            return torrent.state.is_paused

        # Two presses of p leave the torrent as it was.
        await until_server(pilot, paused_on_server, was_paused, "back to the start after p p")
        await pilot.press("u")  # undoes the second p
        await until(pilot, lambda: len(main.undo) == 1, what="the first undo")
        await until_server(pilot, paused_on_server, paused_first, "after one u")
        await pilot.press("u")  # undoes the first p
        await until(pilot, lambda: len(main.undo) == 0, what="the second undo")
        await until_server(pilot, paused_on_server, was_paused, "after two u")


async def test_two_categories_then_u_goes_back_one_step_at_a_time(server: Server, tmp_path: Path) -> None:
    app = held_back(server, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.view) > 0, what="torrents")
        api = app.api
        assert api is not None
        main = app.main_screen
        hash = app.view.order[0]
        main.table.move_to_row(0)
        await pilot.pause()
        for name in ("step-one", "step-two"):
            await api.create_category(name)
        original = app.store.torrents[hash].category

        async def category() -> str:
            (torrent,) = await api.torrents(hashes=[hash])
            return torrent.category

        for step, name in enumerate(("step-one", "step-two"), start=1):
            await pilot.press("C")
            await until(pilot, lambda: isinstance(app.screen, PickOne), what="the category picker")
            app.screen.dismiss(name)
            await until(pilot, lambda step=step: len(main.undo) == step, what=f"{name} answered")
        assert app.store.torrents[hash].category == original, "a poll ran: the race is not covered"
        await until_server(pilot, category, "step-two", "the second category on the server")
        await pilot.press("u")
        await until_server(pilot, category, "step-one", "undo back to the first category")
        await pilot.press("u")
        await until_server(pilot, category, original, "undo back to the original category")


async def until_server(pilot, probe, wanted, what: str, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    """Ask the server until `probe()` returns `wanted`."""
    last = None
    for _ in range(int(timeout / 0.1)):
        last = await probe()
        if last == wanted:
            return
        await pilot.pause(0.1)
    raise AssertionError(f"timed out waiting for {what}: the server says {last!r}, wanted {wanted!r}")
