"""A real server with RSS feeds, rules and a search plugin to look at: what the RSS and search tests
in tmux and the README's screenshots (scripts/screenshots.py) show.

`showcase(nox, site)` fills an empty qbittorrent-nox through raw HTTP: two feeds in a folder and one
at the top (served by `site` on loopback), their articles fetched, two rules, and the test search
plugin installed and enabled. Everything is fixed but the loopback ports.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx

from tests.support.loopsite import Item, LoopSite, engine_source, rss_feed
from tests.support.noxserver import NoxError, NoxInstance, make_sample_torrent

ENGINE = "qbtuitest"
#: 1 Dec 2026 20:00 UTC, and the articles an hour apart before it.
NEWEST = 1796155200.0
HOUR = 3600.0

SHOWS = [
    ("Night.Harbour.S02E06.1080p.WEB.h264", "The harbour master finds the <b>second</b> ledger."),
    ("Night.Harbour.S02E05.1080p.WEB.h264", "Storm season: <i>nobody</i> leaves the island."),
    ("Paper.Moons.S01E10.720p.HDTV.x264", 'Season finale. <a href="https://example.org/pm">Cast notes</a>'),
    ("Night.Harbour.S02E04.REPACK.1080p.WEB.h264", "Repack: the audio of the first release was out of sync."),
    ("Night.Harbour.S02E04.1080p.WEB.h264", "The lighthouse keeper's story."),
    ("Paper.Moons.S01E09.720p.HDTV.x264", "<p>Two moons, one kite.</p><ul><li>Director: A. Vale</li></ul>"),
    ("Paper.Moons.S01E08.720p.HDTV.x264", "A letter arrives [bold]unopened[/bold]."),
]
DISTROS = [
    ("debian-13.2.0-amd64-netinst.iso", "Debian 13.2 <b>trixie</b> network installer."),
    ("ubuntu-26.04-desktop-amd64.iso", "Ubuntu 26.04 LTS desktop image."),
    ("Fedora-Workstation-Live-44.iso", "Fedora Workstation 44 live image."),
    ("archlinux-2026.12.01-x86_64.iso", "Arch Linux monthly snapshot."),
]


#: What the showcase's search plugin finds: (name, size, seeds, leechers).
CATALOG = [
    ("debian-13.2.0-amd64-netinst.iso", "754 MB", 2841, 37),
    ("debian-13.2.0-arm64-netinst.iso", "602 MB", 612, 9),
    ("debian-live-13.2.0-amd64-kde.iso", "3.4 GB", 1207, 88),
    ("debian-13.2.0-amd64-DVD-1.iso", "3.9 GB", 433, 51),
    ("debian-13.2.0-i386-netinst.iso", "661 MB", 95, 2),
    ("debian-edu-13.2.0-amd64-netinst.iso", "820 MB", 58, 4),
    ("ubuntu-26.04-desktop-amd64.iso", "6.1 GB", 5120, 410),
    ("Night.Harbour.S02E06.1080p.WEB.h264", "2.2 GB", 356, 140),
]


def _items(site: LoopSite, prefix: str, entries: list[tuple[str, str]]) -> list[Item]:
    return [
        Item(
            title=title,
            guid=f"{prefix}-{n}",
            published=NEWEST - n * HOUR * 5,
            description=description,
            enclosure=f"{site.url}/t/{prefix}-{n}.torrent",
            link=f"https://example.org/{prefix}/{n}",
        )
        for n, (title, description) in enumerate(entries)
    ]


def _wait(check, what: str, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise NoxError(f"{what} not reached in {timeout:.0f} s")
        time.sleep(0.2)


def serve_torrents(site: LoopSite, workdir: Path, names: dict[str, str]) -> None:
    """A small real .torrent at each path (`/t/x.torrent` -> the torrent's name), so that adding an
    article's link adds a torrent."""
    for path, name in names.items():
        torrent, _ = make_sample_torrent(workdir / "torrents", name, 20_000 + len(name))
        site.serve(path, torrent.read_bytes(), "application/x-bittorrent")


def plugin_names(client: httpx.Client) -> set[str]:
    return {p["name"] for p in client.get("/api/v2/search/plugins").json()}


def showcase(nox: NoxInstance, site: LoopSite, workdir: Path) -> None:
    kind = "application/rss+xml"
    shows = site.serve("/shows.xml", rss_feed("TV shows", _items(site, "tv", SHOWS)), kind)
    distros = site.serve("/distros.xml", rss_feed("Linux ISOs", _items(site, "iso", DISTROS)), kind)
    serve_torrents(site, workdir, {f"/t/tv-{n}.torrent": title for n, (title, _) in enumerate(SHOWS)})
    serve_torrents(site, workdir, {f"/t/iso-{n}.torrent": title for n, (title, _) in enumerate(DISTROS)})
    site.serve(f"/{ENGINE}.py", engine_source(ENGINE, site.url, catalog=CATALOG), "text/x-python")
    site.serve("/release", "go")
    with nox.client(timeout=30) as client:

        def post(action: str, **data: str) -> None:
            client.post(f"/api/v2/{action}", data=data).raise_for_status()

        if nox.at_least(5):
            post("app/setPreferences", json=json.dumps({"rss_fetch_delay": 0}))
        post("rss/addFolder", path="TV")
        post("rss/addFeed", url=shows, path="TV\\Night shows")
        post("rss/addFeed", url=distros, path="Linux ISOs")
        post("rss/refreshItem", itemPath="")

        def fetched() -> bool:
            items = client.get("/api/v2/rss/items", params={"withData": "true"}).json()
            feeds = [items["TV"]["Night shows"], items["Linux ISOs"]]
            return all(len(f.get("articles", [])) >= 4 and not f.get("isLoading") for f in feeds)

        _wait(fetched, "both feeds fetched")
        post("rss/markAsRead", itemPath="TV\\Night shows", articleId="tv-4")
        post("rss/markAsRead", itemPath="TV\\Night shows", articleId="tv-6")
        harbour = {
            "enabled": True, "mustContain": "Night.Harbour 1080p", "mustNotContain": "", "useRegex": False,
            "episodeFilter": "2x1-;", "smartFilter": True, "affectedFeeds": [shows], "ignoreDays": 0,
            "savePath": "", "assignedCategory": "tv", "addPaused": False,
        }  # fmt: skip
        isos = {
            "enabled": False, "mustContain": "amd64|x86_64", "mustNotContain": "desktop", "useRegex": False,
            "episodeFilter": "", "smartFilter": False, "affectedFeeds": [distros], "ignoreDays": 7,
            "savePath": "", "assignedCategory": "linux", "addPaused": True,
        }  # fmt: skip
        post("rss/setRule", ruleName="Night Harbour", ruleDef=json.dumps(harbour))
        post("rss/setRule", ruleName="Linux installers", ruleDef=json.dumps(isos))
        plugins = {p["name"]: p for p in client.get("/api/v2/search/plugins").json()}
        if ENGINE in plugins and plugins[ENGINE]["url"] != site.url:
            post("search/uninstallPlugin", names=ENGINE)
            _wait(lambda: ENGINE not in plugin_names(client), "the old plugin gone")
            plugins.pop(ENGINE)
        if ENGINE not in plugins:
            post("search/installPlugin", sources=f"{site.url}/{ENGINE}.py")
            _wait(lambda: ENGINE in plugin_names(client), "the plugin installed")
