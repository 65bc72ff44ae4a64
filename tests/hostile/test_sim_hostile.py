"""The simulator's hostile mode: deterministic, hostile everywhere it promises, off by default."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import urllib.request
from typing import Any

import pytest

from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, SimRequest, SimResponse, Simulator
from qbtui.sim.hostile import (
    CATEGORIES,
    CORRUPT_NAMES,
    MAINDATA_FAULT_EVERY,
    STRINGS,
    TAGS,
    hostile_hash,
)


class Client:
    """Logged-in requests straight into a Simulator (no sockets)."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        login = sim.handle(
            SimRequest(
                "POST",
                "/login",
                {"content-type": "application/x-www-form-urlencoded"},
                b"username=admin&password=adminadmin",
            )
        )
        cookie = login.header("set-cookie")
        assert cookie is not None
        self.cookie = cookie.split(";")[0]

    def get(self, path: str) -> SimResponse:
        return self.sim.handle(SimRequest("GET", path, {"cookie": self.cookie}))

    def json(self, path: str) -> Any:
        response = self.get(path)
        assert response.status == 200, (path, response.status)
        return json.loads(response.content)


def hostile(seed: int = 7) -> Simulator:
    return Simulator(SimConfig(seed=seed, clock=ManualClock(DEFAULT_EPOCH), hostile=True))


def test_off_by_default_and_nothing_hostile_then() -> None:
    assert SimConfig().hostile is False
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(DEFAULT_EPOCH)))
    assert sim.hostile is None
    client = Client(sim)
    data = client.json("/sync/maindata?rid=0")
    assert len(data["torrents"]) == 25
    assert not set(CATEGORIES) & set(data["categories"])
    body = client.get("/sync/maindata?rid=0").content
    assert b"\\u001b" not in body and b"1e400" not in body


def test_every_hostile_string_is_served_where_it_belongs(hostile_sim: Simulator) -> None:
    client = Client(hostile_sim)
    data = client.json("/sync/maindata?rid=0")
    torrents = data["torrents"]
    names = [fields.get("name") for fields in torrents.values()]  # a name may be a list (wrong type)
    assert all(
        text in names for text in STRINGS.values()
    )  # the lone surrogate and the 100,000 characters included
    assert set(CATEGORIES) <= set(data["categories"])
    tags = {tag for fields in torrents.values() for tag in str(fields.get("tags", "")).split(", ")}
    assert set(TAGS) <= tags
    log = client.json("/query/getLog?last_known_id=-1")
    messages = [entry["message"] for entry in log]
    for key, text in STRINGS.items():
        info_hash = hostile_hash(key)
        assert torrents[info_hash]["name"] == text
        assert torrents[info_hash]["save_path"].startswith(f"/srv/{key}/")
        assert f"hostile log line ({key}): {text}" in messages
        trackers = client.json(f"/query/propertiesTrackers/{info_hash}")
        assert trackers[0]["msg"] == text
        files = client.json(f"/query/propertiesFiles/{info_hash}")
        assert files[0]["name"].endswith(f"{text[:200]}.bin")
        assert {"../../etc/passwd", "a//b/./c.txt", "/absolute/path.txt"} <= {
            entry["name"].removeprefix(f"{text}/") for entry in files
        }
        properties = client.json(f"/query/propertiesGeneral/{info_hash}")
        assert properties["comment"] == text
    peer_log = client.json("/query/getPeerLog?last_known_id=-1")
    assert {entry["reason"] for entry in peer_log} >= set(STRINGS.values())


def test_wire_format_carries_what_json_allows(hostile_sim: Simulator) -> None:
    body = Client(hostile_sim).get("/sync/maindata?rid=0").content
    body.decode("utf-8")  # valid UTF-8 throughout
    assert b'"lone \\ud800 surrogate"' in body  # a lone surrogate travels as an escape
    assert b":1e400" in body and b":-1e400" in body and b"1e-400" in body
    data = json.loads(body)
    corrupt = {name: data["torrents"][hostile_hash(f"corrupt-{key}")] for key, name in CORRUPT_NAMES.items()}
    assert corrupt["corrupt: wrong types"]["size"] == "12 GiB"
    assert corrupt["corrupt: wrong types"]["state"] == 42
    assert (
        "name" not in corrupt["corrupt: missing fields"] and "state" not in corrupt["corrupt: missing fields"]
    )
    assert corrupt["corrupt: huge and negative numbers"]["downloaded"] > 2**64
    assert corrupt["corrupt: NaN and infinity"]["size"] == float("inf")
    assert corrupt["corrupt: unknown state"]["state"] == "someFutureState"
    assert data["server_state"]["dl_info_speed"] == "fast"


