"""The server's torrent creator (`torrentcreator/*`, qBittorrent 5.0+): a task makes a .torrent from
a file or folder on the server, and may add it to the server to seed at once.

The task list is server-wide (every client sees every task) and a finished task stays until it is
deleted, so whoever starts a task deletes it once the .torrent is fetched.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qbtui.api import errors
from qbtui.api.coerce import as_bool, as_float, as_int, as_str
from qbtui.api.gates import (
    CREATOR,
    CREATOR_DECODES_URLS,
    CREATOR_DOTFILES,
    CREATOR_SOURCE,
    V2Calls,
)
from qbtui.api.models import json_list
from qbtui.api.session import FormValue
from qbtui.api.torrent_edits import encoded_url

#: The torrent formats of libtorrent 2 builds (v1, v2 or both in one hybrid torrent).
FORMATS = ("v1", "v2", "hybrid")
#: Task states as the server names them.
QUEUED, RUNNING, FINISHED, FAILED = "Queued", "Running", "Finished", "Failed"


@dataclass(frozen=True, slots=True)
class CreatorParams:
    """One torrent to create. Paths are on the server."""

    source_path: str
    #: Bytes per piece; 0 lets the server choose.
    piece_size: int = 0
    private: bool = False
    #: v1, v2 or hybrid, on servers built with libtorrent 2 (None: the server's default, hybrid).
    format: str | None = None
    #: libtorrent 1.2 builds: align files to pieces (None: the server's default, on).
    optimize_alignment: bool | None = None
    #: Tracker URLs by tier: ((tier 0 URLs), (tier 1 URLs), ...).
    trackers: Sequence[Sequence[str]] = ()
    url_seeds: Sequence[str] = ()
    comment: str = ""
    source: str = ""
    #: Add the new torrent to the server and seed it from the source's parent folder.
    start_seeding: bool = True
    #: Also write the .torrent to this path on the server ("" = only kept for `created_torrent`).
    torrent_file_path: str = ""
    #: Include files and folders whose names start with a dot (5.3+; older servers always skip them).
    include_dotfiles: bool = False


def creator_time(value: object) -> float | None:
    """Unix seconds (5.3+), or the local-time text 5.0 - 5.2 send ("Sun Dec 6 01:55:03 2026")."""
    if value is None or value == "":
        return None
    number = as_float(value, None)
    if number is not None:
        return number if number > 0 else None
    text = " ".join(as_str(value).split())
    try:
        return time.mktime(time.strptime(text, "%a %b %d %H:%M:%S %Y"))
    except (ValueError, OverflowError):
        return None


@dataclass(slots=True)
class CreatorTask:
    task_id: str
    source_path: str = ""
    status: str = QUEUED
    #: 0 - 100, only while running.
    progress: int | None = None
    #: The size asked for while unfinished, the real one once finished.
    piece_size: int = 0
    private: bool = False
    format: str = ""
    comment: str = ""
    source: str = ""
    torrent_file_path: str = ""
    trackers: tuple[str, ...] = ()
    url_seeds: tuple[str, ...] = ()
    error: str = ""
    time_added: float | None = None
    time_started: float | None = None
    time_finished: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.status in (FINISHED, FAILED)

    @classmethod
    def from_raw(cls, raw: object) -> CreatorTask:
        data = raw if isinstance(raw, dict) else {}
        progress = data.get("progress")

        def urls(key: str) -> tuple[str, ...]:
            value = data.get(key)
            return tuple(as_str(url) for url in value) if isinstance(value, list) else ()

        return cls(
            task_id=as_str(data.get("taskID")),
            source_path=as_str(data.get("sourcePath")),
            status=as_str(data.get("status"), QUEUED) or QUEUED,
            progress=None if progress is None else max(0, min(100, as_int(progress, 0) or 0)),
            piece_size=as_int(data.get("pieceSize"), 0) or 0,
            private=as_bool(data.get("private")),
            format=as_str(data.get("format")),
            comment=as_str(data.get("comment")),
            source=as_str(data.get("source")),
            torrent_file_path=as_str(data.get("torrentFilePath")),
            trackers=urls("trackers"),
            url_seeds=urls("urlSeeds"),
            error=as_str(data.get("errorMessage")),
            time_added=creator_time(data.get("timeAdded")),
            time_started=creator_time(data.get("timeStarted")),
            time_finished=creator_time(data.get("timeFinished")),
            extra={k: v for k, v in data.items() if k not in _TASK_KEYS},
        )


_TASK_KEYS = frozenset(
    [
        "taskID",
        "sourcePath",
        "status",
        "progress",
        "pieceSize",
        "private",
        "format",
        "comment",
        "source",
        "torrentFilePath",
        "trackers",
        "urlSeeds",
        "errorMessage",
        "timeAdded",
        "timeStarted",
        "timeFinished",
    ]
)


def libtorrent_major(build_info: dict[str, Any]) -> int | None:
    """2 for "2.0.11.0": the creator takes `format` from libtorrent 2 builds, alignment before."""
    text = as_str(build_info.get("libtorrent"))
    head = text.split(".")[0]
    return int(head) if head.isdigit() else None


class CreatorCalls(V2Calls):
    """The creator's endpoints, mixed into `QbtApi`."""

    def _url_list(self, urls: Sequence[str]) -> list[str]:
        """URLs as one `|`-separated parameter takes them: 5.2+ percent-decodes each, older servers
        split on `|` and take the rest as it is."""
        if CREATOR_DECODES_URLS.allows(self.info):
            return [encoded_url(url) for url in urls]
        bad = next((url for url in urls if "|" in url), None)
        if bad is not None:
            raise errors.NotSupported(f"{CREATOR_DECODES_URLS.reason(self.info)} ({bad})")
        return list(urls)

    def creator_form(self, params: CreatorParams) -> dict[str, FormValue]:
        """The addTask form for this server (raises NotSupported for what it cannot take)."""
        self.gate(CREATOR)
        form: dict[str, FormValue] = {
            "sourcePath": params.source_path,
            "pieceSize": max(0, params.piece_size),
            "private": params.private,
            "startSeeding": params.start_seeding,
        }
        if params.torrent_file_path:
            form["torrentFilePath"] = params.torrent_file_path
        if params.format is not None:
            if params.format not in FORMATS:
                raise errors.Rejected(f"unknown torrent format {params.format!r}: use v1, v2 or hybrid")
            form["format"] = params.format
        if params.optimize_alignment is not None:
            form["optimizeAlignment"] = params.optimize_alignment
        if params.comment:
            form["comment"] = params.comment
        if params.source:
            if not CREATOR_SOURCE.allows(self.info):
                # 5.0.x writes the comment parameter into the source: a source of its own is impossible.
                raise errors.NotSupported(CREATOR_SOURCE.reason(self.info) or "")
            form["source"] = params.source
        tiers = [[url for url in tier if url.strip()] for tier in params.trackers]
        elements: list[str] = []
        for tier in (tier for tier in tiers if tier):
            if elements:
                elements.append("")  # an empty element starts the next tier
            elements += self._url_list(tier)
        if elements:
            form["trackers"] = "|".join(elements)
        seeds = [url for url in params.url_seeds if url.strip()]
        if seeds:
            form["urlSeeds"] = "|".join(self._url_list(seeds))
        if CREATOR_DOTFILES.allows(self.info):
            form["ignoreDotfiles"] = not params.include_dotfiles
        elif params.include_dotfiles:
            raise errors.NotSupported(CREATOR_DOTFILES.reason(self.info) or "")
        return form

    async def create_torrent(self, params: CreatorParams) -> str:
        """Start a creator task; returns its id. A missing source fails the task, not this call."""
        form = self.creator_form(params)
        data = self.v2_json(await self.v2_post("torrentcreator/addTask", form), "torrentcreator/addTask")
        task_id = as_str(data.get("taskID")) if isinstance(data, dict) else ""
        if not task_id:
            raise errors.BadResponse("torrentcreator/addTask: the answer holds no taskID")
        return task_id

    async def creator_tasks(self) -> list[CreatorTask]:
        """Every task on the server (any client's), unfinished first."""
        self.gate(CREATOR)
        data = self.v2_json(await self.v2_get("torrentcreator/status"), "torrentcreator/status")
        return [CreatorTask.from_raw(item) for item in json_list(data, "torrentcreator/status")]

    async def creator_task(self, task_id: str) -> CreatorTask:
        self.gate(CREATOR)
        try:
            response = await self.v2_get("torrentcreator/status", {"taskID": task_id})
        except errors.NotFound:
            raise errors.NotFound(f"no torrent creator task {task_id} on the server") from None
        tasks = json_list(self.v2_json(response, "torrentcreator/status"), "torrentcreator/status")
        if not tasks:
            raise errors.NotFound(f"no torrent creator task {task_id} on the server")
        return CreatorTask.from_raw(tasks[0])

    async def created_torrent(self, task_id: str) -> bytes:
        """The .torrent a finished task made (409 while unfinished or after a failure)."""
        self.gate(CREATOR)
        try:
            response = await self.v2_get("torrentcreator/torrentFile", {"taskID": task_id})
        except errors.NotFound:
            raise errors.NotFound(f"no torrent creator task {task_id} on the server") from None
        return response.content

    async def delete_creator_task(self, task_id: str) -> None:
        """Forget a task (a running one is interrupted)."""
        self.gate(CREATOR)
        try:
            await self.v2_post("torrentcreator/deleteTask", {"taskID": task_id})
        except errors.NotFound:
            raise errors.NotFound(f"no torrent creator task {task_id} on the server") from None

    async def build_info(self) -> dict[str, Any]:
        """Versions the server was built with: qt, libtorrent, boost, openssl, bitness."""
        if self.info.is_legacy:
            raise errors.NotSupported(f"build information is not given by {self.info.describe()}")
        data = self.v2_json(await self.v2_get("app/buildInfo"), "app/buildInfo")
        return data if isinstance(data, dict) else {}
