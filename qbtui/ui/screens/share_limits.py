"""The share limits of one or many torrents: ratio, seeding time, inactive seeding time (4.6+), and
what happens when they are reached (5.2+), with whether any or all must be reached (5.3+).

A field the torrents disagree on starts empty and, left empty, keeps each torrent's own value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from qbtui.api.gates import INACTIVE_SEEDING, SHARE_ACTION, SHARE_MODE
from qbtui.api.models import ServerInfo, ShareLimitAction, ShareLimitsMode
from qbtui.model.share_limits import (
    ShareLimits,
    ShareLimitsEdit,
    parse_minutes,
    parse_ratio,
    show_minutes,
    show_ratio,
)
from qbtui.ui.screens.dialogs import Dialog
from qbtui.ui.widgets.text_field import TextField

_MODES = {
    ShareLimitsMode.DEFAULT: "server default",
    ShareLimitsMode.MATCH_ANY: "any limit reached",
    ShareLimitsMode.MATCH_ALL: "all limits reached",
}
_DIFFERS = "differs: empty keeps each torrent's own"


def _common(values: Sequence[object]) -> object | None:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


class ShareLimitsDialog(Dialog[ShareLimitsEdit | None]):
    """Enter (or Set) sends what changed; Esc asks first when something was typed."""

    DEFAULT_CSS = """
    ShareLimitsDialog .row { height: auto; }
    ShareLimitsDialog .row Label { width: 24; padding: 1 1 0 0; }
    ShareLimitsDialog .row Input, ShareLimitsDialog .row Select { width: 1fr; margin-bottom: 0; }
    ShareLimitsDialog .gap { color: $text-muted; height: auto; }
    """

    def __init__(self, title: str, current: Sequence[ShareLimits], info: ServerInfo) -> None:
        super().__init__()
        self._title, self._info = title, info
        self._initial: dict[str, str] = {
            "ratio": self._shown(_common([c.ratio for c in current]), show_ratio),
            "seeding": self._shown(_common([c.seeding_minutes for c in current]), show_minutes),
            "inactive": self._shown(_common([c.inactive_minutes for c in current]), show_minutes),
        }
        self._action = _common([c.action for c in current])
        self._mode = _common([c.mode for c in current])

    @staticmethod
    def _shown(value: object | None, show: Callable[..., str]) -> str:
        return "" if value is None else show(value)

    def _field(self, key: str, label: str) -> ComposeResult:
        value = self._initial[key]
        with Horizontal(classes="row"):
            yield Label(label)
            yield TextField(value, placeholder=_DIFFERS if value == "" else "", id=key)

    def compose(self) -> ComposeResult:
        info = self._info
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="title")
            yield from self._field("ratio", "Ratio limit")
            yield from self._field("seeding", "Seeding time limit")
            if INACTIVE_SEEDING.allows(info):
                yield from self._field("inactive", "Inactive seeding limit")
            if SHARE_ACTION.allows(info):
                with Horizontal(classes="row"):
                    yield Label("When reached")
                    yield Select(
                        [(action.label, action) for action in ShareLimitAction],
                        value=self._action if self._action is not None else Select.BLANK,
                        prompt=_DIFFERS,
                        id="action",
                    )
            if SHARE_MODE.allows(info):
                with Horizontal(classes="row"):
                    yield Label("Act when")
                    yield Select(
                        [(label, mode) for mode, label in _MODES.items()],
                        value=self._mode if self._mode is not None else Select.BLANK,
                        prompt=_DIFFERS,
                        id="mode",
                    )
            for gate in (INACTIVE_SEEDING, SHARE_ACTION):
                reason = gate.reason(info)
                if reason:
                    yield Static(Text(reason), classes="gap")
            yield Static(
                Text(
                    "global: the server's own limit · none: no limit · times: 90 (minutes), 1h30m, 2d",
                    style="dim",
                )
            )
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Set", id="confirm", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ratio", Input).focus()

    def _typed(self, key: str) -> str | None:
        fields = self.query(f"#{key}")
        return fields.first(Input).value.strip() if fields else None

    def _chosen(self, key: str) -> object | None:
        selects = self.query(f"#{key}")
        if not selects:
            return None
        value = selects.first(Select).value
        return None if value is Select.BLANK else value

    def edit(self) -> ShareLimitsEdit:
        """What the form changes (ValueError naming the field when one cannot be read)."""
        values: dict[str, object] = {}
        for key, name, parse, label in (
            ("ratio", "ratio", parse_ratio, "Ratio limit"),
            ("seeding", "seeding_minutes", parse_minutes, "Seeding time limit"),
            ("inactive", "inactive_minutes", parse_minutes, "Inactive seeding limit"),
        ):
            typed = self._typed(key)
            if typed is None or typed == self._initial[key] or (typed == "" and self._initial[key] == ""):
                continue
            try:
                values[name] = parse(typed)
            except ValueError as exc:
                raise ValueError(f"{label}: {exc}") from None
        action = self._chosen("action")
        if action is not None and action != self._action:
            values["action"] = action
        mode = self._chosen("mode")
        if mode is not None and mode != self._mode:
            values["mode"] = mode
        return ShareLimitsEdit(**values)  # type: ignore[arg-type]

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def _submit(self) -> None:
        try:
            edit = self.edit()
        except ValueError as exc:
            self.query_one("#error", Static).update(Text(str(exc)))
            return
        self.dismiss(edit)

    def unsaved_edits(self) -> str | None:
        try:
            edited = not self.edit().empty
        except ValueError:
            edited = True
        return "The share limits typed here are not set yet." if edited else None

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()
