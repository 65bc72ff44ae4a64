"""The living torrents: evolution over simulated time, determinism, and the large-scale mode."""

from __future__ import annotations

import time

import httpx

from qbtui.sim import ManualClock, SimConfig, SimRequest, Simulator
from tests.sim.helpers import client, login, new_sim, post


def script(sim: Simulator) -> list[bytes]:
    """A fixed conversation with a simulator; every reply's bytes."""
    out = []
    http = client(sim)
    out.append(post(http, "/login", "username=admin&password=adminadmin").content)
    rid = 0
    for step in range(8):
        reply = http.get(f"/sync/maindata?rid={rid}")
        out.append(reply.content)
        rid = reply.json()["rid"]
        out.append(http.get("/query/torrents?sort=dlspeed").content)
        out.append(http.get("/query/getLog").content)
        if step == 3:
            out.append(post(http, "/command/download", "urls=magnet:?xt=urn:btih:" + "9" * 40).content)
        sim.advance(1.5)
    return out


def test_same_seed_same_clock_same_bytes() -> None:
    assert script(new_sim(seed=11)) == script(new_sim(seed=11))
    assert script(new_sim(seed=11)) != script(new_sim(seed=12))


def test_whole_responses_are_identical_including_headers() -> None:
    def replies(seed: int) -> list[bytes]:
        sim = new_sim(seed=seed)
        return [
            sim.handle(
                SimRequest(
                    "POST",
                    "/login",
                    {"Content-Type": "application/x-www-form-urlencoded"},
                    b"username=admin&password=adminadmin",
                )
            ).to_bytes(),
            sim.handle(SimRequest("GET", "/version/qbittorrent")).to_bytes(),
        ]

    assert replies(5) == replies(5)


def test_downloads_progress_and_complete() -> None:
    sim = new_sim()
    http = client(sim)
    login(http)
    key = next(k for k, t in sim.torrents.items() if t.name.startswith("debian"))
    before = sim.torrents[key].progress()
    states = set()
    for _ in range(120):
        sim.advance(1)
        states.add(sim.state_of(key))
    t = sim.torrents[key]
    assert t.progress() == 1 and before < 1
    assert states & {"downloading", "stalledDL"} and states & {"uploading", "stalledUP"}
    view = next(row for row in http.get("/query/torrents").json() if row["hash"] == key)
    assert view["completion_on"] != 4294967295 and view["priority"] == 0 and view["amount_left"] == 0
    assert set(http.get(f"/query/getPieceStates/{key}").json()) == {2}


def test_things_move_over_time() -> None:
    sim = new_sim()
    http = client(sim)
    login(http)
    first = {row["hash"]: row for row in http.get("/query/torrents").json()}
    sim.advance(60)
    later = {row["hash"]: row for row in http.get("/query/torrents").json()}
    moved = [k for k in first if first[k]["downloaded"] < later[k]["downloaded"]]
    uploaded = [k for k in first if first[k]["uploaded"] < later[k]["uploaded"]]
    assert len(moved) >= 3 and len(uploaded) >= 5
    assert any(first[k]["ratio"] != later[k]["ratio"] for k in uploaded)
    assert any(
        first[k]["num_leechs"] != later[k]["num_leechs"] or first[k]["num_seeds"] != later[k]["num_seeds"]
        for k in first
    )
    assert len(http.get("/query/getPeerLog").json()) > 1
    magnet = next(k for k, t in sim.torrents.items() if t.name.endswith("S01E03 720p"))
    assert later[magnet]["state"] != "metaDL" and later[magnet]["total_size"] > 0  # metadata arrived
    states = {row["state"] for row in later.values()}
    assert {
        "downloading",
        "uploading",
        "stalledUP",
        "pausedUP",
        "pausedDL",
        "queuedDL",
        "forcedDL",
        "forcedUP",
        "error",
        "missingFiles",
        "checkingUP",
    } <= states