def test_peers_have_hostile_clients(hostile_sim: Simulator) -> None:
    client = Client(hostile_sim)
    hostile_sim.advance(20)
    clients: set[str] = set()
    for key in STRINGS:
        peers = client.json(f"/sync/torrent_peers?hash={hostile_hash(key)}&rid=0")["peers"]
        clients |= {peer["client"] for peer in peers.values()}
    assert clients and clients <= set(STRINGS.values())
    corrupt = client.json(f"/sync/torrent_peers?hash={hostile_hash('corrupt-types')}&rid=0")["peers"]
    assert corrupt and all(peer["port"] == "x" for peer in corrupt.values())


@pytest.mark.parametrize(
    ("key", "kind"), [("corrupt-html", "text/html"), ("corrupt-truncated", "application/json")]
)
def test_details_of_spoilt_torrents_answer_garbage(hostile_sim: Simulator, key: str, kind: str) -> None:
    client = Client(hostile_sim)
    for endpoint in ("propertiesGeneral", "propertiesTrackers", "propertiesFiles", "getPieceStates"):
        response = client.get(f"/query/{endpoint}/{hostile_hash(key)}")
        assert response.status == 200 and (response.header("content-type") or "").startswith(kind)
        with pytest.raises(ValueError):
            json.loads(response.content)


def test_maindata_fails_now_and_then_and_the_next_delta_still_fits(hostile_sim: Simulator) -> None:
    client = Client(hostile_sim)
    rid, outcomes = 0, []
    for _ in range(3 * MAINDATA_FAULT_EVERY):
        response = client.get(f"/sync/maindata?rid={rid}")
        try:
            data = json.loads(response.content)
        except ValueError:
            outcomes.append("garbage")
            continue
        assert response.status == 200 and isinstance(data, dict)
        # A lost answer is no harm: the next request repeats the rid and gets a delta from it.
        assert "full_update" not in data or rid == 0
        rid = data["rid"]
        outcomes.append("ok")
    assert outcomes.count("garbage") == 3
    assert outcomes[MAINDATA_FAULT_EVERY - 1] == "garbage"


def exchange(sim: Simulator) -> list[bytes]:
    """What a client sees over a minute: maindata deltas, peers, details and logs."""
    client = Client(sim)
    bodies = []
    rid = 0
    for _ in range(6):
        sim.advance(10)
        response = client.get(f"/sync/maindata?rid={rid}")
        bodies.append(response.content)
        with contextlib.suppress(ValueError, KeyError, TypeError):
            rid = json.loads(response.content)["rid"]
        for key in ("markup-bold", "corrupt-types", "surrogate"):
            for path in (
                f"/sync/torrent_peers?hash={hostile_hash(key)}&rid=0",
                f"/query/propertiesFiles/{hostile_hash(key)}",
            ):
                bodies.append(client.get(path).content)
    bodies.append(client.get("/query/getLog?last_known_id=-1").content)
    return bodies


def test_deterministic_for_a_seed() -> None:
    assert exchange(hostile(7)) == exchange(hostile(7))


def test_python_m_qbtui_sim_hostile() -> None:
    """A person can run it: `python -m qbtui.sim --hostile --port 0` prints its URL and serves."""
    process = subprocess.Popen(
        [sys.executable, "-m", "qbtui.sim", "--hostile", "--port", "0", "--bypass-local-auth"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/sync/maindata?rid=0", timeout=10) as reply:
            data = json.loads(reply.read())
        assert STRINGS["markup-bold"] in [t.get("name") for t in data["torrents"].values()]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "hostile simulator" in stderr
