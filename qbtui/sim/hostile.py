"""Hostile mode: a server whose data attacks the client (`SimConfig(hostile=True)`, `--hostile`).

Two layers, both deterministic (nothing here draws on the engine's random stream):

- **Hostile data at the source.** Extra torrents whose names, categories, tags, save paths, files,
  trackers, web seeds, comments and log lines carry Rich markup, ANSI/OSC escape sequences, control
  characters, bidi overrides, zero-width characters, emoji/CJK, a lone surrogate and a 100,000
  character name. They live in the engine like any torrent, so commands, filters and deltas work.
- **Hostile answers on the wire.** `Hostility.tamper()` rewrites JSON replies after the handler:
  wrong types, missing fields, unknown states, negative and out-of-range numbers, `1e400` (valid
  JSON that reads as infinity), unknown tracker statuses, piece states and log levels; peers get
  hostile client names; the details endpoints of some torrents answer with an HTML error page,
  truncated JSON or JSON of the wrong shape; and now and then `sync/maindata` fails the same ways.

With `hostile=False` none of this runs and the simulator's bytes are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from qbtui.sim.engine import Engine, make_metadata
from qbtui.sim.model import CRITICAL, INFO, NORMAL, WARNING, SimTorrent, SimTracker
from qbtui.sim.wire import HTML, TEXT

if TYPE_CHECKING:
    from qbtui.sim.routes import Call

#: Every hostile string, by a short ASCII key (the key names the torrent's hash and is safe to print).
STRINGS: dict[str, str] = {
    "markup-bold": "[bold red]RED ALERT[/bold red]",
    "markup-link": "[link=https://evil.example/]click me[/link]",
    "markup-click": "[@click=app.quit]quit[/] now",
    "markup-close": "stray [/] close [/bold] tags [",
    "markup-variable": "[$accent on $error]var[/] $accent $text",
    "markup-escaped": r"\[not markup] [b]\[/b]",
    "ansi-sgr": "\x1b[31mANSI red\x1b[0m text",
    "ansi-clear": "\x1b[2J\x1b[Hcleared screen",
    "ansi-title": "\x1b]0;pwned title\x07osc title",
    "ansi-osc8": "\x1b]8;;https://evil.example/\x1b\\osc8 link\x1b]8;;\x1b\\",
    "ansi-c1": "\x9b31mC1 CSI\x9b0m \x9d0;c1 osc\x9c",
    "controls": "tab\there new\nline cr\rret bell\x07 nul\x00 bs\x08 del\x7f",
    "bidi-override": "\u202eexe.txt\u202c RLO name",
    "bidi-isolate": "\u2067isolate\u2069 \u200fRLM \u061cALM \u200eLRM",
    "zero-width": "zero\u200bwidth\u200c non\u200djoin\u2060wj\ufeffbom",
    "line-separators": "line\u2028separator\u2029paragraph\x85nel",
    "emoji": "\U0001f468\u200d\U0001f469\u200d\U0001f467 family "
    "\U0001f3f3\ufe0f\u200d\U0001f308 \U0001f3b5 \u2764\ufe0f",
    "cjk": "東京の夜景 한국어 中文字幕 ＦＵＬＬ",
    "zalgo": "Z\u0338\u0321\u0322\u0347a\u0336l\u0335g\u0337o\u0334 combining",
    "html": "<script>alert(1)</script> &amp; &lt;b&gt; &#27;[31m",
    "format": "%s %d {0} {name} %n ${HOME}",
    "surrogate": "lone \ud800 surrogate",
    "blank": "   ",
    "long-path": "/".join(["deep"] * 400),
    "huge": "H" * 100_000,
}

CATEGORIES = (
    "[bold red]cat[/]",
    "[@click=app.quit]quit[/]",
    "\x1b[31mansi cat\x1b[0m",
    "rlo\u202eyrogetac",
    "東京",
    "zw\u200bsp",
    "\x00any",
    "C" * 300,
    "\U0001f3b5 music",
)
TAGS = (
    "[b]tag[/b]",
    "[link=https://evil.example/]t[/link]",
    "tag\x1b[5mblink",
    "\U0001f3b5",
    "タグ",
    "T" * 200,
)

#: Torrents whose answers are corrupted on the wire; the key names the corruption.
CORRUPT_NAMES = {
    "types": "corrupt: wrong types",
    "missing": "corrupt: missing fields",
    "numbers": "corrupt: huge and negative numbers",
    "nan": "corrupt: NaN and infinity",
    "state": "corrupt: unknown state",
    "html": "corrupt: HTML error pages",
    "truncated": "corrupt: truncated JSON",
    "shape": "corrupt: JSON of the wrong shape",
}

#: Stands for the JSON number 1e400 (infinite once read) until the body is written.
INF = "\x00hostile:1e400\x00"
NEG_INF = "\x00hostile:-1e400\x00"
TINY = "\x00hostile:1e-400\x00"
_SPECIAL = {INF: "1e400", NEG_INF: "-1e400", TINY: "1e-400"}
#: More digits than a float can hold, fewer than Python's int-from-string limit (4300).
HUGE_INT = 10**4200

TORRENT_CORRUPTION: dict[str, dict[str, Any]] = {
    "types": {
        "size": "12 GiB",
        "total_size": "lots",
        "progress": "half",
        "dlspeed": "fast",
        "upspeed": [1],
        "eta": "soon",
        "ratio": {"x": 1},
        "priority": "first",
        "num_seeds": "many",
        "num_leechs": None,
        "category": 7,
        "tags": ["a", 3, None],
        "save_path": {"path": "/x"},
        "added_on": "yesterday",
        "completion_on": [],
        "force_start": "maybe",
        "seq_dl": "yes",
        "state": 42,
        "dl_limit": "none",
        "tracker": 5,
        "magnet_uri": False,
        "time_active": "long",
        "name": ["not", "a", "string"],
    },
    "numbers": {
        "size": -1,
        "total_size": 2**70,
        "progress": -0.5,
        "dlspeed": -5,
        "upspeed": 10**30,
        "eta": -1,
        "ratio": 1e308,
        "num_seeds": -7,
        "num_leechs": 2**64,
        "num_complete": -2,
        "added_on": 10**15,
        "completion_on": -99,
        "seen_complete": 2**63,
        "dl_limit": -2,
        "up_limit": 2**63,
        "priority": -3,
        "downloaded": HUGE_INT,
        "uploaded": -HUGE_INT,
        "amount_left": -(10**20),
        "time_active": 10**18,
        "ratio_limit": -1e308,
    },
    "nan": {
        "progress": "NaN",
        "ratio": "Infinity",
        "size": INF,
        "total_size": NEG_INF,
        "dlspeed": NEG_INF,
        "upspeed": "-Infinity",
        "eta": "NaN",
        "num_seeds": TINY,
        "added_on": "NaN",
        "ratio_limit": INF,
        "time_active": INF,
    },
    "state": {"state": "someFutureState"},
    "html": {"state": "[bold red]error[/]\x1b[5m"},
    "truncated": {"state": ""},
    "shape": {"state": "STALLEDUP "},
}
#: What "missing" keeps: everything else is left out.
MISSING_KEEPS = frozenset({"last_activity", "amount_left", "remaining", "hash"})

PROPERTY_CORRUPTION: dict[str, Any] = {
    "piece_size": "big",
    "creation_date": 10**15,
    "total_size": "x",
    "pieces_num": -5,
    "pieces_have": HUGE_INT,
    "share_ratio": "NaN",
    "eta": -1,
    "addition_date": "never",
    "completion_date": INF,
    "save_path": 5,
    "nb_connections": "x",
    "reannounce": INF,
    "time_elapsed": -1,
    "dl_speed_avg": "x",
    "up_speed": NEG_INF,
    "comment": None,
    "created_by": ["x"],
}

SERVER_STATE_CORRUPTION: dict[str, Any] = {
    "dl_info_speed": "fast",
    "up_info_speed": -1,
    "dl_info_data": INF,
    "up_info_data": HUGE_INT,
    "dht_nodes": "many",
    "connection_status": "[bold red]ALERT[/]\x1b[5m",
    "dl_rate_limit": -5,
    "up_rate_limit": "none",
    "alltime_dl": HUGE_INT,
    "alltime_ul": -1,
    "global_ratio": "Infinity",
    "total_peer_connections": "x",
    "total_wasted_session": NEG_INF,
    "queueing": "maybe",
    "use_alt_speed_limits": "?",
}

FILE_CORRUPTIONS: tuple[dict[str, Any], ...] = (
    {"name": 5, "size": "x", "progress": "NaN", "priority": "high", "piece_range": [1]},
    {"name": None, "size": -5, "progress": 2.5, "priority": 99, "piece_range": ["a", "b"], "is_seed": "yes"},
    {"size": HUGE_INT, "progress": -1, "priority": -4, "piece_range": [5, 2], "availability": "?"},
    {"progress": INF, "priority": None, "piece_range": [-3, 10**12], "availability": NEG_INF},
)

TRACKER_CORRUPTIONS: tuple[dict[str, Any], ...] = (
    {"status": 99, "num_peers": "x", "msg": None},
    {"status": "Gibberish", "num_peers": -4, "msg": 5},
    {"status": None, "num_peers": HUGE_INT, "url": 5},
)

PEER_CORRUPTION: dict[str, Any] = {
    "port": "x",
    "progress": "NaN",
    "dl_speed": -1,
    "up_speed": INF,
    "downloaded": HUGE_INT,
    "relevance": "high",
    "connection": None,
    "flags": 7,
}

#: Shapes that are valid JSON but not what the endpoint promises.
WRONG_SHAPES: dict[str, Any] = {
    "propertiesGeneral": ["not", "an", "object"],
    "propertiesTrackers": {"url": "not a list"},
    "propertiesWebSeeds": "just a string",
    "propertiesFiles": 42,
    "getPieceStates": {"0": 2},
    "getPieceHashes": None,
    "torrent_peers": [1, 2, 3],
}

#: A torrent only sync/maindata lists (full updates), under a key that is no info-hash at all.
PHANTOM_KEY = "[b]Phantom[/b]\x1b[31m"
PHANTOM = {"name": "phantom: listed under no info-hash", "state": "downloading", "size": 1, "progress": 0.5}

ERROR_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    "<body><h1>[bold red]Bad Gateway[/]</h1>\x1b[31m<p>nginx</p>\x1b]0;pwned\x07</body></html>\n"
)

#: Every this many sync/maindata answers, one fails (an error page, truncated JSON, garbage).
MAINDATA_FAULT_EVERY = 15
#: Per-torrent endpoints whose answers a corrupt torrent spoils.
DETAIL_ENDPOINTS = frozenset(
    {
        "propertiesGeneral",
        "propertiesTrackers",
        "propertiesWebSeeds",
        "propertiesFiles",
        "getPieceStates",
        "getPieceHashes",
        "torrent_peers",
    }
)

_SURROGATE = re.compile("[\ud800-\udfff]")


def hostile_hash(key: str) -> str:
    return hashlib.sha1(f"qbtui-hostile:{key}".encode()).hexdigest()


def pick(items: tuple[str, ...] | list[str], seed: str) -> str:
    """A fixed choice for `seed` (no random stream involved)."""
    digest = hashlib.sha1(seed.encode("utf-8", "surrogatepass")).digest()
    return items[int.from_bytes(digest[:4], "big") % len(items)]


def to_json(value: Any) -> bytes:
    """Like `wire.to_json`, plus the 1e400 stand-ins and lone surrogates written as escapes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for stand_in, number in _SPECIAL.items():
        text = text.replace(json.dumps(stand_in), number)
    text = _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
    return text.encode("utf-8")


