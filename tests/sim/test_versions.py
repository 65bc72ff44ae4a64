"""Older legacy API versions: what each one lacks (facts §1.1 and the spec's APIx markers)."""

from __future__ import annotations

import httpx
import pytest

from qbtui.sim import Simulator
from tests.sim.helpers import client, login, new_sim, post

BASE = {
    "hash",
    "name",
    "size",
    "progress",
    "dlspeed",
    "upspeed",
    "priority",
    "num_seeds",
    "num_complete",
    "num_leechs",
    "num_incomplete",
    "ratio",
    "eta",
    "state",
    "seq_dl",
    "f_l_piece_prio",
    "super_seeding",
    "force_start",
}
API12 = {
    "tracker",
    "dl_limit",
    "up_limit",
    "downloaded",
    "uploaded",
    "downloaded_session",
    "uploaded_session",
    "completed",
    "ratio_limit",
    "seen_complete",
    "last_activity",
    "total_size",
}
STATISTICS = {
    "alltime_dl",
    "alltime_ul",
    "total_wasted_session",
    "global_ratio",
    "total_peer_connections",
    "read_cache_hits",
    "total_buffers_size",
    "write_cache_overload",
    "read_cache_overload",
    "queued_io_jobs",
    "average_time_queue",
    "total_queued_size",
}


def expected_fields(api: int) -> set[str]:
    fields = BASE | {"category" if api >= 10 else "label"}
    if api >= 5:
        fields |= {"save_path"}
    if api >= 9:
        fields |= {"added_on", "completion_on"}
    if api >= 12:
        fields |= API12 | {"amount_left" if api >= 13 else "remaining"}
    if api >= 16:
        fields |= {"magnet_uri", "auto_tmm"}
    if api >= 17:
        fields |= {"tags", "time_active"}
    return fields


APP = {
    2: "v3.2.0",
    6: "v3.3.0",
    9: "v3.3.4",
    10: "v3.3.7",
    13: "v3.3.12",
    14: "v3.3.13",
    16: "v4.0.0",
    17: "v4.0.4",
}
API_MIN = {2: "2", 6: "2", 9: "8", 10: "10", 13: "13", 14: "14", 16: "15", 17: "15"}


@pytest.fixture(params=sorted(APP))
def versioned(request: pytest.FixtureRequest) -> tuple[int, Simulator, httpx.Client]:
    sim = new_sim(api_version=request.param)
    http = client(sim)
    login(http)
    return request.param, sim, http


def exists(reply: httpx.Response) -> bool:
    return reply.status_code != 404


def test_versions_and_torrent_fields(versioned: tuple[int, Simulator, httpx.Client]) -> None:
    api, _, http = versioned
    assert http.get("/version/api").text == str(api)
    assert http.get("/version/api_min").text == API_MIN[api]
    assert http.get("/version/qbittorrent").text == APP[api]
    rows = http.get("/query/torrents").json()
    with_metadata = [row for row in rows if "f_l_piece_prio" in row]
    assert with_metadata and all(set(row) == expected_fields(api) for row in with_metadata)
    json_type = "application/json" if api >= 4 else "text/javascript; charset=UTF-8"
    assert http.get("/query/torrents").headers["content-type"] == json_type


def test_endpoints_by_version(versioned: tuple[int, Simulator, httpx.Client]) -> None:
    api, sim, http = versioned
    key = next(iter(sim.torrents))
    assert exists(http.get(f"/query/propertiesWebSeeds/{key}")) == (api >= 3)
    assert exists(http.get(f"/sync/torrent_peers?hash={key}")) == (api >= 7)
    assert exists(http.post("/command/getSavePath")) == (api >= 7)
    assert exists(post(http, "/command/setLabel", f"hashes={key}&label=x")) == (6 <= api <= 9)
    assert exists(post(http, "/command/setCategory", f"hashes={key}&category=x")) == (api >= 10)
    assert exists(post(http, "/command/addCategory", "category=y")) == (api >= 10)
    assert exists(post(http, "/command/removeCategories", "categories=y")) == (api >= 10)
    assert exists(http.get("/query/getLog")) == (api >= 10)
    assert exists(http.get("/query/getPeerLog")) == (api >= 10)
    assert exists(http.get(f"/query/getPieceHashes/{key}")) == (api >= 14)
    assert exists(http.get(f"/query/getPieceStates/{key}")) == (api >= 14)
    assert exists(post(http, "/command/rename", f"hash={key}&name=n")) == (api >= 16)
    assert exists(post(http, "/command/setLocation", f"hashes={key}&location=/x")) == (api >= 16)
    assert exists(post(http, "/command/setAutoTMM", f"hashes={key}&enable=true")) == (api >= 16)


def test_maindata_and_transfer_info_by_version(versioned: tuple[int, Simulator, httpx.Client]) -> None:
    api, _, http = versioned
    data = http.get("/sync/maindata").json()
    assert ("categories" in data, "labels" in data) == (api >= 10, api < 10)
    state = data["server_state"]
    assert (set(state) >= STATISTICS) == (api >= 13) and {"queueing", "refresh_interval"} <= set(state)
    info = http.get("/query/transferInfo").json()
    assert (set(info) >= STATISTICS) == (api >= 13)
    first = next(iter(data["torrents"].values()))
    assert "hash" not in first and ("last_activity" in first) == (api >= 12)


@pytest.mark.parametrize("api", [6, 9])
def test_labels_before_categories(api: int) -> None:
    # Labels are set with setLabel in API 6-9.
    sim = new_sim(api_version=api)
    http = client(sim)
    login(http)
    key = next(iter(sim.torrents))
    assert post(http, "/command/setLabel", f"hashes={key}&label=old%20school").status_code == 200
    assert [row["hash"] for row in http.get("/query/torrents?label=old%20school").json()] == [key]
    assert "old school" in http.get("/sync/maindata").json()["labels"]


def test_files_and_peers_by_version(versioned: tuple[int, Simulator, httpx.Client]) -> None:
    api, sim, http = versioned
    key = next(k for k, t in sim.torrents.items() if t.meta is not None and t.peers)
    first = http.get(f"/query/propertiesFiles/{key}").json()[0]
    assert ("piece_range" in first, "availability" in first) == (api >= 16, api >= 17)
    props = http.get(f"/query/propertiesGeneral/{key}").json()
    assert ("pieces_num" in props) == (api >= 4)
    if api >= 7:
        peer = next(iter(http.get(f"/sync/torrent_peers?hash={key}").json()["peers"].values()))
        assert ("files" in peer) == (api >= 12)


def test_security_checks_by_version(versioned: tuple[int, Simulator, httpx.Client]) -> None:
    api, _, http = versioned
    referer = http.get("/version/api", headers={"Referer": "http://elsewhere:1/"})
    assert (referer.status_code == 401) == (api >= 14)
    host = http.get("/version/api", headers={"Host": "127.0.0.1:1"})
    assert (host.status_code == 401) == (api >= 15)


def test_add_options_by_version(versioned: tuple[int, Simulator, httpx.Client]) -> None:
    api, sim, http = versioned
    field = "category" if api >= 10 else "label"
    body = f"urls=magnet:?xt=urn:btih:{'7' * 40}&paused=true&{field}=added"
    assert post(http, "/command/download", body).text == "Ok."
    added = sim.torrents["7" * 40]
    assert added.paused == (api >= 13) and added.category == "added"


def test_invalid_api_version() -> None:
    with pytest.raises(ValueError, match=r"2\.\.17"):
        new_sim(api_version=18)
