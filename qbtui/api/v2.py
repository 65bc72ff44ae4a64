"""WebAPI v2 of qBittorrent 4.1 - 5.x, with the 5.0 renames chosen by `webapiVersion`.

Features are gated by the API version the server reported (facts §4.2 - §4.4), never guessed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import httpx

from qbtui.api import errors
from qbtui.api.base import ALL, EXTRA_V2_FILTERS, Hashes, QbtApi, QueueMove, TorrentFileUpload
from qbtui.api.coerce import as_int, as_limit, as_str
from qbtui.api.gates import COMMENT
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
from qbtui.api.session import FormValue, Part, Secret, form_text

P = "api/v2/"


def _joined(hashes: Hashes) -> str:
    return ALL if hashes == ALL else "|".join(hashes)


class V2Api(QbtApi):
    LOGIN_PATH = P + "auth/login"
    LOGOUT_PATH = P + "auth/logout"
    COMMAND_PATHS = {
        "set_location": "torrents/setLocation",
        "set_auto_management": "torrents/setAutoManagement",
        "toggle_sequential": "torrents/toggleSequentialDownload",
        "toggle_first_last_piece": "torrents/toggleFirstLastPiecePrio",
        "set_force_start": "torrents/setForceStart",
        "set_super_seeding": "torrents/setSuperSeeding",
        "set_torrent_download_limit": "torrents/setDownloadLimit",
        "set_torrent_upload_limit": "torrents/setUploadLimit",
    }

    def need(self, what: str, *version: int) -> None:
        self.require(self.info.v2_at_least(*version), what)

    async def _get_json(self, path: str, params: dict[str, FormValue] | None = None) -> Any:
        return self.json(await self.session.get(P + path, params), path)

    async def _torrent_json(self, path: str, hash: str, **params: FormValue) -> Any:
        try:
            response = await self.session.get(P + path, {"hash": hash, **params})
        except errors.NotFound:
            raise errors.TorrentNotFound(f"no torrent with hash {hash}") from None
        return self.torrent_json(response, path, hash)

    async def _post(self, path: str, form: dict[str, FormValue] | None = None) -> str:
        try:
            return (await self.session.post(P + path, form or {})).text
        except errors.NotFound as exc:
            if "hash" in (form or {}):
                raise errors.TorrentNotFound(f"no torrent with hash {form['hash']}") from None  # type: ignore[index]
            raise exc

    async def hashes_command(self, operation: str, hashes: Hashes, **fields: FormValue) -> None:
        await self._hashes(self.COMMAND_PATHS[operation], hashes, **fields)

    async def _hashes(self, path: str, hashes: Hashes, **fields: FormValue) -> None:
        if hashes != ALL and not hashes:
            return
        await self._post(path, {"hashes": _joined(hashes), **fields})

    # -- application ----------------------------------------------------------------------------

    async def app_version(self) -> str:
        return (await self.session.get(P + "app/version")).text.strip()

    async def default_save_path(self) -> str:
        return (await self.session.get(P + "app/defaultSavePath")).text.strip()

    async def shutdown(self) -> None:
        await self._post("app/shutdown")

    async def preferences(self) -> Preferences:
        data = await self._get_json("app/preferences")
        return Preferences(dict(data) if isinstance(data, dict) else {})

    async def set_preferences(self, changes: dict[str, Any]) -> None:
        if self.info.uses_stop_start and "start_paused_enabled" in changes:
            changes = dict(changes)
            changes["add_stopped_enabled"] = changes.pop("start_paused_enabled")
        await self._post("app/setPreferences", {"json": json.dumps(changes)})

    async def log(
        self,
        last_known_id: int = -1,
        *,
        normal: bool = True,
        info: bool = True,
        warning: bool = True,
        critical: bool = True,
    ) -> list[LogEntry]:
        params = self.log_params(last_known_id, normal=normal, info=info, warning=warning, critical=critical)
        return [
            LogEntry.from_raw(item)
            for item in json_list(await self._get_json("log/main", params), "log/main")
        ]

    async def peer_log(self, last_known_id: int = -1) -> list[PeerLogEntry]:
        data = await self._get_json("log/peers", {"last_known_id": last_known_id})
        return [PeerLogEntry.from_raw(item) for item in json_list(data, "log/peers")]

    # -- reading torrents -----------------------------------------------------------------------

    def _filter_name(self, filter: str | None) -> str | None:
        key = self.normalise_filter(filter)
        if key in EXTRA_V2_FILTERS:
            self.need(f"the {key!r} filter", 2, 8, 4)
        if self.info.uses_stop_start:
            key = {"paused": "stopped", "resumed": "running"}.get(key or "", key)
        return key

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
        key = self._filter_name(filter)
        if key is not None:
            params["filter"] = key
        if category is not None:
            params["category"] = category
        if tag is not None:
            self.need("filtering by tag", 2, 8, 4)
            params["tag"] = tag
        params.update(self.paging_params(sort, reverse, limit, offset))
        server_filters_hashes = hashes is not None and self.info.v2_at_least(2, 0, 1)
        if server_filters_hashes:
            params["hashes"] = "|".join(hashes or ())
        data = await self._get_json("torrents/info", params)
        torrents = [
            Torrent.from_raw(item) for item in json_list(data, "torrents/info") if isinstance(item, dict)
        ]
        if hashes is not None and not server_filters_hashes:
            wanted = {h.lower() for h in hashes}
            torrents = [t for t in torrents if t.hash in wanted]
        return torrents

    async def properties(self, hash: str) -> TorrentProperties:
        return TorrentProperties.from_raw(await self._torrent_json("torrents/properties", hash))

    async def trackers(self, hash: str) -> list[Tracker]:
        data = await self._torrent_json("torrents/trackers", hash)
        return [Tracker.from_raw(item) for item in json_list(data, "torrents/trackers")]

    async def webseeds(self, hash: str) -> list[WebSeed]:
        data = await self._torrent_json("torrents/webseeds", hash)
        return [WebSeed.from_raw(item) for item in json_list(data, "torrents/webseeds")]

    async def files(self, hash: str) -> list[TorrentFile]:
        data = await self._torrent_json("torrents/files", hash)
        return [
            TorrentFile.from_raw(item, index) for index, item in enumerate(json_list(data, "torrents/files"))
        ]

    async def piece_states(self, hash: str) -> list[int]:
        data = await self._torrent_json("torrents/pieceStates", hash)
        return [as_int(state, 0) or 0 for state in json_list(data, "torrents/pieceStates")]

    async def piece_hashes(self, hash: str) -> list[str]:
        data = await self._torrent_json("torrents/pieceHashes", hash)
        return [as_str(item) for item in json_list(data, "torrents/pieceHashes")]

    async def transfer_info(self) -> ServerState:
        return ServerState.from_raw(await self.transfer_raw())

    async def transfer_raw(self) -> dict[str, Any]:
        data = await self._get_json("transfer/info")
        return data if isinstance(data, dict) else {}

    async def active_rows(self) -> list[Any]:
        return json_list(await self._get_json("torrents/info", {"filter": "active"}), "torrents/info")

    async def rows_by_hash(self, hashes: Sequence[str]) -> list[Any]:
        if not hashes or not self.info.v2_at_least(2, 0, 1):  # the `hashes` parameter
            return []
        return json_list(await self._get_json("torrents/info", {"hashes": "|".join(hashes)}), "torrents/info")

    async def first_page(self, *, sort: str | None, reverse: bool, limit: int) -> list[Any]:
        data = await self._get_json("torrents/info", self.paging_params(sort, reverse, limit, None))
        return json_list(data, "torrents/info")

    async def torrent_count(self) -> int | None:
        # torrents/count came with WebAPI 2.9.3 (qBittorrent 4.6.1: TorrentsController::countAction).
        if not self.info.v2_at_least(2, 9, 3):
            return None
        response = await self.session.get(P + "torrents/count")
        text = response.text.strip()
        if not text.isdigit():
            raise errors.BadResponse(f"torrents/count: expected a number, got {text[:40]!r}")
        return int(text)

    async def maindata(self, rid: int = 0) -> dict[str, Any]:
        data = await self._get_json("sync/maindata", {"rid": rid})
        if not isinstance(data, dict):
            raise errors.BadResponse("sync/maindata: expected a JSON object")
        return data

    async def torrent_peers(self, hash: str, rid: int = 0) -> dict[str, Any]:
        data = await self._torrent_json("sync/torrentPeers", hash, rid=rid)
        if not isinstance(data, dict):
            raise errors.BadResponse("sync/torrentPeers: expected a JSON object")
        return data

    async def categories(self) -> dict[str, Category]:
        if self.info.v2_at_least(2, 1, 1):
            return categories_from_raw(await self._get_json("torrents/categories"))
        return categories_from_raw((await self.maindata(0)).get("categories"))

    async def tags(self) -> list[str]:
        self.need("tags", 2, 3)
        data = await self._get_json("torrents/tags")
        return [as_str(tag) for tag in json_list(data, "torrents/tags") if as_str(tag)]

    # -- adding ---------------------------------------------------------------------------------

    def _add_parts(self, options: AddOptions) -> list[Part]:
        fields: dict[str, object] = {
            "savepath": options.save_path,
            "cookie": options.cookie,
            "category": options.category,
            "rename": options.rename,
            "upLimit": options.up_limit,
            "dlLimit": options.dl_limit,
            "sequentialDownload": options.sequential,
            "firstLastPiecePrio": options.first_last_piece,
            "autoTMM": options.auto_tmm,
            "ratioLimit": options.ratio_limit,
            "seedingTimeLimit": options.seeding_time_limit,
        }
        if options.paused is not None:
            fields["stopped" if self.info.uses_stop_start else "paused"] = options.paused
        if options.skip_checking is not None:
            # WebAPI 2.16 (5.3) replaced skip_checking with seedMode and ignores the old name.
            fields["seedMode" if self.info.v2_at_least(2, 16) else "skip_checking"] = options.skip_checking
        if options.tags:
            self.need("adding with tags", 2, 3)
            fields["tags"] = ",".join(options.tags)
        if options.download_path is not None:
            self.need("adding with an incomplete-download path", 2, 8, 4)
            fields["downloadPath"] = options.download_path
            fields["useDownloadPath"] = True
        if options.content_layout is not None:
            self.need("the content layout option", 2, 7)
            fields["contentLayout"] = options.content_layout
        if options.downloader is not None:
            self.need("adding through a search plugin", 2, 13, 1)
            fields["downloader"] = options.downloader
        if options.root_folder is not None:
            if self.info.v2_at_least(2, 7):
                # 4.3.2 replaced root_folder with contentLayout.
                fields.setdefault("contentLayout", "Subfolder" if options.root_folder else "NoSubfolder")
            else:
                fields["root_folder"] = options.root_folder
        return [(key, form_text(value), None) for key, value in fields.items() if value is not None]

    async def add(
        self,
        urls: Sequence[str] = (),
        files: Sequence[TorrentFileUpload] = (),
        options: AddOptions | None = None,
    ) -> AddResult:
        if not urls and not files:
            return AddResult()
        options = options or AddOptions()
        if options.cookie and self.info.v2_at_least(2, 11, 3):
            # 5.1 dropped add's cookie field: the server keeps cookies per domain instead.
            await self._set_cookies_for(urls, options.cookie)
            options = replace(options, cookie=None)
        parts = self._add_parts(options)
        if urls:
            parts.insert(0, ("urls", "\n".join(urls), None))
        parts += [("torrents", upload.data, upload.filename) for upload in files]
        response = await self.session.post(P + "torrents/add", parts=parts, check=False)
        if self.info.v2_at_least(2, 14) and response.status_code in (200, 202, 409):
            # 5.2+ (WebAPI 2.14): counts and the ids of what was added; 202 while URLs are still being
            # fetched, 409 when nothing could be added.
            if response.status_code == 409:
                raise errors.Rejected(
                    "the server added none of the given torrents (invalid or already present)", 409
                )
            return AddResult.from_raw(self.json(response, "torrents/add"))
        self.session.raise_for_status(response, P + "torrents/add")
        if response.text.strip() == "Fails.":
            raise errors.Rejected(
                "the server did not add any of the given torrents (invalid or already present)"
            )
        return AddResult()

    async def _set_cookies_for(self, urls: Sequence[str], cookie: str) -> None:
        """Add `name=value; …` to the server's cookie store for each http(s) URL's host, keeping the
        cookies it already has (app/cookies, app/setCookies: 5.1+)."""
        pairs = [part.strip().partition("=") for part in cookie.split(";") if "=" in part]
        hosts = {httpx.URL(url).host for url in urls if url.lower().startswith(("http://", "https://"))}
        if not pairs or not hosts:
            return
        current = json_list(await self._get_json("app/cookies"), "app/cookies")
        ours = {(host, name.strip()) for host in hosts for name, _, _ in pairs}
        kept = [c for c in current if isinstance(c, dict) and (c.get("domain"), c.get("name")) not in ours]
        added = [
            {"name": name.strip(), "value": value.strip(), "domain": host, "path": "/"}
            for host in sorted(hosts)
            for name, _, value in pairs
        ]
        await self._post("app/setCookies", {"cookies": json.dumps(kept + added)})

    # -- torrent commands -----------------------------------------------------------------------

    async def pause(self, hashes: Hashes) -> None:
        await self._hashes("torrents/stop" if self.info.uses_stop_start else "torrents/pause", hashes)

    async def resume(self, hashes: Hashes) -> None:
        await self._hashes("torrents/start" if self.info.uses_stop_start else "torrents/resume", hashes)

    async def delete(self, hashes: Hashes, *, delete_files: bool) -> None:
        await self._hashes("torrents/delete", hashes, deleteFiles=delete_files)

    async def recheck(self, hashes: Hashes) -> None:
        await self._hashes("torrents/recheck", hashes)

    async def reannounce(self, hashes: Hashes) -> None:
        self.need("reannouncing", 2, 0, 2)
        await self._hashes("torrents/reannounce", hashes)

    async def move_in_queue(self, hashes: Hashes, move: QueueMove) -> None:
        path = {
            "increase": "increasePrio",
            "decrease": "decreasePrio",
            "top": "topPrio",
            "bottom": "bottomPrio",
        }
        try:
            await self._hashes("torrents/" + path[move], hashes)
        except errors.Conflict:
            raise errors.Conflict(
                "torrent queueing is disabled on the server; enable it to change queue positions"
            ) from None

    async def add_trackers(self, hash: str, urls: Sequence[str]) -> None:
        await self._post("torrents/addTrackers", {"hash": hash, "urls": "\n".join(urls)})

    async def edit_tracker(
        self, hash: str, old_url: str, new_url: str | None, *, tier: int | None = None
    ) -> None:
        self.need("editing trackers", 2, 2)
        if not self.info.v2_at_least(2, 13):
            if tier is not None:
                self.need("changing a tracker's tier", 2, 13)
            await self._post(
                "torrents/editTracker", {"hash": hash, "origUrl": old_url, "newUrl": new_url or old_url}
            )
            return
        # WebAPI 2.13 (5.2) renamed origUrl to url and takes a new URL, a tier, or both.
        form: dict[str, FormValue] = {"hash": hash, "url": old_url}
        if new_url is not None:
            form["newUrl"] = new_url
        if tier is not None:
            form["tier"] = tier
        await self._post("torrents/editTracker", form)

    async def remove_trackers(self, hash: str, urls: Sequence[str]) -> None:
        self.need("removing trackers", 2, 2)
        await self._post("torrents/removeTrackers", {"hash": hash, "urls": "|".join(urls)})

    async def add_peers(self, hashes: Hashes, peers: Sequence[str]) -> None:
        self.need("adding peers", 2, 3)
        await self._hashes("torrents/addPeers", hashes, peers="|".join(peers))

    async def ban_peers(self, peers: Sequence[str]) -> None:
        self.need("banning peers", 2, 3)
        await self._post("transfer/banPeers", {"peers": "|".join(peers)})

    async def set_file_priority(self, hash: str, file_ids: Sequence[int], priority: FilePriority) -> None:
        if not file_ids:
            return
        if self.info.v2_at_least(2, 8, 19):
            await self._post(
                "torrents/filePrio",
                {"hash": hash, "id": "|".join(map(str, file_ids)), "priority": int(priority)},
            )
            return

        async def send(file_id: int) -> None:
            await self._post("torrents/filePrio", {"hash": hash, "id": file_id, "priority": int(priority)})

        await self.for_each("set file priority", file_ids, send, noun="files")

    async def rename_file(self, hash: str, old_path: str, new_path: str) -> None:
        self.need("renaming files", 2, 4)
        if self.info.v2_at_least(2, 7):
            await self._post("torrents/renameFile", {"hash": hash, "oldPath": old_path, "newPath": new_path})
            return
        # Before 4.3.3 renameFile took the file's index and its new name.
        matches = [f for f in await self.files(hash) if f.name == old_path]
        if not matches:
            raise errors.Rejected(f"no file {old_path!r} in torrent {hash[:8]}")
        await self._post("torrents/renameFile", {"hash": hash, "id": matches[0].index, "name": new_path})

    async def rename_folder(self, hash: str, old_path: str, new_path: str) -> None:
        self.need("renaming folders", 2, 8, 4)
        await self._post("torrents/renameFolder", {"hash": hash, "oldPath": old_path, "newPath": new_path})

    async def rename(self, hash: str, name: str) -> None:
        await self._post("torrents/rename", {"hash": hash, "name": name})

    async def set_category(self, hashes: Hashes, category: str) -> None:
        await self._hashes("torrents/setCategory", hashes, category=category)

    async def create_category(self, name: str, save_path: str | None = None) -> None:
        form: dict[str, FormValue] = {"category": name}
        if save_path:
            self.need("category save paths", 2, 1)
            form["savePath"] = save_path
        await self._post("torrents/createCategory", form)

    async def edit_category(self, name: str, save_path: str) -> None:
        self.need("editing categories", 2, 1)
        await self._post("torrents/editCategory", {"category": name, "savePath": save_path})

    async def remove_categories(self, names: Sequence[str]) -> None:
        await self._post("torrents/removeCategories", {"categories": "\n".join(names)})

    async def add_tags(self, hashes: Hashes, tags: Sequence[str]) -> None:
        self.need("tags", 2, 3)
        await self._hashes("torrents/addTags", hashes, tags=",".join(tags))

    async def remove_tags(self, hashes: Hashes, tags: Sequence[str]) -> None:
        self.need("tags", 2, 3)
        await self._hashes("torrents/removeTags", hashes, tags=",".join(tags))

    async def create_tags(self, tags: Sequence[str]) -> None:
        self.need("tags", 2, 3)
        await self._post("torrents/createTags", {"tags": ",".join(tags)})

    async def delete_tags(self, tags: Sequence[str]) -> None:
        self.need("tags", 2, 3)
        await self._post("torrents/deleteTags", {"tags": ",".join(tags)})

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
        fields: dict[str, FormValue] = {"ratioLimit": ratio_limit, "seedingTimeLimit": seeding_time_limit}
        if self.info.v2_at_least(2, 9, 2):
            fields["inactiveSeedingTimeLimit"] = inactive_seeding_time_limit
        # 5.2 (WebAPI 2.12) requires what happens when a limit is reached; 2.15.3 also whether any or
        # all limits must be reached. "Default" follows the server's global setting.
        if self.info.v2_at_least(2, 12):
            fields["shareLimitAction"] = (action or ShareLimitAction.DEFAULT).value
        elif action is not None:
            self.need("a per-torrent share limit action", 2, 12)
        if self.info.v2_at_least(2, 15, 3):
            fields["shareLimitsMode"] = (mode or ShareLimitsMode.DEFAULT).value
        elif mode is not None:
            self.need("a per-torrent share limits mode", 2, 15, 3)
        await self._hashes("torrents/setShareLimits", hashes, **fields)

    async def set_comment(self, hashes: Hashes, comment: str) -> None:
        self.gate(COMMENT)
        await self._hashes("torrents/setComment", hashes, comment=comment)

    async def rotate_api_key(self) -> Secret:
        self.need("API keys", 2, 14, 1)
        data = self.json(await self.session.post(P + "app/rotateAPIKey", {}), "app/rotateAPIKey")
        key = data.get("apiKey") if isinstance(data, dict) else None
        if not isinstance(key, str) or not key:
            raise errors.BadResponse("app/rotateAPIKey: the answer holds no apiKey")
        return Secret(key)

    async def delete_api_key(self) -> None:
        self.need("API keys", 2, 14, 1)
        await self._post("app/deleteAPIKey")

    # -- speed limits ---------------------------------------------------------------------------

    async def global_download_limit(self) -> int | None:
        return as_limit((await self.session.get(P + "transfer/downloadLimit")).text.strip())

    async def global_upload_limit(self) -> int | None:
        return as_limit((await self.session.get(P + "transfer/uploadLimit")).text.strip())

    async def set_global_download_limit(self, limit: int | None) -> None:
        await self._post("transfer/setDownloadLimit", {"limit": limit or 0})

    async def set_global_upload_limit(self, limit: int | None) -> None:
        await self._post("transfer/setUploadLimit", {"limit": limit or 0})

    async def _torrent_limits(self, path: str, hashes: Hashes) -> dict[str, int | None]:
        # The limit readers take "all" as a literal hash (4.5.2 answers {"all": -1}).
        expanded = await self.expand(hashes)
        if not expanded:
            return {}
        response = await self.session.post(P + path, {"hashes": "|".join(expanded)})
        data = self.json(response, path) or {}
        return {str(h).lower(): as_limit(v) for h, v in data.items()} if isinstance(data, dict) else {}

    async def torrent_download_limits(self, hashes: Hashes) -> dict[str, int | None]:
        return await self._torrent_limits("torrents/downloadLimit", hashes)

    async def torrent_upload_limits(self, hashes: Hashes) -> dict[str, int | None]:
        return await self._torrent_limits("torrents/uploadLimit", hashes)

    async def alternative_speed_limits_enabled(self) -> bool:
        return (await self.session.get(P + "transfer/speedLimitsMode")).text.strip() == "1"

    async def toggle_alternative_speed_limits(self) -> None:
        await self._post("transfer/toggleSpeedLimitsMode")
