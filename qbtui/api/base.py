"""The API service: one method per user intent, implemented per API generation.

`qbtui.api.connect()` detects what a server speaks and returns a `LegacyApi` or a `V2Api`;
callers only see this interface. An operation the server's version lacks raises
`errors.NotSupported` naming the qBittorrent and API versions.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from qbtui.api import errors
from qbtui.api.creator import CreatorCalls
from qbtui.api.gates import COMMENT
from qbtui.api.models import (
    AddOptions,
    AddResult,
    Category,
    FilePriority,
    LogEntry,
    PeerLogEntry,
    Preferences,
    ServerInfo,
    ServerState,
    ShareLimitAction,
    ShareLimitsMode,
    Torrent,
    TorrentFile,
    TorrentProperties,
    Tracker,
    WebSeed,
)
from qbtui.api.paths import PathCalls
from qbtui.api.session import FormValue, HttpSession
from qbtui.api.torrent_edits import TorrentEditCalls

ALL: Literal["all"] = "all"
#: A list of info-hashes, or ALL for every torrent.
Hashes = Sequence[str] | Literal["all"]

QueueMove = Literal["increase", "decrease", "top", "bottom"]

#: The filters every version understands, in the user's words; versions map them.
BASIC_FILTERS = (
    "all",
    "downloading",
    "seeding",
    "completed",
    "paused",
    "resumed",
    "active",
    "inactive",
    "errored",
)
#: Added by v2 servers (4.4+/4.5); the 5.0 names are accepted as aliases of paused/resumed.
EXTRA_V2_FILTERS = ("stalled", "stalled_uploading", "stalled_downloading", "checking", "moving")
FILTER_ALIASES = {"stopped": "paused", "running": "resumed"}


@dataclass(slots=True)
class TorrentFileUpload:
    """A .torrent file to add: its file name (as the server will see it) and its bytes."""

    filename: str
    data: bytes = field(repr=False)


class PartialFailure(errors.Rejected):
    """A bulk command that had to be sent per torrent failed for some of them."""

    def __init__(
        self, action: str, failed: dict[str, errors.QbtError], total: int, noun: str = "torrents"
    ) -> None:
        names = ", ".join(f"{key[:12]} ({error})" for key, error in list(failed.items())[:5])
        more = f" and {len(failed) - 5} more" if len(failed) > 5 else ""
        super().__init__(f"{action} failed for {len(failed)} of {total} {noun}: {names}{more}")
        self.action, self.failed, self.total = action, failed, total


class QbtApi(CreatorCalls, PathCalls, TorrentEditCalls, ABC):
    """What the rest of qbtui may ask of a qBittorrent server (the mixins gate their capabilities by
    the server's WebAPI version: `qbtui.api.gates`)."""

    LOGIN_PATH: str
    LOGOUT_PATH: str

    def __init__(self, session: HttpSession, info: ServerInfo) -> None:
        self.session = session
        self.info = info

    # -- lifecycle ------------------------------------------------------------------------------

    async def __aenter__(self) -> QbtApi:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self.session.aclose()

    async def login(self) -> None:
        """Log in once with the configured credentials; never retried automatically on failure."""
        settings = self.session.settings
        if settings.username is None or settings.api_key:
            return  # an API key is sent with every request instead
        response = await self.session.post(
            self.LOGIN_PATH,
            {"username": settings.username, "password": settings.password or ""},
            auth=False,
            check=False,
        )
        body = response.text.strip()
        if self.session.is_ban(response):
            self.session.raise_for_status(response, self.LOGIN_PATH)
        if response.status_code in (200, 204) and body in ("Ok.", ""):
            # Keep whatever cookie the server set (SID, QBT_SID_<port>, ...): httpx's jar does.
            self.session.relogin = self.login
            self.session.logged_in()
            return
        # 5.2+ (WebAPI 2.14) refuses with 401 "Unauthorized". A 401 from the CSRF/Host check would have
        # failed the detection probe already (same headers), so at the login it means the password.
        refused = response.status_code == 401 and (body in ("", "Fails.") or not self.info.is_legacy)
        if body == "Fails." or refused:
            raise errors.BadCredentials(
                f"{self.session.where()} rejected username {settings.username!r}: wrong username or password"
            )
        self.session.raise_for_status(response, self.LOGIN_PATH)
        raise errors.BadResponse(f"unexpected login answer from {self.session.where()}: {body[:60]!r}")

    async def logout(self) -> None:
        self.session.relogin = None
        await self.session.post(self.LOGOUT_PATH, {}, auth=False, check=False)

    # -- helpers --------------------------------------------------------------------------------

    def require(self, available: bool, what: str) -> None:
        if not available:
            raise errors.NotSupported(f"{what} is not supported by {self.info.describe()}")

    async def resolve(self, refs: Iterable[str]) -> list[str]:
        """Turn full hashes or unique hash prefixes into full hashes."""
        refs = [ref.strip().lower() for ref in refs if ref.strip()]
        if all(len(ref) == 40 for ref in refs):
            return refs
        known = [t.hash for t in await self.torrents()]
        resolved: list[str] = []
        for ref in refs:
            matches = [h for h in known if h.startswith(ref)]
            if not matches:
                raise errors.TorrentNotFound(f"no torrent matches {ref!r}")
            if len(matches) > 1:
                raise errors.TorrentNotFound(
                    f"{ref!r} matches {len(matches)} torrents; give more of the hash"
                )
            resolved.append(matches[0])
        return resolved

    @staticmethod
    def log_params(
        last_known_id: int, *, normal: bool, info: bool, warning: bool, critical: bool
    ) -> dict[str, FormValue]:
        return {
            "normal": normal,
            "info": info,
            "warning": warning,
            "critical": critical,
            "last_known_id": last_known_id,
        }

    @staticmethod
    def paging_params(
        sort: str | None, reverse: bool, limit: int | None, offset: int | None
    ) -> dict[str, FormValue]:
        params: dict[str, FormValue] = {}
        if sort:
            params["sort"] = sort
        if reverse:
            params["reverse"] = True
        if limit is not None:
            params["limit"] = limit
        if offset is not None:
            params["offset"] = offset
        return params

    @staticmethod
    def normalise_filter(name: str | None) -> str | None:
        if name is None:
            return None
        key = FILTER_ALIASES.get(name.strip().lower(), name.strip().lower())
        if key not in BASIC_FILTERS and key not in EXTRA_V2_FILTERS:
            raise errors.Rejected(
                f"unknown filter {name!r}: use one of {', '.join(BASIC_FILTERS + EXTRA_V2_FILTERS)}"
            )
        return key

    # -- application ----------------------------------------------------------------------------

    @abstractmethod
    async def app_version(self) -> str: ...

    @abstractmethod
    async def default_save_path(self) -> str: ...

    @abstractmethod
    async def shutdown(self) -> None: ...

    @abstractmethod
    async def preferences(self) -> Preferences: ...

    @abstractmethod
    async def set_preferences(self, changes: dict[str, Any]) -> None: ...

    @abstractmethod
    async def log(
        self,
        last_known_id: int = -1,
        *,
        normal: bool = True,
        info: bool = True,
        warning: bool = True,
        critical: bool = True,
    ) -> list[LogEntry]: ...

    @abstractmethod
    async def peer_log(self, last_known_id: int = -1) -> list[PeerLogEntry]: ...

    # -- reading torrents -----------------------------------------------------------------------

    @abstractmethod
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
    ) -> list[Torrent]: ...

    @abstractmethod
    async def properties(self, hash: str) -> TorrentProperties: ...

    @abstractmethod
    async def trackers(self, hash: str) -> list[Tracker]: ...

    @abstractmethod
    async def webseeds(self, hash: str) -> list[WebSeed]: ...

    @abstractmethod
    async def files(self, hash: str) -> list[TorrentFile]: ...

    @abstractmethod
    async def piece_states(self, hash: str) -> list[int]: ...

    @abstractmethod
    async def piece_hashes(self, hash: str) -> list[str]: ...

    @abstractmethod
    async def transfer_info(self) -> ServerState: ...

    @abstractmethod
    async def first_page(self, *, sort: str | None, reverse: bool, limit: int) -> list[Any]:
        """The first `limit` torrents, sorted by the server on raw field `sort`, as the raw JSON
        array: something to show while a large full `maindata` is still on its way."""

    @abstractmethod
    async def active_rows(self) -> list[Any]:
        """The active torrents (`filter=active`) as raw JSON objects with their `hash`: a cheap
        refresh between two `maindata` polls of a large list (qbtui.model.sync)."""

    async def rows_by_hash(self, hashes: Sequence[str]) -> list[Any]:
        """These torrents as raw JSON objects, where the server can select by hash (else none)."""
        return []

    @abstractmethod
    async def transfer_raw(self) -> dict[str, Any]:
        """The global transfer info as the raw JSON object (the server state's speeds and totals)."""

    async def torrent_count(self) -> int | None:
        """How many torrents the server holds, in one cheap request (None: the server cannot say
        so without the whole list). Says what a first page is a page of."""
        return None

    @abstractmethod
    async def maindata(self, rid: int = 0) -> dict[str, Any]:
        """The raw sync payload; `qbtui.model.store` applies it."""

    @abstractmethod
    async def torrent_peers(self, hash: str, rid: int = 0) -> dict[str, Any]:
        """The raw peers sync payload of one torrent."""

    @abstractmethod
    async def categories(self) -> dict[str, Category]: ...

    @abstractmethod
    async def tags(self) -> list[str]: ...

    # -- adding ---------------------------------------------------------------------------------

    @abstractmethod
    async def add(
        self,
        urls: Sequence[str] = (),
        files: Sequence[TorrentFileUpload] = (),
        options: AddOptions | None = None,
    ) -> AddResult:
        """Add links and .torrent files; 5.2+ servers say which torrents were added."""

    # -- torrent commands -----------------------------------------------------------------------

    @abstractmethod
    async def pause(self, hashes: Hashes) -> None: ...

    @abstractmethod
    async def resume(self, hashes: Hashes) -> None: ...

    @abstractmethod
    async def delete(self, hashes: Hashes, *, delete_files: bool) -> None: ...

    @abstractmethod
    async def recheck(self, hashes: Hashes) -> None: ...

    @abstractmethod
    async def reannounce(self, hashes: Hashes) -> None: ...

    @abstractmethod
    async def move_in_queue(self, hashes: Hashes, move: QueueMove) -> None: ...

    @abstractmethod
    async def add_trackers(self, hash: str, urls: Sequence[str]) -> None: ...

    @abstractmethod
    async def edit_tracker(
        self, hash: str, old_url: str, new_url: str | None, *, tier: int | None = None
    ) -> None:
        """Replace a tracker's URL (new_url None keeps it) and/or, on 5.2+, set its tier."""

    @abstractmethod
    async def remove_trackers(self, hash: str, urls: Sequence[str]) -> None: ...

    @abstractmethod
    async def add_peers(self, hashes: Hashes, peers: Sequence[str]) -> None: ...

    @abstractmethod
    async def ban_peers(self, peers: Sequence[str]) -> None: ...

    @abstractmethod
    async def set_file_priority(self, hash: str, file_ids: Sequence[int], priority: FilePriority) -> None: ...

    @abstractmethod
    async def rename_file(self, hash: str, old_path: str, new_path: str) -> None: ...

    @abstractmethod
    async def rename_folder(self, hash: str, old_path: str, new_path: str) -> None: ...

    async def set_location(self, hashes: Hashes, location: str) -> None:
        await self.hashes_command("set_location", hashes, location=location)

    @abstractmethod
    async def rename(self, hash: str, name: str) -> None: ...

    @abstractmethod
    async def set_category(self, hashes: Hashes, category: str) -> None: ...

    @abstractmethod
    async def create_category(self, name: str, save_path: str | None = None) -> None: ...

    @abstractmethod
    async def edit_category(self, name: str, save_path: str) -> None: ...

    @abstractmethod
    async def remove_categories(self, names: Sequence[str]) -> None: ...

    @abstractmethod
    async def add_tags(self, hashes: Hashes, tags: Sequence[str]) -> None: ...

    @abstractmethod
    async def remove_tags(self, hashes: Hashes, tags: Sequence[str]) -> None: ...

    @abstractmethod
    async def create_tags(self, tags: Sequence[str]) -> None: ...

    @abstractmethod
    async def delete_tags(self, tags: Sequence[str]) -> None: ...

    async def set_auto_management(self, hashes: Hashes, enable: bool) -> None:
        await self.hashes_command("set_auto_management", hashes, enable=enable)

    async def toggle_sequential(self, hashes: Hashes) -> None:
        await self.hashes_command("toggle_sequential", hashes)

    async def toggle_first_last_piece(self, hashes: Hashes) -> None:
        await self.hashes_command("toggle_first_last_piece", hashes)

    async def set_force_start(self, hashes: Hashes, value: bool) -> None:
        await self.hashes_command("set_force_start", hashes, value=value)

    async def set_super_seeding(self, hashes: Hashes, value: bool) -> None:
        await self.hashes_command("set_super_seeding", hashes, value=value)

    @abstractmethod
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
        """Limits (-2 global, -1 none); `action`/`mode` need 5.2+ (None: the server's default)."""

    async def set_comment(self, hashes: Hashes, comment: str) -> None:
        """5.2+ (WebAPI 2.12.1)."""
        self.gate(COMMENT)

    async def rotate_api_key(self) -> str:
        """Create or replace the server's API key (5.2+) and return it: shown once, never logged."""
        raise errors.NotSupported(f"API keys are not supported by {self.info.describe()}")

    async def delete_api_key(self) -> None:
        raise errors.NotSupported(f"API keys are not supported by {self.info.describe()}")

    # -- speed limits (bytes/s; None = unlimited) -----------------------------------------------

    @abstractmethod
    async def global_download_limit(self) -> int | None: ...

    @abstractmethod
    async def global_upload_limit(self) -> int | None: ...

    @abstractmethod
    async def set_global_download_limit(self, limit: int | None) -> None: ...

    @abstractmethod
    async def set_global_upload_limit(self, limit: int | None) -> None: ...

    @abstractmethod
    async def torrent_download_limits(self, hashes: Hashes) -> dict[str, int | None]: ...

    @abstractmethod
    async def torrent_upload_limits(self, hashes: Hashes) -> dict[str, int | None]: ...

    async def set_torrent_download_limit(self, hashes: Hashes, limit: int | None) -> None:
        await self.hashes_command("set_torrent_download_limit", hashes, limit=limit or 0)

    async def set_torrent_upload_limit(self, hashes: Hashes, limit: int | None) -> None:
        await self.hashes_command("set_torrent_upload_limit", hashes, limit=limit or 0)

    @abstractmethod
    async def alternative_speed_limits_enabled(self) -> bool: ...

    @abstractmethod
    async def toggle_alternative_speed_limits(self) -> None: ...

    # -- shared plumbing for the dialects -------------------------------------------------------

    #: Operations that send `hashes` plus fixed fields, identical on both generations but for the
    #: path: each dialect maps the operation name to its path.
    COMMAND_PATHS: dict[str, str]

    @abstractmethod
    async def hashes_command(self, operation: str, hashes: Hashes, **fields: FormValue) -> None:
        """Send COMMAND_PATHS[operation] for these torrents, if the server has it."""

    # -------------------------------------------------------

    async def expand(self, hashes: Hashes) -> list[str]:
        """ALL becomes the server's current hash list; for servers whose command lacks "all"."""
        if hashes == ALL:
            return [t.hash for t in await self.torrents()]
        return list(hashes)

    async def for_each(
        self,
        action: str,
        items: Iterable[Any],
        send: Callable[[Any], Awaitable[object]],
        noun: str = "torrents",
    ) -> None:
        """Send a single-item command for every item, reporting every failure at the end."""
        failed: dict[str, errors.QbtError] = {}
        items = list(items)
        for item in items:
            try:
                await send(item)
            except (errors.ConnectionProblem, errors.AuthProblem):
                raise
            except errors.QbtError as exc:
                failed[str(item)] = exc
        if failed:
            raise PartialFailure(action, failed, len(items), noun)

    def json(self, response: Any, path: str) -> Any:
        return self.session.json(response, path)

    def torrent_json(self, response: Any, path: str, hash: str) -> Any:
        """Legacy answers an unknown hash with an empty 200; v2 with 404 (raised by the session)."""
        data = self.session.json(response, path)
        if data is None:
            raise errors.TorrentNotFound(f"no torrent with hash {hash}")
        return data
