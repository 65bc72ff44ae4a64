"""The legacy WebUI API of qBittorrent 3.2.0 - 4.0.4 (`/version/api` 2 - 17).

Quirks honoured here (see shared/reference/qbt-api-facts.md §0 - §3):
- commands reject missing *and extra* fields with 400, so every form carries exactly its fields;
- pause, resume, recheck, rename and addTrackers take a single `hash`: bulk means one call each;
- urlencoded keys are lower-cased by the server, so camelCase add options go multipart;
- labels became categories at API 10; many endpoints arrived in later API versions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from qbtui.api import errors
from qbtui.api.base import ALL, BASIC_FILTERS, Hashes, QbtApi, QueueMove, TorrentFileUpload
from qbtui.api.coerce import as_int, as_limit, as_str
from qbtui.api.models import (
    AddOptions,
    AddResult,
    Category,
    FilePriority,
    LogEntry,
    PeerLogEntry,
    Preferences,
    ServerState,
    ShareLimitAction,
    ShareLimitsMode,
    Torrent,
    TorrentFile,
    TorrentProperties,
    Tracker,
    WebSeed,
    categories_from_raw,
    json_list,
)
from qbtui.api.session import FormValue, Part, form_text

_QUEUE_PATHS = {
    "increase": "command/increasePrio",
    "decrease": "command/decreasePrio",
    "top": "command/topPrio",
    "bottom": "command/bottomPrio",
}


#: The speed-limit preferences, and the first legacy API version that reports them in bytes/s.
KIB_RATE_PREFERENCES = ("dl_limit", "up_limit", "alt_dl_limit", "alt_up_limit")
FIRST_BYTES_RATE_API = 6


def _rate_from_kib(value: Any) -> Any:
    return value * 1024 if isinstance(value, int) and not isinstance(value, bool) and value > 0 else value


def _rate_to_kib(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return max(1, round(value / 1024))
    return value


class LegacyApi(QbtApi):
    LOGIN_PATH = "login"
    LOGOUT_PATH = "logout"
    COMMAND_PATHS = {
        "set_location": "command/setLocation",
        "set_auto_management": "command/setAutoTMM",
        "toggle_sequential": "command/toggleSequentialDownload",
        "toggle_first_last_piece": "command/toggleFirstLastPiecePrio",
        "set_force_start": "command/setForceStart",
        "set_super_seeding": "command/setSuperSeeding",
        "set_torrent_download_limit": "command/setTorrentsDlLimit",
        "set_torrent_upload_limit": "command/setTorrentsUpLimit",
    }
    #: API version each command arrived in, and what to call it when it is missing.
    COMMAND_SINCE = {
        "set_location": (16, "moving torrents"),
        "set_auto_management": (16, "automatic torrent management"),
    }

    @property
    def api(self) -> int:
        return self.info.api_version[0]

    def need(self, version: int, what: str) -> None:
        self.require(self.api >= version, what)

    def no(self, what: str) -> None:
        self.require(False, what)

    async def _get_json(self, path: str, params: dict[str, FormValue] | None = None) -> Any:
        return self.json(await self.session.get(path, params), path)

    async def _torrent_json(self, path: str, hash: str) -> Any:
        # Quoted: a hash comes from the server, and "/", "?", ".." or controls in it must not
        # change which URL is asked for.
        return self.torrent_json(await self.session.get(f"{path}/{quote(hash, safe='')}"), path, hash)

    async def _command(self, path: str, form: dict[str, FormValue] | None = None) -> str:
        return (await self.session.post(path, form or {})).text

    # -- application ----------------------------------------------------------------------------

    async def app_version(self) -> str:
        return (await self.session.get("version/qbittorrent", auth=False)).text.strip()

    async def default_save_path(self) -> str:
        self.need(7, "reading the default save path")
        return (await self._command("command/getSavePath")).strip()

    async def shutdown(self) -> None:
        await self.session.get("command/shutdown")

    async def preferences(self) -> Preferences:
        data = await self._get_json("query/preferences")
        values = dict(data) if isinstance(data, dict) else {}
        if self._kib_rates:
            values.update({k: _rate_from_kib(values[k]) for k in KIB_RATE_PREFERENCES if k in values})
        return Preferences(values)

    async def set_preferences(self, changes: dict[str, Any]) -> None:
        if self._kib_rates:
            changes = {k: (_rate_to_kib(v) if k in KIB_RATE_PREFERENCES else v) for k, v in changes.items()}
        await self._command("command/setPreferences", {"json": json.dumps(changes)})

    @property
    def _kib_rates(self) -> bool:
        """qBittorrent 3.2.x (API 2-5) speaks the spec's KiB/s in preferences; from 3.3.0 (API 6,
        BitTorrent::Session) on they are bytes/s, as the 4.0.4 recording shows. Callers always
        see bytes/s."""
        return self.info.api_version[0] < FIRST_BYTES_RATE_API

    async def log(
        self,
        last_known_id: int = -1,
        *,
        normal: bool = True,
        info: bool = True,
        warning: bool = True,
        critical: bool = True,
    ) -> list[LogEntry]:
        self.need(10, "the server log")
        params = self.log_params(last_known_id, normal=normal, info=info, warning=warning, critical=critical)
        data = await self._get_json("query/getLog", params)
        return [LogEntry.from_raw(item) for item in json_list(data, "query/getLog")]

    async def peer_log(self, last_known_id: int = -1) -> list[PeerLogEntry]:
        self.need(10, "the peer log")
        data = await self._get_json("query/getPeerLog", {"last_known_id": last_known_id})
        return [PeerLogEntry.from_raw(item) for item in json_list(data, "query/getPeerLog")]

    # -- reading torrents -----------------------------------------------------------------------

    async def torrents(
        self,
        *,
        filter: str | None = None,
        category: str | None = None,
        tag: str | None = None,
        sort: str | None = None,
        reverse: bool = False,
        limit: int | None = None,
        offset: int | None = None,
        hashes: Sequence[str] | None = None,
    ) -> list[Torrent]:
        params: dict[str, FormValue] = {}
        key = self.normalise_filter(filter)
        if key is not None:
            self.require(key in BASIC_FILTERS, f"the {key!r} filter")
            params["filter"] = key
        if category is not None:
            self.need(6, "filtering by category")
            params["category" if self.api >= 10 else "label"] = category
        if tag is not None:
            self.no("filtering by tag")
        params.update(self.paging_params(sort, reverse, limit, offset))
        data = await self._get_json("query/torrents", params)
        torrents = [
            Torrent.from_raw(item) for item in json_list(data, "query/torrents") if isinstance(item, dict)
        ]
        if hashes is not None:
            # 4.0.4 has no `hashes` parameter (v2 added it in 4.1.1): filter here instead.
            wanted = {h.lower() for h in hashes}
            torrents = [t for t in torrents if t.hash in wanted]
        return torrents

    async def properties(self, hash: str) -> TorrentProperties:
        return TorrentProperties.from_raw(await self._torrent_json("query/propertiesGeneral", hash))

    async def trackers(self, hash: str) -> list[Tracker]:
        data = await self._torrent_json("query/propertiesTrackers", hash)
        return [Tracker.from_raw(item) for item in json_list(data, "query/propertiesTrackers")]

    async def webseeds(self, hash: str) -> list[WebSeed]:
        self.need(3, "web seeds")
        data = await self._torrent_json("query/propertiesWebSeeds", hash)
        return [WebSeed.from_raw(item) for item in json_list(data, "query/propertiesWebSeeds")]

    async def files(self, hash: str) -> list[TorrentFile]:
        data = await self._torrent_json("query/propertiesFiles", hash)
        return [
            TorrentFile.from_raw(item, index)
            for index, item in enumerate(json_list(data, "query/propertiesFiles"))
        ]

    async def piece_states(self, hash: str) -> list[int]:
        self.need(14, "piece states")
        data = await self._torrent_json("query/getPieceStates", hash)
        return [as_int(state, 0) or 0 for state in json_list(data, "query/getPieceStates")]

    async def piece_hashes(self, hash: str) -> list[str]:
        self.need(14, "piece hashes")
        data = await self._torrent_json("query/getPieceHashes", hash)
        return [as_str(item) for item in json_list(data, "query/getPieceHashes")]

    async def transfer_info(self) -> ServerState:
        return ServerState.from_raw(await self.transfer_raw())

    async def transfer_raw(self) -> dict[str, Any]:
        data = await self._get_json("query/transferInfo")
        return data if isinstance(data, dict) else {}

    async def active_rows(self) -> list[Any]:
        return json_list(await self._get_json("query/torrents", {"filter": "active"}), "query/torrents")

    async def first_page(self, *, sort: str | None, reverse: bool, limit: int) -> list[Any]:
        data = await self._get_json("query/torrents", self.paging_params(sort, reverse, limit, None))
        return json_list(data, "query/torrents")

    #: A rid=0 request (categories()) reset this session's sync state on the server: the deltas it
    #: answers now start from that dump, which the poll loop never saw.
    _sync_reset = False

    async def maindata(self, rid: int = 0) -> dict[str, Any]:
        if self._sync_reset:
            # Changes made between the poll loop's last update and the reset are in no delta the
            # server will send: ask for everything (once) instead of missing them for good.
            rid, self._sync_reset = 0, False
        data = await self._get_json("sync/maindata", {"rid": rid})
        if not isinstance(data, dict):
            raise errors.BadResponse("sync/maindata: expected a JSON object")
        return data

    async def torrent_peers(self, hash: str, rid: int = 0) -> dict[str, Any]:
        self.need(7, "the peer list")
        response = await self.session.get("sync/torrent_peers", {"hash": hash, "rid": rid})
        data = self.torrent_json(response, "sync/torrent_peers", hash)
        if not isinstance(data, dict):
            raise errors.BadResponse("sync/torrent_peers: expected a JSON object")
        return data

    async def categories(self) -> dict[str, Category]:
        # The legacy API lists categories only in sync/maindata. rid=0 costs a full dump and
        # resets this session's sync state: the poll loop's next request is a full one too.
        self.need(6, "categories")
        data = await self._get_json("sync/maindata", {"rid": 0})
        self._sync_reset = True
        if not isinstance(data, dict):
            raise errors.BadResponse("sync/maindata: expected a JSON object")
        return categories_from_raw(data.get("categories", data.get("labels")))

    async def tags(self) -> list[str]:
        self.no("tags")
        return []

    # -- adding ---------------------------------------------------------------------------------

    def _add_fields(self, options: AddOptions) -> dict[str, FormValue]:
        unsupported = [
            name
            for name, value in (
                ("tags", options.tags),
                ("automatic torrent management", options.auto_tmm),
                ("content layout", options.content_layout),
                ("ratio limit", options.ratio_limit),
                ("seeding time limit", options.seeding_time_limit),
                ("incomplete-download path", options.download_path),
            )
            if value not in (None, ())
        ]
        if unsupported:
            self.no(f"adding with {', '.join(unsupported)}")
        fields: dict[str, FormValue] = {}
        simple: list[tuple[str, object, int]] = [
            ("savepath", options.save_path, 2),
            ("cookie", options.cookie, 2),
            ("category" if self.api >= 10 else "label", options.category, 6),
            ("skip_checking", options.skip_checking, 13),
            ("paused", options.paused, 13),
            ("root_folder", options.root_folder, 15),
            ("rename", options.rename, 2),
            ("upLimit", options.up_limit, 2),
            ("dlLimit", options.dl_limit, 2),
            ("sequentialDownload", options.sequential, 2),
            ("firstLastPiecePrio", options.first_last_piece, 2),
        ]
        for key, value, since in simple:
            if value is None:
                continue
            self.need(since, f"the add option {key}")
            fields[key] = value  # type: ignore[assignment]
        return fields

    async def add(
        self,
        urls: Sequence[str] = (),
        files: Sequence[TorrentFileUpload] = (),
        options: AddOptions | None = None,
    ) -> AddResult:
        fields = self._add_fields(options or AddOptions())
        if urls:
            if self.api < 7:
                # Before API 7 command/download took a urlencoded `urls` field only.
                if fields:
                    self.no("add options for URLs")
                answer = await self._command("command/download", {"urls": "\n".join(urls)})
            else:
                parts: list[Part] = [("urls", "\n".join(urls), None)]
                parts += [(key, form_text(value), None) for key, value in fields.items()]
                answer = (await self.session.post("command/download", parts=parts)).text
            if answer.strip() == "Fails.":
                raise errors.Rejected("the server could not add any of the given URLs or magnet links")
        if files:
            parts = [("torrents", upload.data, upload.filename) for upload in files]
            parts += [(key, form_text(value), None) for key, value in fields.items()]
            await self.session.post("command/upload", parts=parts)
        return AddResult()

    # -- torrent commands -----------------------------------------------------------------------

    async def pause(self, hashes: Hashes) -> None:
        if hashes == ALL:
            await self._command("command/pauseAll")
            return
        await self.for_each("pause", hashes, lambda h: self._command("command/pause", {"hash": h}))

    async def resume(self, hashes: Hashes) -> None:
        if hashes == ALL:
            await self._command("command/resumeAll")
            return
        await self.for_each("resume", hashes, lambda h: self._command("command/resume", {"hash": h}))

    async def hashes_command(self, operation: str, hashes: Hashes, **fields: FormValue) -> None:
        since, what = self.COMMAND_SINCE.get(operation, (2, operation))
        self.need(since, what)
        await self._hashes_command(self.COMMAND_PATHS[operation], hashes, **fields)

    async def _hashes_command(self, path: str, hashes: Hashes, **fields: FormValue) -> None:
        expanded = await self.expand(hashes)
        if expanded:
            await self._command(path, {"hashes": "|".join(expanded), **fields})

    async def delete(self, hashes: Hashes, *, delete_files: bool) -> None:
        await self._hashes_command("command/deletePerm" if delete_files else "command/delete", hashes)

    async def recheck(self, hashes: Hashes) -> None:
        await self.for_each(
            "recheck", await self.expand(hashes), lambda h: self._command("command/recheck", {"hash": h})
        )

    async def reannounce(self, hashes: Hashes) -> None:
        self.no("reannouncing")

    async def move_in_queue(self, hashes: Hashes, move: QueueMove) -> None:
        await self._hashes_command(_QUEUE_PATHS[move], hashes)

    async def add_trackers(self, hash: str, urls: Sequence[str]) -> None:
        await self._command("command/addTrackers", {"hash": hash, "urls": "\n".join(urls)})

    async def edit_tracker(
        self, hash: str, old_url: str, new_url: str | None, *, tier: int | None = None
    ) -> None:
        self.no("editing trackers")

    async def remove_trackers(self, hash: str, urls: Sequence[str]) -> None:
        self.no("removing trackers")

    async def add_peers(self, hashes: Hashes, peers: Sequence[str]) -> None:
        self.no("adding peers")

    async def ban_peers(self, peers: Sequence[str]) -> None:
        self.no("banning peers")

    async def set_file_priority(self, hash: str, file_ids: Sequence[int], priority: FilePriority) -> None:
        async def send(file_id: int) -> None:
            await self._command(
                "command/setFilePrio", {"hash": hash, "id": file_id, "priority": int(priority)}
            )

        await self.for_each("set file priority", file_ids, send, noun="files")

    async def rename_file(self, hash: str, old_path: str, new_path: str) -> None:
        self.no("renaming files")

    async def rename_folder(self, hash: str, old_path: str, new_path: str) -> None:
        self.no("renaming folders")

    async def rename(self, hash: str, name: str) -> None:
        self.need(16, "renaming torrents")
        await self._command("command/rename", {"hash": hash, "name": name})

    async def set_category(self, hashes: Hashes, category: str) -> None:
        self.need(6, "categories")
        if self.api >= 10:
            await self._hashes_command("command/setCategory", hashes, category=category)
        else:
            await self._hashes_command("command/setLabel", hashes, label=category)

    async def create_category(self, name: str, save_path: str | None = None) -> None:
        self.need(10, "creating categories")
        if save_path:
            self.no("category save paths")
        await self._command("command/addCategory", {"category": name})

    async def edit_category(self, name: str, save_path: str) -> None:
        self.no("editing categories")

    async def remove_categories(self, names: Sequence[str]) -> None:
        self.need(10, "removing categories")
        await self._command("command/removeCategories", {"categories": "\n".join(names)})

    async def add_tags(self, hashes: Hashes, tags: Sequence[str]) -> None:
        self.no("tags")

    async def remove_tags(self, hashes: Hashes, tags: Sequence[str]) -> None:
        self.no("tags")

    async def create_tags(self, tags: Sequence[str]) -> None:
        self.no("tags")

    async def delete_tags(self, tags: Sequence[str]) -> None:
        self.no("tags")

    async def set_share_limits(
        self,
        hashes: Hashes,
        ratio_limit: float,
        seeding_time_limit: int,
        inactive_seeding_time_limit: int = -2,
        *,
        action: ShareLimitAction | None = None,
        mode: ShareLimitsMode | None = None,
    ) -> None:
        self.no("per-torrent share limits")

    # -- speed limits ---------------------------------------------------------------------------

    async def _limit(self, path: str) -> int | None:
        return as_limit((await self._command(path)).strip())

    async def global_download_limit(self) -> int | None:
        return await self._limit("command/getGlobalDlLimit")

    async def global_upload_limit(self) -> int | None:
        return await self._limit("command/getGlobalUpLimit")

    async def set_global_download_limit(self, limit: int | None) -> None:
        await self._command("command/setGlobalDlLimit", {"limit": limit or 0})

    async def set_global_upload_limit(self, limit: int | None) -> None:
        await self._command("command/setGlobalUpLimit", {"limit": limit or 0})

    async def _torrent_limits(self, path: str, hashes: Hashes) -> dict[str, int | None]:
        expanded = await self.expand(hashes)
        if not expanded:
            return {}
        response = await self.session.post(path, {"hashes": "|".join(expanded)})
        data = self.json(response, path) or {}
        return {str(h).lower(): as_limit(v) for h, v in data.items()} if isinstance(data, dict) else {}

    async def torrent_download_limits(self, hashes: Hashes) -> dict[str, int | None]:
        return await self._torrent_limits("command/getTorrentsDlLimit", hashes)

    async def torrent_upload_limits(self, hashes: Hashes) -> dict[str, int | None]:
        return await self._torrent_limits("command/getTorrentsUpLimit", hashes)

    async def alternative_speed_limits_enabled(self) -> bool:
        return (await self._command("command/alternativeSpeedLimitsEnabled")).strip() == "1"

    async def toggle_alternative_speed_limits(self) -> None:
        await self._command("command/toggleAlternativeSpeedLimits")
