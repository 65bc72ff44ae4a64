"""Browsing the server's folders (5.0+): Enter opens a folder (or picks a file, where files count),
Backspace goes up, ctrl+s picks the folder shown. Hidden entries are not listed by the server."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from qbtui.api import QbtApi, errors
from qbtui.api.gates import FREE_SPACE
from qbtui.api.paths import DirectoryEntry, parent_of, separator
from qbtui.ui.screens.dialogs import Dialog
from qbtui.ui.services import services
from qbtui.ui.text import safe
from qbtui.ui.workers import background
from qbtui.util import format as fmt

UP = "\x00up"


class ServerBrowser(Dialog[str | None]):
    READY_AT_ONCE = False
    DEFAULT_CSS = """
    ServerBrowser .dialog { width: 84; }
    ServerBrowser #where { height: auto; }
    ServerBrowser #entries { height: 16; max-height: 16; }
    ServerBrowser #free { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("backspace", "up", "Up a folder", id="browser.up"),
        Binding("ctrl+s", "choose", "Pick this folder", priority=True, id="browser.choose"),
    ]

    def __init__(self, start: str, *, files: bool = False) -> None:
        super().__init__()
        self.start = start
        self.files = files
        self.folder = ""
        self.entries: list[DirectoryEntry] = []

    @property
    def api(self) -> QbtApi | None:
        return services(self).api

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Text("On the server" + (": a file or folder" if self.files else ": a folder")),
                classes="title",
            )
            yield Static("", id="where")
            yield OptionList(id="entries")
            yield Static("", id="free")
            yield Static("", classes="error", id="error")
            hint = (
                "Enter opens" + (" or picks a file" if self.files else "") + " · Backspace up · ctrl+s picks"
            )
            yield Static(Text(hint, style="dim"))
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Pick this folder", id="choose", variant="primary")

    def on_mount(self) -> None:
        self.first()

    @background(exclusive=True, group="browse")
    async def first(self) -> None:
        try:
            start = self.start
            api = self.api
            if api is not None and not start.startswith(("/", "\\")) and start[1:3] not in (":\\", ":/"):
                start = await api.default_save_path()
            # A typed path may name a file or a folder not made yet: start at the nearest one there is.
            for _ in range(64):
                if await self._open(start, quiet=True):
                    break
                parent = parent_of(start)
                if parent == start:
                    break
                start = parent
        except errors.QbtError as exc:
            self._error(str(exc))
        finally:
            self.ready()
            self.query_one("#entries", OptionList).focus()

    async def _open(self, folder: str, *, quiet: bool = False) -> bool:
        api = self.api
        if api is None:
            self._error("Not connected to qBittorrent")
            return False
        try:
            entries = await api.directory_content(folder, files=self.files)
        except errors.QbtError as exc:
            if not quiet:
                self._error(str(exc))
            return False
        self.folder, self.entries = folder, entries
        self._error("")
        self.query_one("#where", Static).update(Text(safe(folder), style="bold"))
        options = self.query_one("#entries", OptionList)
        options.clear_options()
        sep = separator(folder)
        items = [Option(Text(".. (up)", style="dim"), id=UP)] if parent_of(folder) != folder else []
        for index, entry in enumerate(entries):
            label = Text(
                safe(entry.name) + (sep if entry.is_dir else ""), style="bold" if entry.is_dir else ""
            )
            items.append(Option(label, id=str(index)))
        options.add_options(items)
        if items:
            options.highlighted = 0
        self._free(folder)
        return True

    @background(exclusive=True, group="browse-free")
    async def _free(self, folder: str) -> None:
        api = self.api
        line = self.query_one("#free", Static)
        if api is None or not FREE_SPACE.allows(api.info):
            line.update("")
            return
        try:
            free = await api.free_space_at(folder)
        except errors.QbtError:
            line.update("")
            return
        line.update(Text(f"{fmt.size(free)} free here"))

    def _error(self, text: str) -> None:
        self.query_one("#error", Static).update(Text(safe(text)))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == UP:
            self.action_up()
            return
        entry = self.entries[int(event.option.id or 0)]
        if entry.is_dir:
            self.go(entry.path)
        else:
            self.dismiss(entry.path)

    @background(exclusive=True, group="browse")
    async def go(self, folder: str) -> None:
        await self._open(folder)

    def action_up(self) -> None:
        if self.folder and parent_of(self.folder) != self.folder:
            self.go(parent_of(self.folder))

    @on(Button.Pressed, "#choose")
    def action_choose(self) -> None:
        if self.folder:
            self.dismiss(self.folder)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()
