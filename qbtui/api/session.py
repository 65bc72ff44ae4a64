"""The HTTP layer shared by both API generations.

It owns the httpx.AsyncClient, the base URL (which may carry a reverse-proxy path prefix),
the session cookie, the Referer policy and the mapping of transport failures and HTTP
statuses to `qbtui.api.errors`.

Opt-in debug logging (the `qbtui.http` logger, enabled by `--debug-log`) writes one line per request
and per response. It never writes a password, a session cookie, a `Cookie`/`Set-Cookie` value or a
login form body: secret form fields, secret preferences and cookie values are replaced by
`<redacted>`, and every line is scrubbed of the password and the current cookie values as well.
"""

from __future__ import annotations

import asyncio
import copy
import html
import json
import logging
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from qbtui.api import errors
from qbtui.api.models import SECRET_PREFERENCES

log = logging.getLogger("qbtui.http")

REDACTED = "<redacted>"
#: Form fields whose values are secrets: the login password, the cookie `torrents/add` passes on
#: and the cookie store 5.1+ takes instead (`app/setCookies`).
SECRET_FORM_FIELDS = frozenset({"password", "cookie", "cookies"})
#: Text bodies up to this size are quoted in the debug log ("Ok.", "Fails.", "2.8.19", ...).
_LOGGED_BODY_LIMIT = 80

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
    #: 5.2+: sent as `Authorization: Bearer`, instead of a login (no session cookie, nothing to ban).
    api_key: str | None = field(default=None, repr=False)
    #: True (system CAs), False (--insecure) or a path to a CA bundle / self-signed cert.
    verify: bool | str = True
    #: "none" sends no Referer/Origin (passes qBittorrent's CSRF check; best behind proxies),
    #: "match" sends the URL's own origin (what the legacy spec asks for), anything else is sent as-is.
    referer: str = "none"
    timeout: float = 15.0

    def __post_init__(self) -> None:
        if self.password is not None and not isinstance(self.password, Secret):
            self.password = Secret(self.password)
        if self.api_key is not None and not isinstance(self.api_key, Secret):
            self.api_key = Secret(self.api_key)

    @property
    def base_url(self) -> str:
        url = self.url.strip()
        if "://" not in url:
            url = f"http://{url}"
        return url if url.endswith("/") else f"{url}/"

    def origin(self) -> str:
        """scheme://host[:port] of the base URL, spelled like the Host header httpx sends.

        qBittorrent compares the Referer's host and port with the Host header's literally (QUrl
        ports: an absent port is -1, not 80), so a default port must be left out here as httpx
        leaves it out of Host, or `--referer match` fails on https://host/ behind a proxy.
        """
        url = httpx.URL(self.base_url)
        host = url.host
        if ":" in host:
            host = f"[{host}]"
        return f"{url.scheme}://{host}" + ("" if url.port is None else f":{url.port}")


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


def tls_context(verify: bool | str) -> ssl.SSLContext | bool:
    """What httpx gets as `verify=`: False, the CA file's context, or the system trust store.

    httpx's own default trusts only certifi's bundle; a seedbox owner who installed their CA in the
    system store (update-ca-certificates) expects qbtui to trust it, as curl does.
    """
    if verify is False:
        return False
    if isinstance(verify, str):
        try:
            return ssl.create_default_context(cafile=verify)
        except ssl.SSLError as exc:  # before OSError: SSLError is one
            raise errors.TLSFailure(
                f"CA file {verify} holds no usable PEM certificate ({_ssl_text(exc)})"
            ) from None
        except OSError as exc:
            raise errors.TLSFailure(f"cannot read CA file {verify}: {exc.strerror or exc}") from None
    context = ssl.create_default_context()
    if not context.cert_store_stats().get("x509_ca"):
        # No system store found (some Python builds): fall back to certifi, httpx's own bundle.
        import certifi

        context.load_verify_locations(cafile=certifi.where())
    return context


def _describe_body(response: httpx.Response) -> str:
    """What the server said, in one short line: an HTML error page (from a reverse proxy or a
    crashed upstream) by its title, not its markup."""
    text = response.text.strip()
    if _is_html(response):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        text = html.unescape(title.group(1)) if title else ""
    text = printable(text)[:160]
    return text if text else printable(response.reason_phrase) or f"HTTP {response.status_code}"


def _is_html(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "").lower()
    return "html" in kind or response.text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))


