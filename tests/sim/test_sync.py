"""sync/maindata and sync/torrent_peers: the rid algorithm of 4.0.4 and its deltas (facts §2.1, §2.3)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from qbtui.sim import Simulator
from qbtui.sim.sync import Keyed, SyncState, diff_map
from tests.sim.helpers import client, login, new_sim, post


@pytest.fixture
def sim() -> Simulator:
    return new_sim()


@pytest.fixture
def http(sim: Simulator) -> httpx.Client:
    http = client(sim)
    login(http)
    return http


def maindata(http: httpx.Client, rid: int | None = None) -> dict[str, Any]:
    reply = http.get("/sync/maindata" if rid is None else f"/sync/maindata?rid={rid}")
    assert reply.status_code == 200
    return reply.json()  # type: ignore[no-any-return]


def apply(state: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    """What a client does with a reply: replace on full_update, else merge."""
    if delta.get("full_update"):
        return {
            "torrents": {k: dict(v) for k, v in delta["torrents"].items()},
            "categories": set(delta["categories"]),
            "server_state": dict(delta["server_state"]),
        }
    for key, fields in delta.get("torrents", {}).items():
        state["torrents"].setdefault(key, {}).update(fields)
    for key in delta.get("torrents_removed", []):
        del state["torrents"][key]
    state["categories"] |= set(delta.get("categories", []))
    state["categories"] -= set(delta.get("categories_removed", []))
    state["server_state"].update(delta.get("server_state", {}))
    return state


def test_full_then_delta_then_stale(sim: Simulator, http: httpx.Client) -> None:
    first = maindata(http)
    assert (first["rid"], first["full_update"]) == (1, True)
    assert sorted(first) == ["categories", "full_update", "rid", "server_state", "torrents"]
    assert all("hash" not in t for t in first["torrents"].values())
    sim.advance(1)
    second = maindata(http, 1)
    assert second["rid"] == 2 and "full_update" not in second
    assert 0 < len(second["torrents"]) < len(first["torrents"])  # only what moved
    assert all(len(fields) < 30 for fields in second["torrents"].values())
    assert maindata(http, 77)["full_update"] is True  # unknown rid
    again = maindata(http, 0)
    assert (again["rid"], again["full_update"]) == (1, True)  # rid 0 restarts the count


def test_deltas_rebuild_the_full_state(sim: Simulator, http: httpx.Client) -> None:
    reply = maindata(http)
    state = apply({}, reply)
    rid = reply["rid"]
    keys = list(sim.torrents)
    for step in range(12):
        sim.advance(1 + step % 3)
        if step == 3:
            post(http, "/command/delete", f"hashes={keys[0]}")
        if step == 5:
            post(http, "/command/addCategory", "category=fresh")
            post(http, "/command/removeCategories", "categories=archive")
        if step == 7:
            post(http, "/command/download", "urls=magnet:?xt=urn:btih:" + "e" * 40)
        reply = maindata(http, rid)
        rid = reply["rid"]
        state = apply(state, reply)
    full = maindata(http, 0)
    # last_activity of never-active torrents is held back up to 14 s in deltas; nothing else may drift.
    for torrent in (*state["torrents"].values(), *full["torrents"].values()):
        torrent.pop("last_activity", None)
    assert state["torrents"] == full["torrents"]
    assert state["categories"] == set(full["categories"])
    assert "fresh" in state["categories"] and "archive" not in state["categories"]
    assert keys[0] not in state["torrents"] and "e" * 40 in state["torrents"]


def test_removals_and_new_torrents(sim: Simulator, http: httpx.Client) -> None:
    rid = maindata(http)["rid"]
    gone = next(iter(sim.torrents))
    post(http, "/command/delete", f"hashes={gone}")
    post(http, "/command/download", "urls=magnet:?xt=urn:btih:" + "d" * 40 + "%26dn=new%20one")
    delta = maindata(http, rid)
    assert delta["torrents_removed"] == [gone]
    assert delta["torrents"]["d" * 40]["name"] == "new one"
    assert len(delta["torrents"]["d" * 40]) == 37  # a new torrent in full (no metadata: no f_l_piece_prio)


def test_categories_list_delta(http: httpx.Client) -> None:
    first = maindata(http)
    assert first["categories"] == sorted(first["categories"])
    post(http, "/command/addCategory", "category=zzz")
    post(http, "/command/addCategory", "category=aaa")
    post(http, "/command/removeCategories", "categories=tv%0Amusic")
    delta = maindata(http, first["rid"])
    assert delta["categories"] == ["aaa", "zzz"] and sorted(delta["categories_removed"]) == ["music", "tv"]


def test_retrying_a_rid_gets_a_delta_from_it(sim: Simulator, http: httpx.Client) -> None:
    rid = maindata(http)["rid"]
    sim.advance(1)
    lost = maindata(http, rid)  # the client never saw this one
    sim.advance(1)
    retry = maindata(http, rid)
    assert "full_update" not in retry and retry["rid"] == lost["rid"] + 1
    assert set(retry.get("torrents", {})) >= set(lost.get("torrents", {}))


def test_sessions_have_their_own_sync_state(sim: Simulator, http: httpx.Client) -> None:
    other = client(sim)
    login(other)
    assert maindata(http)["rid"] == 1
    assert maindata(http, 1)["rid"] == 2
    assert maindata(other, 2)["full_update"] is True  # rid 2 means nothing to this session


def test_server_state_sends_only_changed_keys(sim: Simulator, http: httpx.Client) -> None:
    rid = maindata(http)["rid"]
    sim.advance(1)
    delta = maindata(http, rid)
    assert 0 < len(delta["server_state"]) < 23
    assert "refresh_interval" not in delta["server_state"] and "queueing" not in delta["server_state"]
    post(http, "/command/toggleAlternativeSpeedLimits")
    assert maindata(http, delta["rid"])["server_state"]["use_alt_speed_limits"] is True


def test_last_activity_moves_under_fifteen_seconds_are_held_back() -> None:
    sim = new_sim(torrent_count=0)
    http = client(sim)
    login(http)
    post(http, "/command/setPreferences", 'json={"dht":false}')
    post(
        http,
        "/command/download",
        "urls=magnet:?xt=urn:btih:" + "f" * 40 + "%26tr=http://127.0.0.1:1/announce",
    )
    first = maindata(http)
    stamp = first["torrents"]["f" * 40]["last_activity"]
    assert stamp == int(sim.config.clock()) + 1  # never active: now + 1
    rid = first["rid"]
    for _ in range(14):
        sim.advance(1)
        delta = maindata(http, rid)
        rid = delta["rid"]
        assert "last_activity" not in delta.get("torrents", {}).get("f" * 40, {})
    sim.advance(1)
    assert maindata(http, rid)["torrents"]["f" * 40]["last_activity"] == stamp + 15


def test_rid_cycles_after_a_million() -> None:
    state = SyncState()
    state.last_rid = 1_000_000
    state.last = {"server_state": {"a": 1}}
    reply = state.reply(1_000_000, {"server_state": {"a": 2}})
    assert reply == {"rid": 1, "server_state": {"a": 2}}


def test_diff_rules() -> None:
    prev = {
        "torrents": Keyed(a={"x": 1, "y": 2}, b={"x": 1}),
        "categories": ["c1", "c2"],
        "server_state": {"s": 1},
    }
    cur = {
        "torrents": Keyed(a={"x": 1, "y": 3}, c={"x": 5}),
        "categories": ["c2", "c3"],
        "server_state": {"s": 1},
    }
    assert diff_map(prev, cur) == {
        "torrents": {"a": {"y": 3}, "c": {"x": 5}},
        "torrents_removed": ["b"],
        "categories": ["c3"],
        "categories_removed": ["c1"],
    }
    # A field that disappears is not signalled; an empty previous collection sends everything.
    assert diff_map({"torrents": Keyed(a={"x": 1, "f": True})}, {"torrents": Keyed(a={"x": 1})}) == {}
    assert diff_map({"torrents": Keyed()}, {"torrents": Keyed(a={"x": 1})}) == {"torrents": {"a": {"x": 1}}}


def test_torrent_peers_rid_and_deltas(sim: Simulator, http: httpx.Client) -> None:
    key = max(sim.torrents, key=lambda k: len(sim.torrents[k].peers))
    first = http.get(f"/sync/torrent_peers?hash={key}&rid=0").json()
    assert (first["rid"], first["full_update"], first["show_flags"]) == (1, True, True)
    assert first["peers"] and all(
        sorted(p)
        == sorted(
            [
                "client",
                "connection",
                "country",
                "country_code",
                "dl_speed",
                "downloaded",
                "files",
                "flags",
                "flags_desc",
                "ip",
                "port",
                "progress",
                "relevance",
                "up_speed",
                "uploaded",
            ]
        )
        for p in first["peers"].values()
    )
    peers = {k: dict(v) for k, v in first["peers"].items()}
    rid = first["rid"]
    for _ in range(20):
        sim.advance(1)
        delta = http.get(f"/sync/torrent_peers?hash={key}&rid={rid}").json()
        rid = delta["rid"]
        assert "full_update" not in delta
        for address, fields in delta.get("peers", {}).items():
            peers.setdefault(address, {}).update(fields)
        for address in delta.get("peers_removed", []):
            del peers[address]
    fresh = http.get(f"/sync/torrent_peers?hash={key}&rid=0").json()
    assert peers == fresh["peers"]
    rid = fresh["rid"]
    # The same state serves every torrent of the session: switching torrent diffs against the last one.
    other = next(k for k, t in sim.torrents.items() if k != key and t.peers)
    switched = http.get(f"/sync/torrent_peers?hash={other}&rid={rid}").json()
    assert "full_update" not in switched and set(switched["peers_removed"]) == set(peers) - set(
        switched.get("peers", {})
    )


def test_peer_flags_look_like_qbittorrent(sim: Simulator, http: httpx.Client) -> None:
    described = set()
    for key, t in sim.torrents.items():
        if not t.peers:
            continue
        for peer in http.get(f"/sync/torrent_peers?hash={key}").json()["peers"].values():
            flags = peer["flags"].split(" ") if peer["flags"] else []
            lines = peer["flags_desc"].split("\n") if peer["flags_desc"] else []
            assert [line.split(" = ")[0] for line in lines] == flags
            assert peer["connection"] in ("BT", "μTP") and ("P" in flags) == (peer["connection"] == "μTP")
            described.update(lines)
    assert "U = interested(peer) and unchoked(local)" in described
    assert "D = interested(local) and unchoked(peer)" in described
