"""Typed records for what a qBittorrent server reports, normalised across API generations.

Each `from_raw` takes the server's JSON object as-is (legacy or v2), keeps every field it does
not know in `extra`, maps sentinel values (-1, 4294967295, 8640000) to None ("never", "∞",
"unknown") and never raises on wrong types or missing fields.
"""

from __future__ import annotations

import enum
import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qbtui.api.coerce import (
    as_amount,
    as_bool,
    as_count,
    as_eta,
    as_float,
    as_int,
    as_limit,
    as_str,
    as_time,
)
from qbtui.api.errors import BadResponse


class ApiGeneration(enum.Enum):
    LEGACY = "legacy"  # qBittorrent 3.2.0 - 4.0.4, /version/api 2-17
    V2 = "v2"  # qBittorrent 4.1+, /api/v2


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """What detection learned about a server."""

    generation: ApiGeneration
    #: Legacy: (N,) for /version/api N.  v2: (2, x, y) from app/webapiVersion.
    api_version: tuple[int, ...]
    #: As the server reports it, e.g. "v4.0.4" or "v4.5.2"; "" when unknown.
    app_version: str = ""
    api_min: int | None = None

    @property
    def is_legacy(self) -> bool:
        return self.generation is ApiGeneration.LEGACY

    @property
    def api_text(self) -> str:
        return ".".join(str(part) for part in self.api_version)

    def describe(self) -> str:
        app = self.app_version or "qBittorrent (version unknown)"
        if not app.startswith("qBittorrent"):
            app = f"qBittorrent {app}"
        return f"{app} (API {self.api_text})"

    def legacy_at_least(self, version: int) -> bool:
        return self.is_legacy and self.api_version[0] >= version

    def v2_at_least(self, *version: int) -> bool:
        return not self.is_legacy and _pad(self.api_version) >= _pad(version)

    @property
    def uses_stop_start(self) -> bool:
        """qBittorrent 5.0 (WebAPI 2.11) renamed pause/resume to stop/start."""
        return self.v2_at_least(2, 11, 0)


def _pad(version: tuple[int, ...]) -> tuple[int, ...]:
    return (*version, 0, 0, 0)[:3]


def parse_webapi_version(text: str) -> tuple[int, ...] | None:
    """Parse "2.8.19" / "2.0" into a tuple, or None when it is not a version."""
    parts = text.strip().split(".")
    # isdigit() alone would let "²" through, which int() refuses.
    if not 1 <= len(parts) <= 4 or not all(p.isascii() and p.isdigit() and len(p) <= 9 for p in parts):
        return None
    return tuple(int(p) for p in parts)


class TorrentState(enum.Enum):
    """One state vocabulary for all qBittorrent versions (`pausedDL` and `stoppedDL` are both PAUSED_DL)."""

    ERROR = "error"
    MISSING_FILES = "missingFiles"
    UPLOADING = "uploading"
    PAUSED_UP = "pausedUP"
    QUEUED_UP = "queuedUP"
    STALLED_UP = "stalledUP"
    CHECKING_UP = "checkingUP"
    FORCED_UP = "forcedUP"
    ALLOCATING = "allocating"
    DOWNLOADING = "downloading"
    META_DL = "metaDL"
    FORCED_META_DL = "forcedMetaDL"
    PAUSED_DL = "pausedDL"
    QUEUED_DL = "queuedDL"
    STALLED_DL = "stalledDL"
    CHECKING_DL = "checkingDL"
    FORCED_DL = "forcedDL"
    CHECKING_RESUME_DATA = "checkingResumeData"
    QUEUED_FOR_CHECKING = "queuedForChecking"
    MOVING = "moving"
    UNKNOWN = "unknown"

    @classmethod
    def from_raw(cls, raw: str) -> TorrentState:
        return _STATE_ALIASES.get(raw, cls.UNKNOWN)

    @property
    def is_paused(self) -> bool:
        return self in (TorrentState.PAUSED_DL, TorrentState.PAUSED_UP)

    @property
    def is_complete(self) -> bool:
        return self in _UPLOAD_STATES

    @property
    def is_errored(self) -> bool:
        return self in (TorrentState.ERROR, TorrentState.MISSING_FILES)

    @property
    def is_checking(self) -> bool:
        return self in (
            TorrentState.CHECKING_DL,
            TorrentState.CHECKING_UP,
            TorrentState.CHECKING_RESUME_DATA,
            TorrentState.QUEUED_FOR_CHECKING,
        )

    @property
    def label(self) -> str:
        return _STATE_LABELS.get(self, self.value)


