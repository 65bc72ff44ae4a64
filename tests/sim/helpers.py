"""Helpers for the simulator tests: raw httpx clients wired to a Simulator, samples, sample torrents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from qbtui.sim import ManualClock, SimConfig, SimRequest, Simulator
from qbtui.util import bencode

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "legacy-4.0.4-samples"
#: 2026-11-29 04:30:52 UTC: when the samples' torrents were added.
SAMPLE_ADDED = 1795926652
URLENCODED = {"Content-Type": "application/x-www-form-urlencoded"}


def transport(sim: Simulator, client_ip: str = "127.0.0.1", port: int = 8080) -> httpx.MockTransport:
    """An httpx transport that hands each request to `sim.handle` (no sockets)."""

    def handler(request: httpx.Request) -> httpx.Response:
        target = request.url.raw_path.decode("ascii")
        reply = sim.handle(
            SimRequest(
                request.method,
                target,
                list(request.headers.multi_items()),
                request.read(),
                client_ip=client_ip,
                local_port=port,
            )
        )
        # Hand back the wire bytes untouched (httpx would otherwise undo the gzip).
        return httpx.Response(
            reply.status,
            headers=reply.headers,
            content=reply.body,
            extensions={"reason_phrase": reply.reason.encode()},
        )

    return httpx.MockTransport(handler)


def client(sim: Simulator, **kwargs: Any) -> httpx.Client:
    """A raw httpx client for `sim`, like the samples' curl: no Referer/Origin, no gzip, Host :8080."""
    return httpx.Client(
        transport=transport(sim, **kwargs),
        base_url="http://127.0.0.1:8080",
        headers={"Accept-Encoding": "identity"},
    )


def login(http: httpx.Client, username: str = "admin", password: str = "adminadmin") -> str:
    reply = http.post("/login", content=f"username={username}&password={password}", headers=URLENCODED)
    assert reply.text == "Ok.", reply.text
    return reply.cookies.get("SID") or http.cookies["SID"]


def post(http: httpx.Client, path: str, body: str = "", **kwargs: Any) -> httpx.Response:
    """POST an urlencoded body exactly as given (no encoding: tests choose `+` or `%20` themselves)."""
    return http.post(path, content=body.encode(), headers=URLENCODED, **kwargs)


def new_sim(**overrides: Any) -> Simulator:
    options: dict[str, Any] = {"seed": 7, "clock": ManualClock()}
    options.update(overrides)
    return Simulator(SimConfig(**options))


# -- the recorded samples -------------------------------------------------------------------------------


@dataclass
class Sample:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        import json

        return json.loads(self.body)


def sample(name: str) -> Sample:
    raw = (SAMPLES / f"{name}.txt").read_bytes()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("utf-8").split("\r\n")
    _, status, reason = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        key, _, value = line.partition(": ")
        headers[key] = value
    return Sample(int(status), reason, headers, body[: int(headers["content-length"])])


def sample_names() -> list[str]:
    return sorted(path.stem for path in SAMPLES.glob("*.txt"))


# -- torrents like the ones the samples were recorded with ----------------------------------------------


def torrent_bytes(
    name: str,
    files: list[tuple[str, int]] | None,
    size: int = 0,
    *,
    trackers: tuple[str, ...] = (),
    comment: str = "",
    created_by: str = "",
    piece_length: int = 16384,
) -> bytes:
    """A valid .torrent (pieces hashed over deterministic content), with exactly the given fields."""
    import hashlib

    total = sum(s for _, s in files) if files else size
    content = b"".join(hashlib.sha256(f"{name}{i}".encode()).digest() for i in range(total // 32 + 1))[:total]
    pieces = b"".join(
        hashlib.sha1(content[i : i + piece_length]).digest() for i in range(0, total, piece_length)
    )
    info: dict[str, Any] = {"name": name, "piece length": piece_length, "pieces": pieces}
    if files:
        info["files"] = [{"length": s, "path": p.split("/")} for p, s in files]
    else:
        info["length"] = size
    meta: dict[str, Any] = {"info": info}
    if trackers:
        meta["announce"] = trackers[0]
        meta["announce-list"] = [[url] for url in trackers]
    if comment:
        meta["comment"] = comment
    if created_by:
        meta["created by"] = created_by
    return bencode.encode(meta)


SEED_TORRENT = torrent_bytes(
    "sample-file.bin",
    None,
    200_000,
    trackers=("http://127.0.0.1:28999/announce",),
    comment="legacy test",
    created_by="torf 4.3.1",
)
MULTI_TORRENT = torrent_bytes(
    "multi",
    [("a.txt", 6), ("sub/b.bin", 70_000)],
    trackers=("udp://127.0.0.1:28998/announce", "http://127.0.0.1:28999/announce"),
)


def multipart(fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "----qbtui-sim-test-boundary"
    chunks = []
    for name, value in fields.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for filename, data in files:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="torrents"; filename="{filename}"\r\n'
            "Content-Type: application/x-bittorrent\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def upload(http: httpx.Client, files: list[tuple[str, bytes]], **fields: str) -> httpx.Response:
    body, kind = multipart(fields, files)
    return http.post("/command/upload", content=body, headers={"Content-Type": kind})


@dataclass
class SampleWorld:
    """A simulator set up like the qBittorrent 4.0.4 the samples were recorded from."""

    sim: Simulator
    clock: ManualClock
    http: httpx.Client
    seed: str  # info-hash of sample-file.bin (complete, category "tests")
    multi: str  # info-hash of multi (paused, no data)


def sample_world() -> SampleWorld:
    from qbtui.util.torrentfile import parse

    clock = ManualClock(SAMPLE_ADDED)
    sim = Simulator(SimConfig(seed=3, clock=clock, torrent_count=0))
    http = client(sim)
    login(http)
    assert (
        post(http, "/command/setPreferences", 'json={"dht":false,"pex":false,"lsd":false}').status_code == 200
    )
    assert post(http, "/command/addCategory", "category=tests").status_code == 200
    reply = upload(
        http,
        [("sample-file.bin.torrent", SEED_TORRENT)],
        savepath="/srv/qbt/data/",
        category="tests",
        skip_checking="true",
    )
    assert reply.status_code == 200, reply.text
    reply = upload(http, [("multi.torrent", MULTI_TORRENT)], paused="true")
    assert reply.status_code == 200, reply.text
    return SampleWorld(sim, clock, http, parse(SEED_TORRENT).info_hash, parse(MULTI_TORRENT).info_hash)
