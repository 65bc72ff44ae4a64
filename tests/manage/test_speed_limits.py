"""SpeedLimitsScreen against the legacy simulator and a real qbittorrent-nox: human units in, bytes/s out."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from qbtui.ui.screens.speed_limits import SpeedLimitsScreen, shown
from qbtui.util.units import parse_rate
from tests.api.test_operations import Backend, add_paused
from tests.manage.harness import Harness, text_of, until

MiB = 1024 * 1024


def test_parse_and_show() -> None:
    assert parse_rate("2.5M") == int(2.5 * MiB)
    assert parse_rate("∞") is None and parse_rate("0") is None
    assert shown(None) == "∞" and shown(0) == "∞" and shown(-1) == "∞"
    assert parse_rate(shown(819200)) == 819200
    assert parse_rate("-1") is None  # qBittorrent's own spelling of "no limit"
    with pytest.raises(ValueError, match="negative"):
        parse_rate("-5M")


async def type_into(pilot: Pilot[None], field: str, text: str) -> None:
    box = pilot.app.screen.query_one(f"#{field}", Input)
    box.focus()
    box.value = ""
    await pilot.press(*text)


def notified(pilot: Pilot[None], start: str) -> str:
    """The newest toast that starts with `start` ("" when there is none)."""
    found = [n.message for n in pilot.app._notifications if n.message.startswith(start)]
    return found[-1] if found else ""


async def applied_and_closed(pilot: Pilot[None]) -> str:
    """ctrl+s (or Enter) applied the form and closed it, as every form does: the toast says what was set."""
    await until(pilot, lambda: not isinstance(pilot.app.screen, SpeedLimitsScreen), what="the form closed")
    return notified(pilot, "Set ")


async def reopen(pilot: Pilot[None], targets: list[str]) -> SpeedLimitsScreen:
    pilot.app.push_screen(SpeedLimitsScreen(targets))
    return await loaded(pilot)


async def loaded(pilot: Pilot[None]) -> SpeedLimitsScreen:
    app = pilot.app
    assert isinstance(app, Harness)
    await until(pilot, lambda: app.ready and isinstance(app.screen, SpeedLimitsScreen), what="screen")
    screen = app.screen
    assert isinstance(screen, SpeedLimitsScreen)
    await until(pilot, lambda: screen._loaded, what="limits loaded")
    return screen


async def test_set_every_limit_in_human_units(backend: tuple[Backend, str, dict[str, str]]) -> None:
    b, url, login = backend
    meta = await add_paused(b)
    was_alt = await b.api.alternative_speed_limits_enabled()
    app = Harness(url, lambda app: SpeedLimitsScreen([meta.info_hash]), **login)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await loaded(pilot)
        await type_into(pilot, "global-dl", "2.5M")
        await type_into(pilot, "global-ul", "800K")
        await type_into(pilot, "alt-dl", "1.5MiB/s")
        await type_into(pilot, "alt-ul", "300K")
        await type_into(pilot, "torrent-dl", "100K")
        await type_into(pilot, "torrent-ul", "50K")
        await pilot.press("ctrl+s")
        assert (await applied_and_closed(pilot)).startswith("Set global download limit 2.5 MiB/s")
        api = app.api
        assert api is not None
        assert await api.global_download_limit() == int(2.5 * MiB)
        assert await api.global_upload_limit() == 800 * 1024
        prefs = await api.preferences()
        # bytes/s, like the recorded 4.0.4 sample (alt_dl_limit 10240 = the 10 KiB/s default)
        assert prefs.get("alt_dl_limit") == int(1.5 * MiB)
        assert prefs.get("alt_up_limit") == 300 * 1024
        assert await api.torrent_download_limits([meta.info_hash]) == {meta.info_hash: 100 * 1024}
        assert await api.torrent_upload_limits([meta.info_hash]) == {meta.info_hash: 50 * 1024}
        assert app.pokes >= 1
        # shown back the same way
        screen = await reopen(pilot, [meta.info_hash])
        assert screen.query_one("#global-dl", Input).value == "2.5 MiB/s"
        assert screen.query_one("#torrent-ul", Input).value == "50.0 KiB/s"

        # the alternative switch, by key: it acts at once and the form stays open
        await pilot.press("ctrl+t")
        await until(pilot, lambda: "Alternative speed limits" in text_of(pilot, "#status"), what="toggle")
        assert await api.alternative_speed_limits_enabled() is (not was_alt)
        assert screen.query_one("#alt-enabled", Checkbox).value is (not was_alt)
        assert app.screen is screen

        # back to unlimited with ∞ and 0; Enter applies and closes like ctrl+s
        await type_into(pilot, "global-dl", "∞")
        await type_into(pilot, "torrent-dl", "0")
        await pilot.press("enter")
        assert "torrent download limit ∞" in await applied_and_closed(pilot)
        assert await api.global_download_limit() is None
        assert await api.torrent_download_limits([meta.info_hash]) == {meta.info_hash: None}
        if await api.alternative_speed_limits_enabled() != was_alt:
            await api.toggle_alternative_speed_limits()


async def test_negative_and_invalid_limits_are_refused(sim_server) -> None:  # type: ignore[no-untyped-def]
    app = Harness(sim_server.url, lambda app: SpeedLimitsScreen(list(app.store.torrents)[:1]))
    async with app.run_test(size=(100, 40)) as pilot:
        await loaded(pilot)
        api = app.api
        assert api is not None
        before = await api.global_download_limit()
        await type_into(pilot, "global-dl", "-5M")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "negative" in text_of(pilot, "#error")
        assert "Global download limit" in text_of(pilot, "#error")
        assert text_of(pilot, "#status") == ""
        assert await api.global_download_limit() == before
        await type_into(pilot, "global-dl", "fast")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is not a rate" in text_of(pilot, "#error")
        assert app.screen.focused is app.screen.query_one("#global-dl")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SpeedLimitsScreen)


def pick_mixed(app: Harness) -> list[str]:
    """One torrent with a download limit and one without (the demo data has both)."""
    limited = [t.hash for t in app.store.torrents.values() if t.dl_limit]
    free = [t.hash for t in app.store.torrents.values() if not t.dl_limit]
    assert limited and free
    return [limited[0], free[0]]


async def test_differing_torrent_limits_are_left_alone(sim_server) -> None:  # type: ignore[no-untyped-def]
    app = Harness(sim_server.url, lambda app: SpeedLimitsScreen(pick_mixed(app)))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await loaded(pilot)
        api = app.api
        assert api is not None
        hashes = screen.targets
        before = await api.torrent_download_limits(hashes)
        box = screen.query_one("#torrent-dl", Input)
        assert box.value == "" and "differs" in box.placeholder
        # changing something else does not flatten the differing limits
        await type_into(pilot, "torrent-ul", "64K")
        await pilot.press("ctrl+s")
        assert (await applied_and_closed(pilot)).startswith("Set torrent upload limit")
        assert await api.torrent_download_limits(hashes) == before
        assert set((await api.torrent_upload_limits(hashes)).values()) == {64 * 1024}
        # nothing changed: the form just closes, nothing sent
        screen = await reopen(pilot, hashes)
        toasts = len(app._notifications)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is not screen, what="the form closed")
        assert len(app._notifications) == toasts
        assert await api.torrent_download_limits(hashes) == before
