"""The real-server harness itself, checked with raw httpx: if these fail, no other nox test means anything."""

from __future__ import annotations

import ssl
import time
from pathlib import Path

import httpx
import pytest

from qbtui.util import torrentfile
from tests.support.noxfix import NoxFactory
from tests.support.noxserver import (
    SEEDING_STATES,
    NoxInstance,
    NoxSwarm,
    make_sample_torrent,
)

LOGIN = "/api/v2/auth/login"
#: What each server reports (the harness runs all three; see tests/support/noxfix.py).
WEBAPI = {"4.5.2": "2.8.19", "5.1.0": "2.11.4", "5.3.0": "2.16.2"}


def webapi(nox: NoxInstance) -> str:
    return WEBAPI.get(nox.version, "?")


def logged_in(nox: NoxInstance) -> tuple[int, str]:
    """5.2 (WebAPI 2.14) answers a good login with 204 and no body."""
    return (204, "") if nox.at_least(5, 2) else (200, "Ok.")


def refused(nox: NoxInstance) -> tuple[int, str]:
    return (401, "Unauthorized") if nox.at_least(5, 2) else (200, "Fails.")


def answer(reply: httpx.Response) -> tuple[int, str]:
    return reply.status_code, reply.text


def cookie_name(nox: NoxInstance) -> str:
    return f"QBT_SID_{nox.webui_port}" if nox.at_least(5, 2) else "SID"


def raw_client(instance: NoxInstance, verify: bool | ssl.SSLContext = True) -> httpx.Client:
    """Deliberately not instance.client(): these tests check the harness, so they do the HTTP themselves."""
    return httpx.Client(base_url=instance.url, verify=verify, trust_env=False, timeout=10.0)


def login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    return client.post(LOGIN, data={"username": username, "password": password})


# --------------------------------------------------------------------------------------------- no server


def test_sample_torrent_is_deterministic(tmp_path: Path) -> None:
    files = {"a.bin": 40_000, "sub/dir/b.bin": 12_345}
    first, root = make_sample_torrent(
        tmp_path / "one", "sample", files, tracker_url="http://127.0.0.1:1/announce"
    )
    second, _ = make_sample_torrent(
        tmp_path / "two", "sample", files, tracker_url="http://127.0.0.1:1/announce"
    )
    other, _ = make_sample_torrent(tmp_path / "three", "sample", files, seed=1)
    meta = torrentfile.read(first)
    assert meta.info_hash == torrentfile.read(second).info_hash != torrentfile.read(other).info_hash
    assert {f.path: f.size for f in meta.files} == {"sample/a.bin": 40_000, "sample/sub/dir/b.bin": 12_345}
    assert meta.trackers == ("http://127.0.0.1:1/announce",)
    assert (root / "sub" / "dir" / "b.bin").stat().st_size == 12_345

    single, content = make_sample_torrent(tmp_path / "four", "one.bin", 5000)
    assert content.is_file() and not torrentfile.read(single).multi_file


# --------------------------------------------------------------------------------------------- shared


@pytest.mark.nox
def test_login_with_generated_password(nox: NoxInstance) -> None:
    with raw_client(nox) as client:
        reply = login(client, nox.username, nox.password)
        assert (reply.status_code, reply.text) == logged_in(nox)
        assert client.cookies.get(cookie_name(nox))
        assert client.get("/api/v2/app/webapiVersion").text == webapi(nox)
        assert client.get("/api/v2/app/version").text == f"v{nox.version}"


@pytest.mark.nox
def test_wrong_and_default_passwords_fail(nox: NoxInstance) -> None:
    with raw_client(nox) as client:
        for password in ("wrong", "adminadmin", nox.password.upper()):
            reply = login(client, nox.username, password)
            assert (reply.status_code, reply.text) == refused(nox)
        assert cookie_name(nox) not in client.cookies
        assert client.get("/api/v2/app/webapiVersion").status_code == 403


@pytest.mark.nox
def test_password_is_only_on_disk_as_a_hash(nox: NoxInstance) -> None:
    assert nox.password not in nox.config_path.read_text()
    assert "Password_PBKDF2" in nox.config_path.read_text()
    proc = Path("/proc") / str(nox.pid)
    if proc.exists():
        assert nox.password.encode() not in (proc / "cmdline").read_bytes()
        assert nox.password.encode() not in (proc / "environ").read_bytes()


