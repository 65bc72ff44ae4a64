"""qbtui.api.rss on the real servers (4.5.2, 5.1.0, 5.3.0): feeds and folders, articles, rules, and
every version gate, each asserted on the server that has it and the ones that do not."""

from __future__ import annotations

import pytest

from qbtui.api import errors
from qbtui.api.rss import RssApi, RssFeed, RssFolder, RssRule
from tests.rss.conftest import api_for, show_items, wait_for_feed
from tests.support.loopsite import LoopSite, rss_feed
from tests.support.noxserver import NoxInstance

pytestmark = pytest.mark.nox


async def test_feeds_folders_and_articles(rss_nox: NoxInstance, site: LoopSite) -> None:
    items = show_items(site)
    url = site.serve("/show.xml", rss_feed("The Show", items), "application/rss+xml")
    api = await api_for(rss_nox)
    rss = RssApi(api)
    try:
        assert rss.missing() is None
        await rss.add_folder("Shows")
        await rss.add_feed(url, "Shows\\Demo")
        with pytest.raises(errors.Conflict, match="already exists"):
            await rss.add_feed(url, "Again")
        await rss.refresh_item("Shows\\Demo")
        feed = await wait_for_feed(rss, "Shows\\Demo", len(items))
        assert feed.url == url and feed.title == "The Show" and feed.name == "Demo"
        assert not feed.has_error
        by_title = {a.title: a for a in feed.articles}
        first = by_title["Show.Name.S01E01.720p"]
        assert first.id == "guid-0" and first.torrent_url == f"{site.url}/t/0.torrent"
        assert by_title["Show.Name.S01E02.1080p"].torrent_url.startswith("magnet:?xt=urn:btih:")
        assert "<b>0</b>" in first.description and "[bold]" in first.description
        assert first.timestamp == pytest.approx(1704189600.0)
        assert feed.unread == len(items)
        # One article, then a whole folder.
        await rss.mark_as_read("Shows\\Demo", "guid-0")
        feed = await wait_for_feed(rss, "Shows\\Demo", len(items))
        assert [a.id for a in feed.articles if a.is_read] == ["guid-0"]
        await rss.mark_as_read("Shows")
        root = await rss.items()
        assert root.unread == 0
        # Rename is a move within the folder; then up to the root.
        await rss.move_item("Shows\\Demo", "Shows\\Renamed")
        await rss.move_item("Shows\\Renamed", "Renamed")
        root = await rss.items()
        assert isinstance(root.find("Renamed"), RssFeed)
        assert isinstance(root.find("Shows"), RssFolder) and root.find("Shows\\Renamed") is None
        with pytest.raises(errors.Conflict, match="doesn't exist"):
            await rss.move_item("Nowhere", "Else")
        await rss.remove_item("Shows")
        await rss.remove_item("Renamed")
        assert (await rss.items()).children == []
    finally:
        await api.close()


async def test_feed_url_and_refresh_interval_by_version(rss_nox: NoxInstance, site: LoopSite) -> None:
    url = site.serve("/a.xml", rss_feed("A", []), "application/rss+xml")
    moved = site.serve("/b.xml", rss_feed("B", []), "application/rss+xml")
    api = await api_for(rss_nox)
    rss = RssApi(api)
    try:
        if rss_nox.at_least(5, 2):
            await rss.add_feed(url, "A", refresh_interval=600)
            assert (await rss.items()).find("A").refresh_interval == 600  # type: ignore[union-attr]
            await rss.set_feed_refresh_interval("A", 0)
            assert (await rss.items()).find("A").refresh_interval is None  # type: ignore[union-attr]
        else:
            with pytest.raises(errors.NotSupported, match=r"5\.2\.0 or later"):
                await rss.add_feed(url, "A", refresh_interval=600)
            with pytest.raises(errors.NotSupported, match=r"5\.2\.0 or later"):
                await rss.set_feed_refresh_interval("A", 600)
            await rss.add_feed(url, "A")
        if rss_nox.at_least(4, 6):
            await rss.set_feed_url("A", moved)
            assert (await rss.items()).find("A").url == moved  # type: ignore[union-attr]
        else:
            with pytest.raises(errors.NotSupported, match=r"4\.6\.0 or later"):
                await rss.set_feed_url("A", moved)
            assert (await rss.items()).find("A").url == url  # type: ignore[union-attr]
    finally:
        await api.close()


