"""Every add option, sent through the dialog and read back from the server that received it.

- a real qbittorrent-nox (v2): a .torrent file and a magnet link with several options each, every
  option read back from torrents/info, torrents/properties and torrents/files; the cookie read back
  by the web server qBittorrent fetched the URL from; the server's add defaults shown in the form;
- the legacy simulator: the options of the old API (root folder among them) read back the same way;
- a scripted fake server: the cookie as it goes over the wire to a legacy server;
- links that cannot work: refused in the dialog before sending (`htp:/x`), or, when only the server
  can find out (an unreachable URL), followed up after the dialog has closed.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from qbtui.api import ConnectionSettings, connect
from qbtui.ui.screens import add_torrents
from qbtui.ui.screens.add_torrents import AddResult, AddTorrentsScreen, check_link, magnet_hash
from qbtui.util.torrentfile import read
from tests.add.harness import AddHarness, connected, make_torrent, until
from tests.api.fakeserver import legacy_server
from tests.support.noxserver import NoxInstance

MAGNET_HEX = "0123456789abcdef0123456789abcdef01234567"
OTHER_HEX = "fedcba9876543210fedcba9876543210fedcba98"


def dialog(app: AddHarness) -> AddTorrentsScreen:
    assert app.dialog is not None
    return app.dialog


def error_text(app: AddHarness) -> str:
    return str(dialog(app).query_one("#error", Static).render())


def fill(screen: AddTorrentsScreen, **values: Any) -> None:
    """Set form fields by id (underscores for dashes): text for inputs, bool for checkboxes."""
    for key, value in values.items():
        widget = screen.query_one("#" + key.replace("_", "-"))
        if isinstance(widget, TextArea):
            widget.text = value
        elif isinstance(widget, (Checkbox, Select)):
            widget.value = value
        else:
            assert isinstance(widget, Input), key
            widget.value = value


async def ready(pilot) -> AddTorrentsScreen:  # type: ignore[no-untyped-def]
    await until(
        pilot, lambda: pilot.app.dialog is not None and pilot.app.dialog.defaults_loaded, what="defaults"
    )
    return dialog(pilot.app)


async def submit_and_close(pilot) -> AddResult:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+s")
    try:
        await until(pilot, lambda: bool(pilot.app.results), what="the dialog to close")
    except AssertionError:
        raise AssertionError(f"the dialog stayed open: {error_text(pilot.app)}") from None
    result = pilot.app.results[0]
    assert isinstance(result, AddResult)
    return result


async def submit_refused(pilot) -> str:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert pilot.app.results == [], "the dialog should have stayed open"
    assert not dialog(pilot.app).query_one("#submit").disabled
    return error_text(pilot.app)


# -- reading a real server back, with its own JSON ----------------------------------------------------


def server_get(nox: NoxInstance, path: str, **params: str) -> Any:
    with nox.client() as client:
        response = client.get("/api/v2/" + path, params=params)
        response.raise_for_status()
        return response.json()


async def settled(pilot, nox: NoxInstance, info_hash: str, check, what: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The torrent's torrents/info entry, once `check(entry)` holds."""
    entry: dict[str, Any] | None = None

    def done() -> bool:
        nonlocal entry
        entry = nox.torrent(info_hash)
        return entry is not None and bool(check(entry))

    await until(pilot, done, timeout=30, what=f"{what}: {entry}")
    assert entry is not None
    return entry


def is_stopped(entry: dict[str, Any]) -> bool:
    state = str(entry.get("state", "")).lower()
    return "paused" in state or "stopped" in state


