"""The preferences screen: every server preference, grouped in tabs, edited with validation.

The schema, validation and change detection live in `qbtui.model.preferences` (pure); this screen only maps
each kind to a control: Switch (bool), Select (choice), masked Input (password, never prefilled),
TextArea (lists, watched folders) and Input (numbers, rates in human units, text, paths, JSON).
Save sends only the changed keys in one `set_preferences`; connection keys ask first, then reconnect.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import (
    Button,
    Input,
    Label,
    Select,
    Static,
    Switch,
    TabbedContent,
    TabPane,
    TextArea,
)

from qbtui.api.models import SECRET_PREFERENCES
from qbtui.model.preferences import CONNECTION_KEYS, Form, Pref, layout, pref_for, to_text
from qbtui.ui.screens.dialogs import ConfirmDialog
from qbtui.ui.screens.guarded import GuardedScreen
from qbtui.ui.services import server_title, services
from qbtui.ui.widgets.key_footer import KeyFooter
from qbtui.ui.widgets.text_field import TextField
from qbtui.ui.widgets.toggles import OnOffSwitch
from qbtui.ui.workers import background
from qbtui.util.format import plural

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def control_id(key: str) -> str:
    return "pref-" + _ID_UNSAFE.sub("_", key)


class PreferencesScreen(GuardedScreen[None]):
    """Loads the preferences in a worker; Ctrl+S saves, Esc closes (asking if anything is unsaved)."""

    READY_AT_ONCE = False

    DEFAULT_CSS = """
    PreferencesScreen #prefs-title { text-style: bold; padding: 0 1; height: 1; }
    PreferencesScreen #prefs-status { padding: 0 1; height: auto; color: $text-muted; }
    PreferencesScreen #prefs-status.-error { color: $error; }
    PreferencesScreen TabbedContent { height: 1fr; }
    PreferencesScreen .pref-row { height: auto; padding: 0 1; }
    PreferencesScreen .pref-label { width: 42; padding: 1 1 0 0; }
    PreferencesScreen .pref-row Input, PreferencesScreen .pref-row Select { width: 40; }
    PreferencesScreen .pref-row TextArea { width: 60; height: 5; }
    PreferencesScreen .pref-note { width: 1fr; padding: 1 0 0 1; color: $text-muted; }
    PreferencesScreen .pref-error { height: auto; padding: 0 1 0 44; color: $error; }
    PreferencesScreen .pref-error.-empty { display: none; }
    PreferencesScreen Input.-invalid { border: tall $error; }
    PreferencesScreen #prefs-buttons { height: auto; align-horizontal: right; padding: 0 1; }
    PreferencesScreen #prefs-buttons Button { margin-left: 2; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="prefs.close"),
        Binding("ctrl+s", "save", "Save", id="prefs.save"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.form: Form | None = None
        self._keys: dict[str, str] = {}
        self._loaded = False
        self._saving = False
        self._status = "Loading preferences…"

    # ------------------------------------------------------------------------------------------ build

    def compose(self) -> ComposeResult:
        yield Static(server_title(self, "Preferences"), id="prefs-title")
        yield Static(Text(self._status), id="prefs-status")
        if self.form is not None:
            with TabbedContent(id="prefs-tabs"):
                for group, prefs in layout(self.form.original).items():
                    pane_id = "tab-" + _ID_UNSAFE.sub("_", group.lower())
                    with TabPane(group, id=pane_id), VerticalScroll():
                        for pref in prefs:
                            yield from self._row(pref)
            with Horizontal(id="prefs-buttons"):
                yield Button("Close", id="prefs-close")
                yield Button("Save", id="prefs-save", variant="primary")
        yield KeyFooter()

    def _row(self, pref: Pref) -> ComposeResult:
        assert self.form is not None
        values = self.form.original
        wid = control_id(pref.key)
        self._keys[wid] = pref.key
        note = " ".join(part for part in (pref.unit if pref.kind != "rate" else "", pref.help) if part)
        if pref.kind == "rate":
            note = "per second: 800K, 2.5M, 0 or ∞ for unlimited"
        with Horizontal(classes="pref-row"):
            yield Label(Text(pref.label), classes="pref-label")
            yield self._control(pref, values, wid)
            yield Static(Text(note), classes="pref-note")
        yield Static("", id="err-" + wid, classes="pref-error -empty")

    def _control(self, pref: Pref, values: dict[str, Any], wid: str) -> Widget:
        value = values.get(pref.key)
        if pref.kind == "bool":
            return OnOffSwitch(bool(value), id=wid)
        if pref.kind == "choice":
            options: list[tuple[Text, int]] = [(Text(label), number) for number, label in pref.choices]
            if value not in dict(pref.choices) and isinstance(value, int):
                options.append((Text(f"Other ({value})"), value))
            return Select(
                options, allow_blank=False, value=value if isinstance(value, int) else options[0][1], id=wid
            )
        if pref.kind == "password":
            return TextField(password=True, placeholder="unchanged (never shown)", id=wid)
        if pref.kind == "secret":  # the API key: whether it is set, never its value
            return TextField(to_text(pref, values), id=wid, disabled=True)
        if pref.kind in ("list", "scan_dirs"):
            return TextArea(to_text(pref, values), id=wid, soft_wrap=False)
        return TextField(to_text(pref, values), id=wid)

    # ------------------------------------------------------------------------------------------- load

    def on_mount(self) -> None:
        self.load()

    @background(exclusive=True, group="prefs-load")
    async def load(self) -> None:
        try:
            await self._load()
        finally:
            self.ready()

    async def _load(self) -> None:
        api = services(self).api
        if api is None:
            self._set_status("Not connected", error=True)
            return
        try:
            prefs = await api.preferences()
        except Exception as error:  # shown to the user
            self._set_status(f"Could not load preferences: {error}", error=True)
            return
        self.form = Form(dict(prefs.values))
        version = api.info.describe() if hasattr(api.info, "describe") else ""
        self._status = f"{len(prefs.values)} preferences from {version}. Ctrl+S saves, Esc closes."
        self._keys.clear()
        await self.recompose()
        self._loaded = True
        # The first field of the first tab: keys typed ahead with `,` edit it.
        for control in self.query(".pref-row > *").results():
            if control.focusable:
                control.focus()
                break

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self._status = text
        status = self.query_one("#prefs-status", Static)
        status.update(Text(text))
        status.set_class(error, "-error")

    # ------------------------------------------------------------------------------------------- edit

    def _edited(self, widget: Widget, value: str | bool) -> None:
        if self.form is None or widget.id not in self._keys:
            return
        reason = self.form.set(self._keys[widget.id], value)
        error = self.query_one(f"#err-{widget.id}", Static)
        error.update(Text(reason or ""))
        error.set_class(reason is None, "-empty")
        widget.set_class(reason is not None, "-invalid")

    @on(Input.Changed)
    def _input(self, event: Input.Changed) -> None:
        self._edited(event.input, event.value)

    @on(Switch.Changed)
    def _switch(self, event: Switch.Changed) -> None:
        self._edited(event.switch, event.value)

    @on(Select.Changed)
    def _select(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self._edited(event.select, str(event.value))

    @on(TextArea.Changed)
    def _area(self, event: TextArea.Changed) -> None:
        self._edited(event.text_area, event.text_area.text)

    # ------------------------------------------------------------------------------------------- save

    @on(Button.Pressed, "#prefs-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#prefs-close")
    def _close_pressed(self) -> None:
        self.action_close()

    def action_save(self) -> None:
        if self.form is None or self._saving:
            return
        if self.form.errors:
            reasons = list(self.form.errors.values())
            self._set_status(
                f"Not saved: {reasons[0]}" + (f" (+{len(reasons) - 1} more)" if len(reasons) > 1 else ""),
                error=True,
            )
            return
        changes = self.form.changes()
        if not changes:
            self._set_status("Nothing changed")
            return
        touched = sorted(CONNECTION_KEYS & changes.keys())
        if touched:
            body = Text(
                "Changing " + ", ".join(touched) + " changes how qbtui connects to the server. "
                "qbtui will reconnect with the new values after saving (for this session: update your "
                "password source or --url for the next start). Behind a reverse proxy, change the "
                "proxy too."
            )

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.save(changes, reconnect=True)

            self.app.push_screen(
                ConfirmDialog("Change the connection?", body, "Save and reconnect"), confirmed
            )
            return
        self.save(changes, reconnect=False)

    @background(exclusive=True, group="prefs-save")
    async def save(self, changes: dict[str, Any], *, reconnect: bool) -> None:
        api = services(self).api
        if api is None or self.form is None:
            return
        self._saving = True
        before = dict(self.form.original)
        try:
            await api.set_preferences(changes)
        except Exception as error:  # shown to the user
            self._set_status(f"Saving failed: {error}", error=True)
            return
        finally:
            self._saving = False
        for key, value in changes.items():
            if key in SECRET_PREFERENCES:
                continue
            self.form.original[key] = value
        self.form.edited.clear()
        for box in self.query(Input):
            if box.password:
                box.value = ""
        # Their labels, as the form shows them (a key like max_connec means little to a reader).
        labels = sorted((pref_for(key, value).label for key, value in changes.items()), key=str.casefold)
        self._set_status(f"Saved {plural(len(changes), 'preference')}: " + ", ".join(labels))
        self.notify(f"Saved {plural(len(changes), 'preference')}", title="Preferences")
        if reconnect:
            services(self).reconnect(before=before, changed=changes)

    # ------------------------------------------------------------------------------------------ close

    def unsaved_edits(self) -> str | None:
        if self.form is None:
            return None
        keys = set(self.form.changes()) | set(self.form.errors)
        if not keys:
            return None
        edited = sorted(pref_for(key).label for key in keys)
        shown = ", ".join(edited[:6]) + (f" and {len(edited) - 6} more" if len(edited) > 6 else "")
        return f"Unsaved preference changes: {shown}."

    def action_close(self) -> None:
        self.close_asking()
