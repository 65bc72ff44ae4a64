"""Running qbtui for tests: as a real subprocess, or in-process against a mocked API service."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, MagicMock, create_autospec

from qbtui.api import ConnectionSettings, QbtApi
from qbtui.api.models import (
    AddResult,
    ApiGeneration,
    Category,
    LogEntry,
    LogLevel,
    PeerLogEntry,
    Preferences,
    ServerInfo,
    ServerState,
    Torrent,
    TorrentFile,
    TorrentProperties,
    TorrentState,
    Tracker,
    TrackerStatus,
    WebSeed,
)

REPO = Path(__file__).resolve().parents[2]

HASH_A = "aa" * 20
HASH_B = "ab" + "11" * 19
HASH_C = "cd" * 20


def clean_environ(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test process environment without any QBTUI_* setting of the developer's own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QBTUI_")}
    env.update(extra or {})
    return env


def run_qbtui(
    *args: str,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """`python -m qbtui ARGS` with stdin closed (or fed `input`), never a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "qbtui", *args],
        capture_output=True,
        text=True,
        env=clean_environ(env),
        input=input,
        stdin=subprocess.DEVNULL if input is None else None,
        timeout=timeout,
        cwd=REPO,
    )


def assert_one_error_line(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """The error contract: exactly one `qbtui: error:` line on stderr, no traceback."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("qbtui: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment.lower() in lines[0].lower(), lines[0]
    return lines[0]


def sample_torrents() -> list[Torrent]:
    return [
        Torrent(
            hash=HASH_A,
            name="Alpha Linux ISO",
            size=3 * 1024**3,
            progress=0.5,
            dl_speed=2 * 1024**2,
            up_speed=1024,
            ratio=0.25,
            eta=3700,
            state=TorrentState.DOWNLOADING,
            state_raw="downloading",
            category="linux",
            tags=("iso",),
        ),
        Torrent(
            hash=HASH_B,
            name="Beta \x1b[31mred\x1b[0m",
            size=700 * 1024**2,
            progress=1.0,
            ratio=None,
            eta=None,
            state=TorrentState.PAUSED_UP,
            state_raw="pausedUP",
        ),
        Torrent(hash=HASH_C, name="ガンマ", size=10, state=TorrentState.STALLED_DL, state_raw="stalledDL"),
    ]


@dataclass
class FakeServer:
    """A mocked `QbtApi` (every method an AsyncMock with the real signature) over a torrent list."""

    torrents: list[Torrent] = field(default_factory=sample_torrents)
    info: ServerInfo = field(default_factory=lambda: ServerInfo(ApiGeneration.V2, (2, 8, 19), "v4.5.2"))
    username: str | None = "admin"
    api: Any = None
    connected_with: ConnectionSettings | None = None

    def __post_init__(self) -> None:
        api = create_autospec(QbtApi, instance=True)
        api.info = self.info
        api.session = MagicMock()
        api.session.settings = ConnectionSettings(url="http://qbt.example:8080", username=self.username)

        async def torrents(**kwargs: Any) -> list[Torrent]:
            hashes = kwargs.get("hashes")
            return [t for t in self.torrents if hashes is None or t.hash in hashes]

        async def resolve(refs: Sequence[str]) -> list[str]:
            return await QbtApi.resolve(api, refs)

        api.torrents.side_effect = torrents
        api.resolve.side_effect = resolve
        for name, value in canned_answers().items():
            getattr(api, name).return_value = value
        self.api = api

    async def connect(self, settings: ConnectionSettings) -> Any:
        self.connected_with = settings
        self.api.session.settings = settings
        return self.api

    def method(self, name: str) -> AsyncMock:
        return getattr(self.api, name)


SECRET = "s3cret-pref-value"


def canned_answers() -> dict[str, Any]:
    """What the mocked reading methods answer."""
    return {
        "preferences": Preferences(
            {"save_path": "/downloads", "dl_limit": 0, "web_ui_username": "admin", "web_ui_password": SECRET}
        ),
        "files": [TorrentFile(index=i, name=f"dir/file{i}.bin", size=1024 * i) for i in range(5)],
        "alternative_speed_limits_enabled": False,
        "add": AddResult(),  # what a server before 5.2 says: "Ok." and nothing more
        "global_download_limit": None,
        "global_upload_limit": 1024,
        "torrent_download_limits": {HASH_A: 1024},
        "torrent_upload_limits": {},
        "categories": {"linux": Category("linux", "/srv/linux"), "Books": Category("Books")},
        "tags": ["x", "iso"],
        "log": [LogEntry(7, 1_700_000_000.0, LogLevel.WARNING, "disk <full>")],
        "peer_log": [PeerLogEntry(3, 1_700_000_000.0, "10.0.0.1", True, "ip filter")],
        "properties": TorrentProperties(
            save_path="/downloads", pieces_num=10, pieces_have=5, piece_size=16384
        ),
        "trackers": [Tracker(url="http://tracker.example/announce", status=TrackerStatus.WORKING, tier=0)],
        "webseeds": [WebSeed("http://seed.example/")],
        "piece_states": [2, 2, 1, 0],
        "piece_hashes": ["00" * 20] * 4,
        "torrent_peers": {
            "peers": {"1.2.3.4:5": {"ip": "1.2.3.4", "port": 5, "client": "qB", "progress": 0.5}}
        },
        "transfer_info": ServerState(dl_info_speed=2048, connection_status="connected"),
        "maindata": {"rid": 1, "full_update": True},
        "default_save_path": "/downloads",
    }
