"""Every action of 4.0.4's WebApplication (and its older API versions), with CHECK_URI / CHECK_PARAMETERS.

A handler gets a `Call` and writes its reply with `call.print` / `call.json` / `call.fail`, the way
4.0.4's handlers call print() and status(): a status with no print has no body and no content type.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qbtui.sim import answers, prefs, versions
from qbtui.sim.auth import COOKIE_NAME, WebSession
from qbtui.sim.engine import AddOptions, Engine, valid_category
from qbtui.sim.forms import UploadedFile, parse_bool, parse_tristate, qt_int, qt_int_ok
from qbtui.sim.model import Metadata, SimFile, SimTorrent
from qbtui.sim.wire import HTML, TEXT, cookie_date, to_json
from qbtui.util import torrentfile

if TYPE_CHECKING:
    from qbtui.sim.simulator import Simulator


@dataclass
class Call:
    sim: Simulator
    now: float
    client_ip: str
    gets: dict[str, str]
    posts: dict[str, str]
    files: list[UploadedFile]
    args: list[str] = field(default_factory=list)
    session: WebSession | None = None
    status: int = 200
    reason: str = "OK"
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    body: bytearray = field(default_factory=bytearray)
    shutdown: bool = False

    @property
    def engine(self) -> Engine:
        return self.sim.engine

    @property
    def api(self) -> int:
        return self.sim.engine.api

    def print(self, data: bytes | str, content_type: str) -> None:
        if self.content_type is None:
            self.content_type = content_type
        self.body += data.encode("utf-8") if isinstance(data, str) else data

    def json(self, value: Any) -> None:
        self.print(to_json(value), versions.json_content_type(self.api))

    def empty_json(self) -> None:
        """What 4.0.4 sends for an unknown hash: a JSON content type and no body."""
        self.print(b"", versions.json_content_type(self.api))

    def fail(self, status: int, reason: str) -> None:
        self.status, self.reason = status, reason

    def torrent(self, key: str | None) -> SimTorrent | None:
        return self.engine.find(key)

    def hashes(self) -> list[str]:
        return self.posts.get("hashes", "").split("|")

    def each(self, action: Callable[[SimTorrent], None]) -> None:
        for key in self.hashes():
            t = self.torrent(key)
            if t is not None:
                action(t)


Handler = Callable[[Call], None]


@dataclass(frozen=True)
class Route:
    handler: Handler
    args: int = 0  # CHECK_URI: path segments after the action
    params: tuple[str, ...] | None = None  # CHECK_PARAMETERS: exactly these POST fields
    since: int = 2
    until: int = 17
    #: Only with SimConfig.strict_params: the fields a command without CHECK_PARAMETERS accepts.
    strict: tuple[str, ...] | None = None


# -- public ------------------------------------------------------------------------------------------

LOGIN_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8" /><title>qBittorrent Web UI</title></head>
<body><form action="login" method="post">
<input type="text" id="username" name="username" /><input type="password" id="password" name="password" />
<input type="submit" value="Login" /></form></body>
</html>
"""
INDEX_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8" /><title>qBittorrent Web UI</title></head>
<body><div id="desktop">qBittorrent v4.0.4 Web UI</div></body></html>
"""


def webui(call: Call) -> None:
    call.print(INDEX_PAGE if call.session is not None else LOGIN_PAGE, HTML)


def static_file(call: Call) -> None:
    # The simulator serves no WebUI files; 4.0.4 answers a missing file with an empty 404.
    call.fail(404, "Not Found")


def login(call: Call) -> None:
    sim = call.sim
    if call.session is not None:
        call.print("Ok.", TEXT)
        return
    if sim.account.check(call.posts.get("username", ""), call.posts.get("password", "")):
        call.session = sim.start_session(call)
        call.print("Ok.", TEXT)
    else:
        sim.bans.record_failure(call.client_ip, int(call.now))
        call.print("Fails.", TEXT)


def logout(call: Call) -> None:
    if call.session is not None and call.sim.sessions.end(call.session):
        call.session = None
        call.headers["set-cookie"] = f"{COOKIE_NAME}=; expires={cookie_date(call.now - 86400)}; path=/"


def version_api(call: Call) -> None:
    call.print(str(call.api), TEXT)


def version_api_min(call: Call) -> None:
    call.print(str(versions.api_min(call.api)), TEXT)


def version_qbittorrent(call: Call) -> None:
    call.print(versions.app_version(call.api), TEXT)


# -- query ---------------------------------------------------------------------------------------------


def query_torrents(call: Call) -> None:
    eng = call.engine
    gets = call.gets
    wanted_filter = gets.get("filter")
    category = gets.get("category" if call.api >= versions.CATEGORIES else "label")
    all_views = eng.views()
    rows = []
    for key, t in eng.torrents.items():
        view = all_views[key]
        if not answers.matches_filter(wanted_filter, view, t):
            continue
        if category is not None and t.category != category:
            continue
        row = dict(view)
        row["hash"] = key
        rows.append(row)
    column = gets.get("sort", "")
    if column:
        rows.sort(key=lambda row: answers.sort_key(row.get(column)), reverse=gets.get("reverse") == "true")
    size = len(rows)
    offset = qt_int(gets.get("offset"))
    limit = qt_int(gets.get("limit"))
    if offset < 0:
        offset += size
    if offset >= size or offset < 0:
        offset = 0
    if limit > 0 or offset > 0:
        rows = rows[offset : offset + limit] if limit > 0 else rows[offset:]
    call.json(rows)


def query_preferences(call: Call) -> None:
    call.json(prefs.preferences(call.engine, call.sim.account.password_md5))


def query_transfer_info(call: Call) -> None:
    call.json(answers.server_state(call.engine, maindata=False))


def query_properties_general(call: Call) -> None:
    # btjson's CACHED_VARIABLE_FOR_HASH: the same hash within 1.5 s gets the previous answer,
    # and an unknown hash asked twice gets "{}" the second time.
    key = call.args[0]
    cache = call.sim.properties_cache
    if cache is not None and cache[0] == key and (call.now - cache[1]) * 1000 <= 1500:
        call.json(cache[2])
        return
    data: dict[str, Any] = {}
    call.sim.properties_cache = (key, call.now, data)
    t = call.torrent(key)
    if t is None:
        call.empty_json()
        return
    data.update(answers.properties(call.engine, t))
    call.json(data)


def _per_torrent(build: Callable[[Engine, SimTorrent], Any]) -> Handler:
    def handler(call: Call) -> None:
        t = call.torrent(call.args[0])
        if t is None:
            call.empty_json()
        else:
            call.json(build(call.engine, t))

    return handler


def query_get_log(call: Call) -> None:
    gets = call.gets
    wanted = {
        level
        for level, name in ((1, "normal"), (2, "info"), (4, "warning"), (8, "critical"))
        if gets.get(name) != "false"
    }
    last = qt_int_ok(gets.get("last_known_id"))
    entries = call.engine.log.since(-1 if last is None else last)
    call.json(
        [
            {"id": m.id, "message": m.message, "timestamp": m.timestamp, "type": m.type}
            for m in entries
            if m.type in wanted
        ]
    )


def query_get_peer_log(call: Call) -> None:
    last = qt_int_ok(call.gets.get("last_known_id"))
    entries = call.engine.log.peers_since(-1 if last is None else last)
    call.json(
        [
            {"blocked": m.blocked, "id": m.id, "ip": m.ip, "reason": m.reason, "timestamp": m.timestamp}
            for m in entries
        ]
    )


# -- sync ----------------------------------------------------------------------------------------------


def sync_maindata(call: Call) -> None:
    assert call.session is not None
    state = call.session.maindata
    data = answers.maindata_snapshot(call.engine, state.last)
    call.json(state.reply(qt_int(call.gets.get("rid")), data))


def sync_torrent_peers(call: Call) -> None:
    assert call.session is not None
    t = call.torrent(call.gets.get("hash"))
    if t is None:
        call.empty_json()
        return
    call.json(call.session.peers.reply(qt_int(call.gets.get("rid")), answers.peers_snapshot(call.engine, t)))


# -- commands: adding ----------------------------------------------------------------------------------


def _add_options(call: Call) -> AddOptions:
    posts = call.posts
    api = call.api
    return AddOptions(
        save_path=posts.get("savepath", "").strip(),
        category=posts.get("category" if api >= versions.CATEGORIES else "label", "").strip(),
        skip_checking=api >= versions.ADD_PAUSED and parse_bool(posts.get("skip_checking"), False),
        paused=api >= versions.ADD_PAUSED and parse_bool(posts.get("paused"), False),
        root_folder=parse_tristate(posts.get("root_folder")) if api >= versions.ROOT_FOLDER else None,
        rename=posts.get("rename", "").strip(),
        # camelCase names: lower-cased urlencoded keys never match them, only multipart does.
        up_limit=qt_int(posts.get("upLimit")),
        dl_limit=qt_int(posts.get("dlLimit")),
        sequential=parse_bool(posts.get("sequentialDownload"), False),
        first_last=parse_bool(posts.get("firstLastPiecePrio"), False),
    )


def _bc_link_to_magnet(link: str) -> str | None:
    try:
        raw = base64.b64decode(link[8:] + "=" * (-len(link[8:]) % 4)).decode("utf-8", errors="replace")
    except ValueError:
        return None
    parts = raw.split("/")
    if len(parts) != 6:
        return None
    return f"magnet:?xt=urn:btih:{parts[3]}&dn={parts[1]}"


def _add_source(eng: Engine, url: str, options: AddOptions) -> bool:
    from qbtui.sim.engine import info_hash_of

    if info_hash_of(url) is not None:
        url = f"magnet:?xt=urn:btih:{url}"
    elif url.lower().startswith("bc://bt/"):
        url = _bc_link_to_magnet(url) or ""
    if url.lower().startswith("magnet:"):
        return eng.add_magnet(url, options)
    if url.lower().startswith(("http://", "https://", "ftp://")):
        return eng.add_url(url, options)
    return False  # a path on the server's disk: nothing there in a simulation


def command_download(call: Call) -> None:
    options = _add_options(call)
    accepted = False
    for url in call.posts.get("urls", "").split("\n"):
        url = url.strip()
        if url:
            accepted |= _add_source(call.engine, url, options)
    call.print("Ok." if accepted else "Fails.", TEXT)


def metadata_of(meta: torrentfile.TorrentMeta) -> Metadata:
    return Metadata(
        meta.name,
        meta.piece_length,
        [SimFile(f.path, f.size) for f in meta.files],
        piece_hashes=meta.piece_hashes,
        comment=meta.comment,
        created_by=meta.created_by,
        creation_date=meta.creation_date,
        private=meta.private,
        multi_file=meta.multi_file,
    )


def command_upload(call: Call) -> None:
    options = _add_options(call)
    for upload in call.files:
        try:
            meta = torrentfile.parse(upload.data)
        except torrentfile.InvalidTorrentFile:
            call.fail(415, "Unsupported Media Type")
            call.print(f"Error: '{upload.filename}' is not a valid torrent file.\n", TEXT)
            continue
        added = call.engine.add_metadata_torrent(
            meta.info_hash, metadata_of(meta), list(meta.trackers), list(meta.web_seeds), options
        )
        if not added:
            call.fail(500, "Internal Server Error")
            call.print("Error: Could not add torrent to session.", TEXT)


# -- commands: torrents ----------------------------------------------------------------------------------


def command_shutdown(call: Call) -> None:
    call.shutdown = True
    call.engine.shutdown_requested = True


def command_add_trackers(call: Call) -> None:
    t = call.torrent(call.posts.get("hash"))
    if t is not None:
        urls = [url.strip() for url in call.posts.get("urls", "").split("\n")]
        call.engine.add_trackers(t, [url for url in urls if url])


def command_pause(call: Call) -> None:
    t = call.torrent(call.posts.get("hash"))
    if t is not None:
        call.engine.pause(t)


def command_resume(call: Call) -> None:
    t = call.torrent(call.posts.get("hash"))
    if t is not None:
        call.engine.resume(t)


def command_pause_all(call: Call) -> None:
    for t in list(call.engine.torrents.values()):
        call.engine.pause(t)


def command_resume_all(call: Call) -> None:
    for t in list(call.engine.torrents.values()):
        call.engine.resume(t)


def command_recheck(call: Call) -> None:
    t = call.torrent(call.posts.get("hash"))
    if t is not None:
        call.engine.recheck(t)


def command_delete(call: Call) -> None:
    call.each(lambda t: call.engine.delete(t, with_data=False))


def command_delete_perm(call: Call) -> None:
    call.each(lambda t: call.engine.delete(t, with_data=True))


def _queue_move(how: str) -> Handler:
    def handler(call: Call) -> None:
        if not call.engine.queueing:
            call.fail(403, "Torrent queueing must be enabled")
            return
        call.engine.move_queue(call.hashes(), how)

    return handler


def command_set_file_prio(call: Call) -> None:
    t = call.torrent(call.posts.get("hash"))
    if t is not None and t.has_metadata:
        call.engine.set_file_priority(t, qt_int(call.posts.get("id")), qt_int(call.posts.get("priority")))


def _get_global_limit(download: bool) -> Handler:
    def handler(call: Call) -> None:
        eng = call.engine
        call.print(str(eng.download_limit() if download else eng.upload_limit()), TEXT)

    return handler


def _set_global_limit(download: bool) -> Handler:
    def handler(call: Call) -> None:
        limit = qt_int(call.posts.get("limit"), bits=64) or -1
        if download:
            call.engine.set_download_limit(limit)
        else:
            call.engine.set_upload_limit(limit)

    return handler


def _get_torrent_limits(download: bool) -> Handler:
    def handler(call: Call) -> None:
        limits: dict[str, int] = {}
        for key in call.hashes():
            t = call.torrent(key)
            limits[key] = -1 if t is None else (t.dl_limit if download else t.up_limit)
        call.json(limits)

    return handler


def _set_torrent_limits(download: bool) -> Handler:
    def handler(call: Call) -> None:
        limit = qt_int(call.posts.get("limit"), bits=64)
        limit = limit if limit > 0 else -1

        def apply(t: SimTorrent) -> None:
            if download:
                t.dl_limit = limit
            else:
                t.up_limit = limit
            call.engine.mark(t)

        call.each(apply)

    return handler


def command_alt_enabled(call: Call) -> None:
    call.print("1" if call.engine.alt_enabled else "0", TEXT)


def command_toggle_alt(call: Call) -> None:
    call.engine.alt_enabled = not call.engine.alt_enabled


def command_toggle_sequential(call: Call) -> None:
    def toggle(t: SimTorrent) -> None:
        t.seq_dl = not t.seq_dl
        t.reorder()
        call.engine.mark(t)

    call.each(toggle)


def command_toggle_first_last(call: Call) -> None:
    def toggle(t: SimTorrent) -> None:
        if t.has_metadata:
            t.first_last = not t.first_last
            t.reorder()
            call.engine.mark(t)

    call.each(toggle)


def command_set_super_seeding(call: Call) -> None:
    value = call.posts.get("value") == "true"

    def apply(t: SimTorrent) -> None:
        t.super_seeding = value
        call.engine.mark(t)

    call.each(apply)


def command_set_force_start(call: Call) -> None:
    # TorrentHandle::resume(value): even `false` resumes a paused torrent.
    value = call.posts.get("value") == "true"
    call.each(lambda t: call.engine.resume(t, forced=value))


def command_set_location(call: Call) -> None:
    location = call.posts.get("location", "").strip()
    if location:
        call.each(lambda t: call.engine.set_location(t, location))


def command_rename(call: Call) -> None:
    t = call.torrent(call.posts.get("hash"))
    name = call.posts.get("name", "").strip()
    if t is None or not name:
        call.fail(400, "Incorrect torrent hash or name")
        return
    t.name = name
    call.engine.mark(t)


def command_set_auto_tmm(call: Call) -> None:
    enable = parse_bool(call.posts.get("enable"), False)
    call.each(lambda t: call.engine.set_auto_tmm(t, enable))


def _set_category(field_name: str) -> Handler:
    def handler(call: Call) -> None:
        category = call.posts.get(field_name, "").strip()
        for key in call.hashes():
            t = call.torrent(key)
            if t is not None and not call.engine.set_category(t, category):
                call.fail(400, "Incorrect category name")
                return

    return handler


def command_add_category(call: Call) -> None:
    category = call.posts.get("category", "").strip()
    if category and not valid_category(category):
        call.fail(400, "Incorrect category name")
        return
    call.engine.add_category(category)


def command_remove_categories(call: Call) -> None:
    for name in call.posts.get("categories", "").split("\n"):
        call.engine.remove_category(name)


def command_set_preferences(call: Call) -> None:
    prefs.apply(call.engine, call.sim.account, call.posts.get("json", ""))


def command_get_save_path(call: Call) -> None:
    # print() without a content type defaults to HTML in 4.0.4's AbstractWebApplication.
    call.print(call.engine.default_save_path, HTML)


ADD_FIELDS = (
    "savepath",
    "cookie",
    "category",
    "label",
    "skip_checking",
    "paused",
    "root_folder",
    "rename",
    "upLimit",
    "dlLimit",
    "sequentialDownload",
    "firstLastPiecePrio",
)

ROUTES: dict[str, dict[str, Route]] = {
    "public": {
        "webui": Route(webui, args=-1),
        "index": Route(static_file, args=-1),
        "login": Route(login, args=-1),
        "logout": Route(logout),
        "theme": Route(static_file, args=1),
        "images": Route(static_file, args=-1),
    },
    "version": {
        "api": Route(version_api),
        "api_min": Route(version_api_min),
        "qbittorrent": Route(version_qbittorrent),
    },
    "query": {
        "torrents": Route(query_torrents),
        "preferences": Route(query_preferences),
        "transferInfo": Route(query_transfer_info),
        "propertiesGeneral": Route(query_properties_general, args=1),
        "propertiesTrackers": Route(_per_torrent(lambda e, t: answers.trackers(t)), args=1),
        "propertiesWebSeeds": Route(_per_torrent(lambda e, t: answers.web_seeds(t)), args=1, since=3),
        "propertiesFiles": Route(_per_torrent(answers.files), args=1),
        "getLog": Route(query_get_log, since=versions.LOGS),
        "getPeerLog": Route(query_get_peer_log, since=versions.LOGS),
        "getPieceHashes": Route(
            _per_torrent(lambda e, t: answers.piece_hashes(t)), args=1, since=versions.PIECES
        ),
        "getPieceStates": Route(_per_torrent(lambda e, t: t.piece_states()), args=1, since=versions.PIECES),
    },
    "sync": {
        "maindata": Route(sync_maindata),
        "torrent_peers": Route(sync_torrent_peers, since=versions.TORRENT_PEERS),
    },
    "command": {
        "shutdown": Route(command_shutdown, strict=()),
        "download": Route(command_download, strict=("urls", *ADD_FIELDS)),
        "upload": Route(command_upload, strict=ADD_FIELDS),
        "addTrackers": Route(command_add_trackers, params=("hash", "urls")),
        "resumeAll": Route(command_resume_all, strict=()),
        "pauseAll": Route(command_pause_all, strict=()),
        "resume": Route(command_resume, params=("hash",)),
        "pause": Route(command_pause, params=("hash",)),
        "setPreferences": Route(command_set_preferences, params=("json",)),
        "setFilePrio": Route(command_set_file_prio, params=("hash", "id", "priority")),
        "getGlobalUpLimit": Route(_get_global_limit(False), strict=()),
        "getGlobalDlLimit": Route(_get_global_limit(True), strict=()),
        "setGlobalUpLimit": Route(_set_global_limit(False), params=("limit",)),
        "setGlobalDlLimit": Route(_set_global_limit(True), params=("limit",)),
        "getTorrentsUpLimit": Route(_get_torrent_limits(False), params=("hashes",)),
        "getTorrentsDlLimit": Route(_get_torrent_limits(True), params=("hashes",)),
        "setTorrentsUpLimit": Route(_set_torrent_limits(False), params=("hashes", "limit")),
        "setTorrentsDlLimit": Route(_set_torrent_limits(True), params=("hashes", "limit")),
        "alternativeSpeedLimitsEnabled": Route(command_alt_enabled, strict=()),
        "toggleAlternativeSpeedLimits": Route(command_toggle_alt, strict=()),
        "toggleSequentialDownload": Route(command_toggle_sequential, params=("hashes",)),
        "toggleFirstLastPiecePrio": Route(command_toggle_first_last, params=("hashes",)),
        "setSuperSeeding": Route(command_set_super_seeding, params=("hashes", "value")),
        "setForceStart": Route(command_set_force_start, params=("hashes", "value")),
        "delete": Route(command_delete, params=("hashes",)),
        "deletePerm": Route(command_delete_perm, params=("hashes",)),
        "increasePrio": Route(_queue_move("increase"), params=("hashes",)),
        "decreasePrio": Route(_queue_move("decrease"), params=("hashes",)),
        "topPrio": Route(_queue_move("top"), params=("hashes",)),
        "bottomPrio": Route(_queue_move("bottom"), params=("hashes",)),
        "setLocation": Route(command_set_location, params=("hashes", "location"), since=versions.V4_COMMANDS),
        "rename": Route(command_rename, params=("hash", "name"), since=versions.V4_COMMANDS),
        "setAutoTMM": Route(command_set_auto_tmm, params=("hashes", "enable"), since=versions.V4_COMMANDS),
        "recheck": Route(command_recheck, params=("hash",)),
        "setLabel": Route(
            _set_category("label"),
            params=("hashes", "label"),
            since=versions.LABELS_COMMAND,
            until=versions.CATEGORIES - 1,
        ),
        "setCategory": Route(
            _set_category("category"), params=("hashes", "category"), since=versions.CATEGORIES
        ),
        "addCategory": Route(command_add_category, params=("category",), since=versions.CATEGORIES),
        "removeCategories": Route(
            command_remove_categories, params=("categories",), since=versions.CATEGORIES
        ),
        "getSavePath": Route(command_get_save_path, since=versions.GET_SAVE_PATH, strict=()),
    },
}

PUBLIC_SCOPES = ("public", "version")


def routes_for(scope: str, api: int) -> dict[str, Route]:
    return {name: r for name, r in ROUTES.get(scope, {}).items() if r.since <= api <= r.until}


def params_match(expected: tuple[str, ...], posts: dict[str, str]) -> bool:
    """CHECK_PARAMETERS: as many fields as expected, each one of them (compared case-insensitively)."""
    if len(expected) != len(posts):
        return False
    names = {name.lower() for name in expected}
    return all(key.lower() in names for key in posts)