@pytest.mark.nox
def test_webapi_version_probe_needs_no_login(nox: NoxInstance) -> None:
    with raw_client(nox) as client:
        reply = client.get("/api/v2/app/webapiVersion")
        assert (reply.status_code, reply.text) == (403, "Forbidden")


@pytest.mark.nox
def test_config_reached_the_server(nox: NoxInstance) -> None:
    with raw_client(nox) as client:
        login(client, nox.username, nox.password)
        prefs = client.get("/api/v2/app/preferences").json()
    assert prefs["web_ui_port"] == nox.webui_port
    assert prefs["web_ui_address"] == "127.0.0.1"
    assert prefs["web_ui_username"] == nox.username
    assert prefs["listen_port"] == nox.torrent_port
    assert prefs["save_path"].rstrip("/") == str(nox.downloads)
    assert prefs["bypass_local_auth"] is False
    assert prefs["web_ui_max_auth_fail_count"] == 0
    assert prefs["enable_embedded_tracker"] is False
    assert (prefs["dht"], prefs["lsd"], prefs["pex"], prefs["upnp"], prefs["web_ui_upnp"]) == (False,) * 5


@pytest.mark.nox
def test_reset_empties_the_shared_instance(nox_clean: NoxInstance, tmp_path: Path) -> None:
    torrent, _ = make_sample_torrent(tmp_path, "reset-me", {"x.bin": 20_000})
    with nox_clean.client() as client:
        client.post("/api/v2/torrents/createCategory", data={"category": "reset-cat"}).raise_for_status()
        client.post("/api/v2/torrents/createTags", data={"tags": "reset-tag"}).raise_for_status()
    nox_clean.add_torrent_file(torrent, paused="true", category="reset-cat")
    assert len(nox_clean.torrents()) == 1
    nox_clean.reset()
    with nox_clean.client() as client:
        assert client.get("/api/v2/torrents/info").json() == []
        assert client.get("/api/v2/torrents/categories").json() == {}
        assert client.get("/api/v2/torrents/tags").json() == []


# --------------------------------------------------------------------------------------------- factory


@pytest.mark.nox
def test_options_reach_the_server(nox_factory: NoxFactory) -> None:
    instance = nox_factory(
        local_host_auth=False,
        csrf_protection=False,
        host_header_validation=False,
        max_auth_fail_count=3,
        ban_duration=60,
        session_timeout=120,
        queueing=True,
    )
    with raw_client(instance) as client:
        # LocalHostAuth=false: loopback gets in without logging in at all.
        prefs = client.get("/api/v2/app/preferences").json()
        # HostHeaderValidation=false: a foreign Host header is accepted.
        assert client.get("/api/v2/app/webapiVersion", headers={"Host": "elsewhere:1"}).status_code == 200
    assert prefs["bypass_local_auth"] is True
    assert prefs["web_ui_csrf_protection_enabled"] is False
    assert prefs["web_ui_host_header_validation_enabled"] is False
    assert prefs["web_ui_max_auth_fail_count"] == 3
    assert prefs["web_ui_ban_duration"] == 60
    assert prefs["web_ui_session_timeout"] == 120
    assert prefs["queueing_enabled"] is True


@pytest.mark.nox
def test_host_header_validation_is_on_by_default(nox: NoxInstance) -> None:
    with raw_client(nox) as client:
        assert client.get("/api/v2/app/webapiVersion", headers={"Host": "elsewhere:1"}).status_code == 401


@pytest.mark.nox
def test_restart_keeps_profile_ports_and_password(nox_factory: NoxFactory) -> None:
    instance = nox_factory()
    first_pid, url = instance.pid, instance.url
    with raw_client(instance) as client:
        assert answer(login(client, instance.username, instance.password)) == logged_in(instance)
        client.post("/api/v2/torrents/createCategory", data={"category": "survives"}).raise_for_status()

    instance.restart()
    assert instance.running and instance.pid != first_pid and instance.url == url
    with raw_client(instance) as client:
        assert answer(login(client, instance.username, instance.password)) == logged_in(instance)
        assert "survives" in client.get("/api/v2/torrents/categories").json()

    instance.kill()
    assert not instance.running
    instance.restart()  # a crashed instance comes back too
    with raw_client(instance) as client:
        assert answer(login(client, instance.username, instance.password)) == logged_in(instance)
    assert instance.log_text().count("===== harness: starting") >= 3