_STATE_ALIASES: dict[str, TorrentState] = {state.value: state for state in TorrentState}
_STATE_ALIASES["stoppedDL"] = TorrentState.PAUSED_DL
_STATE_ALIASES["stoppedUP"] = TorrentState.PAUSED_UP

_UPLOAD_STATES = frozenset(
    {
        TorrentState.UPLOADING,
        TorrentState.PAUSED_UP,
        TorrentState.QUEUED_UP,
        TorrentState.STALLED_UP,
        TorrentState.CHECKING_UP,
        TorrentState.FORCED_UP,
    }
)

_STATE_LABELS = {
    TorrentState.ERROR: "error",
    TorrentState.MISSING_FILES: "missing files",
    TorrentState.UPLOADING: "seeding",
    TorrentState.PAUSED_UP: "paused (done)",
    TorrentState.QUEUED_UP: "queued (seed)",
    TorrentState.STALLED_UP: "stalled (seed)",
    TorrentState.CHECKING_UP: "checking",
    TorrentState.FORCED_UP: "forced seeding",
    TorrentState.ALLOCATING: "allocating",
    TorrentState.DOWNLOADING: "downloading",
    TorrentState.META_DL: "fetching metadata",
    TorrentState.FORCED_META_DL: "forced metadata",
    TorrentState.PAUSED_DL: "paused",
    TorrentState.QUEUED_DL: "queued",
    TorrentState.STALLED_DL: "stalled",
    TorrentState.CHECKING_DL: "checking",
    TorrentState.FORCED_DL: "forced download",
    TorrentState.CHECKING_RESUME_DATA: "checking resume data",
    TorrentState.QUEUED_FOR_CHECKING: "queued for checking",
    TorrentState.MOVING: "moving",
    TorrentState.UNKNOWN: "unknown",
}


def json_list(data: object, what: str) -> list[Any]:
    """A JSON array the server promised (no body reads as an empty one); anything else is a
    `BadResponse` naming the endpoint, never a TypeError deep in a caller."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise BadResponse(f"{what.split('?')[0]}: expected a JSON array, got {type(data).__name__}")
    return data


def _extra(raw: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    return {key: value for key, value in raw.items() if key not in known}


def split_tags(value: object) -> tuple[str, ...]:
    """Tags arrive as "a, b" (torrent objects) or a list (v2 tag lists)."""
    if isinstance(value, list):
        return tuple(as_str(tag) for tag in value if as_str(tag))
    text = as_str(value)
    return tuple(tag.strip() for tag in text.split(",") if tag.strip())


class ShareLimitAction(enum.Enum):
    """What qBittorrent does when a torrent reaches its share limits (WebAPI 2.12+, 5.2)."""

    DEFAULT = "Default"  # the server's global setting
    STOP = "Stop"
    REMOVE = "Remove"
    REMOVE_WITH_CONTENT = "RemoveWithContent"
    ENABLE_SUPER_SEEDING = "EnableSuperSeeding"

    @classmethod
    def parse(cls, text: str) -> ShareLimitAction:
        key = text.strip().lower().replace("-", "").replace("_", "").replace(" ", "")
        for action in cls:
            if action.value.lower() == key:
                return action
        names = ", ".join(action.value for action in cls)
        raise ValueError(f"unknown share limit action {text!r}: use one of {names}")

    @property
    def label(self) -> str:
        return _SHARE_ACTION_LABELS[self]


_SHARE_ACTION_LABELS = {
    ShareLimitAction.DEFAULT: "server default",
    ShareLimitAction.STOP: "stop",
    ShareLimitAction.REMOVE: "remove",
    ShareLimitAction.REMOVE_WITH_CONTENT: "remove with content",
    ShareLimitAction.ENABLE_SUPER_SEEDING: "super seeding",
}


class ShareLimitsMode(enum.Enum):
    """Whether any or all share limits must be reached (WebAPI 2.15.3+)."""

    DEFAULT = "Default"
    MATCH_ANY = "MatchAny"
    MATCH_ALL = "MatchAll"


def _share_action(raw: object) -> ShareLimitAction | None:
    # 5.2+ sends the name; None where the server has no such field.
    text = as_str(raw)
    return next((action for action in ShareLimitAction if action.value == text), None) if text else None


@dataclass(slots=True)
class Torrent:
    hash: str
    name: str = ""
    size: int = 0  # wanted size (selected files)
    total_size: int | None = None
    progress: float = 0.0
    dl_speed: int = 0
    up_speed: int = 0
    queue_position: int | None = None  # None when not queued
    num_seeds: int = 0
    num_complete: int | None = None
    num_leechs: int = 0
    num_incomplete: int | None = None
    ratio: float | None = 0.0  # None when above the 9999 cap (-1)
    eta: int | None = None  # None = infinite
    state: TorrentState = TorrentState.UNKNOWN
    state_raw: str = ""
    seq_dl: bool = False
    f_l_piece_prio: bool = False
    category: str = ""
    tags: tuple[str, ...] = ()
    super_seeding: bool = False
    force_start: bool = False
    save_path: str = ""
    download_path: str = ""  # where an incomplete download goes (4.4+), "" = the save path
    added_on: int | None = None
    completion_on: int | None = None
    seen_complete: int | None = None
    last_activity: int | None = None
    tracker: str = ""
    dl_limit: int | None = None  # None = unlimited
    up_limit: int | None = None
    downloaded: int = 0
    uploaded: int = 0
    downloaded_session: int = 0
    uploaded_session: int = 0
    amount_left: int = 0
    completed: int = 0
    ratio_limit: float | None = None
    auto_tmm: bool = False
    magnet_uri: str = ""
    time_active: int | None = None
    content_path: str = ""
    availability: float | None = None
    seeding_time: int | None = None
    #: 4.4+: both info-hashes ("" for the one a torrent lacks); `hash` is the v1 one or, for a
    #: hybrid or v2 torrent, the v2 one cut to 40 digits.
    infohash_v1: str = ""
    infohash_v2: str = ""
    # 5.x fields; None where the server does not send them (older versions, no metadata yet).
    private: bool | None = None
    comment: str | None = None
    share_limit_action: ShareLimitAction | None = None
    has_tracker_warning: bool | None = None
    has_tracker_error: bool | None = None
    has_other_announce_error: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def state_label(self) -> str:
        """The state in the server's own words: qBittorrent 5 says stopped where 4.x says paused."""
        label = self.state.label
        return label.replace("paused", "stopped") if self.state_raw.startswith("stopped") else label

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any], hash: str | None = None) -> Torrent:
        if not isinstance(raw, Mapping):
            raw = {}
        values = {field.attribute: field.convert(raw.get(key)) for key, field in TORRENT_FIELDS.items()}
        for combine in _COMBINATIONS:
            values.update(combine(raw))
        return cls(
            hash=(hash or as_str(raw.get("hash"))).lower(), extra=_extra(raw, TORRENT_KEYS), **values
        )


