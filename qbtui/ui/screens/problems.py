"""The problems view (!): what needs attention, why, and the fitting action on Enter.

Recomputed from the store every few seconds; tracker messages are fetched only for running
torrents without a working tracker, a few per refresh, and kept for a minute.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from qbtui.api import errors
from qbtui.api.models import Tracker
from qbtui.model.problems import Action, Problem, find_problems, tracker_candidates
from qbtui.model.undo import Undoable, plan_pause
from qbtui.ui.readonly import changes_the_server
from qbtui.ui.screens.dialogs import Dialog, TextPrompt
from qbtui.ui.services import server_title, services
from qbtui.ui.text import fit, safe
from qbtui.ui.undoing import HINT_FROM_DIALOG, expectations, remember
from qbtui.ui.workers import background

if TYPE_CHECKING:
    from qbtui.ui.app import QbtuiApp

REFRESH_SECONDS = 3.0
TRACKERS_PER_REFRESH = 20
TRACKER_CACHE_SECONDS = 60.0


class ProblemsScreen(Dialog[None]):
    DEFAULT_CSS = """
    ProblemsScreen .dialog { width: 130; max-width: 98%; }
    ProblemsScreen DataTable { height: auto; max-height: 24; }
    ProblemsScreen #problems-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape,exclamation_mark", "cancel", "Close", id="problems.close"),
        Binding("enter", "fix", "Fix", id="problems.fix"),
        Binding("c", "act('recheck')", "Recheck", id="problems.recheck"),
        Binding("e", "act('reannounce')", "Reannounce", id="problems.reannounce"),
        Binding("p", "act('pause')", "Pause", id="problems.pause"),
        Binding("m", "act('set location')", "Set location", id="problems.location"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[Problem] = []
        self._trackers: dict[str, tuple[float, list[Tracker]]] = {}

    @property
    def qbt(self) -> QbtuiApp:
        return cast("QbtuiApp", self.app)  # opened only from the main screen of a QbtuiApp

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(server_title(self, "Problems"), classes="title")
            table: DataTable[Text] = DataTable(id="problems-table", cursor_type="row", zebra_stripes=True)
            table.add_columns("Kind", "Torrent", "Fix", "Why")
            yield table
            yield Static(
                Text(
                    "Enter applies the fix shown · c recheck · e reannounce · p pause · m set location · Esc"
                ),
                id="problems-hint",
            )

    def on_mount(self) -> None:
        self._show()
        self.refresh_trackers()
        self.set_interval(REFRESH_SECONDS, self.refresh_trackers)
        self.query_one(DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (services(self).read_only and changes_the_server(self, action))

    @background(exclusive=True, group="problems-trackers")
    async def refresh_trackers(self) -> None:
        api = self.qbt.api
        now = time.monotonic()
        if api is not None:
            stale = [
                h
                for h in tracker_candidates(self.qbt.store)
                if now - self._trackers.get(h, (-1e9, []))[0] > TRACKER_CACHE_SECONDS
            ]
            for key in stale[:TRACKERS_PER_REFRESH]:
                try:
                    self._trackers[key] = (now, await api.trackers(key))
                except errors.QbtError:
                    continue
        self._show()

    def _show(self) -> None:
        candidates = set(tracker_candidates(self.qbt.store))
        trackers = {h: listed for h, (_, listed) in self._trackers.items() if h in candidates}
        self.problems = find_problems(self.qbt.store, time.time(), trackers=trackers)
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for index, problem in enumerate(self.problems):
            table.add_row(
                Text(problem.kind, style="bold"),
                Text(fit(safe(problem.name), 36).rstrip()),
                Text(problem.action.value if problem.action is not Action.NONE else "–"),
                Text(fit(safe(problem.reason), 64).rstrip()),
                key=str(index),
            )
        if not self.problems:
            table.add_row(Text("–"), Text("Nothing needs attention"), Text(""), Text(""), key="none")
        table.move_cursor(row=min(cursor, max(table.row_count - 1, 0)))

    def _selected(self) -> Problem | None:
        table = self.query_one(DataTable)
        if not self.problems or not table.row_count:
            return None
        return self.problems[min(table.cursor_row, len(self.problems) - 1)]

    @on(DataTable.RowSelected)
    def action_fix(self) -> None:
        problem = self._selected()
        if problem is not None:
            self.action_act(problem.action.value)

    def action_act(self, action: str) -> None:
        problem = self._selected()
        if problem is None or problem.hash is None or action == Action.NONE.value:
            self.notify("Nothing to do here: free space on the server's disk", severity="warning")
            return
        key, name = problem.hash, problem.name
        if action == Action.SET_LOCATION.value:
            torrent = self.qbt.store.torrents.get(key)

            def chosen(path: str | None) -> None:
                if path:
                    self._run(lambda api: api.set_location([key], path), f"Moving “{name}” to {path}")

            self.app.push_screen(
                TextPrompt(
                    f"Where are the files of {safe(name)}?",
                    torrent.save_path if torrent else "",
                    validate=lambda value: None if value.strip() else "Give a directory on the server",
                ),
                chosen,
            )
            return
        methods = {"recheck": "recheck", "reannounce": "reannounce", "pause": "pause"}
        method = methods.get(action)
        if method is None:
            return
        undo = (
            plan_pause(self.qbt.store, [key], pausing=True, expected=expectations(self.app))
            if method == "pause"
            else None
        )
        self._run(lambda api: getattr(api, method)([key]), f"{action.capitalize()}: “{name}”", undo)

    @background(group="problems-commands")
    async def _run(self, command, done: str, undo: Undoable | None = None) -> None:
        api = self.qbt.api
        if api is None:
            self.notify("Not connected to qBittorrent", severity="error")
            return
        try:
            await command(api)
        except errors.QbtError as exc:
            self.notify(safe(str(exc)), title="Refused", severity="error", markup=False)
            return
        if remember(self.app, undo):
            done += HINT_FROM_DIALOG
        self.notify(safe(done), markup=False)
        self.qbt.poke()
