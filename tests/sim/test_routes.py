"""Every endpoint of the legacy API: routing, exact parameters, body parsing quirks, replies."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest

from qbtui.sim import SimRequest, SimResponse, Simulator
from tests.sim.helpers import MULTI_TORRENT, SEED_TORRENT, client, login, new_sim, post, upload

DEBIAN = "debian-9.5.0-amd64-netinst.iso"


@pytest.fixture
def sim() -> Simulator:
    return new_sim()


@pytest.fixture
def http(sim: Simulator) -> httpx.Client:
    http = client(sim)
    login(http)
    return http


def torrents(http: httpx.Client, query: str = "") -> list[dict]:  # type: ignore[type-arg]
    reply = http.get(f"/query/torrents{query}")
    assert reply.status_code == 200
    return reply.json()  # type: ignore[no-any-return]


def by_name(http: httpx.Client, name: str) -> dict:  # type: ignore[type-arg]
    return next(t for t in torrents(http) if t["name"] == name)


# -- routing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/app/webapiVersion",  # how clients tell a legacy server: the static-file fallback
        "/query/nope",
        "/command/nope",
        "/sync/nope",
        "/version",
        "/version/api/extra",
        "/query/torrents/extra",
        "/query/propertiesGeneral",  # the hash is a required path segment
        "/query/propertiesGeneral/a/b",
        "/logout/extra",
        "/theme/x/y",
    ],
)
def test_unknown_routes_and_wrong_arity_are_404(http: httpx.Client, path: str) -> None:
    reply = http.get(path)
    assert (reply.status_code, reply.content) == (404, b"")
    assert "content-type" not in reply.headers


def raw(sim: Simulator, http: httpx.Client, target: str) -> SimResponse:
    """A request target exactly as given (httpx would normalise it)."""
    return sim.handle(
        SimRequest("GET", target, {"Cookie": f"SID={http.cookies['SID']}", "Host": "127.0.0.1:8080"})
    )


def test_dot_segments_are_404(sim: Simulator, http: httpx.Client) -> None:
    assert raw(sim, http, "/query/../query/torrents").status == 404
    assert raw(sim, http, "/query/propertiesGeneral/.").status == 404


def test_auth_is_checked_before_the_route(sim: Simulator) -> None:
    anonymous = client(sim)
    assert anonymous.get("/query/nope").status_code == 403  # not 404: no session first
    assert anonymous.get("/api/v2/app/webapiVersion").status_code == 404  # public scope
    assert anonymous.get("/version/api").text == "17"


def test_method_is_not_checked(http: httpx.Client) -> None:
    assert http.request("DELETE", "/version/api").text == "17"
    assert http.post("/query/torrents").status_code == 200
    assert http.get("/command/getGlobalDlLimit").text == "0"


def test_slashes_collapse(sim: Simulator, http: httpx.Client) -> None:
    assert raw(sim, http, "//version//api/").body == b"17"
    assert raw(sim, http, "http://127.0.0.1:8080/version/api").body == b"17"  # absolute-form target


def test_root_serves_the_login_or_index_page(sim: Simulator, http: httpx.Client) -> None:
    assert "login" in client(sim).get("/").text
    reply = http.get("/")
    assert reply.status_code == 200 and reply.headers["content-type"] == "text/html; charset=UTF-8"


# -- exact parameters and body parsing ----------------------------------------------------------------


def test_exact_parameters(http: httpx.Client, sim: Simulator) -> None:
    key = next(iter(sim.torrents))
    assert post(http, "/command/pause", f"hash={key}").status_code == 200
    assert post(http, "/command/pause", f"hashes={key}").status_code == 400  # wrong name
    assert post(http, "/command/pause", f"hash={key}&extra=1").status_code == 400  # extra field
    assert post(http, "/command/pause", "").status_code == 400  # missing field
    assert post(http, "/command/setFilePrio", f"hash={key}&id=0").status_code == 400
    assert post(http, "/command/setFilePrio", f"hash={key}&id=0&priority=0").status_code == 200
    assert post(http, "/command/delete", f"hash={key}").status_code == 400
    reply = post(http, "/command/resume", f"hash={key}")
    assert (reply.status_code, reply.content, reply.headers.get("content-type")) == (200, b"", None)


def test_parameters_belong_in_the_body(http: httpx.Client, sim: Simulator) -> None:
    key = next(iter(sim.torrents))
    assert http.post(f"/command/pause?hash={key}").status_code == 400  # CHECK_PARAMETERS sees no body
    assert post(http, "/command/pause?x=1", f"hash={key}").status_code == 400  # strict: no query at all
    assert post(http, "/command/pauseAll", "hashes=x").status_code == 400  # strict: takes no fields


def test_lenient_mode_is_exactly_4_0_4() -> None:
    sim = new_sim(strict_params=False)
    http = client(sim)
    login(http)
    key = next(iter(sim.torrents))
    assert post(http, "/command/pause?x=1", f"hash={key}").status_code == 200
    assert post(http, "/command/pauseAll", "hashes=x").status_code == 200  # ignored: pauses all
    assert all(t.paused for t in sim.torrents.values())


def test_urlencoded_keys_are_lower_cased(http: httpx.Client, sim: Simulator) -> None:
    key = next(iter(sim.torrents))
    assert post(http, "/command/pause", f"HASH={key}").status_code == 200
    assert sim.torrents[key].paused


def test_multipart_keeps_names_and_check_is_case_insensitive(http: httpx.Client, sim: Simulator) -> None:
    key = next(k for k, t in sim.torrents.items() if not t.paused)
    # CHECK_PARAMETERS accepts "HASH", but the handler reads "hash": nothing happens.
    reply = http.post("/command/pause", files={"HASH": (None, key)})
    assert reply.status_code == 200 and not sim.torrents[key].paused
    reply = http.post("/command/pause", files={"hash": (None, key)})
    assert reply.status_code == 200 and sim.torrents[key].paused


def test_plus_is_not_a_space(http: httpx.Client, sim: Simulator) -> None:
    key = next(iter(sim.torrents))
    assert post(http, "/command/rename", f"hash={key}&name=a+b").status_code == 200
    assert sim.torrents[key].name == "a+b"
    assert post(http, "/command/rename", f"hash={key}&name=a%20b%2Bc").status_code == 200
    assert sim.torrents[key].name == "a b+c"
    assert post(http, "/command/addCategory", "category=linux+isos").status_code == 200
    assert post(http, "/command/addCategory", "category=linux%20isos").status_code == 200
    assert {"linux+isos", "linux isos"} <= sim.engine.categories


def test_camel_case_add_options_only_in_multipart(http: httpx.Client, sim: Simulator) -> None:
    url = "magnet:?xt=urn:btih:" + "1" * 40 + "%26dn=plain"
    assert post(http, "/command/download", f"urls={url}&sequentialDownload=true&dlLimit=1000").text == "Ok."
    assert sim.torrents["1" * 40].name == "plain"
    plain = sim.torrents["1" * 40]
    assert (plain.seq_dl, plain.dl_limit) == (False, -1)
    url = "magnet:?xt=urn:btih:" + "2" * 40 + "&dn=multi"
    fields = {"urls": url, "sequentialDownload": "true", "firstLastPiecePrio": "true", "dlLimit": "1000"}
    reply = http.post("/command/download", files={k: (None, v) for k, v in fields.items()})
    assert reply.text == "Ok."
    multi = sim.torrents["2" * 40]
    assert (multi.seq_dl, multi.first_last, multi.dl_limit) == (True, True, 1000)


def test_unparsable_bodies_are_400_from_the_http_layer(http: httpx.Client) -> None:
    reply = http.post("/command/pauseAll", content=b"{}", headers={"Content-Type": "application/json"})
    assert reply.status_code == 400
    assert "x-frame-options" not in reply.headers  # the parser answers before the web application
    reply = http.post("/command/pauseAll", content=b"x", headers={"Content-Type": "multipart/form-data"})
    assert reply.status_code == 400


# -- queries -------------------------------------------------------------------------------------------


def test_torrent_list_filters(http: httpx.Client, sim: Simulator) -> None:
    everything = torrents(http)
    assert len(everything) == 25 and all("hash" in t for t in everything)
    states = {t["hash"]: t["state"] for t in everything}
    assert {t["hash"] for t in torrents(http, "?filter=paused")} == {
        k for k, t in sim.torrents.items() if t.paused
    }
    assert {t["hash"] for t in torrents(http, "?filter=resumed")} == {
        k for k, t in sim.torrents.items() if not t.paused
    }
    assert {t["state"] for t in torrents(http, "?filter=seeding")} <= {
        "uploading",
        "stalledUP",
        "forcedUP",
        "checkingUP",
        "queuedUP",
    }
    assert {t["state"] for t in torrents(http, "?filter=completed")} >= {"pausedUP"}
    assert {t["state"] for t in torrents(http, "?filter=errored")} == {"error", "missingFiles"}
    downloading = {t["hash"] for t in torrents(http, "?filter=downloading")}
    assert all(states[key].endswith("DL") or states[key] in ("downloading", "metaDL") for key in downloading)
    active = torrents(http, "?filter=active")
    inactive = torrents(http, "?filter=inactive")
    assert len(active) + len(inactive) == 25 and active
    assert torrents(http, "?filter=bogus") == everything


def test_torrent_list_category(http: httpx.Client) -> None:
    assert {t["category"] for t in torrents(http, "?category=linux")} == {"linux"}
    assert {t["category"] for t in torrents(http, "?category=")} == {""}
    assert len(torrents(http, "?category=nothing-here")) == 0
    assert len(torrents(http, "?hashes=abc")) == 25  # no hashes filter in 4.0.4


def test_torrent_list_sort_reverse_limit_offset(http: httpx.Client) -> None:
    names = [t["name"] for t in torrents(http, "?sort=name")]
    assert names == sorted(names, key=lambda n: n.encode("utf-16-be"))
    assert [t["name"] for t in torrents(http, "?sort=name&reverse=true")] == names[::-1]
    sizes = [t["size"] for t in torrents(http, "?sort=size&reverse=true")]
    assert sizes == sorted(sizes, reverse=True)
    assert [t["name"] for t in torrents(http, "?sort=name&limit=3")] == names[:3]
    assert [t["name"] for t in torrents(http, "?sort=name&limit=3&offset=2")] == names[2:5]
    assert [t["name"] for t in torrents(http, "?sort=name&offset=-2")] == names[-2:]
    assert [t["name"] for t in torrents(http, "?sort=name&offset=99")] == names  # out of range: from 0
    assert len(torrents(http, "?sort=not_a_field")) == 25


def test_unknown_hash_is_an_empty_200(http: httpx.Client) -> None:
    for path in (
        "propertiesTrackers",
        "propertiesWebSeeds",
        "propertiesFiles",
        "getPieceHashes",
        "getPieceStates",
    ):
        reply = http.get(f"/query/{path}/{'9' * 40}")
        assert (reply.status_code, reply.content, reply.headers["content-type"]) == (
            200,
            b"",
            "application/json",
        )
    reply = http.get(f"/sync/torrent_peers?hash={'9' * 40}&rid=0")
    assert (reply.status_code, reply.content) == (200, b"")


def test_properties_cache_holds_for_one_and_a_half_seconds(http: httpx.Client, sim: Simulator) -> None:
    key = next(k for k, t in sim.torrents.items() if t.dlspeed)
    first = http.get(f"/query/propertiesGeneral/{key}").json()
    sim.advance(1)
    assert http.get(f"/query/propertiesGeneral/{key}").json() == first
    sim.advance(1)
    assert http.get(f"/query/propertiesGeneral/{key}").json() != first
    # An unknown hash asked twice within the window gets the cached empty map.
    assert http.get(f"/query/propertiesGeneral/{'8' * 40}").content == b""
    assert http.get(f"/query/propertiesGeneral/{'8' * 40}").content == b"{}"


def test_hashes_are_case_insensitive(http: httpx.Client, sim: Simulator) -> None:
    key = next(iter(sim.torrents))
    assert http.get(f"/query/propertiesGeneral/{key.upper()}").json()["save_path"]


def test_files_trackers_web_seeds_pieces(http: httpx.Client, sim: Simulator) -> None:
    key = next(k for k, t in sim.torrents.items() if t.name.startswith("Big Buck"))
    files = http.get(f"/query/propertiesFiles/{key}").json()
    assert [sorted(f) for f in files] == [
        ["availability", "is_seed", "name", "piece_range", "priority", "progress", "size"],
        ["availability", "name", "piece_range", "priority", "progress", "size"],
        ["availability", "name", "piece_range", "priority", "progress", "size"],
    ]
    assert files[0]["is_seed"] is True and {f["availability"] for f in files} == {-1}  # seeds: no picker
    assert files[0]["name"].startswith("Big Buck Bunny (2008) [1080p]/")
    assert http.get(f"/query/propertiesWebSeeds/{key}").json() == [
        {"url": "https://download.blender.org/peach/bigbuckbunny_movies/"}
    ]
    statuses = {t["status"] for t in http.get(f"/query/propertiesTrackers/{key}").json()}
    assert statuses <= {"Working", "Updating...", "Not working", "Not contacted yet"}
    states = http.get(f"/query/getPieceStates/{key}").json()
    hashes = http.get(f"/query/getPieceHashes/{key}").json()
    assert len(states) == len(hashes) == sim.torrents[key].meta.piece_count  # type: ignore[union-attr]
    assert set(states) == {2} and all(len(h) == 40 for h in hashes)
    downloading = next(k for k, t in sim.torrents.items() if t.dlspeed and t.meta)
    assert set(http.get(f"/query/getPieceStates/{downloading}").json()) == {0, 1, 2}


def test_magnet_without_metadata(http: httpx.Client, sim: Simulator) -> None:
    key = next(k for k, t in sim.torrents.items() if t.meta is None)
    view = next(t for t in torrents(http) if t["hash"] == key)
    assert view["state"] == "metaDL" and "f_l_piece_prio" not in view and view["total_size"] == -1
    assert http.get(f"/query/propertiesFiles/{key}").json() == []
    assert http.get(f"/query/getPieceHashes/{key}").json() == []
    props = http.get(f"/query/propertiesGeneral/{key}").json()
    assert (props["pieces_num"], props["piece_size"], props["creation_date"], props["last_seen"]) == (
        -1,
        -1,
        -1,
        -1,
    )


def test_transfer_info_and_preferences(http: httpx.Client) -> None:
    info = http.get("/query/transferInfo").json()
    assert "queueing" not in info and "refresh_interval" not in info and info["dl_info_speed"] > 0
    prefs = http.get("/query/preferences").json()
    assert prefs["web_ui_username"] == "admin" and prefs["queueing_enabled"] is True


def test_logs(http: httpx.Client) -> None:
    entries = http.get("/query/getLog").json()
    assert entries[0]["message"] == "qBittorrent v4.0.4 started"
    last = entries[-1]["id"]
    assert http.get(f"/query/getLog?last_known_id={last}").json() == []
    assert http.get(f"/query/getLog?last_known_id={last - 2}").json() == entries[-2:]
    warnings = http.get("/query/getLog?normal=false&info=false&critical=false").json()
    assert warnings and {e["type"] for e in warnings} == {4}
    assert {e["type"] for e in http.get("/query/getLog?warning=0").json()} >= {
        1,
        2,
        4,
    }  # only "false" is false
    peers = http.get("/query/getPeerLog").json()
    assert peers and sorted(peers[0]) == ["blocked", "id", "ip", "reason", "timestamp"]
    assert http.get(f"/query/getPeerLog?last_known_id={peers[-1]['id']}").json() == []


# -- commands --------------------------------------------------------------------------------------------


def test_pause_resume_all_and_force_start(http: httpx.Client, sim: Simulator) -> None:
    assert post(http, "/command/pauseAll").status_code == 200
    assert {t["state"] for t in torrents(http)} <= {"pausedUP", "pausedDL", "error", "missingFiles"}
    assert post(http, "/command/resumeAll").status_code == 200
    assert not any(t.paused for t in sim.torrents.values())
    key = next(k for k, t in sim.torrents.items() if t.is_seed)
    assert post(http, "/command/pause", f"hash={key}").status_code == 200
    assert post(http, "/command/setForceStart", f"hashes={key}&value=false").status_code == 200
    assert not sim.torrents[key].paused  # even value=false resumes (TorrentHandle::resume)
    assert post(http, "/command/setForceStart", f"hashes={key}&value=true").status_code == 200
    view = next(t for t in torrents(http) if t["hash"] == key)
    assert view["force_start"] is True and view["state"] == "forcedUP"


def test_delete_and_delete_perm(http: httpx.Client, sim: Simulator) -> None:
    first, second = list(sim.torrents)[:2]
    assert post(http, "/command/delete", f"hashes={first}|{'0' * 40}").status_code == 200
    assert post(http, "/command/deletePerm", f"hashes={second}").status_code == 200
    assert first not in sim.torrents and second not in sim.torrents
    log = [e["message"] for e in http.get("/query/getLog").json()]
    assert any("was removed from the transfer list." in m for m in log)
    assert any("was removed from the transfer list and hard disk." in m for m in log)


def test_recheck(http: httpx.Client, sim: Simulator) -> None:
    key = next(k for k, t in sim.torrents.items() if t.paused and t.is_seed)
    assert post(http, "/command/recheck", f"hash={key}").status_code == 200
    assert next(t for t in torrents(http) if t["hash"] == key)["state"] == "checkingUP"
    sim.advance(400)
    assert next(t for t in torrents(http) if t["hash"] == key)["state"] == "pausedUP"  # paused again


def test_queue_positions(http: httpx.Client, sim: Simulator) -> None:
    order = [t["hash"] for t in torrents(http, "?sort=priority") if t["priority"] > 0]
    assert [t["priority"] for t in torrents(http, "?sort=priority") if t["priority"] > 0] == list(
        range(1, len(order) + 1)
    )
    last, first = order[-1], order[0]
    assert post(http, "/command/topPrio", f"hashes={last}").status_code == 200
    assert post(http, "/command/bottomPrio", f"hashes={first}").status_code == 200
    assert post(http, "/command/increasePrio", f"hashes={order[3]}").status_code == 200
    assert post(http, "/command/decreasePrio", f"hashes={order[1]}").status_code == 200
    now = [t["hash"] for t in torrents(http, "?sort=priority") if t["priority"] > 0]
    assert now[0] == last and now[-1] == first
    assert {t["priority"] for t in torrents(http) if t["progress"] == 1} == {0}


def test_queue_commands_need_queueing() -> None:
    sim = new_sim(queueing=False)
    http = client(sim)
    login(http)
    key = next(iter(sim.torrents))
    for command in ("increasePrio", "decreasePrio", "topPrio", "bottomPrio"):
        reply = post(http, f"/command/{command}", f"hashes={key}")
        assert (reply.status_code, reply.reason_phrase, reply.content) == (
            403,
            "Torrent queueing must be enabled",
            b"",
        )
    assert http.get("/sync/maindata").json()["server_state"]["queueing"] is False
    assert "queuedDL" not in {t["state"] for t in torrents(http)}


def test_file_priorities(http: httpx.Client, sim: Simulator) -> None:
    key = next(k for k, t in sim.torrents.items() if t.name.startswith("[eztv] Show.S01E02"))
    before = by_name(http, sim.torrents[key].name)["size"]
    assert post(http, "/command/setFilePrio", f"hash={key}&id=1&priority=0").status_code == 200
    assert post(http, "/command/setFilePrio", f"hash={key}&id=0&priority=7").status_code == 200
    assert post(http, "/command/setFilePrio", f"hash={key}&id=99&priority=7").status_code == 200  # ignored
    assert post(http, "/command/setFilePrio", f"hash={key}&id=x&priority=y").status_code == 200  # no checks
    files = http.get(f"/query/propertiesFiles/{key}").json()
    assert [f["priority"] for f in files] == [0, 0, 4]  # "x" is id 0, "y" priority 0
    assert by_name(http, sim.torrents[key].name)["size"] < before


def test_global_limits(http: httpx.Client) -> None:
    assert http.post("/command/getGlobalDlLimit").text == "0"
    assert post(http, "/command/setGlobalDlLimit", "limit=3145728").status_code == 200
    assert http.post("/command/getGlobalDlLimit").text == "3145728"
    assert post(http, "/command/setGlobalDlLimit", "limit=1500").status_code == 200
    assert http.post("/command/getGlobalDlLimit").text == "1024"  # stored in whole KiB
    assert post(http, "/command/setGlobalUpLimit", "limit=0").status_code == 200
    assert http.post("/command/getGlobalUpLimit").text == "0"
    assert http.get("/query/transferInfo").json()["dl_rate_limit"] == 1024
    assert http.get("/query/preferences").json()["dl_limit"] == 1024
    assert http.post("/command/alternativeSpeedLimitsEnabled").text == "0"
    assert http.post("/command/toggleAlternativeSpeedLimits").status_code == 200
    assert http.post("/command/alternativeSpeedLimitsEnabled").text == "1"
    assert http.post("/command/getGlobalDlLimit").text == "10240"  # the alternative limit now
    assert http.get("/sync/maindata").json()["server_state"]["use_alt_speed_limits"] is True


def test_torrent_limits(http: httpx.Client, sim: Simulator) -> None:
    a, b = list(sim.torrents)[:2]
    assert post(http, "/command/setTorrentsDlLimit", f"hashes={a}|{b}&limit=131072").status_code == 200
    assert post(http, "/command/setTorrentsUpLimit", f"hashes={a}&limit=0").status_code == 200
    assert post(http, "/command/getTorrentsDlLimit", f"hashes={a}|{b}").json() == {a: 131072, b: 131072}
    assert post(http, "/command/getTorrentsUpLimit", f"hashes={a}|nope").json() == {a: -1, "nope": -1}
    props = http.get(f"/query/propertiesGeneral/{a}").json()
    assert (props["dl_limit"], props["up_limit"]) == (131072, -1)


def test_toggles(http: httpx.Client, sim: Simulator) -> None:
    key = next(k for k, t in sim.torrents.items() if t.meta is not None)
    meta_less = next(k for k, t in sim.torrents.items() if t.meta is None)
    before = by_name(http, sim.torrents[key].name)
    for command in ("toggleSequentialDownload", "toggleFirstLastPiecePrio"):
        assert post(http, f"/command/{command}", f"hashes={key}|{meta_less}").status_code == 200
    assert post(http, "/command/setSuperSeeding", f"hashes={key}&value=true").status_code == 200
    after = by_name(http, sim.torrents[key].name)
    assert after["seq_dl"] is not before["seq_dl"] and after["f_l_piece_prio"] is not before["f_l_piece_prio"]
    assert after["super_seeding"] is True
    assert "f_l_piece_prio" not in next(t for t in torrents(http) if t["hash"] == meta_less)


def test_rename(http: httpx.Client, sim: Simulator) -> None:
    key = next(iter(sim.torrents))
    assert post(http, "/command/rename", f"hash={key}&name=%20%20Renamed%20[x]%20%20").status_code == 200
    assert sim.torrents[key].name == "Renamed [x]"
    for body in (f"hash={key}&name=", f"hash={key}&name=%20", f"hash={'0' * 40}&name=x"):
        reply = post(http, "/command/rename", body)
        assert (reply.status_code, reply.reason_phrase, reply.content) == (
            400,
            "Incorrect torrent hash or name",
            b"",
        )


def test_set_location_and_auto_tmm(http: httpx.Client, sim: Simulator) -> None:
    key = next(k for k, t in sim.torrents.items() if t.category == "linux")
    assert post(http, "/command/setLocation", f"hashes={key}&location=/mnt/moved%20here").status_code == 200
    view = next(t for t in torrents(http) if t["hash"] == key)
    assert (view["save_path"], view["auto_tmm"]) == ("/mnt/moved here/", False)
    assert any("WebUI Set location" in e["message"] for e in http.get("/query/getLog").json())
    assert post(http, "/command/setLocation", f"hashes={key}&location=").status_code == 200  # ignored
    assert post(http, "/command/setAutoTMM", f"hashes={key}&enable=true").status_code == 200
    view = next(t for t in torrents(http) if t["hash"] == key)
    assert (view["save_path"], view["auto_tmm"]) == ("/srv/qbt/downloads/linux/", True)


def test_categories(http: httpx.Client, sim: Simulator) -> None:
    key = next(iter(sim.torrents))
    assert post(http, "/command/setCategory", f"hashes={key}&category=brand%20new").status_code == 200
    assert sim.torrents[key].category == "brand new" and "brand new" in sim.engine.categories
    for bad in ("a//b", "/a", "a/", "a%5Cb"):
        reply = post(http, "/command/setCategory", f"hashes={key}&category={bad}")
        assert (reply.status_code, reply.reason_phrase) == (400, "Incorrect category name")
        reply = post(http, "/command/addCategory", f"category={bad}")
        assert (reply.status_code, reply.reason_phrase) == (400, "Incorrect category name")
    assert (
        post(http, "/command/setCategory", f"hashes={'0' * 40}&category=a//b").status_code == 200
    )  # unknown
    assert post(http, "/command/addCategory", "category=sub/cat").status_code == 200
    assert post(http, "/command/removeCategories", "categories=brand%20new%0Asub/cat").status_code == 200
    assert sim.torrents[key].category == "" and not {"brand new", "sub/cat"} & sim.engine.categories
    assert post(http, "/command/setCategory", f"hashes={key}&category=").status_code == 200


def test_add_trackers(http: httpx.Client, sim: Simulator) -> None:
    key = next(iter(sim.torrents))
    urls = "http://tracker.example.org/announce%0Audp://other.example.org:80/announce%0A%0A"
    assert post(http, "/command/addTrackers", f"hash={key}&urls={urls}").status_code == 200
    got = [t["url"] for t in http.get(f"/query/propertiesTrackers/{key}").json()]
    assert got[-2:] == ["http://tracker.example.org/announce", "udp://other.example.org:80/announce"]
    assert (
        "tr=udp%3a%2f%2fother.example.org%3a80%2fannounce"
        in by_name(http, sim.torrents[key].name)["magnet_uri"]
    )


def test_set_preferences(http: httpx.Client, sim: Simulator) -> None:
    change = {
        "max_connec_per_torrent": 77,
        "save_path": "/data/new",
        "queueing_enabled": False,
        "nope": 1,
        "scan_dirs": {"/watch": 0},
        "dl_limit": 2048,
        "max_ratio_enabled": True,
        "max_ratio": 2.5,
    }
    assert post(http, "/command/setPreferences", f"json={json.dumps(change)}").status_code == 200
    prefs = http.get("/query/preferences").json()
    assert (prefs["max_connec_per_torrent"], prefs["save_path"], prefs["queueing_enabled"]) == (
        77,
        "/data/new/",
        False,
    )
    assert (prefs["scan_dirs"], prefs["dl_limit"], prefs["max_ratio_enabled"], prefs["max_ratio"]) == (
        {"/watch": 0},
        2048,
        True,
        2.5,
    )
    assert "nope" not in prefs and http.post("/command/getSavePath").text == "/data/new/"
    assert {t["ratio_limit"] for t in torrents(http)} == {2.5}
    assert post(http, "/command/setPreferences", "json=not json").status_code == 200
    assert post(http, "/command/setPreferences", "json={}&x=1").status_code == 400


def test_password_and_username_changes(sim: Simulator, http: httpx.Client) -> None:
    md5 = http.get("/query/preferences").json()["web_ui_password"]
    assert post(http, "/command/setPreferences", 'json={"web_ui_password":"' + md5 + '"}').status_code == 200
    assert http.get("/query/preferences").json()["web_ui_password"] == md5  # its own hash: unchanged
    body = 'json={"web_ui_username":"root","web_ui_password":"s3cret"}'
    assert post(http, "/command/setPreferences", body).status_code == 200
    assert http.get("/query/preferences").json()["web_ui_password"] == hashlib.md5(b"s3cret").hexdigest()
    other = client(sim, client_ip="10.0.0.5")
    assert post(other, "/login", "username=admin&password=adminadmin").text == "Fails."
    assert post(other, "/login", "username=root&password=s3cret").text == "Ok."


def test_download_and_upload(http: httpx.Client, sim: Simulator) -> None:
    assert post(http, "/command/download", "urls=").text == "Fails."
    assert post(http, "/command/download", "urls=/etc/passwd").text == "Fails."
    assert post(http, "/command/download", "urls=magnet:?xt=urn:btih:nothex").text == "Fails."
    b32 = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"
    assert post(http, "/command/download", f"urls=nope%0Amagnet:?xt=urn:btih:{b32}").text == "Ok."
    assert "6162636465666768696a6b6c6d6e6f7071727374" in sim.torrents
    assert post(http, "/command/download", "urls=" + "ab" * 20).text == "Ok."  # a bare info-hash
    assert (
        post(http, "/command/download", "urls=http://example.org/files/Some%2520Show.torrent").text == "Ok."
    )
    assert any(
        "Downloading 'http://example.org/files/Some%20Show.torrent'" in e["message"]
        for e in http.get("/query/getLog").json()
    )
    sim.advance(3)
    assert any(t.name == "Some Show" for t in sim.torrents.values())
    reply = upload(
        http,
        [("a.torrent", SEED_TORRENT), ("b.torrent", MULTI_TORRENT)],
        category="uploads",
        paused="true",
        rename="Both",
    )
    assert (reply.status_code, reply.content) == (200, b"")
    added = [t for t in sim.torrents.values() if t.name == "Both"]
    assert len(added) == 2 and all(t.paused and t.category == "uploads" for t in added)
    assert upload(http, [("a.torrent", SEED_TORRENT)]).status_code == 200  # a duplicate is merged
    reply = upload(http, [("x.torrent", b"junk"), ("y.torrent", b"d1:ai1ee")])
    assert reply.status_code == 415
    assert reply.text.splitlines() == [
        "Error: 'x.torrent' is not a valid torrent file.",
        "Error: 'y.torrent' is not a valid torrent file.",
    ]


def test_root_folder_false_strips_the_top_folder(http: httpx.Client, sim: Simulator) -> None:
    assert upload(http, [("m.torrent", MULTI_TORRENT)], root_folder="false").status_code == 200
    key = next(k for k, t in sim.torrents.items() if t.dn == "multi")
    assert [f["name"] for f in http.get(f"/query/propertiesFiles/{key}").json()] == ["a.txt", "sub/b.bin"]


def test_shutdown_is_flagged(http: httpx.Client, sim: Simulator) -> None:
    reply = http.get("/command/shutdown")
    assert (reply.status_code, reply.content) == (200, b"")
    assert sim.shutdown_requested


def test_get_save_path(http: httpx.Client) -> None:
    reply = http.post("/command/getSavePath")
    assert reply.text == "/srv/qbt/downloads/"


def test_gzip_for_large_bodies(sim: Simulator) -> None:
    http = client(sim)
    login(http)
    http.headers["Accept-Encoding"] = "gzip"
    reply = http.get("/query/torrents")
    assert reply.headers["content-encoding"] == "gzip" and len(reply.json()) == 25
    assert "content-encoding" not in http.get("/version/api").headers  # small bodies stay plain
    http.headers["Accept-Encoding"] = "gzip;q=0, deflate"
    assert "content-encoding" not in http.get("/query/torrents").headers
    http.headers["Accept-Encoding"] = "*"
    assert http.get("/query/torrents").headers["content-encoding"] == "gzip"