# -- the torrent's fields: one table ------------------------------------------------------------------
#
# Every raw field qbtui reads into a Torrent, the attribute it feeds and how a raw value becomes it.
# `Torrent.from_raw` builds a torrent from it and the store (`qbtui.model.store.refreshed`) updates
# the fields a delta changed through it, so the two cannot drift apart.


@dataclass(frozen=True, slots=True)
class TorrentField:
    attribute: str
    convert: Callable[[object], Any]


def progress_of(value: object) -> float:
    if type(value) is float and 0.0 <= value <= 1.0:
        return value
    return min(max(as_float(value) or 0.0, 0.0), 1.0)


def queue_position_of(value: object) -> int | None:
    priority = as_int(value, 0)
    return priority if priority > 0 else None


def non_negative(value: object) -> float | None:
    """A ratio (or ratio limit): None for qBittorrent's -1 ("above the cap", "none")."""
    if type(value) is float and 0.0 <= value < math.inf:
        return value
    number = as_float(value, None)
    return None if number is None or number < 0 else number


def optional_float(value: object) -> float | None:
    return as_float(value, None)


def optional_bool(value: object) -> bool | None:
    """None where the server does not send the field (older versions)."""
    return None if value is None else as_bool(value)


def optional_str(value: object) -> str | None:
    return None if value is None else as_str(value)


def lower_str(value: object) -> str:
    return as_str(value).lower()


