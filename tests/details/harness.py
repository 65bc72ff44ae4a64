"""A small app that mounts a details widget against a real server (simulator or qbittorrent-nox)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

from qbtui.api import ConnectionSettings, QbtApi, connect
from qbtui.api.models import Torrent
from qbtui.ui.themes import use_shipped_themes
from qbtui.ui.widgets.details import DetailsPanel
from qbtui.ui.widgets.log_pane import LogPane
from tests.support.services import HarnessServices
from tests.support.waiting import until  # noqa: F401 (re-exported for the tests here)


class Recording:
    """Wraps an API service and notes the name of every call: which endpoints a widget polls."""

    def __init__(self, api: QbtApi) -> None:
        self._api = api
        self.calls: list[str] = []
        self.arguments: list[tuple[object, ...]] = []

    def __getattr__(self, name: str) -> object:
        attribute = getattr(self._api, name)
        if not asyncio.iscoroutinefunction(attribute):
            return attribute

        async def call(*args: object, **kwargs: object) -> object:
            self.calls.append(name)
            self.arguments.append(args)
            return await attribute(*args, **kwargs)

        return call


class Harness(HarnessServices, App[None]):
    """Connects in `on_mount` (the API's HTTP client must live on the app's own event loop)."""

    CSS = """
    Screen { layout: vertical; }
    #subject { height: 1fr; }
    """

    def __init__(
        self,
        settings: ConnectionSettings | None,
        make: Callable[[Harness], Widget],
        *,
        show: str | None = None,
    ) -> None:
        super().__init__()
        use_shipped_themes(self)  # look like the real app
        self.settings = settings
        self.make = make
        self.api: QbtApi | None = None
        self.recording: Recording | None = None
        self.torrents: dict[str, Torrent] = {}
        self.first_hash = show
        self.ready = asyncio.Event()
        self.edited: list[str] = []

    def compose(self) -> ComposeResult:
        widget = self.make(self)
        widget.id = "subject"
        yield widget
        yield Footer()

    async def on_mount(self) -> None:
        self.theme = "qbtui-dark"
        if self.settings is not None:
            self.api = await connect(self.settings)
            self.recording = Recording(self.api)
            self.torrents = {t.hash: t for t in await self.api.torrents()}
        subject = self.query_one("#subject")
        if isinstance(subject, DetailsPanel) and self.first_hash is not None:
            subject.show(self.first_hash)
        elif isinstance(subject, LogPane):
            subject.refresh_now()
        self.ready.set()

    async def on_unmount(self) -> None:
        if self.api is not None:
            await self.api.close()

    def on_details_panel_torrent_edited(self, message: DetailsPanel.TorrentEdited) -> None:
        self.edited.append(message.hash)

    def api_getter(self) -> QbtApi | None:
        return self.recording  # type: ignore[return-value]

    @property
    def calls(self) -> list[str]:
        return self.recording.calls if self.recording else []

    def torrent(self, hash: str) -> Torrent | None:
        return self.torrents.get(hash)


def details_app(
    settings: ConnectionSettings | None, hash: str | None, *, interval: float = 3600.0, tab: str | None = None
) -> Harness:
    def make(app: Harness) -> Widget:
        panel = DetailsPanel(app.api_getter, interval=interval, torrent_getter=app.torrent)
        if tab is not None:
            panel.call_after_refresh(panel.select_tab, tab)
        return panel

    return Harness(settings, make, show=hash)


def log_app(
    settings: ConnectionSettings | None, *, interval: float = 3600.0, max_entries: int = 20_000
) -> Harness:
    return Harness(settings, lambda app: LogPane(app.api_getter, interval=interval, max_entries=max_entries))