def test_eta_and_speeds_make_sense() -> None:
    sim = new_sim()
    http = client(sim)
    login(http)
    for row in http.get("/query/torrents").json():
        if row["state"] == "downloading":
            assert 0 < row["eta"] < 8640000 and row["dlspeed"] > 0
        if row["state"].startswith("paused"):
            assert (
                row["eta"] == 8640000 and row["dlspeed"] == row["upspeed"] == 0 and row["last_activity"] == 0
            )


def test_magnet_gets_metadata_and_url_becomes_a_torrent() -> None:
    sim = new_sim(torrent_count=0)
    http = client(sim)
    login(http)
    magnet = (
        "magnet:?xt=urn:btih:" + "a" * 40 + "%26dn=Show.S02E01.1080p.WEB%26tr=http://tracker.example.org/a"
    )
    assert post(http, "/command/download", f"urls={magnet}").text == "Ok."
    assert sim.state_of("a" * 40) == "metaDL"
    sim.advance(10)
    files = http.get(f"/query/propertiesFiles/{'a' * 40}").json()
    assert [f["name"].rsplit(".", 1)[-1] for f in files] == ["mkv", "nfo"]
    assert post(http, "/command/download", "urls=https://broken.invalid/x.torrent").text == "Ok."
    sim.advance(3)
    assert any("Couldn't download" in e["message"] for e in http.get("/query/getLog").json())


def test_share_ratio_limit_pauses_seeds() -> None:
    sim = new_sim()
    http = client(sim)
    login(http)
    post(http, "/command/setPreferences", 'json={"max_ratio_enabled":true,"max_ratio":0.5,"max_ratio_act":0}')
    sim.advance(2)
    paused = [
        e["message"] for e in http.get("/query/getLog").json() if "reached the maximum ratio" in e["message"]
    ]
    assert paused


def test_helpers_add_and_remove_torrents() -> None:
    sim = new_sim(torrent_count=0)
    key = sim.add_torrent("helper torrent", size=10_000_000, progress=0.5, category="helpers", paused=True)
    assert sim.state_of(key) == "pausedDL" and "helpers" in sim.engine.categories
    seed = sim.add_torrent("seeded", progress=1.0)
    assert sim.state_of(seed) in ("stalledUP", "uploading")
    sim.remove_torrent(key)
    assert key not in sim.torrents
    sim.log("hello from a test", 4)
    assert sim.engine.log.messages[-1].message == "hello from a test"


def test_demo_set_has_variety() -> None:
    sim = new_sim()
    names = [t.name for t in sim.torrents.values()]
    assert len(names) == 25 and any(n.startswith("[eztv]") for n in names)
    assert (
        any(" " in n for n in names) and any(not n.isascii() for n in names) and any("[" in n for n in names)
    )
    assert len({t.category for t in sim.torrents.values()}) >= 6


def test_real_time_clock_works() -> None:
    sim = Simulator(SimConfig())
    http = httpx.Client(transport=client(sim)._transport, base_url="http://127.0.0.1:8080")
    login(http)
    assert len(http.get("/query/torrents").json()) == 25


def test_fifty_thousand_torrents_start_fast_and_answer_deltas_quickly() -> None:
    clock = ManualClock()
    started = time.perf_counter()
    sim = Simulator(SimConfig(seed=2, clock=clock, torrent_count=50_000, bypass_local_auth=True))
    assert time.perf_counter() - started < 10
    http = client(sim)
    full = http.get("/sync/maindata").json()
    assert len(full["torrents"]) == 50_000
    rid = full["rid"]
    changed = []
    started = time.perf_counter()
    for _ in range(3):
        clock.advance(1.5)
        delta = http.get(f"/sync/maindata?rid={rid}").json()
        rid = delta["rid"]
        changed.append(len(delta.get("torrents", {})))
    assert (time.perf_counter() - started) / 3 < 2.0
    assert all(200 < count < 5000 for count in changed), changed  # about 2 % churn per poll