def _reworded(exc: errors.QbtError, message: str) -> errors.QbtError:
    """The same error (type and fields) with another message."""
    clone = copy.copy(exc)
    clone.message = message
    clone.args = (message,)
    return clone


def printable(text: str) -> str:
    """Server text made safe for a one-line message: whitespace runs become one space and control,
    format and escape characters (ESC of an ANSI sequence, bidi overrides) become U+FFFD, so an
    error message can never drive the user's terminal."""
    return " ".join("".join(ch if ch.isprintable() else "\ufffd" for ch in word) for word in text.split())


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
        if settings.api_key:
            # httpx shows an Authorization header as [secure] in its reprs; the debug log leaves it out.
            headers["Authorization"] = f"Bearer {settings.api_key}"
        self._client = httpx.AsyncClient(
            base_url=settings.base_url,
            headers=headers,
            timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0)),
            verify=tls_context(settings.verify),
            transport=transport,
            follow_redirects=False,
        )
        self.keep_alive(False)
        #: Called once on a 403 from an authenticated call; set by the API after a login worked.
        self.relogin: Callable[[], Awaitable[None]] | None = None
        #: Successful logins so far, and the re-login in progress (shared by every waiting request).
        self.logins = 0
        self._renewal: asyncio.Future[None] | None = None
        self.requests_sent = 0

    def __repr__(self) -> str:
        # Never the client, its cookie jar (httpx's repr shows cookie values) or the settings' secrets.
        return f"<HttpSession {self.settings.base_url} username={self.settings.username!r}>"

    @property
    def cookies(self) -> httpx.Cookies:
        return self._client.cookies

    def use_api_key(self, key: str) -> None:
        """Send this API key from now on (after the server made a new one)."""
        self.settings.api_key = Secret(key)
        self._client.headers["Authorization"] = f"Bearer {self.settings.api_key}"

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
        generation = self.logins
        response = await self._send_once(method, path, form, parts)
        expired = response.status_code == 403 and auth and not self._is_refusal(response)
        if expired and await self._renew_session(generation):
            response = await self._send_once(method, path, form, parts)
            if response.status_code == 403 and not self._is_refusal(response) and check:
                # Our credentials were accepted a moment ago, so this is not a refusal: a server still
                # starting, a proxy mixing up sessions... The caller retries later, logging in again.
                raise errors.SessionRejected(
                    f"{self._where()} rejected our session (HTTP 403) right after a successful login"
                )
        if check:
            self._raise_for_status(response, path, auth=auth)
        return response

    async def _renew_session(self, generation: int) -> bool:
        """After a 403 on a request sent at login `generation`: make sure a fresh session exists.

        Several requests in flight (the poll, a details tab, a command) all get the 403 after a
        server restart; exactly one of them logs in, the others wait for that login or see it
        already happened, and all retry once. Returns False when no re-login is possible (never
        logged in, or an API key: there is no session to renew).

        A login that fails for any reason but a refusal (a 502 from a proxy, a server still
        restarting) raises with what happened; `relogin` stays, so the next request tries again.
        """
        if self.logins != generation:
            return True  # logged in again since this request left
        if self._renewal is not None:
            await asyncio.shield(self._renewal)
            return True
        if self.relogin is None:
            return False
        self._renewal = asyncio.ensure_future(self.relogin())
        try:
            await self._renewal
        except errors.AuthProblem:
            # Refused credentials or a ban: logging in again would only earn (or extend) a ban.
            self.relogin = None
            raise
        except errors.QbtError as exc:
            message = f"the session expired (HTTP 403) and logging in again failed: {exc}"
            raise _reworded(exc, message) from None
        finally:
            self._renewal = None
        return True

    def logged_in(self) -> None:
        """The API reports a successful login: later 403s may renew the session once more."""
        self.logins += 1

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
            kwargs["content"] = FormBody(encode_form(form or {}))
            kwargs["headers"] = {"Content-Type": "application/x-www-form-urlencoded"}
        debug = log.isEnabledFor(logging.DEBUG)
        started = time.monotonic()
        try:
            response = await self._client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            failure = self._transport_error(exc)
            if debug:
                self._log(f"{method} {self._url(path)} failed: {type(failure).__name__}: {failure}")
            raise failure from None
        self.requests_sent += 1
        if debug:
            self._log_exchange(method, path, form, parts, response, time.monotonic() - started)
        return response

    def where(self) -> str:
        return self._where()

    def _where(self) -> str:
        return f"qBittorrent at {self.settings.base_url.rstrip('/')}"

    def _url(self, path: str) -> str:
        return self.settings.base_url + path.lstrip("/")

    # -- transport failures -----------------------------------------------------------------------

    def _transport_error(self, exc: httpx.HTTPError) -> errors.QbtError:
        """One clear sentence for a failure below HTTP: no ssl or socket traceback reaches the user."""
        tls = _find_ssl_error(exc)
        if tls is not None:
            return self._tls_error(tls)
        if isinstance(exc, httpx.TimeoutException):
            if isinstance(exc, httpx.ConnectTimeout) and self._is_https() and _in_tls_handshake(exc):
                return errors.TLSFailure(
                    f"{self._origin()} accepted the connection but never completed the TLS handshake; "
                    "if qBittorrent serves plain HTTP there, use an http:// URL"
                )
            return errors.RequestTimeout(f"{self._where()} did not answer within {self.settings.timeout:g} s")
        if isinstance(exc, httpx.ConnectError):
            return errors.Unreachable(f"cannot connect to {self._where()}: {_reason(exc)}")
        if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
            hint = ""
            if not self._is_https() and self.requests_sent == 0:
                # A TLS-only server drops a plain HTTP request without a word.
                hint = "; if qBittorrent serves HTTPS there, use an https:// URL"
            return errors.Unreachable(f"{self._where()} dropped the connection ({_reason(exc)}){hint}")
        if isinstance(exc, httpx.UnsupportedProtocol):
            return errors.Unreachable(
                f"unsupported URL scheme in {self.settings.url!r}: use http:// or https://"
            )
        if isinstance(exc, httpx.InvalidURL):
            return errors.Unreachable(f"invalid URL {self.settings.url!r}: {exc}")
        return errors.Unreachable(f"{self._where()}: {_reason(exc)}")

    def _tls_error(self, error: ssl.SSLError) -> errors.TLSFailure:
        origin = self._origin()
        if isinstance(error, ssl.SSLCertVerificationError):
            detail = (error.verify_message or _ssl_text(error)).rstrip(".")
            if "mismatch" in detail.lower():
                host = httpx.URL(self.settings.base_url).host
                return errors.TLSFailure(
                    f"the TLS certificate of {origin} is not valid for {host} ({detail}); connect with a "
                    "name or address the certificate lists, or pass --insecure to skip verification"
                )
            return errors.TLSFailure(
                f"the TLS certificate of {origin} is not trusted ({detail}); pass --ca-file with the "
                "server's certificate or its CA, or --insecure to skip verification"
            )
        detail = _ssl_text(error)
        if (error.reason or "").upper() in _NOT_TLS_REASONS:
            return errors.TLSFailure(
                f"{origin} does not speak TLS ({detail}); "
                "if qBittorrent serves plain HTTP there, use an http:// URL"
            )
        return errors.TLSFailure(f"the TLS handshake with {origin} failed ({detail})")

    def _is_https(self) -> bool:
        return self.settings.base_url.lower().startswith("https://")

    def _origin(self) -> str:
        try:
            return self.settings.origin()
        except (httpx.InvalidURL, ValueError):
            return self.settings.base_url.rstrip("/")

    # -- debug log ------------------------------------------------------------------------------

    def _secrets(self) -> list[str]:
        found = [self.settings.password or "", self.settings.api_key or ""]
        found += [cookie.value or "" for cookie in self._client.cookies.jar]
        return [secret for secret in found if len(secret) >= 3]

    def _log(self, line: str) -> None:
        log.debug(scrub(line, self._secrets()))

    def _log_exchange(
        self,
        method: str,
        path: str,
        form: Mapping[str, FormValue] | None,
        parts: Sequence[Part] | None,
        response: httpx.Response,
        seconds: float,
    ) -> None:
        sent = response.request.headers
        request = [f"{method} {response.request.url}"]
        if parts is not None:
            described = ", ".join(
                f"{name}={REDACTED if name.lower() in SECRET_FORM_FIELDS else _part_size(value, filename)}"
                for name, value, filename in parts
            )
            request.append(f"multipart[{described}]")
        elif form is not None or method == "POST":
            request.append(f"form[{describe_form(form or {})}]")
        request += [f"{name}: {sent[name]}" for name in _LOGGED_REQUEST_HEADERS if name in sent]
        if "cookie" in sent:
            request.append(f"cookie: {redact_cookie_header(sent['cookie'])}")
        self._log(" | ".join(request))
        received = response.headers
        reply = [f"-> {response.status_code} {response.reason_phrase} in {seconds * 1000:.0f} ms"]
        reply.append(f"{len(response.content)} B {received.get('content-type', '')}".rstrip())
        reply += [f"{name}: {received[name]}" for name in _LOGGED_RESPONSE_HEADERS if name in received]
        reply += [f"set-cookie: {redact_set_cookie(value)}" for value in received.get_list("set-cookie")]
        content_type = received.get("content-type", "")
        if 0 < len(response.content) <= _LOGGED_BODY_LIMIT and not content_type.startswith(
            "application/json"
        ):
            reply.append(f"body {response.text!r}")
        self._log(" | ".join(reply))

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
            if auth and self.settings.api_key:
                raise errors.BadCredentials(
                    f"{self._where()} did not accept the API key (HTTP 403): check it, or create a new "
                    "one; API keys need qBittorrent 5.2 or later"
                )
            if auth:
                raise errors.BadCredentials(
                    f"{self._where()} requires a login: give --username and a password "
                    "(--password-env VAR, --password-cmd CMD or QBTUI_PASSWORD)"
                    if self.settings.username is None
                    else f"{self._where()} rejected our session (HTTP 403) after refusing our last login"
                )
            raise errors.BadCredentials(f"{self._where()} answered 403 Forbidden")
        if status == 404:
            raise errors.NotFound(f"{path.split('?')[0]} not found on the server (HTTP 404)")
        if status == 409:
            raise errors.Conflict(f"the server refused: {_describe_body(response)} (HTTP 409)")
        if status == 405:
            raise errors.Rejected(f"{path.split('?')[0]}: method not allowed (HTTP 405)", status)
        if status in (502, 503, 504):
            # A reverse proxy's answer while qBittorrent is down or restarting: passes by itself.
            raise errors.Unreachable(
                f"{self._where()} answered HTTP {status} ({_describe_body(response)}): "
                "a proxy in front of qBittorrent could not reach it"
            )
        if status in (400, 415, 500) or status >= 400:
            raise errors.Rejected(f"the server refused: {_describe_body(response)} (HTTP {status})", status)
        raise errors.BadResponse(f"unexpected HTTP {status} from {path.split('?')[0]}")

    def _csrf_message(self) -> str:
        """Explain a 401. qBittorrent answers 401 when the Referer/Origin does not name the same host
        and port as `X-Forwarded-Host` (else `Host`), or when `Host` names neither its own address nor
        one of its server domains, or a port other than the one it listens on (facts §0)."""
        policy = self.settings.referer
        if policy in ("none", ""):
            fix = (
                "its Host header check refused the Host it received (the host, and any port in it, must "
                "be the address and port qBittorrent listens on, or a name in its WebUI server domains); "
                "connect to that address and port, or behind a reverse proxy let the proxy send the "
                "upstream's own Host (nginx's default, not `proxy_set_header Host $http_host`) or a name "
                "without a port (`$host`), or turn off Host header validation in qBittorrent's Web UI options"
            )
        else:
            sent = self._client.headers.get("Referer", policy)
            fix = (
                f"its CSRF check found that the Referer we sent ({sent}) names another host:port than the "
                "Host (or X-Forwarded-Host) it received, as happens behind a reverse proxy that rewrites "
                "Host; use --referer none (no Referer passes the check), or have the proxy send "
                "X-Forwarded-Host with the address you connect to (qBittorrent 5.3 and later heed it only "
                "with its reverse proxy support on)"
            )
        return f"{self._where()} rejected the request (HTTP 401, CSRF/Host check): {fix}"

    # -- decoding -------------------------------------------------------------------------------

    @staticmethod
    def json(response: httpx.Response, path: str) -> Any:
        if not response.content:
            return None
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: "[[[[…" nested deep
            where = path.split("?")[0]
            kind = response.headers.get("content-type", "").split(";")[0].strip() or "no content type"
            size = f"{len(response.content)} bytes"
            if isinstance(exc, RecursionError):
                problem = "JSON nested too deeply to read"
            elif isinstance(exc, json.JSONDecodeError):
                problem = f"broken JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
            else:
                problem = "text that is not UTF-8"
            if "json" not in kind:
                detail = _describe_body(response) if _is_html(response) else printable(response.text[:40])
                raise errors.BadResponse(
                    f"{where}: expected JSON, got {kind} ({size}): {detail!r}"
                ) from None
            raise errors.BadResponse(
                f"{where}: the answer is {problem}, {size} starting {printable(response.text[:40])!r}"
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


# --------------------------------------------------------------------------------------------- secrets


class Secret(str):
    """A str (the password) whose repr never shows it.

    Crash reports render local variables with repr() (Textual's traceback does, with
    `show_locals=True`), and so do dataclass and dict reprs: a login form `{"password": ...}` must
    not print the password there. str(), f-strings and encoding still give the real text.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(REDACTED)

    def __getitem__(self, key: Any) -> Secret:  # rich shortens long strings by slicing them first
        return Secret(str.__getitem__(self, key))


class FormBody(bytes):
    """An encoded form body whose repr shows its size only (it may hold the login password)."""

    def __repr__(self) -> str:
        return f"<form body, {len(self)} bytes>"


def describe_form(fields: Mapping[str, FormValue]) -> str:
    """`key=value, ...` for the debug log, with secret fields and secret preferences redacted."""
    shown = []
    for key, value in fields.items():
        if _is_secret_key(key):
            text = REDACTED
        elif key == "json" and isinstance(value, str):
            text = _redact_json(value)
        else:
            text = form_text(value)
            if len(text) > 200:
                text = f"{text[:200]}… ({len(text)} chars)"
        shown.append(f"{key}={text}")
    return ", ".join(shown)


def _is_secret_key(key: str) -> bool:
    lowered = key.lower()
    return lowered in SECRET_FORM_FIELDS or lowered in SECRET_PREFERENCES or "password" in lowered


def _redact_json(text: str) -> str:
    """setPreferences sends `json={...}`: redact secret preferences (and anything unparseable)."""
    try:
        value = json.loads(text)
    except ValueError:
        return REDACTED
    if not isinstance(value, dict):
        return REDACTED
    return json.dumps({key: REDACTED if _is_secret_key(str(key)) else item for key, item in value.items()})


def redact_cookie_header(value: str) -> str:
    """`SID=abc; other=1` -> `SID=<redacted>; other=<redacted>`: names only."""
    names = [pair.split("=", 1)[0].strip() for pair in value.split(";") if pair.strip()]
    return "; ".join(f"{name}={REDACTED}" for name in names)


def redact_set_cookie(value: str) -> str:
    """`SID=abc; HttpOnly; path=/` -> `SID=<redacted>; HttpOnly; path=/` (an empty value stays empty)."""
    first, _, attributes = value.partition(";")
    name, _, cookie = first.partition("=")
    shown = f"{name.strip()}={REDACTED if cookie.strip() else ''}"
    return f"{shown};{attributes}" if attributes else shown


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret (and its URL-encoded form) with <redacted>."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        for form in {secret, quote(secret, safe=""), quote(secret)}:
            text = text.replace(form, REDACTED)
    return text


def _part_size(value: bytes | str, filename: str | None) -> str:
    size = len(value if isinstance(value, bytes) else value.encode())
    return f"<file {filename!r}, {size} B>" if filename is not None else f"<{size} B>"


_LOGGED_REQUEST_HEADERS = ("host", "referer", "origin", "connection", "content-type", "content-length")
_LOGGED_RESPONSE_HEADERS = ("connection", "content-encoding", "location")


# --------------------------------------------------------------------------------------------- TLS

#: OpenSSL's reasons when the other end answers a TLS ClientHello with something that is not TLS.
_NOT_TLS_REASONS = frozenset(
    {
        "WRONG_VERSION_NUMBER",
        "HTTP_REQUEST",
        "RECORD_LAYER_FAILURE",
        "PACKET_LENGTH_TOO_LONG",
        "UNKNOWN_PROTOCOL",
    }
)


def _causes(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _find_ssl_error(exc: BaseException) -> ssl.SSLError | None:
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLError) and not isinstance(
            cause, ssl.SSLWantReadError | ssl.SSLWantWriteError
        ):
            return cause
    return None


def _in_tls_handshake(exc: BaseException) -> bool:
    return any(isinstance(cause, ssl.SSLError) for cause in _causes(exc))


def _ssl_text(error: ssl.SSLError) -> str:
    """OpenSSL's words without the `[SSL: CODE]` prefix and the `(_ssl.c:1006)` suffix."""
    text = str(error.args[1] if len(error.args) > 1 and isinstance(error.args[1], str) else error)
    if text.startswith("[") and "] " in text:
        text = text.split("] ", 1)[1]
    if text.endswith(")") and " (_ssl.c:" in text:
        text = text.rsplit(" (_ssl.c:", 1)[0]
    return text.strip() or (error.reason or type(error).__name__)