TORRENT_FIELDS: dict[str, TorrentField] = {
    raw: TorrentField(attribute, convert)
    for raw, attribute, convert in (
        ("name", "name", as_str),
        ("size", "size", as_amount),
        ("total_size", "total_size", as_count),
        ("progress", "progress", progress_of),
        ("dlspeed", "dl_speed", as_amount),
        ("upspeed", "up_speed", as_amount),
        ("priority", "queue_position", queue_position_of),
        ("num_seeds", "num_seeds", as_amount),
        ("num_complete", "num_complete", as_count),
        ("num_leechs", "num_leechs", as_amount),
        ("num_incomplete", "num_incomplete", as_count),
        ("ratio", "ratio", non_negative),
        ("eta", "eta", as_eta),
        ("seq_dl", "seq_dl", as_bool),
        ("f_l_piece_prio", "f_l_piece_prio", as_bool),
        ("tags", "tags", split_tags),
        ("super_seeding", "super_seeding", as_bool),
        ("force_start", "force_start", as_bool),
        ("save_path", "save_path", as_str),
        ("download_path", "download_path", as_str),
        ("added_on", "added_on", as_time),
        ("completion_on", "completion_on", as_time),
        ("seen_complete", "seen_complete", as_time),
        ("last_activity", "last_activity", as_time),
        ("tracker", "tracker", as_str),
        ("dl_limit", "dl_limit", as_limit),
        ("up_limit", "up_limit", as_limit),
        ("downloaded", "downloaded", as_amount),
        ("uploaded", "uploaded", as_amount),
        ("downloaded_session", "downloaded_session", as_amount),
        ("uploaded_session", "uploaded_session", as_amount),
        ("completed", "completed", as_amount),
        ("ratio_limit", "ratio_limit", non_negative),
        ("auto_tmm", "auto_tmm", as_bool),
        ("magnet_uri", "magnet_uri", as_str),
        ("time_active", "time_active", as_count),
        ("content_path", "content_path", as_str),
        ("availability", "availability", optional_float),
        ("seeding_time", "seeding_time", as_count),
        ("infohash_v1", "infohash_v1", lower_str),
        ("infohash_v2", "infohash_v2", lower_str),
        ("private", "private", optional_bool),
        ("comment", "comment", optional_str),
        ("share_limit_action", "share_limit_action", _share_action),
        ("has_tracker_warning", "has_tracker_warning", optional_bool),
        ("has_tracker_error", "has_tracker_error", optional_bool),
        ("has_other_announce_error", "has_other_announce_error", optional_bool),
    )
}


def _state_of(raw: Mapping[str, Any]) -> dict[str, Any]:
    state_raw = as_str(raw.get("state"), "unknown")
    return {"state_raw": state_raw, "state": TorrentState.from_raw(state_raw)}


