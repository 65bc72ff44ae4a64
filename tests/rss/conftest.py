"""RSS against the real servers: feeds served on loopback (tests/support/loopsite.py), each test
starting from a server without feeds, folders or rules."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from qbtui.api import ConnectionSettings, QbtApi, connect
from qbtui.api.rss import RssApi, RssFeed
from tests.support.loopsite import Item, LoopSite
from tests.support.noxserver import NoxInstance

#: 2 Jan 2024 10:00 UTC: the feeds' dates count from here, a day apart.
BASE = 1704189600.0
DAY = 86400.0


def empty_rss(nox: NoxInstance) -> None:
    """No feeds, folders or rules, and (5.0+) no pause between fetches from one host."""
    with nox.client() as client:
        for name in client.get("/api/v2/rss/items").json():
            client.post("/api/v2/rss/removeItem", data={"path": name}).raise_for_status()
        for name in client.get("/api/v2/rss/rules").json():
            client.post("/api/v2/rss/removeRule", data={"ruleName": name}).raise_for_status()
        if nox.at_least(5):
            client.post(
                "/api/v2/app/setPreferences", data={"json": '{"rss_fetch_delay": 0}'}
            ).raise_for_status()


@pytest.fixture
def rss_nox(nox_clean: NoxInstance) -> NoxInstance:
    empty_rss(nox_clean)
    return nox_clean


@pytest.fixture
def site() -> Iterator[LoopSite]:
    with LoopSite() as running:
        yield running


async def api_for(nox: NoxInstance) -> QbtApi:
    return await connect(ConnectionSettings(url=nox.url, username=nox.username, password=nox.password))


def show_items(site: LoopSite) -> list[Item]:
    """A feed of a TV show and its neighbours: what rules and previews are tried on."""
    titles = [
        "Show.Name.S01E01.720p",
        "Show.Name.S01E02.1080p",
        "Show.Name.S01E02.REPACK.1080p",
        "Show.Name.S01E09.720p",
        "Show.Name.S02E01.720p",
        "Show.Name.1x05.HDTV",
        "Other.Show.S01E03.720p",
        "Daily.Show.2024.01.05.720p",
        "Show Name - Special [x265] (Complete)",
    ]
    return [
        Item(
            title=title,
            guid=f"guid-{n}",
            published=BASE + n * DAY,
            description=f"<p>Episode <b>{n}</b> of [bold]{title}[/bold]</p><script>alert(1)</script>",
            enclosure=f"{site.url}/t/{n}.torrent" if n % 2 == 0 else None,
            link=f"magnet:?xt=urn:btih:{n:040x}&dn=ep{n}" if n % 2 else f"{site.url}/a/{n}",
        )
        for n, title in enumerate(titles)
    ]


async def wait_for_feed(rss: RssApi, path: str, articles: int, timeout: float = 30.0) -> RssFeed:
    """Until the feed at `path` has fetched `articles` articles (refreshing it every few seconds)."""
    deadline = time.monotonic() + timeout
    nudge = time.monotonic() + 5
    while True:
        found = (await rss.items()).find(path)
        if isinstance(found, RssFeed) and len(found.articles) >= articles and not found.is_loading:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"feed {path!r} has {found!r} after {timeout:.0f} s")
        if time.monotonic() > nudge:
            nudge = time.monotonic() + 5
            await rss.refresh_item(path)
        await asyncio.sleep(0.2)
