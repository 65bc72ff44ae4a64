"""A scripted HTTP double for unit tests of the API layer: records every request, answers by route."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote

import httpx

Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    raw_body: bytes
    headers: httpx.Headers

    @property
    def multipart(self) -> bool:
        return self.headers.get("content-type", "").startswith("multipart/form-data")


def _form(request: httpx.Request) -> dict[str, str]:
    body = request.content
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/x-www-form-urlencoded"):
        return {
            unquote(k): unquote(v)
            for k, v in (pair.split("=", 1) for pair in body.decode().split("&") if pair)
        }
    if kind.startswith("multipart/form-data"):
        boundary = kind.split("boundary=")[1].encode()
        fields: dict[str, str] = {}
        for part in body.split(b"--" + boundary):
            if b"\r\n\r\n" not in part:
                continue
            head, _, value = part.partition(b"\r\n\r\n")
            name = head.split(b'name="')[1].split(b'"')[0].decode()
            fields[name] = value.removesuffix(b"\r\n").decode(errors="replace")
        return fields
    return {}


@dataclass
class FakeServer:
    """Routes are exact paths (without query); unknown paths answer 404."""

    routes: dict[str, Handler | httpx.Response | str] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    #: A reverse-proxy path prefix the server strips before routing.
    prefix: str = ""

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.requests.append(
            Recorded(
                request.method,
                path,
                dict(parse_qsl(request.url.query.decode(), keep_blank_values=True)),
                _form(request),
                request.content,
                request.headers,
            )
        )
        route = self.routes.get(path.removeprefix(self.prefix))
        if route is None:
            return httpx.Response(404, text="Not Found")
        if isinstance(route, httpx.Response):
            return route
        if isinstance(route, str):
            return httpx.Response(200, text=route)
        return route(request)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def to(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]


def legacy_server(api: int = 17, app: str = "v4.0.4", password: str = "adminadmin") -> FakeServer:
    """A minimal legacy server: public version endpoints and a login that checks the password."""

    def login(request: httpx.Request) -> httpx.Response:
        form = _form(request)
        if form.get("password") == password:
            return httpx.Response(200, text="Ok.", headers={"set-cookie": "SID=legacy-sid; HttpOnly; path=/"})
        return httpx.Response(200, text="Fails.")

    return FakeServer(
        routes={
            "/version/api": str(api),
            "/version/api_min": "15" if api >= 15 else str(min(api, 2)),
            "/version/qbittorrent": app,
            "/login": login,
        }
    )


def v2_server(version: str = "2.8.19", app: str = "v4.5.2", cookie: str = "SID") -> FakeServer:
    """A minimal v2 server that wants a login first."""

    def authed(text: str) -> Handler:
        def handler(request: httpx.Request) -> httpx.Response:
            if f"{cookie}=v2-sid" not in request.headers.get("cookie", ""):
                return httpx.Response(403, text="Forbidden")
            return httpx.Response(200, text=text)

        return handler

    def login(request: httpx.Request) -> httpx.Response:
        if _form(request).get("password") == "adminadmin":
            return httpx.Response(
                200, text="Ok.", headers={"set-cookie": f"{cookie}=v2-sid; HttpOnly; path=/"}
            )
        return httpx.Response(200, text="Fails.")

    return FakeServer(
        routes={
            "/api/v2/app/webapiVersion": authed(version),
            "/api/v2/app/version": authed(app),
            "/api/v2/auth/login": login,
        }
    )
