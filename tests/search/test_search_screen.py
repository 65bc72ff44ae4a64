"""The search screen (E) driven with Pilot against the real servers: results arrive while the search
runs, sort, stop, go to the add dialog (through the plugin on 5.3) and arrive as torrents; the
plugins dialog installs a file from this computer and uninstalls (asking); searches reopen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from qbtui.ui.screens.add_torrents import AddTorrentsScreen
from qbtui.ui.screens.dialogs import ConfirmDialog, PickOne
from qbtui.ui.screens.search import SearchScreen
from qbtui.ui.screens.search_plugins import InstallPluginDialog, JobsDialog, PluginsDialog
from tests.search.conftest import ENGINE, plugins_of
from tests.support.loopsite import LoopSite, engine_source
from tests.support.noxserver import NoxInstance
from tests.support.showcase import serve_torrents
from tests.ui.helpers import make_app, until

pytestmark = pytest.mark.nox


def app_for(nox: NoxInstance, tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_app(nox.url, username=nox.username, password=nox.password, state_dir=tmp_path, interval=1.0)


async def open_search(pilot, app) -> SearchScreen:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: app.api is not None, what="connected")
    await pilot.press("E")
    await until(
        pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.keys_ready.is_set(), what="search"
    )
    return app.screen  # type: ignore[no-any-return]


def names(screen: SearchScreen) -> list[str]:
    table = screen.query_one("#search-results", DataTable)
    return [str(table.get_row_at(row)[1]) for row in range(table.row_count)]


def status(screen: SearchScreen) -> str:
    return str(screen.query_one("#search-status", Static).render())


async def test_results_arrive_sort_and_stop(
    search_nox: NoxInstance, search_site: LoopSite, tmp_path: Path
) -> None:
    search_site.routes.pop("/release", None)
    app = app_for(search_nox, tmp_path)
    try:
        async with app.run_test(size=(150, 40)) as pilot:
            screen = await open_search(pilot, app)
            await pilot.press(*"slow news", "enter")
            # The plugin prints two results, then waits: they are on screen while it runs.
            await until(pilot, lambda: len(names(screen)) == 2, timeout=30, what="the first results")
            assert "searching…" in status(screen) and "“slow news”" in status(screen)
            assert names(screen) == ["slow news result 0", "slow news result 1"]
            # Sort by seeds, biggest first: result 1 has 3, result 0 none.
            await pilot.press("s")
            await until(pilot, lambda: isinstance(app.screen, PickOne))
            await pilot.press(*"Seeds", "enter")
            await until(pilot, lambda: names(screen) == ["slow news result 1", "slow news result 0"])
            await pilot.press("x")
            await until(pilot, lambda: "done" in status(screen), timeout=20, what="stopped")
            assert len(names(screen)) == 2
    finally:
        search_site.serve("/release", "go")


async def test_a_result_goes_through_the_add_dialog(
    search_nox: NoxInstance, search_site: LoopSite, tmp_path: Path
) -> None:
    serve_torrents(search_site, tmp_path, {"/t/big_distro-0.torrent": "big-distro-0"})
    app = app_for(search_nox, tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_search(pilot, app)
        await pilot.press(*"big distro", "enter")
        await until(pilot, lambda: "done" in status(screen) and len(names(screen)) == 5, what="results")
        # The first result links to a .torrent on the plugin's site; the second is a magnet link.
        await pilot.press("space", "space", "t")
        await until(pilot, lambda: isinstance(app.screen, AddTorrentsScreen), what="the add dialog")
        dialog = app.screen
        links = dialog.query_one("#links").text.splitlines()  # type: ignore[attr-defined]
        assert links[0] == f"{search_site.url}/t/big_distro-0.torrent" and links[1].startswith("magnet:")
        # 5.3 has the plugin fetch its own links; older servers fetch the URL themselves.
        assert dialog._downloader == (ENGINE if search_nox.at_least(5, 3) else None)  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), what="back on the search screen")
        found: set[str] = set()
        for _ in range(150):
            found = {t["name"] for t in search_nox.torrents()}
            if "big-distro-0" in found and len(found) == 2:
                break
            await pilot.pause(0.1)
        assert "big-distro-0" in found and len(found) == 2


async def test_plugins_install_from_here_and_uninstall(
    search_nox: NoxInstance, search_site: LoopSite, tmp_path: Path
) -> None:
    local = tmp_path / "mine" / "herengine.py"
    local.parent.mkdir()
    local.write_text(engine_source("herengine", search_site.url))
    app = app_for(search_nox, tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_search(pilot, app)
        await pilot.press("tab", "tab", "tab", "p")  # from the pattern field to the results
        await until(pilot, lambda: isinstance(app.screen, PluginsDialog) and app.screen.keys_ready.is_set())
        plugins = app.screen
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InstallPluginDialog))
        assert "loopback URL" in str(app.screen.query(Static)[-2].render())
        await pilot.press(*str(local), "enter")
        await until(pilot, lambda: "herengine" in plugins_of(search_nox), timeout=40, what="installed")
        said = lambda: [str(n.message) for n in app._notifications]  # noqa: E731
        await until(pilot, lambda: any("Installed herengine" in s for s in said()), what="the outcome said")
        await until(pilot, lambda: "herengine" in [p.name for p in plugins.plugins], what="listed")  # type: ignore[attr-defined]
        table = plugins.query_one(DataTable)
        table.move_cursor(row=[p.name for p in plugins.plugins].index("herengine"))  # type: ignore[attr-defined]
        await pilot.press("space")
        await until(pilot, lambda: plugins_of(search_nox)["herengine"]["enabled"] is False, what="disabled")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("tab", "enter")
        await until(pilot, lambda: "herengine" not in plugins_of(search_nox), what="uninstalled")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)


async def test_searches_reopen(search_nox: NoxInstance, tmp_path: Path) -> None:
    app = app_for(search_nox, tmp_path)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_search(pilot, app)
        await pilot.press(*"first", "enter")
        await until(pilot, lambda: "done" in status(screen) and len(names(screen)) == 5)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("ctrl+u", *"second", "enter")
        await until(pilot, lambda: names(screen)[:1] == ["second result 0"] and "done" in status(screen))
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JobsDialog) and app.screen.keys_ready.is_set())
        jobs = app.screen
        assert [str(jobs.query_one(DataTable).get_row_at(r)[3]) for r in range(2)] == ["second", "first"]  # type: ignore[attr-defined]
        await pilot.press("down", "enter")
        await until(pilot, lambda: app.screen is screen)
        await until(pilot, lambda: names(screen)[:1] == ["first result 0"], what="the first search again")
        assert screen.query_one("#search-pattern", Input).value == "first"