def same_path(a: str, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


# -- pure checks of the links box ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        f"magnet:?xt=urn:btih:{MAGNET_HEX}&dn=x",
        "http://127.0.0.1:1/x.torrent",
        "https://tracker.example/dl.php?id=5&passkey=abc",
        "ftp://mirror.example/a.torrent",
        MAGNET_HEX,
        "/srv/watch/a.torrent",
        "C:\\torrents\\a.torrent",
        "file:///srv/watch/a.torrent",
        "bc://bt/YWFh",
    ],
)
def test_links_qbittorrent_takes_are_accepted(link: str) -> None:
    assert check_link(link)[1] is None


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("htp:/x", "qBittorrent cannot fetch htp: links"),
        ("http:/x.torrent", "not a valid URL (no host after http://)"),
        ("https://", "not a valid URL (no host after https://)"),
        ("http://[::1/x", "not a valid URL"),
        ("example.com/a.torrent", "not a URL; did you mean http://example.com/a.torrent?"),
        ("magnet:?dn=only-a-name", "not a valid magnet link"),
        ("~/Downloads/a.torrent", "goes in the .torrent field"),
        ("just some words", "not a magnet link, an http(s)/ftp URL, an info-hash or a path on the server"),
    ],
)
def test_links_qbittorrent_cannot_take_get_a_reason(link: str, reason: str) -> None:
    assert reason in (check_link(link)[1] or "")


def test_info_hashes_of_links() -> None:
    assert check_link(MAGNET_HEX.upper()) == (MAGNET_HEX, None)
    v2_only = "magnet:?xt=urn:btmh:1220" + "ab" * 32 + "&dn=v2"
    # qBittorrent lists a v2-only torrent under its SHA-256 info-hash cut to 40 digits.
    assert magnet_hash(v2_only) == "ab" * 20 and check_link(v2_only) == ("ab" * 20, None)
    hybrid = f"magnet:?xt=urn:btih:{MAGNET_HEX}&xt=urn:btmh:1220" + "cd" * 32
    assert magnet_hash(hybrid) == MAGNET_HEX


# -- refused in the dialog, before anything is sent ---------------------------------------------------


