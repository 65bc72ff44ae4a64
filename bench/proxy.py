"""A counting reverse proxy in front of a real qbittorrent-nox, with churn on demand. Its own process:

    python -m bench.proxy --target URL --username U --password-env VAR [--churn 1000]

Every client of the peers scenario (the floor, qbtui, qbittorrentui) talks to the server through
it, so all of them are measured alike without touching them: it counts their `sync/maindata`
polls, and after each poll's answer has gone back it changes `--churn` torrents on the server
(their upload limit, a new value each round, and their category, which the sidebar counts; over
a rotating window of the torrent list), so every client's next poll names exactly that many
changed torrents, whatever its rhythm.

It prints one JSON line, {"url": ...}, once listening. `GET /__bench/stats` (answered by the proxy
itself) returns the counters; `POST /__bench/churn?count=N` changes the churn. The proxy's own CPU
is not any client's: the benchmark reads the clients' processes only.

HTTP/1.1 only as much as the clients use: a request line, headers, a Content-Length body;
keep-alive connections; answers passed on as they came (gzip stays gzip). The Host header is
rewritten to the server's and Origin/Referer are dropped, so nox's Host and CSRF checks see a
request addressed to itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

CATEGORIES = ("bench-a", "bench-b")
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "origin", "referer"}


class Churn:
    """Changes `count` torrents per round through a session of its own."""

    def __init__(self, client: httpx.AsyncClient, count: int) -> None:
        self.client = client
        self.count = count
        self.hashes: list[str] = []
        self.start = 0
        self.round = 0
        self.busy = False
        self.rounds_done = 0

    async def load(self) -> None:
        reply = await self.client.get("api/v2/torrents/info")
        reply.raise_for_status()
        self.hashes = [t["hash"] for t in reply.json()]
        for name in CATEGORIES:
            await self.client.post("api/v2/torrents/createCategory", data={"category": name})

    async def once(self) -> None:
        if self.busy or not self.count or not self.hashes:
            return
        self.busy = True
        try:
            count = min(self.count, len(self.hashes))
            chosen = [self.hashes[(self.start + i) % len(self.hashes)] for i in range(count)]
            self.start = (self.start + count) % len(self.hashes)
            self.round += 1
            # A limit no round before it used (in KiB/s steps): every chosen torrent really changes.
            limit = 1024 * (1 + self.round % 997)
            hashes = "|".join(chosen)
            reply = await self.client.post(
                "api/v2/torrents/setUploadLimit", data={"hashes": hashes, "limit": str(limit)}
            )
            reply.raise_for_status()
            category = CATEGORIES[self.round % len(CATEGORIES)]
            reply = await self.client.post(
                "api/v2/torrents/setCategory", data={"hashes": hashes, "category": category}
            )
            reply.raise_for_status()
            self.rounds_done += 1
        finally:
            self.busy = False


class Proxy:
    def __init__(self, target: str, churn: Churn) -> None:
        parts = urlsplit(target)
        self.target_host = parts.netloc
        self.upstream = httpx.AsyncClient(base_url=target, trust_env=False, timeout=600)
        self.churn = churn
        self.polls = 0
        self.poll_times: list[float] = []
        #: When each refresh of the active torrents (`torrents/info?filter=active`) was answered.
        self.refresh_times: list[float] = []
        self.requests: dict[str, int] = {}
        self.tasks: set[asyncio.Future[None]] = set()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers: list[tuple[str, str]] = []
                length = 0
                for line in lines[1:]:
                    if not line:
                        continue
                    name, _, value = line.partition(":")
                    value = value.strip()
                    if name.lower() == "content-length":
                        length = int(value)
                    headers.append((name, value))
                body = await reader.readexactly(length) if length else b""
                status, out_headers, content = await self.forward(method, target, headers, body)
                reply = [f"HTTP/1.1 {status} -"]
                reply += [f"{k}: {v}" for k, v in out_headers]
                reply.append(f"Content-Length: {len(content)}")
                writer.write(("\r\n".join(reply) + "\r\n\r\n").encode("latin-1") + content)
                await writer.drain()
                if target.split("?")[0].endswith("sync/maindata") and status == 200:
                    self.polls += 1
                    self.poll_times.append(time.monotonic())
                    task = asyncio.ensure_future(self.churn.once())
                    self.tasks.add(task)
                    task.add_done_callback(self.tasks.discard)
                elif target.split("?")[0].endswith("torrents/info") and "filter=active" in target:
                    self.refresh_times.append(time.monotonic())
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def forward(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        path = target.split("?")[0]
        if path.startswith("/__bench/"):
            return self.own(method, target)
        self.requests[path] = self.requests.get(path, 0) + 1
        sent = [(k, v) for k, v in headers if k.lower() not in _HOP]
        sent.append(("Host", self.target_host))
        request = self.upstream.build_request(method, target, headers=sent, content=body)
        response = await self.upstream.send(request, stream=True)
        try:
            content = b"".join([chunk async for chunk in response.aiter_raw()])
        finally:
            await response.aclose()
        out = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _HOP]
        return response.status_code, out, content

    def own(self, method: str, target: str) -> tuple[int, list[tuple[str, str]], bytes]:
        query = parse_qs(urlsplit(target).query)
        if target.startswith("/__bench/churn"):
            self.churn.count = int(query.get("count", ["0"])[0])
        stats: dict[str, Any] = {
            "polls": self.polls,
            "poll_times": self.poll_times,
            "refresh_times": self.refresh_times,
            "requests": self.requests,
            "churn": self.churn.count,
            "churn_rounds": self.churn.rounds_done,
            "now": time.monotonic(),
        }
        return 200, [("Content-Type", "application/json")], json.dumps(stats).encode()


async def serve(args: argparse.Namespace) -> None:
    password = os.environ[args.password_env]
    churn_client = httpx.AsyncClient(base_url=args.target.rstrip("/") + "/", trust_env=False, timeout=600)
    reply = await churn_client.post(
        "api/v2/auth/login", data={"username": args.username, "password": password}
    )
    reply.raise_for_status()
    churn = Churn(churn_client, args.churn)
    await churn.load()
    proxy = Proxy(args.target.rstrip("/"), churn)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"url": f"http://127.0.0.1:{port}", "torrents": len(churn.hashes)}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    # Connections still open at the end are cancelled: nothing worth a traceback.
    loop.set_exception_handler(lambda _loop, _context: None)
    async with server:
        await stop.wait()
    with contextlib.suppress(Exception):
        await churn_client.aclose()
        await proxy.upstream.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.proxy")
    parser.add_argument("--target", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password-env", required=True)
    parser.add_argument("--churn", type=int, default=0)
    asyncio.run(serve(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
