"""Speed limits: global, alternative (with the on/off switch) and per-torrent, in human units.

Every limit here is bytes/s on the wire. That includes the `alt_dl_limit`/`alt_up_limit`
preferences: the spec calls them KiB/s, but the recorded 4.0.4 answer (`alt_dl_limit: 10240`
for qBittorrent's 10 KiB/s default) and qbittorrent-nox both use bytes/s, so we follow them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Static

from qbtui.api import errors
from qbtui.api.coerce import as_int
from qbtui.model.undo import Undoable, combine, plan_limits
from qbtui.ui.screens.dialogs import Dialog
from qbtui.ui.services import server_title, services
from qbtui.ui.undoing import HINT_FROM_DIALOG, expectations, remember
from qbtui.ui.widgets.text_field import TextField
from qbtui.ui.widgets.toggles import TickBox
from qbtui.ui.workers import background
from qbtui.util.units import format_rate, parse_rate

if TYPE_CHECKING:
    from qbtui.api import QbtApi

#: Field id -> what the user calls it.
FIELDS = {
    "global-dl": "global download limit",
    "global-ul": "global upload limit",
    "alt-dl": "alternative download limit",
    "alt-ul": "alternative upload limit",
    "torrent-dl": "torrent download limit",
    "torrent-ul": "torrent upload limit",
}


def shown(limit: int | None) -> str:
    """A limit as the user would type it: `2.5 MiB/s`, or `∞` for none."""
    return format_rate(limit if limit and limit > 0 else None)


class SpeedLimitsScreen(Dialog[None]):
    """All speed limits in one form; only the fields that were changed are sent. Enter or ctrl+s
    applies them and closes the form, as every form does; Esc closes (asking about unsent edits)."""

    READY_AT_ONCE = False
    DEFAULT_CSS = """
    SpeedLimitsScreen .dialog { width: 76; }
    SpeedLimitsScreen .row { height: 1; margin-bottom: 1; }
    SpeedLimitsScreen .row Label { width: 20; }
    SpeedLimitsScreen .row Input { width: 1fr; margin-bottom: 0; }
    SpeedLimitsScreen Checkbox { margin-bottom: 1; }
    SpeedLimitsScreen .section { text-style: bold; margin-top: 1; color: $text-accent; }
    SpeedLimitsScreen #status { height: auto; color: $text-success; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="limits.close"),
        Binding("ctrl+s", "save", "Apply and close", id="limits.save", priority=True),
        Binding("ctrl+t", "toggle_alt", "Alternative on/off", id="limits.toggle-alt", priority=True),
    ]

    def __init__(self, targets: list[str]) -> None:
        super().__init__()
        self.targets = list(targets)
        self._initial: dict[str, str] = {}
        self._alt_enabled: bool | None = None
        self._loaded = False

    @property
    def api(self) -> QbtApi | None:
        return services(self).api

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(server_title(self, "Speed limits"), classes="title")
            yield Static("Global", classes="section")
            yield from self._row("global-dl", "Download")
            yield from self._row("global-ul", "Upload")
            yield Static("Alternative", classes="section")
            yield TickBox("Alternative speed limits in use", False, id="alt-enabled", compact=True)
            yield from self._row("alt-dl", "Download")
            yield from self._row("alt-ul", "Upload")
            if self.targets:
                count = len(self.targets)
                yield Static(f"Selected torrents ({count})", classes="section")
                yield from self._row("torrent-dl", "Download")
                yield from self._row("torrent-ul", "Upload")
            yield Static(
                Text(
                    "e.g. 2.5M, 800K, 1.5MiB/s; 0 or ∞ for no limit. Enter applies and closes; the "
                    "alternative switch (ctrl+t) acts at once.",
                    style="dim",
                )
            )
            yield Static("", classes="error", id="error")
            yield Static("", id="status")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")
                yield Button("Apply and close", id="apply", variant="primary")

    @staticmethod
    def _row(field: str, label: str) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label(label)
            yield TextField(placeholder="loading…", id=field, disabled=True, compact=True)

    def on_mount(self) -> None:
        self.load()

    # -- loading ---------------------------------------------------------------------------------

    @background(exclusive=True, group="limits-load")
    async def load(self) -> None:
        try:
            await self._load()
        finally:
            self.ready()

    async def _load(self) -> None:
        api = self.api
        if api is None:
            self._error("Not connected to qBittorrent")
            return
        try:
            values: dict[str, str] = {
                "global-dl": shown(await api.global_download_limit()),
                "global-ul": shown(await api.global_upload_limit()),
            }
            prefs = await api.preferences()
            values["alt-dl"] = shown(_as_int(prefs.get("alt_dl_limit")))
            values["alt-ul"] = shown(_as_int(prefs.get("alt_up_limit")))
            self._alt_enabled = await api.alternative_speed_limits_enabled()
            if self.targets:
                values["torrent-dl"] = _common(await api.torrent_download_limits(self.targets))
                values["torrent-ul"] = _common(await api.torrent_upload_limits(self.targets))
        except errors.QbtError as exc:
            self._error(f"Could not read the limits: {exc}")
            return
        self._initial = values
        for field, text in values.items():
            box = self.query_one(f"#{field}", Input)
            box.value = text
            box.placeholder = "differs between the torrents" if text == "" else ""
            box.disabled = False
        with self.prevent(Checkbox.Changed):
            self.query_one("#alt-enabled", Checkbox).value = self._alt_enabled
        self._loaded = True
        self.query_one("#global-dl", Input).focus()

    # -- applying --------------------------------------------------------------------------------

    def _error(self, text: str) -> None:
        self.query_one("#error", Static).update(Text(text))

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(text))

    def _changes(self) -> dict[str, int | None] | None:
        """The changed fields, parsed; None (with the reason shown) if one is invalid."""
        changes: dict[str, int | None] = {}
        for field, name in FIELDS.items():
            if field not in self._initial:
                continue
            box = self.query_one(f"#{field}", Input)
            if box.value.strip() == self._initial[field].strip():
                continue
            try:
                changes[field] = parse_rate(box.value)
            except ValueError as exc:
                self._error(f"{name.capitalize()}: {exc}")
                box.focus()
                return None
        return changes

    def unsaved_edits(self) -> str | None:
        if not self._loaded:
            return None
        edited = [
            FIELDS[field]
            for field, text in self._initial.items()
            if self.query_one(f"#{field}", Input).value.strip() != text.strip()
        ]
        return f"Not applied yet: {', '.join(edited)}." if edited else None

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def action_save(self) -> None:
        if not self._loaded:
            return
        changes = self._changes()
        if changes is None:
            return
        self._error("")
        if not changes:
            self.dismiss(None)
            return
        self.apply(changes)

    def action_toggle_alt(self) -> None:
        box = self.query_one("#alt-enabled", Checkbox)
        box.value = not box.value  # the Changed message applies it

    @on(Checkbox.Changed, "#alt-enabled")
    def _alt_changed(self, event: Checkbox.Changed) -> None:
        if self._alt_enabled is not None and event.value != self._alt_enabled:
            self.toggle_alternative()

    @background(exclusive=True, group="limits-toggle")
    async def toggle_alternative(self) -> None:
        api = self.api
        if api is None:
            self._error("Not connected to qBittorrent")
            return
        try:
            await api.toggle_alternative_speed_limits()
            self._alt_enabled = await api.alternative_speed_limits_enabled()
        except errors.QbtError as exc:
            self._error(f"Refused: {exc}")
            return
        message = f"Alternative speed limits {'on' if self._alt_enabled else 'off'}"
        self._status(message)
        self.notify(message, title="Speed limits", markup=False, timeout=4)
        self._poke()

    @background(exclusive=True, group="limits-apply")
    async def apply(self, changes: dict[str, int | None]) -> None:
        api = self.api
        if api is None:
            self._error("Not connected to qBittorrent")
            return
        done: list[str] = []
        undo: list[Undoable | None] = []
        prefs: dict[str, Any] = {}
        try:
            for field, limit in changes.items():
                if field == "global-dl":
                    await api.set_global_download_limit(limit)
                elif field == "global-ul":
                    await api.set_global_upload_limit(limit)
                elif field in ("torrent-dl", "torrent-ul"):
                    download = field == "torrent-dl"
                    plan = self._plan_torrent_limits(download, limit)
                    if download:
                        await api.set_torrent_download_limit(self.targets, limit)
                    else:
                        await api.set_torrent_upload_limit(self.targets, limit)
                    undo.append(plan)
                elif field == "alt-dl":
                    prefs["alt_dl_limit"] = limit or 0
                elif field == "alt-ul":
                    prefs["alt_up_limit"] = limit or 0
                if not field.startswith("alt-"):
                    self._remember(field, limit)
                    done.append(f"{FIELDS[field]} {shown(limit)}")
            if prefs:
                await api.set_preferences(prefs)
                for field in ("alt-dl", "alt-ul"):
                    if field in changes:
                        self._remember(field, changes[field])
                        done.append(f"{FIELDS[field]} {shown(changes[field])}")
        except errors.QbtError as exc:
            self._error(f"Refused: {exc}")
            if done:
                self._status("Set " + ", ".join(done))
            self._keep_undo(undo)
            return
        undoable = self._keep_undo(undo)
        message = "Set " + ", ".join(done) + (HINT_FROM_DIALOG if undoable else "")
        self.notify(message, title="Speed limits", markup=False, timeout=5)
        self._poke()
        self.dismiss(None)

    def _plan_torrent_limits(self, download: bool, limit: int | None) -> Undoable | None:
        store = services(self).store
        return plan_limits(store, self.targets, download, new_limit=limit, expected=expectations(self.app))

    def _keep_undo(self, plans: list[Undoable | None]) -> bool:
        """The per-torrent limits that were set go on the undo stack as one action."""
        return remember(self.app, combine(f"limits on {len(self.targets)} torrent(s)", *plans))

    def _poke(self) -> None:
        services(self).poke()

    def _remember(self, field: str, limit: int | None) -> None:
        text = shown(limit)
        self._initial[field] = text
        self.query_one(f"#{field}", Input).value = text

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.action_cancel()


def _as_int(value: object) -> int | None:
    return as_int(value, None)


def _common(limits: dict[str, int | None]) -> str:
    """One limit shared by all the torrents, or "" when they differ."""
    values = {limit if limit and limit > 0 else None for limit in limits.values()}
    return shown(values.pop()) if len(values) == 1 else ""
