"""The HTTP layer shared by both API generations.

It owns the httpx.AsyncClient, the base URL (which may carry a reverse-proxy path prefix),
the session cookie, the Referer policy and the mapping of transport failures and HTTP
statuses to `qbtui.api.errors`. It never logs request headers, bodies or cookies.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from qbtui.api import errors

#: The text 4.0.4 (every request) and v2 (at login) answer with while this IP is banned.
BAN_MARKER = "banned"

FormValue = str | int | float | bool
#: Multipart parts: (field name, value, filename or None for a plain field).
Part = tuple[str, bytes | str, str | None]


@dataclass(slots=True)
class ConnectionSettings:
    """How to reach a server. The password is never shown in repr()."""

    url: str = "http://localhost:8080"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    #: True (system CAs), False (--insecure) or a path to a CA bundle / self-signed cert.
    verify: bool | str = True
    #: "none" sends no Referer/Origin (passes qBittorrent's CSRF check; best behind proxies),
    #: "match" sends the URL's own origin (what the legacy spec asks for), anything else is sent as-is.
    referer: str = "none"
    timeout: float = 15.0

    @property
    def base_url(self) -> str:
        url = self.url.strip()
        if "://" not in url:
            url = f"http://{url}"
        return url if url.endswith("/") else f"{url}/"

    def origin(self) -> str:
        """scheme://host:port of the base URL, with the port always explicit."""
        parts = urlsplit(self.base_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        return f"{parts.scheme}://{host}:{port}"


def encode_form(fields: Mapping[str, FormValue]) -> bytes:
    """urlencode with spaces as %20: qBittorrent <= 4.1 does not turn '+' into a space."""
    return "&".join(
        f"{quote(key, safe='')}={quote(form_text(value), safe='')}" for key, value in fields.items()
    ).encode()


def form_text(value: object) -> str:
    """How qBittorrent expects a value in a form: booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _describe_body(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:160] if text else response.reason_phrase or f"HTTP {response.status_code}"


class HttpSession:
    """One logged-in conversation with one server."""

    def __init__(
        self,
        settings: ConnectionSettings,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        headers = {"User-Agent": "qbtui"}
        if settings.referer == "match":
            headers["Referer"] = settings.origin() + "/"
        elif settings.referer not in ("none", ""):
            headers["Referer"] = settings.referer
        verify: bool | ssl.SSLContext
        if isinstance(settings.verify, str):
            try:
                verify = ssl.create_default_context(cafile=settings.verify)
            except (OSError, ssl.SSLError) as exc:
                raise errors.TLSFailure(f"cannot load CA file {settings.verify}: {exc}") from None
        else:
            verify = settings.verify
        self._client = httpx.AsyncClient(
            base_url=settings.base_url,
            headers=headers,
            timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0)),
            verify=verify,
            transport=transport,
            follow_redirects=False,
        )
        self.keep_alive(False)
        #: Called once on a 403 from an authenticated call; set by the API after a login worked.
        self.relogin: Callable[[], Awaitable[None]] | None = None
        self.requests_sent = 0
        self.bytes_received = 0

    @property
    def cookies(self) -> httpx.Cookies:
        return self._client.cookies

    def keep_alive(self, enabled: bool) -> None:
        """Legacy servers close the socket after every reply without saying so, and httpx would
        reuse the dying connection: until detection shows a v2 server, ask for a close each time."""
        if enabled:
            self._client.headers.pop("Connection", None)
        else:
            self._client.headers["Connection"] = "close"

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- requests -------------------------------------------------------------------------------

    async def get(
        self,
        path: str,
        params: Mapping[str, FormValue] | None = None,
        *,
        auth: bool = True,
        check: bool = True,
    ) -> httpx.Response:
        if params:
            query = encode_form(params).decode()
            path = f"{path}?{query}"
        return await self._send("GET", path, None, None, auth=auth, check=check)

    async def post(
        self,
        path: str,
        form: Mapping[str, FormValue] | None = None,
        *,
        parts: Sequence[Part] | None = None,
        auth: bool = True,
        check: bool = True,
    ) -> httpx.Response:
        return await self._send("POST", path, form, parts, auth=auth, check=check)

    async def _send(
        self,
        method: str,
        path: str,
        form: Mapping[str, FormValue] | None,
        parts: Sequence[Part] | None,
        *,
        auth: bool,
        check: bool = True,
    ) -> httpx.Response:
        response = await self._send_once(method, path, form, parts)
        expired = response.status_code == 403 and auth and not self._is_refusal(response)
        if expired and self.relogin is not None:
            # The session expired (or the server restarted): log in again once, then retry.
            relogin, self.relogin = self.relogin, None
            await relogin()
            response = await self._send_once(method, path, form, parts)
        if check:
            self._raise_for_status(response, path, auth=auth)
        return response

    async def _send_once(
        self,
        method: str,
        path: str,
        form: Mapping[str, FormValue] | None,
        parts: Sequence[Part] | None,
    ) -> httpx.Response:
        kwargs: dict[str, Any] = {}
        if parts is not None:
            files = [
                (name, (filename, value if isinstance(value, bytes) else value.encode()))
                for name, value, filename in parts
            ]
            kwargs["files"] = files
        elif form is not None or method == "POST":
            kwargs["content"] = encode_form(form or {})
            kwargs["headers"] = {"Content-Type": "application/x-www-form-urlencoded"}
        try:
            response = await self._client.request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise errors.RequestTimeout(
                f"{self._where()} did not answer within {self.settings.timeout:g} s"
            ) from None
        except httpx.ConnectError as exc:
            raise self._connect_error(exc) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise errors.Unreachable(f"{self._where()} dropped the connection ({_reason(exc)})") from None
        except httpx.UnsupportedProtocol:
            raise errors.Unreachable(
                f"unsupported URL scheme in {self.settings.url!r}: use http:// or https://"
            ) from None
        except httpx.InvalidURL as exc:
            raise errors.Unreachable(f"invalid URL {self.settings.url!r}: {exc}") from None
        except httpx.HTTPError as exc:
            raise errors.Unreachable(f"{self._where()}: {_reason(exc)}") from None
        self.requests_sent += 1
        self.bytes_received += len(response.content)
        return response

    def where(self) -> str:
        return self._where()

    def _where(self) -> str:
        return f"qBittorrent at {self.settings.base_url.rstrip('/')}"

    def _connect_error(self, exc: httpx.ConnectError) -> errors.QbtError:
        reason = _reason(exc)
        if (
            "CERTIFICATE" in reason.upper()
            or "SSL" in reason.upper()
            or isinstance(exc.__context__, ssl.SSLError)
        ):
            return errors.TLSFailure(
                f"TLS certificate of {self.settings.base_url.rstrip('/')} is not trusted ({reason}); "
                "pass --ca-file with its certificate, or --insecure to skip verification"
            )
        return errors.Unreachable(f"cannot connect to {self._where()}: {reason}")

    def raise_for_status(self, response: httpx.Response, path: str) -> None:
        self._raise_for_status(response, path, auth=False)

    @staticmethod
    def is_ban(response: httpx.Response) -> bool:
        return HttpSession._is_ban(response)

    @staticmethod
    def _is_refusal(response: httpx.Response) -> bool:
        """A 403 that is not about the session: a ban, or legacy's "Torrent queueing must be enabled"."""
        text = _said(response)
        return BAN_MARKER in text or "queueing" in text

    @staticmethod
    def _is_ban(response: httpx.Response) -> bool:
        return response.status_code == 403 and BAN_MARKER in _said(response)

    def _raise_for_status(self, response: httpx.Response, path: str, *, auth: bool) -> None:
        status = response.status_code
        if status < 300:
            return
        if self._is_ban(response):
            raise errors.Banned(
                f"{self._where()} has banned this IP address after too many failed logins "
                "(qBittorrent's default ban lasts 1 hour); wait, or restart qBittorrent"
            )
        if status == 401:
            raise errors.CsrfRejected(self._csrf_message())
        if status == 403:
            if path.rstrip("/").endswith(("login", "auth/login")):
                raise errors.BadCredentials(f"{self._where()} refused the login: {_describe_body(response)}")
            if "queueing" in _said(response):
                raise errors.Conflict(
                    "torrent queueing is disabled on the server; enable it to change queue positions"
                )
            if auth:
                raise errors.BadCredentials(
                    f"{self._where()} requires a login: give --username and a password "
                    "(--password-env VAR, --password-cmd CMD or QBTUI_PASSWORD)"
                    if self.settings.username is None
                    else f"{self._where()} rejected our session (HTTP 403) and logging in again did not help"
                )
            raise errors.BadCredentials(f"{self._where()} answered 403 Forbidden")
        if status == 404:
            raise errors.NotFound(f"{path.split('?')[0]} not found on the server (HTTP 404)")
        if status == 409:
            raise errors.Conflict(f"the server refused: {_describe_body(response)} (HTTP 409)")
        if status == 405:
            raise errors.Rejected(f"{path.split('?')[0]}: method not allowed (HTTP 405)", status)
        if status in (400, 415, 500) or status >= 400:
            raise errors.Rejected(f"the server refused: {_describe_body(response)} (HTTP {status})", status)
        raise errors.BadResponse(f"unexpected HTTP {status} from {path.split('?')[0]}")

    def _csrf_message(self) -> str:
        policy = self.settings.referer
        if policy == "none":
            fix = (
                "the Host header did not match what the server expects: connect with the host and port "
                "qBittorrent listens on, or add this host to its WebUI server domains"
            )
        else:
            fix = (
                f"the Referer we sent ({'the URL origin' if policy == 'match' else policy}) did not match "
                "the server's Host; use --referer none, or --referer with the server's own host:port"
            )
        return f"{self._where()} rejected the request (HTTP 401, CSRF/Host check): {fix}"

    # -- decoding -------------------------------------------------------------------------------

    @staticmethod
    def json(response: httpx.Response, path: str) -> Any:
        if not response.content:
            return None
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            kind = response.headers.get("content-type", "no content type")
            start = response.text[:40].replace("\n", " ")
            raise errors.BadResponse(
                f"{path.split('?')[0]}: expected JSON, got {kind} starting {start!r}"
            ) from None


def _said(response: httpx.Response) -> str:
    """Body and reason phrase: legacy handlers put their message in the status line (`403 Torrent
    queueing must be enabled`) and send an empty body."""
    return f"{response.text} {response.reason_phrase}".lower()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    if not text and exc.__context__ is not None:
        text = str(exc.__context__).strip()
    return text or type(exc).__name__
