"""A path on the server: Tab completes it and ctrl+o browses the server's folders (5.0+,
`app/getDirectoryContent`), and a line under it says how much room is left there (any path on 5.3+;
before, the free space of the default save path from the poll's server state).

On servers without folder listings Tab moves the focus as in any field, and the line says why there
is no completion.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.actions import SkipAction
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Static

from qbtui.api import QbtApi, errors
from qbtui.api.gates import DIRECTORY_CONTENT, FREE_SPACE
from qbtui.api.paths import DirectoryEntry, join, parent_of, separator
from qbtui.ui.services import services
from qbtui.ui.text import safe
from qbtui.ui.widgets.text_field import TextField
from qbtui.ui.workers import background
from qbtui.util import format as fmt

#: Longest wait for a folder listing while completing: keys typed after Tab wait for it.
COMPLETE_TIMEOUT = 3.0
#: Quiet time after typing before the free space is asked for.
FREE_SPACE_DELAY = 0.4

ApiGetter = Callable[[], QbtApi | None]


def split_typed(text: str) -> tuple[str, str]:
    """(folder to list, partial name) of a partly typed absolute path."""
    sep = separator(text)
    if text.endswith(sep):
        return text, ""
    folder = parent_of(text)
    return folder, text.rstrip(sep).rsplit(sep, 1)[-1]


def completion(text: str, entries: list[DirectoryEntry]) -> tuple[str, list[str]]:
    """(completed text, candidate names): the longest common prefix of the matching entries; a
    single folder gets its separator."""
    folder, partial = split_typed(text)
    names = [e.name + (separator(folder) if e.is_dir else "") for e in entries if e.name.startswith(partial)]
    if not names:
        return text, []
    common = names[0] if len(names) == 1 else _common_prefix(names)
    return join(folder, common) if common else text, names


def _common_prefix(names: list[str]) -> str:
    first, last = min(names), max(names)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


def _app_api(widget: Any) -> QbtApi | None:
    return services(widget).api


class ServerPathInput(TextField):
    """Tab completes on the server, ctrl+o browses it; both only where the server can list folders."""

    BINDINGS = [
        Binding("tab", "complete", "Complete path", show=False, id="server_path.complete"),
        Binding("ctrl+o", "browse", "Browse the server", id="server_path.browse"),
    ]

    def __init__(self, value: str | None = None, *, files: bool = False, **kwargs: Any) -> None:
        super().__init__(value, **kwargs)
        #: Files complete too (the creator's source may be one file).
        self.files = files
        self.candidates: list[str] = []
        #: The value whose candidates the last Tab listed.
        self._listed_for: str | None = None

    @property
    def api(self) -> QbtApi | None:
        return _app_api(self)

    def can_list(self) -> bool:
        api = self.api
        return api is not None and DIRECTORY_CONTENT.allows(api.info)

    async def action_complete(self) -> None:
        api = self.api
        if not self.value or api is None or not DIRECTORY_CONTENT.allows(api.info):
            raise SkipAction()
        if self._listed_for == self.value:
            raise SkipAction()
        folder, _ = split_typed(self.value)
        try:
            entries = await asyncio.wait_for(
                api.directory_content(folder, files=self.files), COMPLETE_TIMEOUT
            )
        except (errors.QbtError, TimeoutError):
            self.candidates = []
            raise SkipAction() from None
        completed, self.candidates = completion(self.value, entries)
        if completed == self.value:
            # Tab again after the candidates were listed moves on, as Tab does in any field.
            if len(self.candidates) > 1 and self._listed_for != self.value:
                self._listed_for = self.value
                shown = "  ".join(self.candidates[:12]) + ("  …" if len(self.candidates) > 12 else "")
                self.app.notify(safe(shown), title="On the server", timeout=4, markup=False)
                return
            raise SkipAction()
        self.value = completed
        self.cursor_position = len(completed)

    def action_browse(self) -> None:
        from qbtui.ui.screens.server_browser import ServerBrowser

        api = self.api
        reason = DIRECTORY_CONTENT.reason(api.info if api else None)
        if reason is not None:
            self.app.notify(reason, severity="warning", markup=False, timeout=6)
            return

        def chosen(path: str | None) -> None:
            if path:
                self.value = path
                self.cursor_position = len(path)
                self.focus()

        self.app.push_screen(ServerBrowser(self.value.strip(), files=self.files), chosen)


class FreeSpace(Static):
    """The room left where a ServerPathInput points, refreshed a moment after typing stops."""

    DEFAULT_CSS = "FreeSpace { color: $text-muted; height: auto; }"

    def __init__(self, field_id: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self.field_id = field_id
        self._timer: Timer | None = None
        #: The last line shown, for tests and the snapshot.
        self.said = ""

    def on_mount(self) -> None:
        self.display = False  # until there is something to say
        field = self._field()
        if field is not None:
            self.watch(field, "value", lambda _: self.check(), init=False)
        self.check()

    def _field(self) -> ServerPathInput | None:
        found = self.screen.query(f"#{self.field_id}")
        return found.first(ServerPathInput) if found else None

    def check(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(FREE_SPACE_DELAY, self._measure)

    def _say(self, text: str) -> None:
        self.said = text
        self.display = bool(text)
        self.update(Text(safe(text)))

    @background(exclusive=True, group="free-space")
    async def _measure(self) -> None:
        field = self._field()
        api = _app_api(self)
        if field is None or api is None:
            return
        path = field.value.strip() or field.placeholder.removeprefix("server default: ").strip()
        listing = DIRECTORY_CONTENT.reason(api.info)
        note = (
            ""
            if listing is None
            else f"  (Tab completion and browsing need qBittorrent {DIRECTORY_CONTENT.release})"
        )
        absolute = path.startswith(("/", "\\")) or path[1:3] in (":\\", ":/")
        if FREE_SPACE.allows(api.info) and absolute:
            try:
                free = await api.free_space_at(path)
            except errors.QbtError as exc:
                self._say(f"Free space unknown: {exc}{note}")
                return
            self._say(f"{fmt.size(free)} free there{note}")
            return
        free_default = services(self).store.server_state.free_space_on_disk
        if free_default is not None and free_default >= 0:
            self._say(f"{fmt.size(free_default)} free at the default save path{note}")
        else:
            self._say(note.strip())


def _short(reason: str) -> str:
    """ "Browsing the server's folders needs qBittorrent 5.0 or later (...)" without the version talk."""
    return reason.split(";")[0]