async def test_rules_keep_every_field(rss_nox: NoxInstance, site: LoopSite) -> None:
    url = site.serve("/show.xml", rss_feed("The Show", []), "application/rss+xml")
    api = await api_for(rss_nox)
    rss = RssApi(api)
    tags = rss_nox.at_least(4, 6)
    rule = RssRule(
        enabled=False,
        use_regex=False,
        must_contain="show*720p|special",
        must_not_contain="repack",
        episode_filter="1x1-5;9;",
        smart_filter=True,
        affected_feeds=(url,),
        ignore_days=3,
        category="tv",
        tags=("auto", "rss") if tags else (),
        save_path="/srv/tv",
        add_stopped=True,
        content_layout="Subfolder",
    )
    try:
        await rss.add_feed(url, "Show")
        await rss.set_rule("TV rule", rule)
        back = (await rss.rules())["TV rule"]
        for name in (
            "enabled", "use_regex", "must_contain", "must_not_contain", "episode_filter", "smart_filter",
            "affected_feeds", "ignore_days", "category", "tags", "save_path", "add_stopped", "content_layout",
        ):  # fmt: skip
            assert getattr(back, name) == getattr(rule, name), name
        if tags:
            # Saving a path turns automatic management off, as the WebUI does.
            assert back.torrent_params is not None and back.torrent_params["use_auto_tmm"] is False
        else:
            with pytest.raises(errors.NotSupported, match=r"tags in an auto-download rule need.*4\.6\.0"):
                await rss.set_rule("with tags", RssRule(enabled=False, tags=("x",)))
        # setRule replaces the whole rule: a change of one field keeps all the others.
        back.must_not_contain = "cam"
        back.add_stopped = None
        await rss.set_rule("TV rule", back)
        again = (await rss.rules())["TV rule"]
        assert again.must_not_contain == "cam" and again.add_stopped is None
        assert again.category == "tv" and again.save_path == "/srv/tv" and again.episode_filter == "1x1-5;9;"
        # Rename: refused onto an existing name, else done.
        await rss.set_rule("Other", RssRule(enabled=False))
        with pytest.raises(errors.Conflict, match="exists already"):
            await rss.rename_rule("TV rule", "Other")
        await rss.rename_rule("TV rule", "Shows")
        assert set(await rss.rules()) == {"Shows", "Other"}
        # Clone: cloneRule on 5.3 (2.15.4), a copy written by qbtui before; either way disabled.
        enabled = (await rss.rules())["Shows"]
        enabled.enabled = True
        enabled.affected_feeds = ()  # an enabled rule on no feed downloads nothing
        await rss.set_rule("Shows", enabled)
        await rss.clone_rule("Shows", "Shows copy")
        clone = (await rss.rules())["Shows copy"]
        assert clone.enabled is False and clone.must_contain == rule.must_contain
        assert clone.category == "tv" and clone.tags == rule.tags and clone.previously_matched == ()
        with pytest.raises(errors.Conflict):
            await rss.clone_rule("Shows", "Other")
        await rss.remove_rule("Shows copy")
        await rss.remove_rule("Other")
        assert set(await rss.rules()) == {"Shows"}
    finally:
        await api.close()


async def test_rss_is_missing_on_legacy_servers(sim_server) -> None:  # type: ignore[no-untyped-def]
    from qbtui.api import ConnectionSettings, connect

    api = await connect(ConnectionSettings(url=sim_server.url, username="admin", password="adminadmin"))
    try:
        rss = RssApi(api)
        assert "legacy WebUI API" in (rss.missing() or "")
        with pytest.raises(errors.NotSupported, match=r"4\.1 or later"):
            await rss.items()
    finally:
        await api.close()
