"""How each API generation turns an intent into requests, checked on the wire with a scripted server."""

from __future__ import annotations

import httpx
import pytest

from qbtui.api import ALL, ConnectionSettings, PartialFailure, TorrentFileUpload, connect, errors
from qbtui.api.legacy import LegacyApi
from qbtui.api.models import AddOptions, FilePriority
from qbtui.api.v2 import V2Api
from tests.api.fakeserver import FakeServer, legacy_server, v2_server

H1 = "a" * 40
H2 = "b" * 40


def settings(url: str = "http://qbt.test:8080", **kwargs: object) -> ConnectionSettings:
    kwargs.setdefault("username", "admin")
    kwargs.setdefault("password", "adminadmin")
    return ConnectionSettings(url=url, **kwargs)  # type: ignore[arg-type]


async def open_legacy(server: FakeServer, **kwargs: object) -> LegacyApi:
    api = await connect(settings(**kwargs), transport=server.transport())
    assert isinstance(api, LegacyApi)
    return api


async def open_v2(server: FakeServer, **kwargs: object) -> V2Api:
    api = await connect(settings(**kwargs), transport=server.transport())
    assert isinstance(api, V2Api)
    return api


# -- detection --------------------------------------------------------------------------------


async def test_404_probe_means_legacy_and_records_versions() -> None:
    server = legacy_server(api=17)
    api = await open_legacy(server)
    assert api.info.is_legacy
    assert api.info.api_version == (17,)
    assert api.info.api_min == 15
    assert api.info.describe() == "qBittorrent v4.0.4 (API 17)"
    assert [r.path for r in server.requests][:2] == ["/api/v2/app/webapiVersion", "/version/api"]
    # The legacy server closes the connection after each reply without saying so: never reuse one,
    # from the very first probe on.
    assert all(r.headers["connection"] == "close" for r in server.requests)


async def test_403_probe_means_v2_and_logs_in_before_reading_the_version() -> None:
    server = v2_server("2.8.19")
    api = await open_v2(server)
    assert api.info.api_version == (2, 8, 19)
    assert api.info.describe() == "qBittorrent v4.5.2 (API 2.8.19)"
    assert len(server.to("/api/v2/auth/login")) == 1
    assert server.requests[-1].headers.get("connection") != "close"  # v2 keeps connections alive


async def test_200_probe_means_v2_with_auth_bypass_and_no_login() -> None:
    server = FakeServer(routes={"/api/v2/app/webapiVersion": "2.11.2", "/api/v2/app/version": "v5.0.2"})
    api = await connect(ConnectionSettings(url="http://qbt.test"), transport=server.transport())
    assert isinstance(api, V2Api)
    assert api.info.uses_stop_start
    assert not server.to("/api/v2/auth/login")


async def test_legacy_shim_version_18_or_more_is_not_spoken_as_legacy() -> None:
    server = legacy_server(api=20)
    with pytest.raises(errors.NotSupported, match=r"4\.1"):
        await connect(settings(), transport=server.transport())


async def test_something_that_is_not_qbittorrent_gives_a_clear_error() -> None:
    server = FakeServer(routes={"/api/v2/app/webapiVersion": "<html>hello</html>"})
    with pytest.raises(errors.BadResponse, match="does not look like qBittorrent"):
        await connect(ConnectionSettings(url="http://qbt.test"), transport=server.transport())


async def test_ban_is_recognised_on_the_probe() -> None:
    banned = httpx.Response(
        403, text="Your IP address has been banned after too many failed authentication attempts."
    )
    server = FakeServer(routes={"/api/v2/app/webapiVersion": banned})
    with pytest.raises(errors.Banned, match="banned"):
        await connect(settings(), transport=server.transport())


async def test_401_names_the_header_to_fix() -> None:
    server = FakeServer(routes={"/api/v2/app/webapiVersion": httpx.Response(401, text="")})
    with pytest.raises(errors.CsrfRejected, match="Referer"):
        await connect(settings(referer="http://evil:1"), transport=server.transport())


async def test_no_credentials_on_a_server_that_wants_them() -> None:
    server = v2_server()
    with pytest.raises(errors.BadCredentials, match="--username"):
        await connect(ConnectionSettings(url="http://qbt.test"), transport=server.transport())


# -- auth -------------------------------------------------------------------------------------


async def test_wrong_password_is_one_failed_login_and_a_clear_error() -> None:
    server = legacy_server()
    with pytest.raises(errors.BadCredentials, match="wrong username or password"):
        await connect(settings(password="nope"), transport=server.transport())
    assert len(server.to("/login")) == 1


async def test_login_success_as_204_and_a_custom_cookie_name() -> None:
    server = v2_server("2.15.1", "v5.2.0", cookie="QBT_SID_8080")

    def login_204(request: httpx.Request) -> httpx.Response:
        return httpx.Response(204, headers={"set-cookie": "QBT_SID_8080=v2-sid; HttpOnly; path=/"})

    server.routes["/api/v2/auth/login"] = login_204
    api = await open_v2(server)
    assert api.info.api_version == (2, 15, 1)
    assert "QBT_SID_8080=v2-sid" in server.requests[-1].headers["cookie"]


