"""The simulator: one qBittorrent 4.0.4 (or older legacy API) answering requests, without any I/O.

`handle()` follows 4.0.4's request path: the HTTP parser (400/411 before anything else), then
AbstractWebApplication::processRequest — security headers, CSRF and Host checks (401), session
lookup or auth-bypass session, ban check (403), and finally the action with CHECK_URI and
CHECK_PARAMETERS.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from qbtui.sim import auth, routes, versions
from qbtui.sim.config import ManualClock, SimConfig
from qbtui.sim.demo_data import populate, startup_log
from qbtui.sim.engine import WARMUP, AddOptions, Engine, make_metadata
from qbtui.sim.forms import (
    FormError,
    parse_body,
    parse_cookies,
    parse_query,
    path_segments,
    qt_int,
    split_target,
)
from qbtui.sim.hostile import Hostility
from qbtui.sim.model import NORMAL, SimTorrent
from qbtui.sim.prefs import PLAIN_DEFAULTS, Account
from qbtui.sim.wire import (
    GZIP_MIN,
    MAX_BODY,
    SECURITY_HEADERS,
    TEXT,
    SimRequest,
    SimResponse,
    accepts_gzip,
    bare_response,
    gzip_bytes,
    http_date,
)
from qbtui.util import torrentfile


class Simulator:
    """A simulated qBittorrent server. Thread-safe: one lock serialises requests and helpers."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config = config or SimConfig()
        self._lock = threading.RLock()
        start = int(config.clock())
        warmup = WARMUP if config.torrent_count <= 1000 else 10
        self.engine = engine = Engine(config, start - warmup)
        engine.prefs = dict(PLAIN_DEFAULTS)
        engine.prefs.update(
            web_ui_username=config.username,
            bypass_local_auth=config.bypass_local_auth,
            queueing_enabled=config.queueing,
            web_ui_domain_list=config.domain_list,
            web_ui_port=config.web_ui_port,
        )
        if config.torrent_count > 1000:
            # Large generated sets run unqueued: libtorrent would otherwise queue almost all of them.
            engine.prefs.update(max_active_downloads=-1, max_active_uploads=-1, max_active_torrents=-1)
        self.account = Account(config.username, config.password)
        self.sessions = auth.SessionStore(config.seed, start, config.session_timeout)
        self.bans = auth.BanList(config.max_auth_failures, config.ban_seconds)
        self.properties_cache: tuple[str, float, dict[str, Any]] | None = None
        startup_log(engine)
        populate(engine, config.torrent_count, start)
        self.hostile: Hostility | None = None
        if config.hostile:
            self.hostile = Hostility(engine)
            self.hostile.populate(start)
        engine.advance_to(start)

    # -- the request path --------------------------------------------------------------------------

    def handle(self, request: SimRequest) -> SimResponse:
        with self._lock:
            now = self.config.clock()
            self.engine.advance_to(int(now))
            return self._handle(request, now)

    def _handle(self, request: SimRequest, now: float) -> SimResponse:
        headers = request.headers
        assert isinstance(headers, dict)
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return bare_response(411, now)
        if len(request.body) > MAX_BODY or qt_int(headers.get("content-length"), bits=64) > MAX_BODY:
            return bare_response(400, now)
        try:
            form = parse_body(headers.get("content-type"), request.body)
        except FormError:
            return bare_response(400, now)
        path, query = split_target(request.path)
        client_ip = auth.canonical_ip(request.client_ip)
        call = routes.Call(self, now, client_ip, parse_query(query), form.posts, form.files)
        engine = self.engine
        if engine.api >= versions.CSRF:
            warning = auth.cross_site_warning(headers, request.client_ip)
            if warning is not None:
                engine.add_log(warning, 4)
                call.fail(401, "Unauthorized")
                return self._finish(call, headers)
        if engine.api >= versions.HOST_CHECK and not auth.host_header_valid(
            headers.get("host", ""),
            request.local_host,
            request.local_port,
            str(engine.prefs["web_ui_domain_list"]),
        ):
            call.fail(401, "Unauthorized")
            return self._finish(call, headers)
        stamp = int(now)
        self.sessions.purge(stamp)
        call.session = self.sessions.find(parse_cookies(headers.get("cookie")).get(auth.COOKIE_NAME), stamp)
        if call.session is None and not self._auth_needed(client_ip):
            call.session = self.start_session(call)
        if self.bans.is_banned(client_ip, stamp):
            call.fail(403, "Forbidden")
            call.print(auth.BAN_TEXT, TEXT)
        else:
            self._dispatch(call, path, query)
            if engine._requeue_needed:
                engine.requeue()
        return self._finish(call, headers)

    def _auth_needed(self, client_ip: str) -> bool:
        prefs = self.engine.prefs
        if prefs.get("bypass_local_auth") and auth.is_loopback(client_ip):
            return False
        whitelist = str(prefs.get("bypass_auth_subnet_whitelist", ""))
        return not (
            prefs.get("bypass_auth_subnet_whitelist_enabled") and auth.in_subnets(client_ip, whitelist)
        )

    def start_session(self, call: routes.Call) -> auth.WebSession:
        session = self.sessions.start(int(call.now))
        call.headers["set-cookie"] = f"{auth.COOKIE_NAME}={session.sid}; HttpOnly; path=/"
        return session

    def _dispatch(self, call: routes.Call, path: str, query: str) -> None:
        api = self.engine.api
        segments = path_segments(path)
        scope, action = "public", "index"
        if path == "/":
            action = "webui"
        if segments and segments[0] in routes.ROUTES:
            scope = segments.pop(0)
        available = routes.routes_for(scope, api)
        if segments and segments[0] in available:
            action = segments.pop(0)
        call.args = segments
        if "." in segments or ".." in segments:
            call.fail(404, "Not Found")
            return
        if scope not in routes.PUBLIC_SCOPES and call.session is None:
            call.fail(403, "Forbidden")
            return
        route = available.get(action)
        if route is None or (route.args >= 0 and len(segments) != route.args):
            call.fail(404, "Not Found")
            return
        if route.params is not None and not routes.params_match(route.params, call.posts):
            call.fail(400, "Bad Request")
            return
        if self.config.strict_params and scope == "command" and not self._strictly_valid(route, call, query):
            call.fail(400, "Bad Request")
            return
        route.handler(call)
        if self.hostile is not None:
            self.hostile.tamper(call, scope, action)

    @staticmethod
    def _strictly_valid(route: routes.Route, call: routes.Call, query: str) -> bool:
        if query:
            return False
        if route.strict is None:
            return True
        allowed = {name.lower() for name in route.strict}
        return all(key.lower() in allowed for key in call.posts)

    def _finish(self, call: routes.Call, headers: Mapping[str, str]) -> SimResponse:
        out = dict(SECURITY_HEADERS)
        out.update(call.headers)
        body = bytes(call.body)
        if call.content_type is not None:
            out["content-type"] = call.content_type
        if len(body) > GZIP_MIN and accepts_gzip(headers.get("accept-encoding")):
            body = gzip_bytes(body)
            out["content-encoding"] = "gzip"
        out["content-length"] = str(len(body))
        out["date"] = http_date(call.now)
        return SimResponse(call.status, call.reason, sorted(out.items()), body, shutdown=call.shutdown)

    # -- helpers for tests and the demo ------------------------------------------------------------

    @property
    def api_version(self) -> int:
        return self.engine.api

    @property
    def torrents(self) -> Mapping[str, SimTorrent]:
        """The live torrents by info-hash (read them; change them through the API or these helpers)."""
        return self.engine.torrents

    @property
    def shutdown_requested(self) -> bool:
        return self.engine.shutdown_requested

    def advance(self, seconds: float) -> None:
        """Move a ManualClock forward and run the simulation up to it."""
        clock = self.config.clock
        if not isinstance(clock, ManualClock):
            raise TypeError("advance() needs SimConfig(clock=ManualClock(...))")
        with self._lock:
            clock.advance(seconds)
            self.engine.advance_to(int(clock()))

    def add_torrent(
        self,
        name: str,
        *,
        size: int = 100 * 1024 * 1024,
        files: Sequence[tuple[str, int]] | None = None,
        progress: float = 0.0,
        paused: bool = False,
        category: str = "",
        save_path: str = "",
        trackers: Sequence[str] = (),
        swarm: tuple[int, int] = (10, 5),
        info_hash: str | None = None,
    ) -> str:
        """Add an invented torrent (no .torrent needed); returns its info-hash."""
        import hashlib

        with self._lock:
            engine = self.engine
            key = (info_hash or hashlib.sha1(f"qbtui-sim-add:{name}".encode()).hexdigest()).lower()
            meta = make_metadata(name, list(files) if files else [(name, size)], multi=bool(files))
            options = AddOptions(save_path=save_path, category=category, paused=paused)
            engine.add_metadata_torrent(key, meta, list(trackers), [], options)
            t = engine.torrents[key]
            if progress:
                t.fill(progress)
                engine.mark(t)
                if t.is_seed:
                    engine._completed(t, engine.time)
            t.swarm_seeds, t.swarm_leechers = swarm
            engine.requeue()
            return key

    def add_torrent_file(
        self, data: bytes, *, paused: bool = False, category: str = "", save_path: str = ""
    ) -> str:
        """Add a real .torrent (bytes); returns its info-hash."""
        meta = torrentfile.parse(data)
        with self._lock:
            self.engine.add_metadata_torrent(
                meta.info_hash,
                routes.metadata_of(meta),
                list(meta.trackers),
                list(meta.web_seeds),
                AddOptions(save_path=save_path, category=category, paused=paused),
            )
            return meta.info_hash

    def remove_torrent(self, info_hash: str) -> None:
        with self._lock:
            t = self.engine.find(info_hash)
            if t is not None:
                self.engine.delete(t, with_data=False)
                self.engine.requeue()

    def log(self, message: str, level: int = NORMAL) -> None:
        with self._lock:
            self.engine.add_log(message, level)

    def state_of(self, info_hash: str) -> str:
        with self._lock:
            t = self.engine.find(info_hash)
            if t is None:
                raise KeyError(info_hash)
            return self.engine.state_of(t)
