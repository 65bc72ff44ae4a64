"""The RSS screen (N) driven with Pilot against the real servers: the tree, articles and their
descriptions, keys that change the server (each checked on the server afterwards), the version
gates said in words, downloading through the add dialog, and what legacy and read-only get."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, Input, Static, Tree

from qbtui.api.rss import RssApi, RssFeed, RssFolder
from qbtui.ui.screens.add_torrents import AddTorrentsScreen
from qbtui.ui.screens.dialogs import ConfirmDialog, PickOne, TextPrompt
from qbtui.ui.screens.rss import RssScreen
from qbtui.ui.screens.rss_dialogs import FeedDialog
from tests.rss.conftest import api_for, show_items, wait_for_feed
from tests.support.loopsite import LoopSite, rss_feed
from tests.support.noxserver import NoxInstance
from tests.support.showcase import serve_torrents
from tests.ui.helpers import make_app, until

pytestmark = pytest.mark.nox


def app_for(nox: NoxInstance, tmp_path: Path, **options: object):  # type: ignore[no-untyped-def]
    return make_app(
        nox.url, username=nox.username, password=nox.password, state_dir=tmp_path, interval=1.0, **options
    )


async def server_items(nox: NoxInstance) -> RssFolder:
    api = await api_for(nox)
    try:
        return await RssApi(api).items()
    finally:
        await api.close()


async def open_rss(pilot, app) -> RssScreen:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: app.api is not None, what="connected")
    await pilot.press("w")
    await until(
        pilot, lambda: isinstance(app.screen, RssScreen) and app.screen.root is not None, what="feeds"
    )
    return app.screen  # type: ignore[no-any-return]


def article_titles(screen: RssScreen) -> list[str]:
    table = screen.query_one("#rss-articles", DataTable)
    return [str(table.get_row_at(row)[2]) for row in range(table.row_count)]


async def with_show_feed(nox: NoxInstance, site: LoopSite, tmp_path: Path) -> str:
    items = show_items(site)
    serve_torrents(site, tmp_path, {f"/t/{n}.torrent": f"show-{n}" for n in range(0, len(items), 2)})
    url = site.serve("/show.xml", rss_feed("The Show", items), "application/rss+xml")
    api = await api_for(nox)
    try:
        rss = RssApi(api)
        await rss.add_folder("TV")
        await rss.add_feed(url, "TV\\Show")
        await rss.refresh_item("TV\\Show")
        await wait_for_feed(rss, "TV\\Show", len(items))
    finally:
        await api.close()
    return url


async def test_tree_articles_and_a_description_as_text(
    rss_nox: NoxInstance, site: LoopSite, tmp_path: Path
) -> None:
    await with_show_feed(rss_nox, site, tmp_path)
    app = app_for(rss_nox, tmp_path)
    async with app.run_test(size=(150, 45)) as pilot:
        screen = await open_rss(pilot, app)
        tree = screen.query_one(Tree)
        labels = [str(node.label) for node in screen._all_nodes(tree)]
        assert "All feeds (9)" in labels and "TV (9)" in labels and "Show (9)" in labels
        # Every feed's articles under the root, newest first.
        assert article_titles(screen)[0] == "Show Name - Special [x265] (Complete)"
        await pilot.press("down", "down")  # TV, then its feed
        await until(pilot, lambda: screen.selected == "TV\\Show", what="the feed highlighted")
        await pilot.press("tab", "down")
        shown = screen.query_one("#rss-article", Static).render()
        text = shown.plain if isinstance(shown, Text) else str(shown)
        # The HTML's text, without tags or the script; "[bold]" stays as typed (data, not markup).
        assert "Episode 7 of [bold]Daily.Show.2024.01.05.720p[/bold]" in text
        assert "<b>" not in text and "alert" not in text
        assert "Torrent http://127.0.0.1" not in text  # article 7 has a magnet link, not an enclosure
        assert "magnet:?xt=urn:btih:" in text


async def test_mark_read_and_download_through_the_add_dialog(
    rss_nox: NoxInstance, site: LoopSite, tmp_path: Path
) -> None:
    await with_show_feed(rss_nox, site, tmp_path)
    app = app_for(rss_nox, tmp_path)
    async with app.run_test(size=(150, 45)) as pilot:
        screen = await open_rss(pilot, app)
        await pilot.press("tab")
        assert article_titles(screen)[:3] == [
            "Show Name - Special [x265] (Complete)",
            "Daily.Show.2024.01.05.720p",
            "Other.Show.S01E03.720p",
        ]
        # r on the highlighted article: read on the server, and on screen.
        await pilot.press("r")
        feed = None

        async def first_read() -> bool:
            nonlocal feed
            feed = (await server_items(rss_nox)).find("TV\\Show")  # type: ignore[assignment]
            return isinstance(feed, RssFeed) and any(a.is_read for a in feed.articles)

        for _ in range(50):
            if await first_read():
                break
            await pilot.pause(0.1)
        assert isinstance(feed, RssFeed)
        assert [a.title for a in feed.articles if a.is_read] == ["Show Name - Special [x265] (Complete)"]
        # Two marked articles with .torrent enclosures go to the add dialog together.
        await pilot.press("space", "down", "space")
        assert len(screen.marked) == 2
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, AddTorrentsScreen), what="the add dialog")
        links = app.screen.query_one("#links").text  # type: ignore[attr-defined]
        assert links.splitlines() == [f"{site.url}/t/8.torrent", f"{site.url}/t/6.torrent"]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, RssScreen), what="back on the RSS screen")
        names = set()
        for _ in range(100):
            names = {t["name"] for t in rss_nox.torrents()}
            if names == {"show-8", "show-6"}:
                break
            await pilot.pause(0.1)
        assert names == {"show-8", "show-6"}


async def test_folders_and_feeds_by_key(rss_nox: NoxInstance, site: LoopSite, tmp_path: Path) -> None:
    url = site.serve("/news.xml", rss_feed("News", []), "application/rss+xml")
    app = app_for(rss_nox, tmp_path)
    async with app.run_test(size=(150, 45)) as pilot:
        screen = await open_rss(pilot, app)
        # F: a folder at the top.
        await pilot.press("F")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"Daily", "enter")
        await until(pilot, lambda: screen.root is not None and screen.root.find("Daily") is not None)
        # a: a feed into the highlighted folder, named.
        await until(pilot, lambda: screen.selected == "Daily", what="the new folder highlighted")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, FeedDialog))
        assert app.screen.query_one("#feed-folder", Input).value == "Daily"
        await pilot.press(*url, "tab", "tab")
        await pilot.press(*"News", "enter")
        await until(
            pilot,
            lambda: screen.root is not None and isinstance(screen.root.find("Daily\\News"), RssFeed),
            what="the feed",
        )
        assert (await server_items(rss_nox)).find("Daily\\News").url == url  # type: ignore[union-attr]
        # n: rename (a move inside its folder); m: move to the top.
        await until(pilot, lambda: screen.selected == "Daily\\News")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press("ctrl+u", *"Headlines", "enter")
        await until(
            pilot, lambda: screen.root is not None and screen.root.find("Daily\\Headlines") is not None
        )
        await until(pilot, lambda: screen.selected == "Daily\\Headlines")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, PickOne))
        await pilot.press("slash", "enter")  # "/" is the top
        await until(pilot, lambda: screen.root is not None and screen.root.find("Headlines") is not None)
        items = await server_items(rss_nox)
        assert isinstance(items.find("Headlines"), RssFeed) and items.find("Daily") is not None
        # d asks; Cancel keeps, then Remove removes.
        await until(pilot, lambda: screen.selected == "Headlines")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert (await server_items(rss_nox)).find("Headlines") is not None
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("tab", "enter")
        await until(pilot, lambda: screen.root is not None and screen.root.find("Headlines") is None)
        assert (await server_items(rss_nox)).find("Headlines") is None


async def test_version_gates_are_said(rss_nox: NoxInstance, site: LoopSite, tmp_path: Path) -> None:
    url = site.serve("/a.xml", rss_feed("A", []), "application/rss+xml")
    api = await api_for(rss_nox)
    try:
        await RssApi(api).add_feed(url, "A")
    finally:
        await api.close()
    app = app_for(rss_nox, tmp_path)
    async with app.run_test(size=(150, 45)) as pilot:
        screen = await open_rss(pilot, app)
        await pilot.press("down")
        await until(pilot, lambda: screen.selected == "A")
        await pilot.press("i")
        if rss_nox.at_least(5, 2):
            await until(pilot, lambda: isinstance(app.screen, TextPrompt))
            await pilot.press(*"15", "enter")
            for _ in range(50):
                feed = (await server_items(rss_nox)).find("A")
                if isinstance(feed, RssFeed) and feed.refresh_interval == 900:
                    break
                await pilot.pause(0.1)
            assert isinstance(feed, RssFeed) and feed.refresh_interval == 900
        else:
            await pilot.pause(0.3)
            assert app.screen is screen  # no form, a sentence instead
            said = [str(n.message) for n in app._notifications]
            assert any("5.2.0 or later" in s and "this server is" in s for s in said), said
        await pilot.press("e")
        if rss_nox.at_least(4, 6):
            await until(pilot, lambda: isinstance(app.screen, TextPrompt))
            await pilot.press("escape")
        else:
            await pilot.pause(0.3)
            said = [str(n.message) for n in app._notifications]
            assert any("changing a feed's URL needs qBittorrent 4.6.0" in s for s in said), said


async def test_read_only_looks_but_does_not_touch(
    rss_nox: NoxInstance, site: LoopSite, tmp_path: Path
) -> None:
    await with_show_feed(rss_nox, site, tmp_path)
    app = app_for(rss_nox, tmp_path, read_only=True)
    async with app.run_test(size=(150, 45)) as pilot:
        screen = await open_rss(pilot, app)
        for action in ("add_feed", "remove", "mark_read", "download", "refresh"):
            assert screen.check_action(action, ()) is False, action
        assert screen.check_action("rules", ()) is True
        await pilot.press("tab", "r", "t", "a")
        await pilot.pause(0.5)
        assert app.screen is screen
        feed = (await server_items(rss_nox)).find("TV\\Show")
        assert isinstance(feed, RssFeed) and not any(a.is_read for a in feed.articles)


async def test_the_servers_rss_settings(rss_nox: NoxInstance, tmp_path: Path) -> None:
    """o: the server's RSS preferences; only what changed is sent."""
    from qbtui.ui.screens.rss_dialogs import RssSettingsDialog
    from qbtui.ui.widgets.toggles import TickBox

    api = await api_for(rss_nox)
    try:
        before = (await api.preferences()).values
        assert before["rss_processing_enabled"] is False
        app = app_for(rss_nox, tmp_path)
        async with app.run_test(size=(150, 45)) as pilot:
            screen = await open_rss(pilot, app)
            assert "no timer (u refreshes)" in str(screen.query_one("#rss-status", Static).render())
            await pilot.press("o")
            await until(pilot, lambda: isinstance(app.screen, RssSettingsDialog))
            dialog = app.screen
            dialog.query_one("#rss_processing_enabled", TickBox).value = True
            field = dialog.query_one("#rss_max_articles_per_feed", Input)
            field.value = "77"
            assert dialog.changes() == {"rss_processing_enabled": True, "rss_max_articles_per_feed": 77}  # type: ignore[attr-defined]
            field.focus()
            await pilot.press("enter")
            await until(pilot, lambda: app.screen is screen)
            for _ in range(50):
                after = (await api.preferences()).values
                if after["rss_processing_enabled"]:
                    break
                await pilot.pause(0.1)
            assert after["rss_processing_enabled"] is True and after["rss_max_articles_per_feed"] == 77
            assert after["rss_auto_downloading_enabled"] == before["rss_auto_downloading_enabled"]
            await until(
                pilot, lambda: "fetching every" in str(screen.query_one("#rss-status", Static).render())
            )
    finally:
        await api.set_preferences(
            {
                "rss_processing_enabled": False,
                "rss_max_articles_per_feed": before["rss_max_articles_per_feed"],
            }
        )
        await api.close()
