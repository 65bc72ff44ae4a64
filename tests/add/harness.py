"""A tiny app that connects to a server and pushes the Add torrents dialog."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from qbtui.api import ConnectionSettings, QbtApi, connect
from qbtui.model.store import Store
from qbtui.ui.screens.add_torrents import AddResult, AddTorrentsScreen
from qbtui.ui.themes import use_shipped_themes
from qbtui.util.torrentfile import TorrentBuilder
from tests.support.services import HarnessServices
from tests.support.waiting import until  # noqa: F401 (re-exported for the tests here)


class AddHarness(HarnessServices, App[None]):
    """Exposes `.api` and `.store` like QbtuiApp, and records what the dialog returned."""

    def __init__(
        self,
        api: QbtApi | None = None,
        *,
        url: str = "",
        store: Store | None = None,
        **screen_args: object,
    ) -> None:
        """Pass a connected `api`, or a simulator `url` to connect to when mounted (for snapshots)."""
        super().__init__()
        use_shipped_themes(self)  # look like the real app
        self.api = api
        self.url = url
        self.store = store or Store()
        self.screen_args = screen_args
        self.results: list[AddResult | None] = []
        self.dialog: AddTorrentsScreen | None = None
        #: (severity, title, message) of every notification, in order.
        self.notices: list[tuple[str, str, str]] = []

    def notify(  # type: ignore[override]
        self, message: str, *, title: str = "", severity: str = "information", **kwargs: object
    ) -> None:
        self.notices.append((severity, title, message))
        super().notify(message, title=title, severity=severity, **kwargs)  # type: ignore[arg-type]

    async def on_mount(self) -> None:
        if self.api is None:
            self.api = await connected(self.url)
        self.dialog = AddTorrentsScreen(**self.screen_args)  # type: ignore[arg-type]
        self.push_screen(self.dialog, self.results.append)


async def connected(url: str, username: str = "admin", password: str = "adminadmin") -> QbtApi:
    return await connect(ConnectionSettings(url=url, username=username, password=password, timeout=10))


def make_torrent(tmp_path: Path, name: str = "sample", files: int = 1, size: int = 40_000) -> Path:
    """A real .torrent for a directory (files > 1) or a single file of `size` bytes."""
    root = tmp_path / "content" / name
    if files > 1:
        root.mkdir(parents=True)
        for index in range(files):
            (root / f"part{index:02d}.bin").write_bytes(bytes([index % 251]) * size)
    else:
        root.parent.mkdir(parents=True, exist_ok=True)
        root.write_bytes(b"q" * size)
    torrent = tmp_path / f"{name}.torrent"
    torrent.write_bytes(TorrentBuilder(root).build())
    return torrent