def _category_of(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {"category": as_str(raw.get("category", raw.get("label")))}  # "label" before API 10


def _amount_left_of(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {"amount_left": as_amount(raw.get("amount_left", raw.get("remaining")))}  # legacy name


#: Raw fields read together with another (a renamed field, a pair): the attributes each sets, from
#: the whole raw record.
TORRENT_COMBINED: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "state": _state_of,
    "category": _category_of,
    "label": _category_of,
    "amount_left": _amount_left_of,
    "remaining": _amount_left_of,
}
_COMBINATIONS = tuple(dict.fromkeys(TORRENT_COMBINED.values()))
#: Every raw field a Torrent reads; any other is kept in `Torrent.extra`.
TORRENT_KEYS = frozenset(TORRENT_FIELDS) | frozenset(TORRENT_COMBINED) | {"hash"}


_SERVER_STATE_KEYS = frozenset(
    [
        "dl_info_speed",
        "up_info_speed",
        "dl_info_data",
        "up_info_data",
        "dl_rate_limit",
        "up_rate_limit",
        "dht_nodes",
        "connection_status",
        "queueing",
        "use_alt_speed_limits",
        "refresh_interval",
        "free_space_on_disk",
        "alltime_dl",
        "alltime_ul",
        "global_ratio",
        "total_peer_connections",
        "total_wasted_session",
        "request_latency",
    ]
)


@dataclass(slots=True)
class ServerState:
    """`server_state` of maindata, or the transfer info endpoint."""

    dl_info_speed: int = 0
    up_info_speed: int = 0
    dl_info_data: int = 0
    up_info_data: int = 0
    dl_rate_limit: int | None = None  # None = unlimited
    up_rate_limit: int | None = None
    dht_nodes: int = 0
    connection_status: str = "unknown"
    queueing: bool | None = None
    use_alt_speed_limits: bool | None = None
    refresh_interval: int | None = None  # milliseconds
    free_space_on_disk: int | None = None
    alltime_dl: int | None = None
    alltime_ul: int | None = None
    global_ratio: float | None = None
    total_peer_connections: int | None = None
    total_wasted_session: int | None = None
    #: 5.3 (WebAPI 2.16): how long the server took to answer requests lately, in milliseconds.
    request_latency: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> ServerState:
        if not isinstance(raw, Mapping):
            raw = {}

        def optional_bool(key: str) -> bool | None:
            return as_bool(raw[key]) if key in raw else None

        return cls(
            dl_info_speed=as_amount(raw.get("dl_info_speed")),
            up_info_speed=as_amount(raw.get("up_info_speed")),
            dl_info_data=as_amount(raw.get("dl_info_data")),
            up_info_data=as_amount(raw.get("up_info_data")),
            dl_rate_limit=as_limit(raw.get("dl_rate_limit")),
            up_rate_limit=as_limit(raw.get("up_rate_limit")),
            dht_nodes=as_amount(raw.get("dht_nodes")),
            connection_status=as_str(raw.get("connection_status"), "unknown") or "unknown",
            queueing=optional_bool("queueing"),
            use_alt_speed_limits=optional_bool("use_alt_speed_limits"),
            refresh_interval=_refresh_interval(raw.get("refresh_interval")),
            free_space_on_disk=as_count(raw.get("free_space_on_disk")),
            alltime_dl=as_count(raw.get("alltime_dl")),
            alltime_ul=as_count(raw.get("alltime_ul")),
            global_ratio=as_float(raw.get("global_ratio"), None),  # "-" -> None
            total_peer_connections=as_count(raw.get("total_peer_connections")),
            total_wasted_session=as_count(raw.get("total_wasted_session")),
            request_latency=as_count(raw.get("request_latency")),
            extra=_extra(raw, _SERVER_STATE_KEYS),
        )


#: A refresh interval beyond an hour (in ms) would stop the client polling: unknown instead.
MAX_REFRESH_INTERVAL = 3_600_000


def _refresh_interval(value: object) -> int | None:
    milliseconds = as_int(value, None)
    if milliseconds is None or not 0 < milliseconds <= MAX_REFRESH_INTERVAL:
        return None
    return milliseconds


_PROPERTY_KEYS = frozenset(
    [
        "save_path",
        "creation_date",
        "piece_size",
        "comment",
        "total_wasted",
        "total_uploaded",
        "total_uploaded_session",
        "total_downloaded",
        "total_downloaded_session",
        "up_limit",
        "dl_limit",
        "time_elapsed",
        "seeding_time",
        "nb_connections",
        "nb_connections_limit",
        "share_ratio",
        "addition_date",
        "completion_date",
        "created_by",
        "dl_speed_avg",
        "dl_speed",
        "eta",
        "last_seen",
        "peers",
        "peers_total",
        "pieces_have",
        "pieces_num",
        "reannounce",
        "seeds",
        "seeds_total",
        "total_size",
        "up_speed_avg",
        "up_speed",
    ]
)


@dataclass(slots=True)
class TorrentProperties:
    """The general properties of one torrent."""

    save_path: str = ""
    creation_date: int | None = None
    piece_size: int | None = None
    comment: str = ""
    total_wasted: int = 0
    total_uploaded: int = 0
    total_uploaded_session: int = 0
    total_downloaded: int = 0
    total_downloaded_session: int = 0
    up_limit: int | None = None
    dl_limit: int | None = None
    time_elapsed: int | None = None
    seeding_time: int | None = None
    nb_connections: int | None = None
    nb_connections_limit: int | None = None
    share_ratio: float | None = None
    addition_date: int | None = None
    completion_date: int | None = None
    created_by: str = ""
    dl_speed_avg: int | None = None
    dl_speed: int | None = None
    eta: int | None = None
    last_seen: int | None = None
    peers: int | None = None
    peers_total: int | None = None
    pieces_have: int | None = None
    pieces_num: int | None = None
    reannounce: int | None = None
    seeds: int | None = None
    seeds_total: int | None = None
    total_size: int | None = None
    up_speed_avg: int | None = None
    up_speed: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> TorrentProperties:
        if not isinstance(raw, Mapping):
            raw = {}
        ratio = as_float(raw.get("share_ratio"), None)
        return cls(
            save_path=as_str(raw.get("save_path")),
            creation_date=as_time(raw.get("creation_date")),
            piece_size=as_count(raw.get("piece_size")),
            comment=as_str(raw.get("comment")),
            total_wasted=as_amount(raw.get("total_wasted")),
            total_uploaded=as_amount(raw.get("total_uploaded")),
            total_uploaded_session=as_amount(raw.get("total_uploaded_session")),
            total_downloaded=as_amount(raw.get("total_downloaded")),
            total_downloaded_session=as_amount(raw.get("total_downloaded_session")),
            up_limit=as_limit(raw.get("up_limit")),
            dl_limit=as_limit(raw.get("dl_limit")),
            time_elapsed=as_count(raw.get("time_elapsed")),
            seeding_time=as_count(raw.get("seeding_time")),
            nb_connections=as_count(raw.get("nb_connections")),
            nb_connections_limit=as_count(raw.get("nb_connections_limit")),
            share_ratio=None if ratio is None or ratio < 0 else ratio,
            addition_date=as_time(raw.get("addition_date")),
            completion_date=as_time(raw.get("completion_date")),
            created_by=as_str(raw.get("created_by")),
            dl_speed_avg=as_count(raw.get("dl_speed_avg")),
            dl_speed=as_count(raw.get("dl_speed")),
            eta=as_eta(raw.get("eta")),
            last_seen=as_time(raw.get("last_seen")),
            peers=as_count(raw.get("peers")),
            peers_total=as_count(raw.get("peers_total")),
            pieces_have=as_count(raw.get("pieces_have")),
            pieces_num=as_count(raw.get("pieces_num")),
            reannounce=as_count(raw.get("reannounce")),
            seeds=as_count(raw.get("seeds")),
            seeds_total=as_count(raw.get("seeds_total")),
            total_size=as_count(raw.get("total_size")),
            up_speed_avg=as_count(raw.get("up_speed_avg")),
            up_speed=as_count(raw.get("up_speed")),
            extra=_extra(raw, _PROPERTY_KEYS),
        )


class TrackerStatus(enum.Enum):
    DISABLED = "disabled"
    NOT_CONTACTED = "not contacted"
    WORKING = "working"
    UPDATING = "updating"
    NOT_WORKING = "not working"
    #: 5.2+ (WebAPI 2.13): the tracker answered with an error, or could not be reached.
    TRACKER_ERROR = "tracker error"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"

    @property
    def is_failing(self) -> bool:
        """Not working, or (5.2+) a tracker error or unreachable."""
        return self in (TrackerStatus.NOT_WORKING, TrackerStatus.TRACKER_ERROR, TrackerStatus.UNREACHABLE)

    @classmethod
    def from_raw(cls, raw: object) -> TrackerStatus:
        # v2 >= 4.1.5 sends ints; legacy and early v2 send (possibly translated) English text.
        if isinstance(raw, int) and not isinstance(raw, bool):
            return _TRACKER_STATUS_CODES.get(raw, cls.UNKNOWN)
        text = as_str(raw).strip().lower().rstrip(".")
        return _TRACKER_STATUS_TEXT.get(text, cls.UNKNOWN)


_TRACKER_STATUS_CODES = {
    0: TrackerStatus.DISABLED,
    1: TrackerStatus.NOT_CONTACTED,
    2: TrackerStatus.WORKING,
    3: TrackerStatus.UPDATING,
    4: TrackerStatus.NOT_WORKING,
    5: TrackerStatus.TRACKER_ERROR,
    6: TrackerStatus.UNREACHABLE,
}
_TRACKER_STATUS_TEXT = {
    "working": TrackerStatus.WORKING,
    "updating": TrackerStatus.UPDATING,
    "not working": TrackerStatus.NOT_WORKING,
    "not contacted yet": TrackerStatus.NOT_CONTACTED,
    "disabled": TrackerStatus.DISABLED,
}

_TRACKER_KEYS = frozenset(
    [
        "url",
        "status",
        "num_peers",
        "msg",
        "tier",
        "num_seeds",
        "num_leeches",
        "num_downloaded",
        "next_announce",
        "min_announce",
    ]
)


@dataclass(slots=True)
class Tracker:
    url: str
    status: TrackerStatus = TrackerStatus.UNKNOWN
    status_text: str = ""
    num_peers: int | None = None
    msg: str = ""
    tier: int | None = None
    num_seeds: int | None = None
    num_leeches: int | None = None
    num_downloaded: int | None = None
    #: 5.2+ (WebAPI 2.13): seconds until the next announce, and the least the tracker allows.
    next_announce: int | None = None
    min_announce: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_pseudo(self) -> bool:
        """v2 lists DHT, PeX and LSD as rows with URLs like `** [DHT] **`."""
        return self.url.startswith("** [")

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> Tracker:
        if not isinstance(raw, Mapping):
            raw = {}
        status = raw.get("status")
        return cls(
            url=as_str(raw.get("url")),
            status=TrackerStatus.from_raw(status),
            status_text=as_str(status),
            num_peers=as_count(raw.get("num_peers")),
            msg=as_str(raw.get("msg")),
            tier=as_count(raw.get("tier")),
            num_seeds=as_count(raw.get("num_seeds")),
            num_leeches=as_count(raw.get("num_leeches")),
            num_downloaded=as_count(raw.get("num_downloaded")),
            next_announce=as_count(raw.get("next_announce")),
            min_announce=as_count(raw.get("min_announce")),
            extra=_extra(raw, _TRACKER_KEYS),
        )


@dataclass(frozen=True, slots=True)
class WebSeed:
    url: str

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> WebSeed:
        return cls(url=as_str(raw.get("url")) if isinstance(raw, Mapping) else "")


class FilePriority(enum.IntEnum):
    """File priorities as the API accepts them (0, 1, 6, 7)."""

    SKIP = 0
    NORMAL = 1
    HIGH = 6
    MAXIMUM = 7

    @classmethod
    def from_raw(cls, raw: object) -> FilePriority:
        # libtorrent's default priority is 4 ("normal"), which 4.0.4 reports as-is; 2-5 predate
        # the 0/1/6/7 scheme.
        value = as_int(raw, 1)
        if value is None or value <= 0:
            return cls.SKIP
        if value >= 7:
            return cls.MAXIMUM
        if value in (1, 4):
            return cls.NORMAL
        return cls.HIGH

    @classmethod
    def parse(cls, text: str) -> FilePriority:
        """Accept a name ("skip", "normal", "high", "max") or a number."""
        key = text.strip().lower()
        names = {
            "skip": cls.SKIP,
            "0": cls.SKIP,
            "none": cls.SKIP,
            "off": cls.SKIP,
            "normal": cls.NORMAL,
            "1": cls.NORMAL,
            "high": cls.HIGH,
            "6": cls.HIGH,
            "max": cls.MAXIMUM,
            "maximum": cls.MAXIMUM,
            "7": cls.MAXIMUM,
        }
        if key not in names:
            raise ValueError(f"unknown file priority {text!r}: use skip, normal, high or max")
        return names[key]


_FILE_KEYS = frozenset(
    ["index", "name", "size", "progress", "priority", "is_seed", "piece_range", "availability"]
)


@dataclass(slots=True)
class TorrentFile:
    index: int
    name: str
    size: int = 0
    progress: float = 0.0
    priority: FilePriority = FilePriority.NORMAL
    priority_raw: int = 1
    is_seed: bool | None = None
    piece_range: tuple[int, int] | None = None
    availability: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any], index: int) -> TorrentFile:
        if not isinstance(raw, Mapping):
            raw = {}
        pieces = raw.get("piece_range")
        piece_range = None
        if isinstance(pieces, list) and len(pieces) == 2:
            first, last = as_int(pieces[0], None), as_int(pieces[1], None)
            if first is not None and last is not None and 0 <= first <= last:
                piece_range = (first, last)
        return cls(
            index=as_int(raw.get("index"), index) if "index" in raw else index,
            name=as_str(raw.get("name")),
            size=as_amount(raw.get("size")),
            progress=min(max(as_float(raw.get("progress")) or 0.0, 0.0), 1.0),
            priority=FilePriority.from_raw(raw.get("priority")),
            priority_raw=as_int(raw.get("priority"), 1) or 0,
            is_seed=as_bool(raw["is_seed"]) if "is_seed" in raw else None,
            piece_range=piece_range,
            availability=as_float(raw.get("availability"), None),
            extra=_extra(raw, _FILE_KEYS),
        )


