"""Which legacy API version brought what (facts §1.1, spec `APIx` markers)."""

from __future__ import annotations

#: /version/api_min reported alongside each /version/api.
API_MIN = {
    2: 2,
    3: 2,
    4: 2,
    5: 2,
    6: 2,
    7: 2,
    8: 8,
    9: 8,
    10: 10,
    11: 11,
    12: 11,
    13: 13,
    14: 14,
    15: 15,
    16: 15,
    17: 15,
}

#: /version/qbittorrent: the last release that reported each API version.
APP_VERSION = {
    2: "v3.2.0",
    3: "v3.2.1",
    4: "v3.2.3",
    5: "v3.2.5",
    6: "v3.3.0",
    7: "v3.3.1",
    8: "v3.3.3",
    9: "v3.3.4",
    10: "v3.3.7",
    11: "v3.3.10",
    12: "v3.3.11",
    13: "v3.3.12",
    14: "v3.3.13",
    15: "v3.3.16",
    16: "v4.0.0",
    17: "v4.0.4",
}

WEBSEEDS = 3
JSON_MIME = 4  # before: replies that are JSON say text/javascript
SAVE_PATH = 5
LABELS_COMMAND = 6
TORRENT_PEERS = 7
GET_SAVE_PATH = 7
ADDED_ON = 9
CATEGORIES = 10  # labels become categories; getLog / getPeerLog
LOGS = 10
EXTENDED_TORRENT = 12  # tracker, limits, totals, remaining, ratio_limit, last_activity, ...; peer `files`
AMOUNT_LEFT = 13  # `remaining` renamed; statistics keys in server_state / transferInfo
STATISTICS = 13
ADD_PAUSED = 13  # skip_checking, paused on download/upload
PIECES = 14  # getPieceHashes / getPieceStates
CSRF = 14
HOST_CHECK = 15
ROOT_FOLDER = 15
V4_COMMANDS = 16  # setLocation, rename, setAutoTMM; torrent magnet_uri, auto_tmm; file piece_range
V404_FIELDS = 17  # torrent tags, time_active; file availability


def api_min(api: int) -> int:
    return API_MIN[api]


def app_version(api: int) -> str:
    return APP_VERSION[api]


def json_content_type(api: int) -> str:
    return "application/json" if api >= JSON_MIME else "text/javascript; charset=UTF-8"
