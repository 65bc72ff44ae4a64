"""Regenerate the SVGs in screenshots/ from the deterministic simulator (not a test).

python3 scripts/screenshots.py              # all of them
python3 scripts/screenshots.py views main   # only these

RSS and search are WebAPI v2 capabilities the legacy simulator does not have: their shots (`rss`,
`rss-rule`, `search`) come from a real qbittorrent-nox (5.3.0 from its Debian root when this
machine can run one, else the host's), filled by tests/support/showcase.py with feeds, rules and a
search plugin served on loopback. Times are shown in UTC; only the loopback port may differ
between runs (a fixed one is tried first).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qbtui.sim import ManualClock, SimConfig, Simulator, serve  # noqa: E402
from tests.ui.helpers import make_app, until  # noqa: E402

OUT = ROOT / "screenshots"
NOW = 1795926600.0
Drive = Callable[[Pilot[None]], Awaitable[None]]


async def nothing(pilot: Pilot[None]) -> None:
    await pilot.pause()


async def marked_and_delete(pilot: Pilot[None]) -> None:
    await pilot.press("space", "space", "D")
    await pilot.pause()


def keys(*pressed: str) -> Drive:
    async def drive(pilot: Pilot[None]) -> None:
        await pilot.press(*pressed)
        await pilot.pause(1.0)

    return drive


SHOTS: dict[str, tuple[tuple[int, int], Drive]] = {
    "main": ((140, 40), nothing),
    "seedbox-80x24": ((80, 24), nothing),
    "downloading-100x30": ((100, 30), nothing),
    "main-80x24": ((80, 24), nothing),
    "delete": ((120, 36), marked_and_delete),
    "details-general": ((140, 44), keys("j", "enter")),
    "details-content": (
        (140, 44),
        keys(
            "j",
            "enter",
            "right_square_bracket",
            "right_square_bracket",
            "right_square_bracket",
            "right_square_bracket",
        ),
    ),
    "details-pieces": ((140, 44), keys("j", "enter", *["right_square_bracket"] * 5)),
    "log": ((140, 44), keys("L")),
    "add": ((120, 50), keys("a")),
    "speed-limits": ((120, 40), keys("S")),
    "categories": ((120, 40), keys("K")),
    "preferences": ((130, 40), keys("comma")),
    "statistics": ((120, 40), keys("I")),
}
#: The demo's torrents per shot: a seedbox's or a downloading box's (qbtui.sim.demo_data), else all states.
MIXES = {"seedbox-80x24": "seeding", "downloading-100x30": "downloading"}
#: The main screen once per shipped theme (the shots above use the default, qbtui-dark).
THEMES = ("qbtui-dark", "qbtui-light", "qbtui-high-contrast", "qbtui-16")


async def shoot(name: str, size: tuple[int, int], drive: Drive, theme: str = "qbtui-dark") -> None:
    import qbtui.util.format

    qbtui.util.format.time.time = lambda: NOW  # type: ignore[attr-defined]
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(NOW), demo_mix=MIXES.get(name, "mixed")))
    with tempfile.TemporaryDirectory() as state:
        async with serve(sim) as server:
            app = make_app(server.url, interval=3600, state_dir=Path(state))
            app.theme = theme
            async with app.run_test(size=size) as pilot:
                await until(pilot, lambda: len(app.view) > 0, what="data")
                await pilot.pause()
                await drive(pilot)
                app.save_screenshot(filename=f"{name}.svg", path=str(OUT))
    print(f"screenshots/{name}.svg")


async def servers_overview() -> None:
    """Two simulated servers in the config, the second one unreachable: the overview shows both."""
    import qbtui.util.format
    from qbtui.settings.config import ServerConfig
    from qbtui.settings.passwords import PasswordSource

    qbtui.util.format.time.time = lambda: NOW  # type: ignore[attr-defined]
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(NOW)))
    with tempfile.TemporaryDirectory() as state:
        async with serve(sim) as server:
            servers = {
                "seedbox": ServerConfig("seedbox", server.url, "admin", PasswordSource(plain="adminadmin")),
                "nas": ServerConfig("nas", "http://127.0.0.1:9", "admin", PasswordSource(plain="x")),
            }
            app = make_app(
                server.url, interval=3600, state_dir=Path(state), servers=servers, server_name="seedbox"
            )
            async with app.run_test(size=(130, 36)) as pilot:
                await until(pilot, lambda: len(app.view) > 0, what="data")
                await pilot.press("W")
                await until(pilot, lambda: "nas" in getattr(app.screen, "statuses", {}), what="overview")
                await pilot.press("down")
                await pilot.pause()
                app.save_screenshot(filename="servers.svg", path=str(OUT))
    print("screenshots/servers.svg")


async def saved_views() -> None:
    """Three saved views, one of them on screen, and the list of them (v) over it."""
    import qbtui.util.format
    from qbtui.settings.saved_views import SavedView

    qbtui.util.format.time.time = lambda: NOW  # type: ignore[attr-defined]
    views = [
        SavedView(
            "linux-seeding",
            key=1,
            filter="category:linux ratio>0.5",
            sort="ratio",
            reverse=True,
            columns=("name", "size", "state", "up", "ratio", "category"),
        ),
        SavedView("stuck", key=2, filter="state:stalled | state:errored | seeds=0", sort="progress"),
        SavedView("big-downloads", key=3, filter="size>4G", status="downloading", sort="eta"),
    ]
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(NOW)))
    with tempfile.TemporaryDirectory() as state:
        async with serve(sim) as server:
            app = make_app(server.url, interval=3600, state_dir=Path(state), views=views)
            app.theme = "qbtui-dark"
            async with app.run_test(size=(130, 36)) as pilot:
                await until(pilot, lambda: len(app.view) > 0, what="data")
                await pilot.pause()
                await pilot.press("1", "v")
                await pilot.pause(1.0)
                app.save_screenshot(filename="views.svg", path=str(OUT))
    print("screenshots/views.svg")


#: Where the creator's screenshot puts the files it makes a torrent of (shown in the picture, so fixed).
CREATOR_SOURCE = Path(tempfile.gettempdir()) / "qbtui-screenshot"


async def creator() -> None:
    """The torrent creator needs a 5.x server and the simulator speaks the legacy API only: this one
    runs against a real qbittorrent-nox 5.3.0 (the Debian sid root filesystem the tests use). The
    dialog is shown in a bare window, not over the torrent list, whose free space and times would
    differ at every run; what it shows (the fields 5.3 has, the source completed on the server) comes
    from the real server."""
    import shutil

    from textual.app import App

    from qbtui.api import ConnectionSettings, QbtApi, connect
    from qbtui.ui.screens.creator import CreatorScreen
    from qbtui.ui.themes import use_shipped_themes
    from tests.support.noxserver import NoxInstance
    from tests.support.rootfs import DISTROS, ChrootRuntime, RootfsError, ensure_rootfs

    try:
        runtime = ChrootRuntime(ensure_rootfs(DISTROS["sid"]))
    except RootfsError as exc:
        print(f"screenshots/creator.svg skipped: no qbittorrent-nox 5.3.0 ({exc})")
        return
    shutil.rmtree(CREATOR_SOURCE, ignore_errors=True)
    album = CREATOR_SOURCE / "music" / "Field Recordings (2026)"
    (album / "disc 1").mkdir(parents=True)
    for index, name in enumerate(["01 Rain.flac", "02 Harbour.flac", "03 Night train.flac"]):
        (album / "disc 1" / name).write_bytes(bytes([index]) * (150_000 + index))
    (album / "cover.jpg").write_bytes(b"\xff" * 40_000)

    class Bare(App[None]):
        TITLE = "qbtui"
        api: QbtApi | None = None

    with tempfile.TemporaryDirectory() as profile, NoxInstance(runtime, Path(profile) / "nox") as nox:
        app = Bare()
        use_shipped_themes(app)
        async with app.run_test(size=(104, 46)) as pilot:
            app.theme = "qbtui-dark"
            app.api = await connect(
                ConnectionSettings(url=nox.url, username=nox.username, password=nox.password)
            )
            try:
                await app.push_screen(CreatorScreen())
                screen = app.screen
                await until(pilot, screen.keys_ready.is_set, what="the form")
                await pilot.press(*f"{CREATOR_SOURCE}/music/Fi", "tab")
                await until(
                    pilot, lambda: screen.query_one("#source").value.endswith("(2026)/"), what="completed"
                )
                screen.query_one(
                    "#trackers"
                ).text = "https://tracker.example.org/announce\n\nudp://backup.example.net:6969/announce"
                screen.query_one("#web-seeds").text = "https://mirror.example.org/music/"
                screen.query_one("#comment").value = "Recorded on the coast, spring 2026"
                screen.query_one("#source-tag").value = "EXAMPLE"
                screen.query_one("#private").value = True
                screen.query_one("#save-to").value = "~/torrents/field-recordings.torrent"
                screen.query_one("#source").focus()
                await pilot.pause(0.5)
                app.save_screenshot(filename="creator.svg", path=str(OUT))
            finally:
                await app.api.close()
    shutil.rmtree(CREATOR_SOURCE, ignore_errors=True)
    print("screenshots/creator.svg")


async def _press_until(pilot: Pilot[None], check: Callable[[], bool], what: str) -> None:
    await until(pilot, check, timeout=30, what=what)
    await pilot.pause(0.5)


async def rss_shot(pilot: Pilot[None]) -> None:
    app = pilot.app
    await until(pilot, lambda: getattr(app, "api", None) is not None, what="connected")
    await pilot.press("w")
    await _press_until(pilot, lambda: getattr(app.screen, "root", None) is not None, "feeds")
    await pilot.press("down", "down")  # TV, then its feed
    await pilot.press("tab", *["down"] * 5)  # an article with a list and a link in its description
    await pilot.pause(1.0)


async def rule_shot(pilot: Pilot[None]) -> None:
    app = pilot.app
    await until(pilot, lambda: getattr(app, "api", None) is not None, what="connected")
    await pilot.press("w")
    await _press_until(pilot, lambda: getattr(app.screen, "root", None) is not None, "feeds")
    await pilot.press("w")
    await _press_until(pilot, lambda: bool(getattr(app.screen, "rules", None)), "rules")
    await pilot.press("down", "enter")  # Night Harbour
    await pilot.pause(1.0)


async def search_shot(pilot: Pilot[None]) -> None:
    app = pilot.app
    await until(pilot, lambda: getattr(app, "api", None) is not None, what="connected")
    await pilot.press("E")
    await _press_until(pilot, lambda: bool(getattr(app.screen, "plugins", None)), "plugins")
    await pilot.press(*"debian", "enter")
    done = lambda: getattr(app.screen, "total", 0) == 6 and not getattr(app.screen, "running", True)  # noqa: E731
    await _press_until(pilot, done, "results")
    await pilot.press("s")
    await pilot.pause(0.3)
    await pilot.press(*"Seeds", "enter")
    await pilot.pause(0.3)
    await pilot.press("down", "space", "down", "space")
    await pilot.pause(1.0)


REAL_SHOTS: dict[str, tuple[tuple[int, int], Drive]] = {
    "rss": ((140, 40), rss_shot),
    "rss-rule": ((140, 44), rule_shot),
    "search": ((140, 32), search_shot),
}
#: Tried first for the feeds' site, so the URLs on screen stay the same between runs.
SITE_PORT = 28471


async def real_server_shots(only: set[str]) -> None:
    import os
    import time

    from tests.support.loopsite import LoopSite
    from tests.support.noxserver import NoxInstance, find_nox_binary
    from tests.support.rootfs import DISTROS, ChrootRuntime, RootfsError, ensure_rootfs
    from tests.support.showcase import showcase

    wanted = [name for name in REAL_SHOTS if not only or name in only]
    if not wanted:
        return
    os.environ["TZ"] = "UTC"
    time.tzset()
    runtime: object
    try:
        runtime = ChrootRuntime(ensure_rootfs(DISTROS["sid"]))
    except RootfsError:
        runtime = find_nox_binary()
    if runtime is None:
        print(f"skipped {', '.join(wanted)}: no qbittorrent-nox on this machine")
        return
    try:
        site = LoopSite(port=SITE_PORT)
    except OSError:
        site = LoopSite()
    with tempfile.TemporaryDirectory() as work, site:
        nox = NoxInstance(runtime, Path(work) / "nox").start()  # type: ignore[arg-type]
        try:
            showcase(nox, site, Path(work))
            for name in wanted:
                size, drive = REAL_SHOTS[name]
                app = make_app(
                    nox.url, username=nox.username, password=nox.password, interval=3600, state_dir=Path(work)
                )
                app.theme = "qbtui-dark"
                async with app.run_test(size=size) as pilot:
                    await drive(pilot)
                    app.save_screenshot(filename=f"{name}.svg", path=str(OUT))
                print(f"screenshots/{name}.svg (qbittorrent-nox {nox.version})")
        finally:
            nox.stop()


async def main(only: set[str]) -> None:
    OUT.mkdir(exist_ok=True)
    for name, (size, drive) in SHOTS.items():
        if not only or name in only:
            await shoot(name, size, drive)
    for theme in THEMES:
        if not only or f"theme-{theme}" in only:
            await shoot(f"theme-{theme}", (120, 32), nothing, theme)
    if not only or "servers" in only:
        await servers_overview()
    if not only or "views" in only:
        await saved_views()
    if not only or "creator" in only:
        await creator()
    await real_server_shots(only)


if __name__ == "__main__":
    asyncio.run(main(set(sys.argv[1:])))
