"""HTTP sources: the torrent's web seeds (BEP 19 url-list and BEP 17 httpseeds); add, edit and
remove them on qBittorrent 5.1+ (WebAPI 2.11.3)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from qbtui.api import QbtApi
from qbtui.api.gates import WEB_SEEDS_EDIT
from qbtui.api.models import ServerInfo, WebSeed
from qbtui.ui.screens.dialogs import ConfirmDialog, TextPrompt
from qbtui.ui.text import safe
from qbtui.ui.widgets.details.base import DetailTab
from qbtui.ui.widgets.details.prompts import LinesPrompt
from qbtui.ui.widgets.details.support import needs_legacy
from qbtui.ui.widgets.details.tables import KeyedTable

#: The schemes qBittorrent takes for a web seed.
SCHEMES = ("http://", "https://", "ftp://")


def looks_like_web_seed(url: str) -> bool:
    return url.lower().startswith(SCHEMES) and len(url) > len("ftp://")


class HttpSourcesTab(DetailTab):
    TITLE = "HTTP sources"
    PANE_ID = "http-sources"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add web seeds", id="details.webseeds-add"),
        Binding("e", "edit", "Edit URL", id="details.webseeds-edit"),
        Binding("x,delete", "remove", "Remove", id="details.webseeds-remove"),
        Binding("a", "explain('add')", show=False, id="details.webseeds-add-explain"),
        Binding("e", "explain('edit')", show=False, id="details.webseeds-edit-explain"),
        Binding("x,delete", "explain('remove')", show=False, id="details.webseeds-remove-explain"),
    ]
    V2_ACTIONS = {
        "add": (WEB_SEEDS_EDIT.version, "Adding web seeds needs"),
        "edit": (WEB_SEEDS_EDIT.version, "Editing web seeds needs"),
        "remove": (WEB_SEEDS_EDIT.version, "Removing web seeds needs"),
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.seeds: list[WebSeed] = []

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
        self.seeds = data
        self.table.sync({seed.url: [Text(safe(seed.url))] for seed in data})
        self.data_shown()
        if not data:
            hint = " (a adds one)" if WEB_SEEDS_EDIT.allows(self.info) else ""
            self.note.say(f"This torrent has no HTTP sources{hint}", "info")

    def clear(self) -> None:
        self.seeds = []
        self.table.reset()

    # -- commands -------------------------------------------------------------------------------

    def _selected(self) -> str | None:
        key = self.table.cursor_key
        if key is None or not any(seed.url == key for seed in self.seeds):
            self.notify("No HTTP source highlighted", severity="warning")
            return None
        return key

    def action_add(self) -> None:
        def chosen(urls: list[str] | None) -> None:
            if urls:
                count = len(urls)
                self.request(
                    lambda api, h: api.add_web_seeds(h, urls),
                    f"Added {count} web seed{'s' if count != 1 else ''}",
                )

        def validate(urls: list[str]) -> str | None:
            bad = [url for url in urls if not looks_like_web_seed(url)]
            return f"Not an http, https or ftp URL: {bad[0]}" if bad else None

        self.app.push_screen(
            LinesPrompt(
                "Add web seeds",
                hint="One URL per line, e.g. https://mirror.example/files/",
                validate=validate,
            ),
            chosen,
        )

    def action_edit(self) -> None:
        old = self._selected()
        if old is None:
            return
        shown_url = safe(old)  # handed back unedited, it means "no change"

        def chosen(url: str | None) -> None:
            if url and url.strip() not in (old, shown_url):
                new = url.strip()
                self.request(lambda api, h: api.edit_web_seed(h, old, new), f"Web seed changed to {new}")

        self.app.push_screen(
            TextPrompt(
                "Web seed URL",
                shown_url,
                validate=lambda value: (
                    None if looks_like_web_seed(value.strip()) else "Not an http, https or ftp URL"
                ),
            ),
            chosen,
        )

    def action_remove(self) -> None:
        url = self._selected()
        if url is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.request(lambda api, h: api.remove_web_seeds(h, [url]), f"Removed web seed {url}")

        body = Text("The torrent will stop downloading from\n\n  ")
        body.append(safe(url), style="bold")
        self.app.push_screen(ConfirmDialog("Remove this web seed?", body, "Remove", danger=True), confirmed)
