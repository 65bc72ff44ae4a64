"""The pure pieces behind the RSS and search screens: descriptions as text, the one-shot file offer,
the models' leniency, and what a legacy server's user is told."""

from __future__ import annotations

import httpx
from textual.widgets import Static

from qbtui.api.models import ApiGeneration, ServerInfo
from qbtui.api.rss import RssArticle, RssFeed, RssFolder, RssRule, join_path, parent_of, path_problem
from qbtui.api.search import SearchJob, SearchResult
from qbtui.ui.screens.rss import RssScreen
from qbtui.ui.screens.search import SearchScreen
from qbtui.util.file_offer import FileOffer
from qbtui.util.html_text import html_to_text
from tests.ui.helpers import make_app, until


def test_html_descriptions_become_text() -> None:
    html = (
        "<p>First &amp; <b>bold</b></p><script>alert('x')</script><style>p{}</style>"
        "<ul><li>one</li><li>two</li></ul>See <a href='https://e.org/x'>here</a><br/>[red]not markup[/red]"
    )
    assert (
        html_to_text(html)
        == "First & bold\n\n• one\n\n• two\n\nSee here <https://e.org/x>\n[red]not markup[/red]"
    )
    assert html_to_text("plain text, no tags") == "plain text, no tags"
    assert html_to_text("<p>unclosed <b>tags") == "unclosed tags"
    assert html_to_text("") == ""


async def test_a_file_offer_serves_one_path_and_then_nothing() -> None:
    async with FileOffer(b"print('hi')\n", "eng.py") as offer:
        assert offer.url.startswith("http://127.0.0.1:") and offer.url.endswith("/eng.py")
        async with httpx.AsyncClient(trust_env=False) as client:
            assert (await client.get(offer.url)).content == b"print('hi')\n"
            guessed = offer.url.rsplit("/", 2)[0] + "/guess/eng.py"
            assert (await client.get(guessed)).status_code == 404
        assert offer.fetched == 1
    async with httpx.AsyncClient(trust_env=False) as client:
        try:
            await client.get(offer.url, timeout=2)
        except httpx.TransportError:
            pass
        else:
            raise AssertionError("still served after the block")


def test_models_are_lenient_and_keep_what_they_do_not_know() -> None:
    root = RssFolder.from_raw(
        {
            "url": {
                "sub": {"uid": "u", "url": "http://x/feed", "articles": [{"id": 1, "isRead": True, "x": 2}]}
            },
            "broken": 5,
            "feed": {"uid": "v", "url": "http://y", "refreshInterval": "0"},
        }
    )
    folder = root.find("url")
    assert isinstance(folder, RssFolder)  # a folder may be called "url"
    feed = root.find("url\\sub")
    assert isinstance(feed, RssFeed) and feed.articles[0] == RssArticle(id="1", is_read=True, extra={"x": 2})
    assert root.find("feed").refresh_interval is None  # type: ignore[union-attr]
    assert root.find("broken") is None
    assert join_path("", "a") == "a" and join_path("a", "b") == "a\\b" and parent_of("a\\b") == "a"
    assert (
        path_problem("a\\\\b") is not None
        and path_problem("\\a") is not None
        and path_problem("a\\b") is None
    )
    rule = RssRule.from_raw(
        {"affectedFeeds": "http://one", "ignoreDays": "-3", "unknown": [1], "addPaused": None}
    )
    assert rule.affected_feeds == ("http://one",) and rule.ignore_days == 0 and rule.add_stopped is None
    old, new = ServerInfo(ApiGeneration.V2, (2, 8, 19)), ServerInfo(ApiGeneration.V2, (2, 11, 4))
    assert rule.to_raw(old)["unknown"] == [1] and "torrentParams" not in rule.to_raw(old)
    rule.save_path = "/srv"
    params = rule.to_raw(new)["torrentParams"]
    assert (
        params["save_path"] == "/srv"
        and params["use_auto_tmm"] is False
        and "savePath" not in rule.to_raw(new)
    )
    assert SearchJob.from_raw({"id": "7", "status": "Running"}).running
    assert SearchResult.from_raw({"fileSize": -1, "nbSeeders": "x"}).size is None


async def test_a_legacy_server_is_told_why(sim_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: app.api is not None)
        for key, screen, status in (("w", RssScreen, "#rss-status"), ("E", SearchScreen, "#search-status")):
            await pilot.press(key)
            await until(pilot, lambda screen=screen: isinstance(app.screen, screen))
            said = str(app.screen.query_one(status, Static).render())
            assert "needs qBittorrent 4.1 or later (WebAPI v2)" in said and "legacy WebUI API" in said
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.main_screen)


async def test_a_file_here_cannot_reach_a_server_elsewhere(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Said before anything is sent: the server could never fetch a loopback URL of this machine."""
    import pytest

    from qbtui.api import ConnectionSettings, errors
    from qbtui.api.search import PluginSource, SearchApi, is_loopback_host
    from qbtui.api.session import HttpSession
    from qbtui.api.v2 import V2Api

    plugin = tmp_path / "engine.py"
    plugin.write_text("# VERSION: 1.0\n")
    session = HttpSession(ConnectionSettings(url="http://192.0.2.1:8080", username="u", password="p"))
    try:
        search = SearchApi(V2Api(session, ServerInfo(ApiGeneration.V2, (2, 11, 4))))
        assert not search.server_is_here()
        with pytest.raises(errors.NotSupported, match=r"not on this computer.*give a URL"):
            await search.install(PluginSource.local_file(plugin))
        assert session.requests_sent == 0
    finally:
        await session.aclose()
    assert is_loopback_host("127.0.0.2") and is_loopback_host("[::1]") and is_loopback_host("localhost")
    assert not is_loopback_host("seedbox.example") and not is_loopback_host("10.0.0.5")