class PieceState(enum.IntEnum):
    MISSING = 0
    DOWNLOADING = 1
    HAVE = 2


_PEER_KEYS = frozenset(
    [
        "ip",
        "port",
        "client",
        "progress",
        "dl_speed",
        "up_speed",
        "downloaded",
        "uploaded",
        "connection",
        "flags",
        "flags_desc",
        "relevance",
        "files",
        "country",
        "country_code",
        "peer_id_client",
    ]
)


@dataclass(slots=True)
class Peer:
    key: str  # "ip:port" (IPv6 bracketed on v2)
    ip: str = ""
    port: int | None = None
    client: str = ""
    progress: float = 0.0
    dl_speed: int = 0
    up_speed: int = 0
    downloaded: int = 0
    uploaded: int = 0
    connection: str = ""
    flags: str = ""
    flags_desc: str = ""
    relevance: float = 0.0
    files: str = ""
    country: str = ""
    country_code: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_raw(cls, key: str, raw: Mapping[str, Any]) -> Peer:
        if not isinstance(raw, Mapping):
            raw = {}
        return cls(
            key=key,
            ip=as_str(raw.get("ip")),
            port=as_int(raw.get("port"), None),
            client=as_str(raw.get("client")),
            progress=min(max(as_float(raw.get("progress")) or 0.0, 0.0), 1.0),
            dl_speed=as_amount(raw.get("dl_speed")),
            up_speed=as_amount(raw.get("up_speed")),
            downloaded=as_amount(raw.get("downloaded")),
            uploaded=as_amount(raw.get("uploaded")),
            connection=as_str(raw.get("connection")),
            flags=as_str(raw.get("flags")),
            flags_desc=as_str(raw.get("flags_desc")),
            relevance=as_float(raw.get("relevance")) or 0.0,
            files=as_str(raw.get("files")),
            country=as_str(raw.get("country")),
            country_code=as_str(raw.get("country_code")),
            extra=_extra(raw, _PEER_KEYS),
        )