class Hostility:
    """The hostile torrents of one simulator and how its answers are spoiled."""

    def __init__(self, eng: Engine) -> None:
        self.eng = eng
        self.string_hashes: dict[str, str] = {}
        self.corrupt: dict[str, str] = {}  # hash -> corruption key
        self.weird_log_ids: dict[int, dict[str, Any]] = {}
        self.weird_peer_log_ids: dict[int, dict[str, Any]] = {}
        self.maindata_calls = 0

    # -- hostile data at the source --------------------------------------------------------------

    def populate(self, start: int) -> None:
        eng = self.eng
        eng.categories.update(CATEGORIES)
        strings = list(STRINGS.items())
        for index, (key, text) in enumerate(strings):
            self.string_hashes[hostile_hash(key)] = key
            self._install(key, text, start, index)
        for index, (key, name) in enumerate(CORRUPT_NAMES.items(), start=len(strings)):
            info_hash = self._install(f"corrupt-{key}", name, start, index)
            self.corrupt[info_hash] = key
        eng.finish_bulk()
        self._log(start)

    def _install(self, key: str, name: str, start: int, index: int) -> str:
        eng = self.eng
        info_hash = hostile_hash(key)
        text = STRINGS.get(key, name)
        short = text[:200]
        files = [
            (f"{short}.bin", 20 * 1024 * 1024 + index),
            (f"dir {short}/inner {short}.txt", 4096 + index),
            ("../../etc/passwd", 512),
            ("a//b/./c.txt", 1024),
            ("/absolute/path.txt", 2048),
        ]
        meta = make_metadata(
            name,
            files,
            multi=True,
            comment=text,
            created_by=pick(list(STRINGS.values()), f"created:{key}"),
            creation_date=start - 86400 * (index + 2),
        )
        t = SimTorrent(
            info_hash,
            name,
            start - 3600 * (index + 1),
            f"/srv/{key}/{short}/",
            meta,
            trackers=[
                SimTracker("udp://tracker.opentrackr.org:1337/announce"),
                SimTracker(f"http://{key}.invalid/announce?[bold]{short[:40]}[/]", "dead"),
            ],
            url_seeds=[f"http://seed.invalid/{short[:60]}"],
            category=CATEGORIES[index % len(CATEGORIES)],
            tags=(TAGS[index % len(TAGS)], TAGS[(index + 2) % len(TAGS)]),
        )
        t.swarm_seeds, t.swarm_leechers = 8 + index % 5, 4 + index % 3
        t.dl_capacity, t.ul_capacity = 400_000 + 10_000 * index, 60_000
        t.fill(0.1 * (index % 10))
        t.downloaded = t.done_bytes
        t.uploaded = t.done_bytes // 3
        eng.install(t, paused=index % 7 == 3, bulk=True)
        # Forced: past the download queue, so they have peers (whose client names are hostile too).
        t.forced = index % 7 != 3
        return info_hash

    def _log(self, start: int) -> None:
        log = self.eng.log
        levels = (NORMAL, INFO, WARNING, CRITICAL)
        base = start * 1000 + 500
        for offset, (key, text) in enumerate(STRINGS.items()):
            log.add(f"hostile log line ({key}): {text}", levels[offset % 4], base + offset)
        for offset, text in enumerate(STRINGS.values()):
            log.add_peer(text[:100], offset % 2 == 0, text, base + offset)
        weird: tuple[dict[str, Any], ...] = (
            {"timestamp": 10**18},
            {"timestamp": "yesterday", "type": 99},
            {"message": None, "type": "critical"},
            {"timestamp": -1, "id": "x"},
            {"timestamp": INF, "message": ["not", "text"]},
        )
        for offset, change in enumerate(weird):
            message_id = log._next
            log.add(f"weird log entry {offset}", NORMAL, base + 100 + offset)
            self.weird_log_ids[message_id] = change
        peer_id = log._next_peer
        log.add_peer("203.0.113.9", True, "weird peer log entry", base + 200)
        self.weird_peer_log_ids[peer_id] = {"ip": 5, "blocked": "maybe", "timestamp": 10**18, "reason": None}

    # -- hostile answers on the wire --------------------------------------------------------------

    def tamper(self, call: Call, scope: str, action: str) -> None:
        """Spoil the reply the handler wrote, according to the endpoint and the torrent."""
        if call.status != 200:
            return
        if scope == "sync" and action == "maindata":
            self.maindata_calls += 1
            if self.maindata_calls % MAINDATA_FAULT_EVERY == 0:
                self._fault(call, self.maindata_calls // MAINDATA_FAULT_EVERY)
                return
        key = self._torrent_key(call, scope, action)
        corruption = self.corrupt.get(key or "")
        if action in DETAIL_ENDPOINTS and corruption in ("html", "truncated", "shape"):
            self._spoil_detail(call, action, corruption)
            return
        if not call.body or not (call.content_type or "").startswith("application/json"):
            return
        try:
            data = json.loads(bytes(call.body))
        except ValueError:
            return
        data = self._rewrite(data, scope, action, key)
        call.body = bytearray(to_json(data))

    def _torrent_key(self, call: Call, scope: str, action: str) -> str | None:
        if scope == "query" and call.args:
            return call.args[0].lower()
        if action == "torrent_peers":
            return (call.gets.get("hash") or "").lower()
        return None

    def _fault(self, call: Call, count: int) -> None:
        kind = count % 3
        call.body = bytearray()
        call.content_type = None
        if kind == 1:
            call.fail(502, "Bad Gateway")
            call.print(ERROR_PAGE, HTML)
        elif kind == 2:
            call.print(b'{"rid":7,"torrents":{"abc":{"name":"trunc', "application/json")
        else:
            call.print(b"\x00\xff\xfe garbage \x1b[31m not json", TEXT)

    def _spoil_detail(self, call: Call, action: str, corruption: str) -> None:
        body = bytes(call.body)
        call.body = bytearray()
        call.content_type = None
        if corruption == "html":
            call.print(ERROR_PAGE, HTML)
        elif corruption == "truncated":
            call.print(body[: max(1, len(body) // 2)] or b"[", "application/json")
        else:
            call.print(to_json(WRONG_SHAPES.get(action)), "application/json")

    def _rewrite(self, data: Any, scope: str, action: str, key: str | None) -> Any:
        if action == "maindata" and isinstance(data, dict):
            torrents = data.get("torrents")
            if isinstance(torrents, dict):
                for info_hash, fields in torrents.items():
                    torrents[info_hash] = self._torrent(info_hash, fields)
                if data.get("full_update"):
                    torrents[PHANTOM_KEY] = dict(PHANTOM)
            state = data.get("server_state")
            if isinstance(state, dict):
                self._server_state(state)
        elif action == "torrents" and isinstance(data, list):
            data = [self._torrent(str(row.get("hash", "")), row) for row in data]
        elif action == "transferInfo" and isinstance(data, dict):
            self._server_state(data)
        elif action == "propertiesGeneral" and isinstance(data, dict) and key in self.corrupt:
            data.update(PROPERTY_CORRUPTION)
        elif action == "propertiesTrackers" and isinstance(data, list):
            data = self._trackers(data, key)
        elif action == "propertiesFiles" and isinstance(data, list) and key in self.corrupt:
            for index, entry in enumerate(data):
                entry.update(FILE_CORRUPTIONS[index % len(FILE_CORRUPTIONS)])
        elif action == "getPieceStates" and isinstance(data, list) and key in self.corrupt:
            data[: min(9, len(data))] = [0, 1, 2, 3, -1, "x", None, 99, 2**70][: min(9, len(data))]
        elif action == "torrent_peers" and isinstance(data, dict):
            self._peers(data, key)
        elif action == "getLog" and isinstance(data, list):
            for entry in data:
                entry.update(self.weird_log_ids.get(entry.get("id"), {}))
        elif action == "getPeerLog" and isinstance(data, list):
            for entry in data:
                entry.update(self.weird_peer_log_ids.get(entry.get("id"), {}))
        return data

    def _torrent(self, info_hash: str, fields: Any) -> Any:
        corruption = self.corrupt.get(info_hash)
        if corruption is None or not isinstance(fields, dict):
            return fields
        if corruption == "missing":
            return {k: v for k, v in fields.items() if k in MISSING_KEEPS}
        for name, value in TORRENT_CORRUPTION[corruption].items():
            # Deltas carry changed fields only: spoil what is there, so every answer agrees.
            if name in fields or "name" in fields:
                fields[name] = value
        fields["[bold]x[/]"] = "\x1b[31munknown field"
        return fields

    @staticmethod
    def _server_state(state: dict[str, Any]) -> None:
        for name, value in SERVER_STATE_CORRUPTION.items():
            if name in state:
                state[name] = value

    def _trackers(self, data: list[Any], key: str | None) -> list[Any]:
        texts = list(STRINGS.values())
        for index, entry in enumerate(data):
            if not isinstance(entry, dict):
                continue
            if key in self.string_hashes:
                entry["msg"] = texts[index % len(texts)] if index else STRINGS[self.string_hashes[key]]
            if key in self.corrupt:
                entry.update(TRACKER_CORRUPTIONS[index % len(TRACKER_CORRUPTIONS)])
        return data

    def _peers(self, data: dict[str, Any], key: str | None) -> None:
        peers = data.get("peers")
        if not isinstance(peers, dict):
            return
        texts = list(STRINGS.values())
        for peer_key, fields in peers.items():
            if not isinstance(fields, dict):
                continue
            if "client" in fields:
                fields["client"] = pick(texts, f"client:{peer_key}")
            if key in self.string_hashes:
                for name in ("flags_desc", "country", "files"):
                    if name in fields:
                        fields[name] = pick(texts, f"{name}:{peer_key}")
            if key in self.corrupt:
                fields.update(PEER_CORRUPTION)
