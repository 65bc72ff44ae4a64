"""The simulator against every response recorded from a real qBittorrent 4.0.4 (tests/data/...-samples).

For each sample: the status line, the header names, the security headers and content type
verbatim, and the body — its keys and value types, and its values wherever they are determined by
what the sample's server was asked (same torrents, same clock).
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.sim.helpers import (
    SAMPLE_ADDED,
    SampleWorld,
    login,
    new_sim,
    post,
    sample,
    sample_names,
    sample_world,
    upload,
)
from tests.sim.helpers import client as sim_client

SECURITY = ("content-security-policy", "x-content-type-options", "x-frame-options", "x-xss-protection")
COVERED: set[str] = set()


def covers(*names: str):  # type: ignore[no-untyped-def]
    COVERED.update(names)
    return lambda fn: fn


def same_head(reply: httpx.Response, name: str) -> Any:
    """Status line, header names and the fixed header values are those of the sample."""
    expected = sample(name)
    assert (reply.status_code, reply.reason_phrase) == (expected.status, expected.reason)
    got = {key.lower(): value for key, value in reply.headers.items()}
    assert sorted(got) == sorted(expected.headers), name
    assert list(reply.headers.keys()) == sorted(reply.headers.keys()), "headers are sorted like a QMap"
    for key in (*SECURITY, "content-type"):
        assert got.get(key) == expected.headers.get(key), key
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT", got["date"])
    assert int(got["content-length"]) == len(reply.content)
    return expected


def same_shape(got: Any, expected: Any, where: str = "") -> None:
    """Same keys (recursively) and the same JSON types; lists compared item by item against the first."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), where
        assert sorted(got) == sorted(expected), f"{where}: {sorted(set(got) ^ set(expected))}"
        for key in expected:
            same_shape(got[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list), where
        if expected and got:
            for item in got:
                same_shape(item, expected[0], f"{where}[]")
    elif isinstance(expected, bool):
        assert isinstance(got, bool), where
    elif isinstance(expected, int | float):
        assert isinstance(got, int | float) and not isinstance(got, bool), where
    else:
        assert type(got) is type(expected), f"{where}: {got!r} vs {expected!r}"


@pytest.fixture
def world() -> SampleWorld:
    return sample_world()


def fill_in(expected: Any, mapping: dict[str, str]) -> Any:
    """The sample with its real info-hashes replaced by the simulator's."""
    import json

    text = json.dumps(expected)
    for old, new in mapping.items():
        text = text.replace(old, new)
    return json.loads(text)


SAMPLE_SEED = "38c6f3ba65ac60f1fb153db435c26cbeef025373"
SAMPLE_MULTI = "a73042c2dd15e18932fb62fd93ef3ee4cb0141f7"


def hashes(world: SampleWorld) -> dict[str, str]:
    return {SAMPLE_SEED: world.seed, SAMPLE_MULTI: world.multi}


# -- version and auth -------------------------------------------------------------------------------


@covers("version_api", "version_api_noauth", "version_api_min", "version_qbittorrent")
def test_version_endpoints_with_and_without_session(world: SampleWorld) -> None:
    anonymous = sim_client(world.sim)
    for name, path, http in (
        ("version_api_noauth", "/version/api", anonymous),
        ("version_api", "/version/api", world.http),
        ("version_api_min", "/version/api_min", world.http),
        ("version_qbittorrent", "/version/qbittorrent", world.http),
    ):
        reply = http.get(path)
        assert reply.content == same_head(reply, name).body


@covers("login", "login_bad_password")
def test_login_ok_and_fails() -> None:
    http = sim_client(new_sim(torrent_count=0))
    reply = post(http, "/login", "username=admin&password=nope")
    assert reply.content == same_head(reply, "login_bad_password").body
    reply = post(http, "/login", "username=admin&password=adminadmin")
    assert reply.content == same_head(reply, "login").body
    assert re.fullmatch(r"SID=[A-Za-z0-9+/]{32}; HttpOnly; path=/", reply.headers["set-cookie"])


@covers("banned_version_api")
def test_banned_after_five_failures() -> None:
    http = sim_client(new_sim(torrent_count=0))
    for _ in range(5):
        assert post(http, "/login", "username=admin&password=wrong").text == "Fails."
    reply = http.get("/version/api")
    assert reply.content == same_head(reply, "banned_version_api").body


@covers("query_torrents_noauth")
def test_no_session() -> None:
    reply = sim_client(new_sim(torrent_count=0)).get("/query/torrents")
    assert reply.content == same_head(reply, "query_torrents_noauth").body == b""


@covers("csrf_wrong_referer_query_torrents")
def test_wrong_referer(world: SampleWorld) -> None:
    reply = world.http.get("/query/torrents", headers={"Referer": "http://127.0.0.1:9999/"})
    assert reply.content == same_head(reply, "csrf_wrong_referer_query_torrents").body == b""


# -- query ---------------------------------------------------------------------------------------------


@covers("query_torrents", "query_torrents_filter_paused")
def test_torrent_list(world: SampleWorld) -> None:
    world.clock.set(SAMPLE_ADDED + 3)  # 04:30:55, when query_torrents was recorded
    reply = world.http.get("/query/torrents")
    expected = fill_in(same_head(reply, "query_torrents").json(), hashes(world))
    got = reply.json()
    same_shape(got, expected)
    assert [t["hash"] for t in got] == [t["hash"] for t in expected]
    for mine, theirs in zip(got, expected, strict=True):
        # time_active is libtorrent's stale counter on the real server; nothing else may differ.
        assert {k: v for k, v in mine.items() if k != "time_active"} == {
            k: v for k, v in theirs.items() if k != "time_active"
        }
    reply = world.http.get("/query/torrents?filter=paused")
    expected = fill_in(same_head(reply, "query_torrents_filter_paused").json(), hashes(world))
    assert reply.json() == expected


@covers("query_propertiesGeneral_single", "query_propertiesGeneral_unknown_hash")
def test_properties(world: SampleWorld) -> None:
    reply = world.http.get(f"/query/propertiesGeneral/{world.seed}")
    expected = same_head(reply, "query_propertiesGeneral_single").json()
    got = reply.json()
    same_shape(got, expected)
    moving = {"reannounce", "seeding_time", "time_elapsed"}  # timers of the real run
    assert {k: v for k, v in got.items() if k not in moving} == {
        k: v for k, v in expected.items() if k not in moving
    }
    reply = world.http.get(f"/query/propertiesGeneral/{'0' * 40}")
    assert reply.content == same_head(reply, "query_propertiesGeneral_unknown_hash").body == b""


@covers("query_propertiesTrackers_single", "query_propertiesWebSeeds_single")
def test_trackers_and_web_seeds(world: SampleWorld) -> None:
    world.sim.advance(20)  # the dead tracker has been tried once
    reply = world.http.get(f"/query/propertiesTrackers/{world.seed}")
    assert reply.json() == same_head(reply, "query_propertiesTrackers_single").json()
    reply = world.http.get(f"/query/propertiesWebSeeds/{world.seed}")
    assert reply.content == same_head(reply, "query_propertiesWebSeeds_single").body


@covers("query_propertiesFiles_multi")
def test_files(world: SampleWorld) -> None:
    reply = world.http.get(f"/query/propertiesFiles/{world.multi}")
    assert reply.content == same_head(reply, "query_propertiesFiles_multi").body


@covers("query_getPieceHashes_single", "query_getPieceStates_single")
def test_pieces(world: SampleWorld) -> None:
    from qbtui.util.torrentfile import parse
    from tests.sim.helpers import SEED_TORRENT

    reply = world.http.get(f"/query/getPieceHashes/{world.seed}")
    expected = same_head(reply, "query_getPieceHashes_single").json()
    assert reply.json() == list(parse(SEED_TORRENT).piece_hashes)
    assert len(reply.json()) == len(expected) == 13
    reply = world.http.get(f"/query/getPieceStates/{world.seed}")
    assert reply.content == same_head(reply, "query_getPieceStates_single").body


@covers("query_transferInfo")
def test_transfer_info(world: SampleWorld) -> None:
    reply = world.http.get("/query/transferInfo")
    expected = same_head(reply, "query_transferInfo").json()
    same_shape(reply.json(), expected)
    quiet = {k: v for k, v in expected.items() if k not in ("connection_status", "read_cache_hits")}
    assert {k: reply.json()[k] for k in quiet} == quiet


@covers("query_preferences")
def test_preferences(world: SampleWorld) -> None:
    reply = world.http.get("/query/preferences")
    expected = same_head(reply, "query_preferences").json()
    got = reply.json()
    same_shape(got, expected)
    assert got["web_ui_password"] == expected["web_ui_password"] == "f6fdffe48c908deb0f4c3bd36c032e72"
    assert got["scan_dirs"] == {} and got["max_ratio"] == -1 and got["alt_dl_limit"] == 10240


@covers("query_getLog")
def test_log() -> None:
    http = sim_client(new_sim())
    login(http)
    reply = http.get("/query/getLog")
    expected = same_head(reply, "query_getLog").json()
    got = reply.json()
    same_shape(got, expected)
    assert [e["id"] for e in got] == list(range(len(got)))
    assert got[0]["message"] == expected[0]["message"] == "qBittorrent v4.0.4 started"
    assert [e["type"] for e in got[:10]] == [e["type"] for e in expected[:10]]


# -- sync -------------------------------------------------------------------------------------------------


@covers(
    "sync_maindata_rid0",
    "sync_maindata_rid1_nochange",
    "sync_maindata_ridN",
    "sync_maindata_ridN2_after_category_change",
    "sync_maindata_stale_rid",
)
def test_maindata_story(world: SampleWorld) -> None:
    """The sequence the samples were recorded in: full, quiet delta, changes, categories, stale rid."""
    http, mapping = world.http, hashes(world)
    world.clock.set(SAMPLE_ADDED + 12)
    reply = http.get("/sync/maindata?rid=0")
    expected = fill_in(same_head(reply, "sync_maindata_rid0").json(), mapping)
    full = reply.json()
    same_shape(full, expected)
    assert (full["rid"], full["full_update"], full["categories"]) == (1, True, ["tests"])
    for key, torrent in full["torrents"].items():
        assert {k: v for k, v in torrent.items() if k != "time_active"} == {
            k: v for k, v in expected["torrents"][key].items() if k != "time_active"
        }

    world.clock.set(SAMPLE_ADDED + 30)  # 18 s later: last_activity of the idle seed moved by >= 15 s
    reply = http.get("/sync/maindata?rid=1")
    expected = fill_in(same_head(reply, "sync_maindata_rid1_nochange").json(), mapping)
    assert reply.json() == expected | {"torrents": {world.seed: {"last_activity": SAMPLE_ADDED + 31}}}
    assert sorted(expected["torrents"][world.seed]) == ["last_activity"]

    world.clock.set(SAMPLE_ADDED + 32)
    assert post(http, "/command/pause", f"hash={world.seed}").status_code == 200
    assert post(http, "/command/setCategory", f"hashes={world.multi}&category=nope").status_code == 200
    assert post(http, "/command/resume", f"hash={world.multi}").status_code == 200
    reply = http.get("/sync/maindata?rid=2")
    expected = fill_in(same_head(reply, "sync_maindata_ridN").json(), mapping)
    got = reply.json()
    assert got["rid"] == 3 and got["categories"] == ["nope"]
    assert got["torrents"][world.seed] == {"last_activity": 0, "state": "pausedUP", "time_active": 32}
    assert sorted(got["torrents"][world.seed]) == sorted(expected["torrents"][world.seed])
    assert got["torrents"][world.multi] == expected["torrents"][world.multi] | {
        "last_activity": SAMPLE_ADDED + 33
    }
    assert "server_state" not in got  # the real server's buffer gauge moved; nothing moves here

    assert post(http, "/command/addCategory", "category=other").status_code == 200
    assert post(http, "/command/removeCategories", "categories=tests").status_code == 200
    reply = http.get("/sync/maindata?rid=3")
    assert reply.json() == fill_in(
        same_head(reply, "sync_maindata_ridN2_after_category_change").json(), mapping
    )

    reply = http.get("/sync/maindata?rid=2")  # an old rid
    expected = fill_in(same_head(reply, "sync_maindata_stale_rid").json(), mapping)
    got = reply.json()
    same_shape(got, expected)
    assert (got["rid"], got["full_update"], got["categories"]) == (5, True, ["nope", "other"])
    assert (
        got["torrents"][world.seed]["category"] == "" and got["torrents"][world.multi]["state"] == "stalledDL"
    )


@covers("sync_torrent_peers_with_peer_rid0", "sync_torrent_peers_with_peer_rid1")
def test_torrent_peers() -> None:
    sim = new_sim()
    http = sim_client(sim)
    login(http)
    key = next(k for k, t in sim.torrents.items() if any(not p.seed for p in t.peers.values()) and t.is_seed)
    reply = http.get(f"/sync/torrent_peers?hash={key}&rid=0")
    expected = same_head(reply, "sync_torrent_peers_with_peer_rid0").json()
    got = reply.json()
    assert sorted(got) == sorted(expected) and got["full_update"] is True and got["rid"] == 1
    their_peer = expected["peers"]["127.0.0.1:28882"]
    for address, peer in got["peers"].items():
        same_shape(peer, their_peer, address)
        assert address == f"{peer['ip']}:{peer['port']}"  # no brackets, even for IPv6
    sim.advance(1)
    reply = http.get(f"/sync/torrent_peers?hash={key}&rid=1")
    expected = same_head(reply, "sync_torrent_peers_with_peer_rid1").json()
    delta = reply.json()
    assert delta["rid"] == expected["rid"] == 2 and "full_update" not in delta and "show_flags" not in delta
    assert sorted(expected) == ["peers", "rid"] and sorted(expected["peers"]["127.0.0.1:28882"]) == [
        "up_speed"
    ]
    for address, fields in delta.get("peers", {}).items():
        if address in got["peers"]:
            assert fields and set(fields) < set(their_peer)  # changed fields only
        else:
            assert set(fields) == set(their_peer)  # a new peer, in full
    for address in delta.get("peers_removed", []):
        assert address in got["peers"]


# -- commands ----------------------------------------------------------------------------------------------


@covers("command_pause_single", "command_pause_hashes_param_400", "command_rename")
def test_empty_command_replies(world: SampleWorld) -> None:
    reply = post(world.http, "/command/pause", f"hashes={world.multi}")
    assert reply.content == same_head(reply, "command_pause_hashes_param_400").body == b""
    reply = post(world.http, "/command/pause", f"hash={world.multi}")
    assert reply.content == same_head(reply, "command_pause_single").body == b""
    reply = post(world.http, "/command/rename", f"hash={world.multi}&name=renamed")
    assert reply.content == same_head(reply, "command_rename").body == b""


@covers("command_getTorrentsDlLimit")
def test_torrent_limits(world: SampleWorld) -> None:
    reply = post(world.http, "/command/getTorrentsDlLimit", f"hashes={SAMPLE_SEED}|{SAMPLE_MULTI}")
    # Unknown hashes answer -1 too: the sample's exact bytes, with the sample's own hashes.
    assert reply.content == same_head(reply, "command_getTorrentsDlLimit").body


@covers("command_download_magnet")
def test_download_magnet(world: SampleWorld) -> None:
    reply = post(world.http, "/command/download", "urls=magnet:?xt=urn:btih:" + "c" * 40)
    assert reply.content == same_head(reply, "command_download_magnet").body


@covers("command_upload_invalid")
def test_upload_invalid(world: SampleWorld) -> None:
    reply = upload(world.http, [("bogus.torrent", b"this is not bencoded")])
    assert reply.content == same_head(reply, "command_upload_invalid").body


def test_every_sample_is_compared() -> None:
    assert set(sample_names()) - {"README"} <= COVERED