def log_seconds(raw: object) -> float:
    """Legacy log timestamps are milliseconds, v2 ones seconds; no real log predates 1973."""
    value = as_float(raw) or 0.0
    return value / 1000.0 if value > 1e11 else value


class LogLevel(enum.IntEnum):
    NORMAL = 1
    INFO = 2
    WARNING = 4
    CRITICAL = 8

    @classmethod
    def from_raw(cls, raw: object) -> LogLevel:
        value = as_int(raw, 1)
        try:
            return cls(value)
        except ValueError:
            return cls.NORMAL


@dataclass(frozen=True, slots=True)
class LogEntry:
    id: int
    timestamp: float  # seconds since the epoch
    level: LogLevel
    message: str  # HTML entities decoded

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> LogEntry:
        if not isinstance(raw, Mapping):
            raw = {}
        return cls(
            id=as_int(raw.get("id"), -1),
            timestamp=log_seconds(raw.get("timestamp")),
            level=LogLevel.from_raw(raw.get("type")),
            message=html.unescape(as_str(raw.get("message"))),
        )


@dataclass(frozen=True, slots=True)
class PeerLogEntry:
    id: int
    timestamp: float
    ip: str
    blocked: bool
    reason: str

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> PeerLogEntry:
        if not isinstance(raw, Mapping):
            raw = {}
        return cls(
            id=as_int(raw.get("id"), -1),
            timestamp=log_seconds(raw.get("timestamp")),
            ip=as_str(raw.get("ip")),
            blocked=as_bool(raw.get("blocked")),
            reason=html.unescape(as_str(raw.get("reason"))),
        )


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    save_path: str = ""
    download_path: str | None = None

    @classmethod
    def from_raw(cls, name: str, raw: object) -> Category:
        if not isinstance(raw, Mapping):
            return cls(name=name)
        download = raw.get("download_path")
        return cls(
            name=as_str(raw.get("name"), name) or name,
            save_path=as_str(raw.get("savePath")),
            download_path=download if isinstance(download, str) else None,
        )