@pytest.mark.nox
def test_ban_after_failed_logins(nox_factory: NoxFactory) -> None:
    instance = nox_factory(max_auth_fail_count=2)
    with raw_client(instance) as client:
        for _ in range(2):
            reply = login(client, instance.username, "wrong")
            assert (reply.status_code, reply.text) == refused(instance)
        # Banned now: even the right password is refused, with 403 at auth/login.
        reply = login(client, instance.username, instance.password)
        assert reply.status_code == 403
        assert "banned" in reply.text


@pytest.mark.nox
def test_https_with_self_signed_certificate(nox_factory: NoxFactory) -> None:
    instance = nox_factory(https=True)
    assert instance.url.startswith("https://") and instance.cert_path is not None
    with raw_client(instance, verify=False) as client:
        assert client.get("/api/v2/app/webapiVersion").status_code == 403
    trust_cert = ssl.create_default_context(cafile=instance.cert_path)
    with raw_client(instance, verify=trust_cert) as client:
        assert answer(login(client, instance.username, instance.password)) == logged_in(instance)
        assert client.get("/api/v2/app/webapiVersion").text == webapi(instance)
    with raw_client(instance) as client, pytest.raises(httpx.ConnectError):
        client.get("/api/v2/app/webapiVersion")  # the system trust store does not know the certificate
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{instance.webui_port}/api/v2/app/webapiVersion", trust_env=False)


# --------------------------------------------------------------------------------------------- swarm


def _add_to_leecher(swarm: NoxSwarm, **form: str) -> None:
    with raw_client(swarm.leecher) as client:
        login(client, swarm.leecher.username, swarm.leecher.password)
        torrent = swarm.torrent_path
        reply = client.post(
            "/api/v2/torrents/add",
            data=swarm.leecher.raw_form(form),
            files={"torrents": (torrent.name, torrent.read_bytes(), "application/x-bittorrent")},
        )
        # 5.2 (WebAPI 2.14) answers with the ids it added instead of "Ok.".
        if swarm.leecher.at_least(5, 2):
            assert reply.status_code == 200 and reply.json()["success_count"] == 1
        else:
            assert answer(reply) == (200, "Ok.")


def _complete(torrent: dict[str, object]) -> bool:
    return torrent["progress"] == 1 and torrent["state"] in SEEDING_STATES


@pytest.mark.nox
@pytest.mark.swarm
def test_swarm_download_through_embedded_tracker(nox_swarm: NoxSwarm) -> None:
    assert nox_swarm.meta.total_size > 1_400_000 and len(nox_swarm.meta.files) == 3
    _add_to_leecher(nox_swarm)
    done = nox_swarm.leecher.wait_for_torrent(nox_swarm.info_hash, _complete, timeout=60, what="download")
    assert done["size"] == nox_swarm.meta.total_size
    # The "completed" announce leaves the tracker "updating" (3) for a moment right after the download.
    assert nox_swarm.leecher.wait_for_tracker_working(nox_swarm.info_hash, timeout=30)["status"] == 2
    assert nox_swarm.differing_files() == []


@pytest.mark.nox
@pytest.mark.swarm
def test_swarm_download_through_add_peers(nox_swarm: NoxSwarm) -> None:
    leecher, info_hash = nox_swarm.leecher, nox_swarm.info_hash
    # Paused, then stripped of its tracker before it ever announces: addPeers is the only way in.
    _add_to_leecher(nox_swarm, paused="true")
    leecher.wait_for_torrent(info_hash, lambda t: True, timeout=10, what="added")
    with raw_client(leecher) as client:
        login(client, leecher.username, leecher.password)
        tracker = nox_swarm.seeder.tracker_url
        assert tracker
        client.post(
            "/api/v2/torrents/removeTrackers", data={"hash": info_hash, "urls": tracker}
        ).raise_for_status()
        assert leecher.trackers(info_hash) == []
        start = "start" if leecher.at_least(5) else "resume"  # 5.0 renamed resume
        client.post(f"/api/v2/torrents/{start}", data={"hashes": info_hash}).raise_for_status()
        deadline = time.monotonic() + 60
        while not _complete(client.get("/api/v2/torrents/info", params={"hashes": info_hash}).json()[0]):
            assert time.monotonic() < deadline, "no download via addPeers within 60 s\n" + leecher.log_tail()
            # Re-sent until it sticks: a peer added while the torrent is still starting can be dropped.
            reply = client.post(
                "/api/v2/torrents/addPeers",
                data={"hashes": info_hash, "peers": nox_swarm.seeder.peer_address},
            )
            assert reply.status_code == 200, reply.text
            time.sleep(1)
    assert nox_swarm.differing_files() == []
