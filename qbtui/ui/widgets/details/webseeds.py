"""HTTP sources: the torrent's web seeds (BEP 19 url-list and BEP 17 httpseeds)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult

from qbtui.api import QbtApi
from qbtui.api.models import ServerInfo, WebSeed
from qbtui.ui.text import safe
from qbtui.ui.widgets.details.base import DetailTab
from qbtui.ui.widgets.details.support import needs_legacy
from qbtui.ui.widgets.details.tables import KeyedTable


class HttpSourcesTab(DetailTab):
    TITLE = "HTTP sources"
    PANE_ID = "http-sources"

    def compose_body(self) -> ComposeResult:
        yield KeyedTable(classes="body")

    @property
    def table(self) -> KeyedTable:
        return self.query_one(KeyedTable)

    def on_mount(self) -> None:
        self.table.set_columns([("url", "URL", None)])

    def unsupported(self, info: ServerInfo) -> str | None:
        return needs_legacy(info, 3, "Web seeds need")

    async def fetch(self, api: QbtApi, hash: str) -> list[WebSeed]:
        return await api.webseeds(hash)

    def show_data(self, data: list[WebSeed]) -> None:
        self.table.sync({seed.url: [Text(safe(seed.url))] for seed in data})
        self.data_shown()
        if not data:
            self.note.say("This torrent has no HTTP sources", "info")

    def clear(self) -> None:
        self.table.reset()
