"""`N`: make a new torrent on the server (qBittorrent 5.0+, `torrentcreator/*`) from a file or folder
there, with its progress while the server hashes it.

What happens to the result is chosen explicitly: the server adds it and seeds it from the source's
own folder (its default, ticked here), and/or qbtui saves the .torrent on this machine. The task is
deleted from the server's list once the .torrent has been fetched (or the creation failed), and Esc
while it runs asks, then interrupts it.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Select, Static, TextArea

from qbtui.api import QbtApi, errors
from qbtui.api.creator import FAILED, FINISHED, FORMATS, RUNNING, CreatorParams, libtorrent_major
from qbtui.api.gates import CREATOR, CREATOR_DOTFILES, CREATOR_SOURCE
from qbtui.api.paths import parent_of
from qbtui.ui.screens.dialogs import ConfirmDialog, Dialog
from qbtui.ui.screens.local_save import describe_path, local_path, unless_replacing
from qbtui.ui.services import services
from qbtui.ui.text import safe
from qbtui.ui.widgets.path_input import PathInput
from qbtui.ui.widgets.server_path import ServerPathInput
from qbtui.ui.widgets.text_field import TextField
from qbtui.ui.widgets.toggles import TickBox
from qbtui.ui.workers import background, guarded
from qbtui.util import format as fmt
from qbtui.util.atomicfile import write_atomic
from qbtui.util.torrentfile import InvalidTorrentFile, parse

#: How often a running task is asked about.
POLL_SECONDS = 0.5
#: Piece sizes offered (0 lets the server choose from the total size).
PIECE_SIZES = [0] + [2**power for power in range(14, 27)]  # 16 KiB - 64 MiB


def open_creator(app: App[Any]) -> None:
    """Push the creator, or say why this server has none."""
    api = services(app).api
    reason = CREATOR.reason(api.info if api is not None else None)
    if reason is not None:
        app.notify(reason, severity="warning", timeout=8, markup=False)
        return
    app.push_screen(CreatorScreen())


def split_tiers(text: str) -> list[list[str]]:
    """Tracker URLs one per line; an empty line starts the next tier (as qBittorrent's own dialog)."""
    tiers: list[list[str]] = [[]]
    for line in text.splitlines():
        url = line.strip()
        if url:
            tiers[-1].append(url)
        elif tiers[-1]:
            tiers.append([])
    return [tier for tier in tiers if tier]


@dataclass(frozen=True, slots=True)
class Created:
    """What a finished creation left: the torrent's name and hash (when readable), where it went."""

    name: str
    info_hash: str
    seeding: bool
    saved_to: Path | None


class CreatorScreen(Dialog[Created | None]):
    READY_AT_ONCE = False
    DEFAULT_CSS = """
    CreatorScreen .dialog { width: 100; height: 95%; max-height: 95%; }
    CreatorScreen #form { height: 1fr; }
    CreatorScreen .section { text-style: bold; color: $accent; margin-top: 1; }
    CreatorScreen .row { height: auto; margin-top: 1; }
    CreatorScreen .row Input, CreatorScreen .row Select { width: 1fr; margin-bottom: 0; }
    CreatorScreen .row Label { width: 18; padding: 0 1 0 0; }
    CreatorScreen TextArea { height: 3; }
    CreatorScreen #trackers, CreatorScreen #web-seeds { background: $boost; }
    CreatorScreen .checks { height: auto; margin: 1 0; }
    CreatorScreen .checks Checkbox { width: 1fr; }
    CreatorScreen .lead { color: $text-muted; height: auto; margin-top: 1; }
    CreatorScreen .hint { color: $text-muted; height: auto; }
    CreatorScreen #progress-box { height: auto; display: none; margin-top: 1; }
    CreatorScreen #progress-box.-shown { display: block; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="creator.cancel"),
        Binding("ctrl+s", "create", "Create", priority=True, id="creator.create"),
    ]

    def __init__(self, source: str = "") -> None:
        super().__init__()
        self._initial_source = source
        self.task_id: str | None = None
        self.lt_major: int | None = None
        self.params: CreatorParams | None = None
        self.saving_to: Path | None = None

    @property
    def api(self) -> QbtApi | None:
        return services(self).api

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        api = self.api
        info = api.info if api is not None else None
        with Vertical(classes="dialog"):
            yield Static(Text("Create a torrent on the server"), classes="title")
            with VerticalScroll(id="form"):
                yield Static(Text("What (a file or folder on the server)"), classes="section")
                yield from self._row(
                    "Source",
                    ServerPathInput(
                        self._initial_source,
                        files=True,
                        placeholder="/srv/data/album",
                        id="source",
                        compact=True,
                    ),
                )
                yield Static(Text("Tab completes on the server, ctrl+o browses it"), classes="hint")
                yield Static(Text("Torrent"), classes="section")
                sizes = [("auto", 0)] + [(fmt.size(size), size) for size in PIECE_SIZES[1:]]
                yield from self._row(
                    "Piece size", Select(sizes, value=0, allow_blank=False, id="piece-size", compact=True)
                )
                yield from self._row(
                    "Format",
                    Select(
                        [(f, f) for f in FORMATS],
                        value="hybrid",
                        allow_blank=False,
                        id="format",
                        compact=True,
                    ),
                )
                with Horizontal(classes="checks"):
                    yield TickBox("Private (no DHT, PeX or LSD)", id="private", compact=True)
                    if CREATOR_DOTFILES.allows(info):
                        yield TickBox("Include dotfiles", id="dotfiles", compact=True)
                    yield TickBox("Align files to pieces", True, id="alignment", compact=True)
                if not CREATOR_DOTFILES.allows(info):
                    yield Static(
                        Text(f"Dotfiles are left out: {CREATOR_DOTFILES.reason(info)}"), classes="hint"
                    )
                yield Static(
                    Text("Trackers: one per line; an empty line starts the next tier"), classes="hint"
                )
                yield TextArea("", id="trackers", soft_wrap=False, compact=True)
                yield Static(Text("Web seeds (HTTP sources): one per line"), classes="lead")
                yield TextArea("", id="web-seeds", soft_wrap=False, compact=True)
                yield from self._row("Comment", TextField(id="comment", compact=True))
                if CREATOR_SOURCE.allows(info):
                    yield from self._row(
                        "Source field",
                        TextField(placeholder="e.g. a tracker's tag", id="source-tag", compact=True),
                    )
                else:
                    yield Static(Text(f"No source field: {CREATOR_SOURCE.reason(info)}"), classes="hint")
                yield Static(Text("When it is made"), classes="section")
                yield TickBox("Add it to qBittorrent and seed it", True, id="seed", compact=True)
                yield Static(Text(""), classes="hint", id="seed-where")
                yield from self._row(
                    "Save .torrent to",
                    PathInput(
                        placeholder="a file on this machine; empty: do not save",
                        id="save-to",
                        suffix=".torrent",
                        compact=True,
                    ),
                )
            with Vertical(id="progress-box"):
                yield Static("", id="progress-text")
                yield ProgressBar(total=100, show_eta=False, id="progress")
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Create", id="create", variant="primary")

    @staticmethod
    def _row(label: str, widget: Input | Select[Any]) -> ComposeResult:
        yield Horizontal(Label(label), widget, classes="row")

    def on_mount(self) -> None:
        self.query_one("#source", Input).focus()
        self._seed_where()
        self._load()

    @background(exclusive=True, group="creator-load")
    async def _load(self) -> None:
        """libtorrent 2 builds take a format; 1.2 builds align files to pieces instead."""
        try:
            api = self.api
            if api is not None:
                self.lt_major = libtorrent_major(await api.build_info())
        except errors.QbtError:
            self.lt_major = None
        finally:
            v2 = self.lt_major is None or self.lt_major >= 2
            self.query_one("#format", Select).parent.display = v2  # type: ignore[union-attr]
            self.query_one("#alignment", Checkbox).display = not v2
            self.ready()

    # -- reading the form ----------------------------------------------------------------------

    def _text(self, selector: str) -> str:
        found = self.query(selector)
        if not found:
            return ""
        widget = found.first()
        return widget.text if isinstance(widget, TextArea) else widget.value.strip()  # type: ignore[attr-defined]

    def _ticked(self, selector: str) -> bool:
        found = self.query(selector)
        return bool(found) and bool(found.first(Checkbox).value)

    @on(Input.Changed, "#source")
    def _seed_where(self) -> None:
        source = self._text("#source")
        line = self.query_one("#seed-where", Static)
        line.update(
            Text(
                f"qBittorrent seeds it from {safe(parent_of(source))}, where the source is" if source else ""
            )
        )

    def build(self) -> tuple[CreatorParams, Path | None]:
        """The parameters and the local file, or ValueError saying what is missing."""
        source = self._text("#source")
        if not source:
            raise ValueError("Give the file or folder on the server to make the torrent of")
        save_text = self._text("#save-to")
        save_to = local_path(save_text) if save_text else None
        if save_to is not None and save_to.is_dir():
            raise ValueError(f"{describe_path(save_to)} is a folder: add a file name")
        seed = self._ticked("#seed")
        if not seed and save_to is None:
            raise ValueError(
                "The torrent would be made and lost: tick “Add it to qBittorrent” or give a file"
            )
        v2 = self.lt_major is None or self.lt_major >= 2
        params = CreatorParams(
            source_path=source,
            piece_size=int(self.query_one("#piece-size", Select).value or 0),  # type: ignore[arg-type]
            private=self._ticked("#private"),
            format=str(self.query_one("#format", Select).value) if v2 else None,
            optimize_alignment=None if v2 else self._ticked("#alignment"),
            trackers=split_tiers(self._text("#trackers")),
            url_seeds=[line.strip() for line in self._text("#web-seeds").splitlines() if line.strip()],
            comment=self._text("#comment"),
            source=self._text("#source-tag"),
            start_seeding=seed,
            include_dotfiles=self._ticked("#dotfiles"),
        )
        return params, save_to

    # -- creating ------------------------------------------------------------------------------

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        if self.task_id is not None:
            return
        try:
            params, save_to = self.build()
        except ValueError as exc:
            self._error(str(exc))
            return
        self._error("")
        self.params, self.saving_to = params, save_to
        unless_replacing(self.app, [save_to] if save_to else [], lambda: self.create(params, save_to))

    @background(exclusive=True, group="creator-run")
    async def create(self, params: CreatorParams, save_to: Path | None) -> None:
        api = self.api
        if api is None:
            self._error("Not connected to qBittorrent")
            return
        try:
            self.task_id = await api.create_torrent(params)
        except errors.QbtError as exc:
            self._error(f"Refused: {exc}")
            return
        self._show_running(True)
        try:
            result = await self._follow(api, self.task_id, params, save_to)
        except errors.QbtError as exc:
            self._error(f"Lost the task: {exc}")
            result = None
        finally:
            task_id, self.task_id = self.task_id, None
            if task_id is not None:
                await self._forget(api, task_id)
            self._show_running(False)
        if result is not None:
            self._announce(result)
            self.dismiss(result)

    async def _follow(
        self, api: QbtApi, task_id: str, params: CreatorParams, save_to: Path | None
    ) -> Created | None:
        while True:
            task = await api.creator_task(task_id)
            if task.status == FAILED:
                self._error(f"The server could not make the torrent: {task.error or 'no reason given'}")
                return None
            if task.status == FINISHED:
                break
            self._progress(task.status, task.progress)
            await asyncio.sleep(POLL_SECONDS)
        self._progress(FINISHED, 100)
        data = await api.created_torrent(task_id)
        try:
            meta = parse(data)
            name, info_hash = meta.name, meta.info_hash
        except InvalidTorrentFile:  # a v2-only torrent has no v1 pieces: no v1 hash to tell
            name, info_hash = Path(params.source_path).name, ""
        if save_to is not None:
            try:
                write_atomic(save_to, data)
            except OSError as exc:
                self._error(f"Made, but not saved to {describe_path(save_to)}: {exc.strerror or exc}")
                return None
        return Created(name, info_hash, params.start_seeding, save_to)

    @staticmethod
    async def _forget(api: QbtApi, task_id: str) -> None:
        # Gone already (another client, a restart): nothing left to tidy.
        with contextlib.suppress(errors.QbtError):
            await api.delete_creator_task(task_id)

    def _announce(self, created: Created) -> None:
        parts = [f"Created “{created.name}”"]
        if created.seeding:
            parts.append("qBittorrent seeds it")
        if created.saved_to is not None:
            parts.append(f"saved to {describe_path(created.saved_to)}")
        self.app.notify(safe(", ".join(parts)), title="Torrent creator", timeout=8, markup=False)
        services(self).poke()

    # -- showing -------------------------------------------------------------------------------

    def _show_running(self, running: bool) -> None:
        self.query_one("#progress-box").set_class(running, "-shown")
        self.query_one("#form").disabled = running
        self.query_one("#create", Button).disabled = running
        self.query_one("#cancel", Button).label = "Stop" if running else "Cancel"

    def _progress(self, status: str, percent: int | None) -> None:
        word = {RUNNING: "Hashing", FINISHED: "Done"}.get(status, status)
        self.query_one("#progress-text", Static).update(Text(f"{word}…" if status != FINISHED else word))
        self.query_one("#progress", ProgressBar).update(progress=percent or 0)

    def _error(self, text: str) -> None:
        self.query_one("#error", Static).update(Text(safe(text)))

    # -- leaving -------------------------------------------------------------------------------

    def unsaved_edits(self) -> str | None:
        if self.task_id is not None:
            return "The torrent is still being made: leaving stops it."
        typed = [self._text(s) for s in ("#source", "#trackers", "#web-seeds", "#comment")]
        return "The torrent described here is not made yet." if any(t.strip() for t in typed) else None

    def action_cancel(self) -> None:
        if self.task_id is None:
            self.close_asking(None)
            return

        def answered(stop: bool | None) -> None:
            if stop:
                self.workers.cancel_group(self, "creator-run")
                api, task_id = self.api, self.task_id
                self.task_id = None
                if api is not None and task_id is not None:
                    self.app.run_worker(
                        guarded(self.app, "stopping the torrent creator", self._forget(api, task_id)),
                        exit_on_error=False,
                    )
                self.dismiss(None)

        body = "qBittorrent stops hashing and forgets the task; nothing is added or saved."
        self.app.push_screen(ConfirmDialog("Stop making the torrent?", body, "Stop", danger=True), answered)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
