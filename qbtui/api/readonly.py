"""`--read-only`: an API service that can look but not touch, for wall monitors and shared screens.

A proxy that passes through the reading methods and refuses every other public method with a clear
error, so no key, palette entry or dialog can change the server, whatever the UI forgets to hide.
"""

from __future__ import annotations

from typing import Any

from qbtui.api import errors
from qbtui.api.base import QbtApi

#: Everything that only reads (plus the session's own housekeeping).
READING = frozenset(
    {
        "info", "session", "close", "login", "require", "resolve", "expand", "json", "torrent_json",
        "log_params", "paging_params", "normalise_filter", "app_version", "default_save_path",
        "preferences", "log", "peer_log", "torrents", "properties", "trackers", "webseeds", "files",
        "piece_states", "piece_hashes", "transfer_info", "maindata", "torrent_peers", "categories",
        "tags", "first_page", "global_download_limit", "global_upload_limit", "torrent_download_limits",
        "torrent_upload_limits", "alternative_speed_limits_enabled",
        # qbtui.api.gates and its mixins (creator, server paths, torrent edits)
        "gate", "v2_get", "v2_json", "creator_form", "creator_tasks", "creator_task", "created_torrent",
        "build_info", "directory_content", "free_space_at", "export_torrent",
    }
)  # fmt: skip


class ReadOnlyRefused(errors.Rejected):
    """A change was asked of a read-only session."""


class ReadOnlyApi:
    """Wraps a QbtApi; reading methods pass through, anything else raises ReadOnlyRefused."""

    def __init__(self, api: QbtApi) -> None:
        self._api = api

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._api, name)
        if name.startswith("_") or name in READING or not callable(value):
            return value

        async def refused(*args: Any, **kwargs: Any) -> Any:
            raise ReadOnlyRefused(f"qbtui runs read-only (--read-only): {name.replace('_', ' ')} is disabled")

        return refused
