"""The API layer against garbage answers: HTML error pages, truncated JSON, binary noise, JSON of the
wrong shape, odd statuses and content types. Every read either returns records or raises a clear
`qbtui.api.errors` exception: never a raw JSONDecodeError, KeyError, TypeError or OverflowError.

One scripted server (tests/api/fakeserver.py) per API generation answers every non-login path with
the generated reply; the client connects once and is reused across examples.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbtui.api import ConnectionSettings, QbtApi, connect, errors
from qbtui.sim.hostile import ERROR_PAGE
from tests.api.fakeserver import FakeServer, legacy_server, v2_server
from tests.hostile import strategies

H = "a" * 40
SAMPLES = Path(__file__).parents[1] / "data" / "legacy-4.0.4-samples"

Read = Callable[[QbtApi], Awaitable[object]]
#: Every read the UI and the CLI make, by name.
READS: dict[str, Read] = {
    "maindata": lambda api: api.maindata(0),
    "maindata_delta": lambda api: api.maindata(7),
    "torrents": lambda api: api.torrents(),
    "torrents_sorted": lambda api: api.torrents(sort="name", hashes=[H]),
    "properties": lambda api: api.properties(H),
    "trackers": lambda api: api.trackers(H),
    "webseeds": lambda api: api.webseeds(H),
    "files": lambda api: api.files(H),
    "piece_states": lambda api: api.piece_states(H),
    "piece_hashes": lambda api: api.piece_hashes(H),
    "torrent_peers": lambda api: api.torrent_peers(H, 0),
    "log": lambda api: api.log(),
    "peer_log": lambda api: api.peer_log(),
    "transfer_info": lambda api: api.transfer_info(),
    "categories": lambda api: api.categories(),
    "preferences": lambda api: api.preferences(),
    "default_save_path": lambda api: api.default_save_path(),
    "global_download_limit": lambda api: api.global_download_limit(),
    "global_upload_limit": lambda api: api.global_upload_limit(),
    "torrent_download_limits": lambda api: api.torrent_download_limits([H]),
    "alternative_speed_limits_enabled": lambda api: api.alternative_speed_limits_enabled(),
    "app_version": lambda api: api.app_version(),
}
V2_ONLY = {"tags": lambda api: api.tags()}


def _sample_bodies() -> list[str]:
    bodies = []
    for path in sorted(SAMPLES.glob("*.txt")):
        _, _, body = path.read_text().partition("\n\n")
        if body.strip():
            bodies.append(body)
    return bodies


SAMPLE_BODIES = _sample_bodies()

html_pages = st.sampled_from(
    [
        ERROR_PAGE,
        "<html><head><title>504 Gateway Time-out</title></head><body>nginx</body></html>",
        "<!DOCTYPE html><html><body><form action=login>qBittorrent Web UI</form></body></html>",
        "Forbidden",
        "Fails.",
        "Ok.",
        "Your IP address has been banned after too many failed authentication attempts.",
    ]
)
truncated_json = st.builds(
    lambda text, fraction: text[: int(len(text) * fraction)],
    st.sampled_from(SAMPLE_BODIES) | strategies.json_values.map(strategies.dumps),
    st.floats(0.0, 0.999),
)
specials = st.sampled_from(
    [
        "",
        "null",
        "NaN",
        "-Infinity",
        "1e400",
        "[1e400, -1e400, NaN]",
        '"\\ud800"',
        '{"\\ud800": "\\udfff"}',
        "\ufeff{}",
        "1" * 5000,  # beyond Python's int-from-string digit limit
        "[" * 50 + "]" * 50,
        '{"rid": 1, "torrents": {"' + H + '": {"name": 5, "size": "x"}}, "full_update": "yes"}',
        '{"peers": [1, 2], "rid": "x"}',
    ]
)
bodies = (
    html_pages.map(str.encode)
    | truncated_json.map(lambda text: text.encode("utf-8", "surrogatepass"))
    | strategies.json_values.map(lambda value: strategies.dumps(value).encode("utf-8", "surrogatepass"))
    | st.binary(max_size=64)
    | specials.map(str.encode)
)
replies = st.fixed_dictionaries(
    {
        "status": st.sampled_from(
            [200, 200, 200, 200, 201, 204, 301, 400, 403, 404, 409, 415, 418, 500, 502]
        ),
        "content_type": st.sampled_from(
            ["application/json", "text/html; charset=UTF-8", "text/plain; charset=UTF-8", "", "image/png"]
        ),
        "body": bodies,
    }
)


class GarbageServer:
    """Answers login and version probes properly, and everything else with `reply`."""

    def __init__(self, server: FakeServer, login_path: str) -> None:
        self.server = server
        self.login_path = login_path
        self.reply: dict[str, Any] | None = None

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if self.reply is None or path == self.login_path:
            return self.server.handle(request)
        headers = {"content-type": self.reply["content_type"]} if self.reply["content_type"] else {}
        return httpx.Response(self.reply["status"], content=self.reply["body"], headers=headers)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


@pytest.fixture(params=["legacy", "v2"])
def garbage_api(
    request: pytest.FixtureRequest,
) -> Iterator[tuple[asyncio.AbstractEventLoop, QbtApi, GarbageServer]]:
    if request.param == "legacy":
        server, login = legacy_server(), "/login"
    else:
        server, login = v2_server("2.8.19"), "/api/v2/auth/login"
    garbage = GarbageServer(server, login)
    loop = asyncio.new_event_loop()
    settings_ = ConnectionSettings(url="http://qbt.test:8080", username="admin", password="adminadmin")
    api = loop.run_until_complete(connect(settings_, transport=garbage.transport()))
    yield loop, api, garbage
    loop.run_until_complete(api.close())
    loop.close()


#: How many generated replies each dialect read, and how each read ended: reported at the end.
CASES: Counter[str] = Counter()


def test_every_read_survives_any_reply(garbage_api) -> None:  # type: ignore[no-untyped-def]
    loop, api, garbage = garbage_api
    reads = dict(READS)
    if not api.info.is_legacy:
        reads.update(V2_ONLY)
    generation = "legacy" if api.info.is_legacy else "v2"
    outcomes: Counter[str] = Counter()

    @settings(max_examples=1000)
    @given(reply=replies, name=st.sampled_from(sorted(reads)))
    def check(reply: dict[str, Any], name: str) -> None:
        garbage.reply = reply
        try:
            loop.run_until_complete(reads[name](api))
        except errors.QbtError as exc:
            assert str(exc).strip(), f"{type(exc).__name__} without a message"
            outcomes[type(exc).__name__] += 1
        else:
            outcomes["ok"] += 1
        finally:
            garbage.reply = None

    check()
    total = sum(outcomes.values())
    CASES[generation] += total
    print(f"\n{generation}: {total} garbage replies read: {dict(outcomes)}")
    assert outcomes["BadResponse"] > 0 and outcomes["ok"] > 0


@pytest.mark.parametrize("name", ["files", "trackers", "webseeds", "piece_states", "piece_hashes", "log"])
@pytest.mark.parametrize("shape", [42, "text", {"a": 1}, True])
def test_json_of_the_wrong_shape_is_a_bad_response(garbage_api, name: str, shape: object) -> None:  # type: ignore[no-untyped-def]
    loop, api, garbage = garbage_api
    garbage.reply = {"status": 200, "content_type": "application/json", "body": json.dumps(shape).encode()}
    with pytest.raises(errors.BadResponse, match="expected a JSON array"):
        loop.run_until_complete(READS[name](api))


@pytest.mark.parametrize("body", [b"<html>", b'{"rid": 1, "torr', b"\xff\xfe\x00", b"1" * 5000])
def test_html_truncated_and_binary_bodies_are_bad_responses(garbage_api, body: bytes) -> None:  # type: ignore[no-untyped-def]
    loop, api, garbage = garbage_api
    garbage.reply = {"status": 200, "content_type": "text/html", "body": body}
    with pytest.raises(errors.BadResponse, match="expected JSON"):
        loop.run_until_complete(api.maindata(0))


def test_deeply_nested_json_is_a_bad_response(garbage_api) -> None:  # type: ignore[no-untyped-def]
    loop, api, garbage = garbage_api
    garbage.reply = {"status": 200, "content_type": "application/json", "body": b"[" * 100_000}
    with pytest.raises(errors.BadResponse):
        loop.run_until_complete(api.maindata(0))


def test_error_messages_quote_the_server_inertly(garbage_api) -> None:  # type: ignore[no-untyped-def]
    loop, api, garbage = garbage_api
    garbage.reply = {"status": 500, "content_type": "text/plain", "body": b"\x1b]0;pwned\x07\x1b[2J boom"}
    with pytest.raises(errors.QbtError) as caught:
        loop.run_until_complete(api.maindata(0))
    assert "\x1b" not in str(caught.value)


async def test_a_hash_from_the_server_cannot_change_the_url() -> None:
    """Legacy puts the hash in the path: a "hash" with "/", ".." or controls stays one path segment."""
    server = legacy_server()
    api = await connect(
        ConnectionSettings(url="http://qbt.test:8080", username="admin", password="adminadmin"),
        transport=server.transport(),
    )
    try:
        for hostile_hash in ("x/../../command/shutdown", "a?b#c", "[b]\x1b[31m"):
            with pytest.raises(errors.QbtError):
                await api.properties(hostile_hash)
    finally:
        await api.close()
    paths = [request.path for request in server.requests]
    assert "/query/command/shutdown" not in paths and "/command/shutdown" not in paths, paths
    assert sum(path.startswith("/query/propertiesGeneral/") for path in paths) == 3