def categories_from_raw(raw: object) -> dict[str, Category]:
    """Categories arrive as a list of names (legacy, v2 < 2.1) or an object keyed by name."""
    if isinstance(raw, list):
        return {name: Category(name) for name in (as_str(item) for item in raw) if name}
    if isinstance(raw, Mapping):
        # "" is "no category", never a category of its own.
        return {
            as_str(name): Category.from_raw(as_str(name), value)
            for name, value in raw.items()
            if as_str(name)
        }
    return {}


#: Preference keys whose values are secrets: never shown, never logged.
SECRET_PREFERENCES = frozenset(
    {
        "web_ui_password",
        "proxy_password",
        "mail_notification_password",
        "dyndns_password",
        "ssl_key",
        "web_ui_https_key_path",
        # 5.2+: whoever has it needs no password (Authorization: Bearer).
        "web_ui_api_key",
    }
)


@dataclass(slots=True)
class Preferences:
    """The server's preferences: a plain mapping, since keys differ widely across versions."""

    values: dict[str, Any] = field(default_factory=dict)

    def redacted(self) -> dict[str, Any]:
        """The values with every secret replaced, safe to print (`prefs get --show-secrets` skips this)."""
        return {
            key: ("********" if key in SECRET_PREFERENCES and value not in ("", None) else value)
            for key, value in self.values.items()
        }

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass(slots=True)
class AddOptions:
    """Options for adding torrents; None means "leave it to the server's default"."""

    save_path: str | None = None
    download_path: str | None = None
    cookie: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    skip_checking: bool | None = None
    paused: bool | None = None
    root_folder: bool | None = None
    content_layout: str | None = None  # Original, Subfolder, NoSubfolder (v2 >= 2.7)
    rename: str | None = None
    up_limit: int | None = None  # bytes/s
    dl_limit: int | None = None
    sequential: bool | None = None
    first_last_piece: bool | None = None
    auto_tmm: bool | None = None
    ratio_limit: float | None = None
    seeding_time_limit: int | None = None  # minutes
    #: The search plugin that fetches the links (a search result's own download; 5.3+, WebAPI 2.13.1).
    downloader: str | None = None


@dataclass(frozen=True, slots=True)
class AddResult:
    """What the server said about an add. 5.2+ (WebAPI 2.14) counts and names what it added;
    older servers only say "Ok." (`counted` is False and the rest tells nothing)."""

    added_ids: tuple[str, ...] = ()
    failed: int = 0
    pending: int = 0
    counted: bool = False

    @classmethod
    def from_raw(cls, raw: object) -> AddResult:
        if not isinstance(raw, Mapping):
            raise BadResponse("torrents/add: expected a JSON object with the added torrents")
        ids = raw.get("added_torrent_ids")
        return cls(
            added_ids=tuple(as_str(i).lower() for i in ids if as_str(i)) if isinstance(ids, list) else (),
            failed=as_amount(raw.get("failure_count")),
            pending=as_amount(raw.get("pending_count")),
            counted=True,
        )