async def test_bad_links_and_contradictory_options_are_refused_before_sending(
    sim_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    api = await connected(sim_server.url)
    make_torrent(tmp_path, "refused")
    monkeypatch.chdir(tmp_path)
    async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
        screen = await ready(pilot)
        log_before = len(await api.log())
        before = {t.hash for t in await api.torrents()}
        fill(screen, links="htp:/x\n")
        assert "htp:/x: qBittorrent cannot fetch htp: links" in await submit_refused(pilot)
        fill(screen, links=f"magnet:?xt=urn:btih:{MAGNET_HEX}\nexample.com/a.torrent\n")
        assert "line 2: example.com/a.torrent: not a URL; did you mean http://example.com/a.torrent?" in (
            await submit_refused(pilot)
        )
        fill(screen, links="http:/nohost.torrent")
        assert "no host after http://" in await submit_refused(pilot)
        # A file of this computer typed into the links box is pointed at the .torrent field.
        fill(screen, links="refused.torrent")
        assert "refused.torrent: a file on this computer goes in the .torrent field below" in (
            await submit_refused(pilot)
        )
        # Rename with several torrents would give them all the same name.
        fill(
            screen, links=f"magnet:?xt=urn:btih:{MAGNET_HEX}\nmagnet:?xt=urn:btih:{OTHER_HEX}", rename="same"
        )
        assert "Rename would give all 2 torrents the same name" in await submit_refused(pilot)
        fill(screen, rename="")
        # Negative limits of every kind get a reason.
        for field, value, reason in (
            ("up_limit", "-1M", "upload limit '-1M' is negative"),
            ("dl_limit", "-5K", "download limit '-5K' is negative"),
        ):
            fill(screen, **{field: value})
            assert reason in await submit_refused(pilot)
            fill(screen, **{field: ""})
        # Nothing reached the server: no torrent, no "Downloading …" line in its log.
        assert {t.hash for t in await api.torrents()} == before
        assert len(await api.log()) == log_before


async def test_automatic_management_with_a_save_path_is_refused(nox_clean) -> None:  # type: ignore[no-untyped-def]
    nox = nox_clean
    api = await connected(nox.url, nox.username, nox.password)
    async with api, AddHarness(api).run_test(size=(110, 60)) as pilot:
        screen = await ready(pilot)
        fill(screen, links=f"magnet:?xt=urn:btih:{MAGNET_HEX}", auto_tmm=True, save_path="/tmp/ignored")
        reason = await submit_refused(pilot)
        assert (
            "automatic torrent management saves into the category's folder and ignores the save path"
            in reason
        )
        fill(screen, save_path="", download_path="/tmp/ignored-too")
        assert "ignores the incomplete path" in await submit_refused(pilot)
        assert nox.torrents() == []


async def test_negative_ratio_and_seeding_time_are_refused(nox_clean) -> None:  # type: ignore[no-untyped-def]
    nox = nox_clean
    api = await connected(nox.url, nox.username, nox.password)
    async with api, AddHarness(api).run_test(size=(110, 60)) as pilot:
        screen = await ready(pilot)
        fill(screen, links=f"magnet:?xt=urn:btih:{MAGNET_HEX}", ratio_limit="-2")
        assert "ratio limit '-2' is negative" in await submit_refused(pilot)
        fill(screen, ratio_limit="", seeding_time_limit="-30")
        assert "seeding time limit '-30' is negative" in await submit_refused(pilot)
        assert nox.torrents() == []


# -- a real v2 server: every option read back ---------------------------------------------------------


async def test_v2_torrent_file_with_every_option_read_back(nox_clean, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    nox = nox_clean
    api = await connected(nox.url, nox.username, nox.password)
    torrent = make_torrent(tmp_path, "every-option", files=3, size=20_000)
    info_hash = read(torrent).info_hash
    save_path = nox.downloads / "every-option-save"
    download_path = nox.downloads / "every-option-incomplete"
    # The data is already in place without the torrent's folder, as content layout "No subfolder"
    # expects: skipping the hash check makes it complete at once, without a single byte downloaded.
    save_path.mkdir(parents=True)
    for part in (tmp_path / "content" / "every-option").iterdir():
        shutil.copy(part, save_path / part.name)
    async with api, AddHarness(api).run_test(size=(110, 60)) as pilot:
        screen = await ready(pilot)
        assert screen.query_one("#paused", Checkbox).value is False  # the server's default
        assert screen.query_one("#auto-tmm", Checkbox).value is False
        assert screen.query_one("#save-path", Input).placeholder == f"server default: {nox.downloads}"
        fill(
            screen,
            file_path=str(torrent),
            save_path=str(save_path),
            download_path=str(download_path),
            new_category="every",
            tags="alpha, beta",
            rename="renamed by qbtui",
            content_layout="NoSubfolder",
            dl_limit="800K",
            up_limit="1.5M",
            ratio_limit="1.25",
            seeding_time_limit="45",
            paused=True,
            skip_checking=True,
            sequential=True,
            first_last=True,
        )
        result = await submit_and_close(pilot)
        assert result == AddResult([info_hash], [])
        entry = await settled(
            pilot, nox, info_hash, lambda e: is_stopped(e) and e["progress"] == 1, "stopped and complete"
        )
        # skip_checking: complete at once; stopped: never started, nothing downloaded.
        assert (
            entry["progress"] == 1
            and entry["downloaded"] == 0
            and entry["state"] in ("pausedUP", "stoppedUP")
        )
        assert entry["name"] == "renamed by qbtui"
        assert entry["category"] == "every"
        assert sorted(tag.strip() for tag in entry["tags"].split(",")) == ["alpha", "beta"]
        assert entry["auto_tmm"] is False
        assert same_path(entry["save_path"], save_path)
        assert same_path(entry["download_path"], download_path)
        assert entry["seq_dl"] is True and entry["f_l_piece_prio"] is True
        assert entry["dl_limit"] == 800 * 1024 and entry["up_limit"] == round(1.5 * 1024 * 1024)
        assert entry["ratio_limit"] == pytest.approx(1.25) and entry["seeding_time_limit"] == 45
        properties = server_get(nox, "torrents/properties", hash=info_hash)
        assert same_path(properties["save_path"], save_path)
        assert same_path(properties["download_path"], download_path)
        assert properties["dl_limit"] == 800 * 1024 and properties["up_limit"] == round(1.5 * 1024 * 1024)
        # Content layout "No subfolder": the files sit directly in the save path.
        files = server_get(nox, "torrents/files", hash=info_hash)
        assert [f["name"] for f in files] == ["part00.bin", "part01.bin", "part02.bin"]
        assert all(f["progress"] == 1 for f in files)


async def test_v2_magnet_with_automatic_management_read_back(nox_clean) -> None:  # type: ignore[no-untyped-def]
    nox = nox_clean
    api = await connected(nox.url, nox.username, nox.password)
    async with api, AddHarness(api).run_test(size=(110, 60)) as pilot:
        screen = await ready(pilot)
        fill(
            screen,
            links=f"magnet:?xt=urn:btih:{MAGNET_HEX}&dn=from-the-magnet\n",
            new_category="managed",
            tags="magnetic",
            rename="renamed magnet",
            auto_tmm=True,
            paused=True,
            sequential=True,
            first_last=True,
            up_limit="300K",
        )
        result = await submit_and_close(pilot)
        assert result == AddResult([MAGNET_HEX], [])
        entry = await settled(pilot, nox, MAGNET_HEX, is_stopped, "stopped")
        assert entry["name"] == "renamed magnet"
        assert entry["auto_tmm"] is True
        # Automatic management: the save path is the category's folder under the default save path.
        assert same_path(entry["save_path"], nox.downloads / "managed")
        assert entry["category"] == "managed" and entry["tags"] == "magnetic"
        assert entry["seq_dl"] is True and entry["f_l_piece_prio"] is True
        assert entry["up_limit"] == 300 * 1024 and entry["dl_limit"] in (0, -1)


async def test_v2_subfolder_layout_and_server_defaults_unticked(nox_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A server that adds torrents stopped and auto-managed: the dialog shows both ticked, and
    unticking them is sent as such (an unticked box used to leave it to the server's default)."""
    nox = nox_factory()
    with nox.client() as client:
        prefs = {"auto_tmm_enabled": True, "start_paused_enabled": True, "add_stopped_enabled": True}
        client.post("/api/v2/app/setPreferences", data={"json": json.dumps(prefs)}).raise_for_status()
    api = await connected(nox.url, nox.username, nox.password)
    torrent = make_torrent(tmp_path, "single.bin", files=1, size=30_000)
    info_hash = read(torrent).info_hash
    save_path = nox.downloads / "layout"
    async with api, AddHarness(api).run_test(size=(110, 60)) as pilot:
        screen = await ready(pilot)
        assert screen.query_one("#paused", Checkbox).value is True
        assert screen.query_one("#auto-tmm", Checkbox).value is True
        fill(screen, file_path=str(torrent), save_path=str(save_path), content_layout="Subfolder")
        # Automatic management (ticked by the server's default) would ignore the save path.
        assert "clear it or untick automatic management" in await submit_refused(pilot)
        fill(screen, auto_tmm=False, paused=False)
        assert await submit_and_close(pilot) == AddResult([info_hash], [])
        entry = await settled(
            pilot, nox, info_hash, lambda e: e["state"] not in ("checkingResumeData",), "loaded"
        )
        assert entry["auto_tmm"] is False and same_path(entry["save_path"], save_path)
        assert not is_stopped(entry), entry["state"]
        # "Subfolder" puts even a single file into a folder named after it (without the extension).
        files = server_get(nox, "torrents/files", hash=info_hash)
        assert [f["name"] for f in files] == ["single/single.bin"]


async def test_a_box_the_user_changed_keeps_its_value_when_the_defaults_arrive() -> None:
    from tests.api.fakeserver import v2_server

    server = v2_server()
    server.routes["/api/v2/app/preferences"] = httpx.Response(
        200, json={"start_paused_enabled": True, "auto_tmm_enabled": True, "save_path": "/srv/x"}
    )
    settings = ConnectionSettings(url="http://qbt.test", username="admin", password="adminadmin")
    api = await connect(settings, transport=server.transport())
    async with api, AddHarness(api).run_test(size=(110, 60)) as pilot:
        screen = await ready(pilot)
        paused, auto = screen.query_one("#paused", Checkbox), screen.query_one("#auto-tmm", Checkbox)
        assert paused.value is True and auto.value is True
        paused.value = False  # as if clicked
        await pilot.pause()
        screen.defaults_loaded = False
        screen._load_defaults()  # the defaults arriving (again) after the change
        await until(pilot, lambda: screen.defaults_loaded, what="defaults")
        assert paused.value is False and auto.value is True
        assert screen.build_options().paused is False


# -- URLs: the cookie, and what happens when the server cannot fetch one ------------------------------


class TorrentSite:
    """A local web server that hands out a .torrent only to requests with the right cookie."""

    def __init__(self, torrent: Path, cookie: str) -> None:
        self.requests: list[tuple[str, str | None]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, self.headers.get("Cookie")))
                if cookie in (self.headers.get("Cookie") or ""):
                    data = torrent.read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/x-bittorrent")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                else:
                    self.send_response(403)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def quick_watch(monkeypatch: pytest.MonkeyPatch) -> float:
    """Follow fetched URLs for 4 s instead of 30."""
    monkeypatch.setattr(add_torrents, "URL_WATCH_SECONDS", 4.0)
    monkeypatch.setattr(add_torrents, "URL_WATCH_INTERVAL", 0.25)
    return 4.0


@pytest.fixture
def site(tmp_path: Path) -> Iterator[TorrentSite]:
    served = TorrentSite(make_torrent(tmp_path, "behind-a-login", files=2, size=5000), "uid=7")
    try:
        yield served
    finally:
        served.close()


async def test_v2_url_with_cookie_is_fetched_with_it(
    nox_clean, site: TorrentSite, quick_watch: float, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    nox = nox_clean
    api = await connected(nox.url, nox.username, nox.password)
    url = site.url("/download.php?id=7")
    info_hash = read(tmp_path / "behind-a-login.torrent").info_hash
    async with api, AddHarness(api).run_test(size=(110, 60)) as pilot:
        screen = await ready(pilot)
        fill(screen, links=url, cookie="uid=7; pass=secret", new_category="fetched", paused=True)
        assert await submit_and_close(pilot) == AddResult([], [url])
        entry = await settled(pilot, nox, info_hash, is_stopped, "the fetched torrent")
        assert entry["name"] == "behind-a-login" and entry["category"] == "fetched"
        # The cookie is read back from the site qBittorrent fetched the URL from.
        assert site.requests == [("/download.php?id=7", "uid=7; pass=secret")]
        await until(pilot, lambda: bool(pilot.app.notices), what="the follow-up notice")
        assert pilot.app.notices == [("information", "Added from URL", "Fetched and added: behind-a-login")]


async def test_v2_url_the_server_cannot_fetch(nox_clean, tmp_path: Path, quick_watch: float) -> None:  # type: ignore[no-untyped-def]
    """qBittorrent answers "Ok." for a URL and fetches it later; 4.5 does not even log a failure.
    The dialog closes (the server took the URL), nothing crashes, and the user is told, after the
    watch, that nothing has arrived from the URL: true whatever the reason."""
    nox = nox_clean
    api = await connected(nox.url, nox.username, nox.password)
    # qBittorrent keeps cookies it was given in its jar for the host (127.0.0.1 here): this site
    # wants one that no test gives it.
    site = TorrentSite(make_torrent(tmp_path, "never-served"), "uid=never")
    unreachable = "http://127.0.0.1:1/unreachable.torrent"
    forbidden = site.url("/needs-a-cookie.torrent")
    try:
        await add_what_cannot_be_fetched(api, nox, site, unreachable, forbidden, quick_watch)
    finally:
        site.close()


async def add_what_cannot_be_fetched(  # type: ignore[no-untyped-def]
    api, nox: NoxInstance, site: TorrentSite, unreachable: str, forbidden: str, quick_watch: float
) -> None:
    async with api, AddHarness(api).run_test(size=(110, 60)) as pilot:
        screen = await ready(pilot)
        fill(screen, links=f"{unreachable}\n{forbidden}\nmagnet:?xt=urn:btih:{MAGNET_HEX}")
        assert await submit_and_close(pilot) == AddResult([MAGNET_HEX], [unreachable, forbidden])

        def told() -> str:
            return " ".join(message for _, _, message in pilot.app.notices)

        await until(
            pilot,
            lambda: unreachable in told() and forbidden in told(),
            timeout=quick_watch + 10,
            what="notices",
        )
        assert pilot.app.is_running
        for severity, title, message in pilot.app.notices:
            if severity == "warning":
                # 4.5: no failure logged, so the notice says what is known and no more.
                assert title == "Nothing added yet"
                assert f"after {quick_watch:g} s" in message and "may be unreachable" in message
            else:  # servers that log the failure: their own words, as an error
                assert severity == "error" and title == "qBittorrent could not add a torrent", (
                    pilot.app.notices
                )
        assert [path for path, _ in site.requests] == ["/needs-a-cookie.torrent"]
        # The magnet sent alongside was added; no torrent came from either URL.
        assert [t["hash"] for t in nox.torrents()] == [MAGNET_HEX]


async def test_v2_path_the_server_cannot_load_is_reported_in_its_words(nox_clean, quick_watch: float) -> None:  # type: ignore[no-untyped-def]
    """A path on the server's disk next to a magnet: qBittorrent answers "Ok." (the magnet was
    added) and logs why the path failed; that line is what the user is shown."""
    nox = nox_clean
    api = await connected(nox.url, nox.username, nox.password)
    missing = str(nox.downloads / "no-such.torrent")
    async with api, AddHarness(api).run_test(size=(110, 60)) as pilot:
        screen = await ready(pilot)
        fill(screen, links=f"magnet:?xt=urn:btih:{MAGNET_HEX}\n{missing}")
        assert await submit_and_close(pilot) == AddResult([MAGNET_HEX], [missing])
        await until(pilot, lambda: bool(pilot.app.notices), timeout=quick_watch + 10, what="the notice")
        ((severity, title, message),) = pilot.app.notices
        assert severity == "error" and title == "qBittorrent could not add a torrent"
        assert missing in message  # 4.5: Failed to load torrent. Source: "…". Reason: "…"
        assert [t["hash"] for t in nox.torrents()] == [MAGNET_HEX]


async def test_legacy_url_failure_is_reported_in_the_servers_words(
    sim, sim_server, quick_watch: float
) -> None:  # type: ignore[no-untyped-def]
    """qBittorrent 4.0.4 logs a failed URL download as a warning: the app shows that message."""
    api = await connected(sim_server.url)
    bad = "http://tracker.invalid/gone.torrent"
    good = "http://tracker.example/fine.torrent"
    async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
        screen = await ready(pilot)
        fill(screen, links=f"{bad}\n{good}\n")
        assert await submit_and_close(pilot) == AddResult([], [bad, good])
        sim.advance(5)  # the simulated server "downloads" both
        await until(pilot, lambda: len(pilot.app.notices) >= 2, timeout=quick_watch + 10, what="notices")
        assert (
            "error",
            "qBittorrent could not add a torrent",
            f"Couldn't download file at URL '{bad}', reason: Host tracker.invalid not found",
        ) in pilot.app.notices
        assert ("information", "Added from URL", "Fetched and added: fine") in pilot.app.notices
        assert len(pilot.app.notices) == 2


# -- the legacy API -----------------------------------------------------------------------------------


async def test_legacy_file_options_read_back(sim_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    api = await connected(sim_server.url)
    flat = make_torrent(tmp_path, "flat", files=3, size=1000)
    async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
        screen = await ready(pilot)
        assert screen.query_one("#save-path", Input).placeholder == "server default: /srv/qbt/downloads/"
        fill(
            screen,
            file_path=str(flat),
            save_path="/downloads/flat",
            rename="flat renamed",
            root_folder="no",
            skip_checking=True,
            paused=True,
            sequential=True,
            first_last=True,
            dl_limit="100K",
        )
        info_hash = read(flat).info_hash
        assert await submit_and_close(pilot) == AddResult([info_hash], [])
        added = {t.hash: t for t in await api.torrents()}[info_hash]
        assert added.name == "flat renamed"
        assert added.progress == 1.0  # skip_checking: taken as complete
        assert added.seq_dl and added.f_l_piece_prio
        assert "paused" in added.state_raw.lower()
        assert added.save_path.rstrip("/") == "/downloads/flat"
        assert (await api.properties(info_hash)).dl_limit == 100 * 1024
        # root_folder=false: the files lose the torrent's top folder.
        assert [f.name for f in await api.files(info_hash)] == ["part00.bin", "part01.bin", "part02.bin"]

        rooted = make_torrent(tmp_path, "rooted", files=2, size=1000)
        async with AddHarness(api).run_test(size=(110, 50)) as pilot:
            screen = await ready(pilot)
            fill(screen, file_path=str(rooted), root_folder="yes")
            await submit_and_close(pilot)
            info_hash = read(rooted).info_hash
            added = {t.hash: t for t in await api.torrents()}[info_hash]
            assert "paused" not in added.state_raw.lower()  # unticked "Add paused" is sent as such
            files = [f.name for f in await api.files(info_hash)]
            assert files == ["rooted/part00.bin", "rooted/part01.bin"]


async def test_legacy_cookie_and_options_on_the_wire(tmp_path: Path) -> None:
    """qBittorrent cannot be asked for a cookie afterwards: look at what a legacy server receives."""
    server = legacy_server(api=17)
    server.routes["/command/download"] = "Ok."
    server.routes["/command/upload"] = ""
    server.routes["/query/preferences"] = httpx.Response(200, json={"save_path": "/srv/dl/"})
    server.routes["/query/torrents"] = httpx.Response(200, json=[])
    server.routes["/query/getLog"] = httpx.Response(200, json=[])
    settings = ConnectionSettings(url="http://qbt.test", username="admin", password="adminadmin")
    api = await connect(settings, transport=server.transport())
    torrent = make_torrent(tmp_path, "wired")
    url = "https://tracker.example/dl.php?id=1"
    async with api, AddHarness(api).run_test(size=(110, 50)) as pilot:
        screen = await ready(pilot)
        fill(
            screen,
            links=url,
            file_path=str(torrent),
            cookie="uid=1; pass=x y",
            root_folder="yes",
            skip_checking=True,
            first_last=True,
            new_category="wired",
        )
        assert await submit_and_close(pilot) == AddResult([read(torrent).info_hash], [url])
    (download,) = server.to("/command/download")
    (upload,) = server.to("/command/upload")
    for request in (download, upload):
        assert request.multipart
        assert request.form["cookie"] == "uid=1; pass=x y"
        assert request.form["root_folder"] == "true"
        assert request.form["skip_checking"] == "true"
        assert request.form["firstLastPiecePrio"] == "true"
        assert request.form["paused"] == "false"
        assert request.form["category"] == "wired"
        assert "sequentialDownload" not in request.form  # unticked, and no server default to override
    assert download.form["urls"] == url