async def test_login_401_is_bad_credentials_on_5_2() -> None:
    server = v2_server()
    server.routes["/api/v2/auth/login"] = httpx.Response(401, text="")
    with pytest.raises(errors.BadCredentials):
        await connect(settings(), transport=server.transport())


async def test_an_expired_session_logs_in_again_once() -> None:
    server = legacy_server()
    calls = {"n": 0}

    def torrents(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        return httpx.Response(403 if calls["n"] == 1 else 200, json=[])

    server.routes["/query/torrents"] = torrents
    api = await open_legacy(server)
    assert await api.torrents() == []
    assert len(server.to("/login")) == 2


async def test_relogin_that_fails_is_not_retried() -> None:
    server = legacy_server()
    api = await open_legacy(server)
    server.routes["/login"] = "Fails."
    server.routes["/query/torrents"] = httpx.Response(403)
    with pytest.raises(errors.BadCredentials):
        await api.torrents()
    with pytest.raises(errors.BadCredentials):
        await api.torrents()
    assert len(server.to("/login")) == 2  # the first login, then exactly one re-login


# -- URL, headers and encoding ----------------------------------------------------------------


async def test_path_prefix_and_referer_policies() -> None:
    for policy, expected in (
        ("none", None),
        ("match", "https://host.test/"),  # like the Host header: no default port (QUrl compares -1 != 443)
        ("http://x:1/", "http://x:1/"),
    ):
        server = v2_server()
        server.prefix = "/qbt"
        await open_v2(server, url="https://host.test/qbt", referer=policy)
        assert all(r.path.startswith("/qbt/api/v2/") for r in server.requests)
        assert server.requests[0].headers.get("referer") == expected


async def test_spaces_are_percent_20_and_legacy_commands_carry_exactly_their_fields() -> None:
    server = legacy_server()
    server.routes["/command/rename"] = ""
    api = await open_legacy(server)
    await api.rename(H1, "A name with spaces+plus")
    (request,) = server.to("/command/rename")
    assert b"name=A%20name%20with%20spaces%2Bplus" in request.raw_body
    assert request.form == {"hash": H1, "name": "A name with spaces+plus"}


async def test_legacy_pause_is_one_request_per_hash_and_all_is_pause_all() -> None:
    server = legacy_server()
    server.routes["/command/pause"] = ""
    server.routes["/command/pauseAll"] = ""
    api = await open_legacy(server)
    await api.pause([H1, H2])
    assert [r.form for r in server.to("/command/pause")] == [{"hash": H1}, {"hash": H2}]
    await api.pause(ALL)
    assert len(server.to("/command/pauseAll")) == 1


async def test_legacy_bulk_failures_name_the_torrents() -> None:
    server = legacy_server()

    def recheck(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400 if H2 in request.content.decode() else 200)

    server.routes["/command/recheck"] = recheck
    api = await open_legacy(server)
    with pytest.raises(PartialFailure) as caught:
        await api.recheck([H1, H2])
    assert list(caught.value.failed) == [H2]
    assert "1 of 2" in str(caught.value)


async def test_legacy_add_sends_camel_case_options_as_multipart() -> None:
    server = legacy_server()
    server.routes["/command/download"] = "Ok."
    server.routes["/command/upload"] = ""
    api = await open_legacy(server)
    options = AddOptions(save_path="/data/x y", paused=True, sequential=True, dl_limit=1024, category="linux")
    await api.add(["magnet:?xt=urn:btih:" + H1], [TorrentFileUpload("t.torrent", b"d4:infode")], options)
    (download,) = server.to("/command/download")
    assert download.multipart
    assert download.form["sequentialDownload"] == "true"
    assert download.form["dlLimit"] == "1024"
    assert download.form["savepath"] == "/data/x y"
    (upload,) = server.to("/command/upload")
    assert b'filename="t.torrent"' in upload.raw_body


async def test_legacy_download_fails_is_an_error() -> None:
    server = legacy_server()
    server.routes["/command/download"] = "Fails."
    api = await open_legacy(server)
    with pytest.raises(errors.Rejected, match="could not add"):
        await api.add(["http://nope.test/x.torrent"])


async def test_legacy_labels_before_api_10() -> None:
    server = legacy_server(api=8, app="v3.3.2")
    server.routes["/command/setLabel"] = ""
    server.routes["/query/torrents"] = lambda r: httpx.Response(200, json=[{"hash": H1, "label": "tv"}])
    api = await open_legacy(server)
    await api.set_category([H1], "tv")
    assert server.to("/command/setLabel")[0].form == {"hashes": H1, "label": "tv"}
    (torrent,) = await api.torrents(category="tv")
    assert torrent.category == "tv"
    assert server.to("/query/torrents")[0].query == {"label": "tv"}
    with pytest.raises(errors.NotSupported, match=r"qBittorrent v3\.3\.2 \(API 8\)"):
        await api.create_category("tv")


async def test_legacy_version_gates() -> None:
    api = await open_legacy(legacy_server(api=13, app="v3.3.12"))
    with pytest.raises(errors.NotSupported, match=r"piece states is not supported by qBittorrent v3\.3\.12"):
        await api.piece_states(H1)
    with pytest.raises(errors.NotSupported):
        await api.add(["magnet:?xt=urn:btih:" + H1], options=AddOptions(root_folder=True))
    with pytest.raises(errors.NotSupported):
        await api.add_tags([H1], ["x"])
    with pytest.raises(errors.NotSupported):
        await api.rename(H1, "x")


async def test_legacy_unknown_hash_empty_body_is_torrent_not_found() -> None:
    server = legacy_server()
    server.routes[f"/query/propertiesGeneral/{H1}"] = httpx.Response(200, content=b"")
    api = await open_legacy(server)
    with pytest.raises(errors.TorrentNotFound):
        await api.properties(H1)


@pytest.mark.parametrize("in_status_line", [True, False])
async def test_legacy_queueing_disabled_is_a_conflict(in_status_line: bool) -> None:
    server = legacy_server()
    # 4.0.4 puts the message in the status line with an empty body.
    server.routes["/command/topPrio"] = (
        httpx.Response(403, extensions={"reason_phrase": b"Torrent queueing must be enabled"})
        if in_status_line
        else httpx.Response(403, text="Torrent queueing must be enabled")
    )
    api = await open_legacy(server)
    with pytest.raises(errors.Conflict, match="queueing is disabled"):
        await api.move_in_queue([H1], "top")
    assert len(server.to("/login")) == 1  # not mistaken for an expired session


async def test_legacy_file_priorities_one_call_per_file() -> None:
    server = legacy_server()
    server.routes["/command/setFilePrio"] = ""
    api = await open_legacy(server)
    await api.set_file_priority(H1, [0, 3], FilePriority.HIGH)
    assert [r.form for r in server.to("/command/setFilePrio")] == [
        {"hash": H1, "id": "0", "priority": "6"},
        {"hash": H1, "id": "3", "priority": "6"},
    ]


async def test_garbage_json_is_a_bad_response() -> None:
    server = legacy_server()
    server.routes["/query/torrents"] = httpx.Response(200, text="<html>proxy error</html>")
    api = await open_legacy(server)
    with pytest.raises(errors.BadResponse, match="expected JSON"):
        await api.torrents()


# -- v2 ---------------------------------------------------------------------------------------


async def test_v5_uses_stop_start_and_the_new_filter_and_add_names() -> None:
    server = v2_server("2.11.2", "v5.0.2")
    for path in ("/api/v2/torrents/stop", "/api/v2/torrents/start", "/api/v2/torrents/add"):
        server.routes[path] = "Ok."
    server.routes["/api/v2/torrents/info"] = lambda r: httpx.Response(
        200, json=[{"hash": H1, "state": "stoppedDL"}]
    )
    api = await open_v2(server)
    await api.pause(ALL)
    await api.resume([H1, H2])
    assert server.to("/api/v2/torrents/stop")[0].form == {"hashes": "all"}
    assert server.to("/api/v2/torrents/start")[0].form == {"hashes": f"{H1}|{H2}"}
    (torrent,) = await api.torrents(filter="paused")
    assert torrent.state.is_paused
    assert server.to("/api/v2/torrents/info")[0].query["filter"] == "stopped"
    await api.add(["magnet:?xt=urn:btih:" + H1], options=AddOptions(paused=True, root_folder=False))
    form = server.to("/api/v2/torrents/add")[0].form
    assert form["stopped"] == "true"
    assert "paused" not in form
    assert form["contentLayout"] == "NoSubfolder"


async def test_v4_uses_pause_resume() -> None:
    server = v2_server("2.8.19")
    server.routes["/api/v2/torrents/pause"] = ""
    api = await open_v2(server)
    await api.pause([H1])
    assert server.to("/api/v2/torrents/pause")[0].form == {"hashes": H1}


async def test_v2_unknown_hash_404_is_torrent_not_found() -> None:
    server = v2_server()
    server.routes["/api/v2/torrents/properties"] = httpx.Response(404, text="Not Found")
    api = await open_v2(server)
    with pytest.raises(errors.TorrentNotFound, match=H1):
        await api.properties(H1)


async def test_v2_409_is_a_conflict() -> None:
    server = v2_server()
    server.routes["/api/v2/torrents/setCategory"] = httpx.Response(409, text="Incorrect category name")
    api = await open_v2(server)
    with pytest.raises(errors.Conflict, match="Incorrect category name"):
        await api.set_category([H1], "bad\\name")


async def test_v2_version_gates() -> None:
    api = await open_v2(v2_server("2.2", "v4.1.5"))
    with pytest.raises(
        errors.NotSupported, match=r"tags is not supported by qBittorrent v4\.1\.5 \(API 2\.2\)"
    ):
        await api.tags()
    with pytest.raises(errors.NotSupported):
        await api.add_peers([H1], ["127.0.0.1:1"])
