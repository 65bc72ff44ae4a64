"""The search plugins (p in the search screen) and the searches the server keeps (j).

Installing answers at once and does the work afterwards: the dialog says "installing…", and the
outcome (installed, or why not) arrives as a toast once the server lists the plugin or gives up.
Uninstalling asks; updating asks too, since the server then downloads from qBittorrent's plugin
repository on GitHub and reports only to its log.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Label, Static

from qbtui.api import errors
from qbtui.api.search import PluginSource, SearchApi, SearchJob, SearchPlugin
from qbtui.ui.screens.dialogs import ConfirmDialog, Dialog, confirm_then
from qbtui.ui.screens.feature_screen import toast
from qbtui.ui.services import services
from qbtui.ui.text import fit, safe
from qbtui.ui.widgets.text_field import TextField
from qbtui.ui.widgets.toggles import TickBox
from qbtui.ui.workers import background, guarded
from qbtui.util import format as fmt

#: How long `u` watches the plugin list for the outcome of an update.
UPDATE_WATCH_SECONDS = 30.0

#: What each search was, for servers that do not say (before 5.3): {(server URL, id): (pattern,
#: category, plugins)}, for the searches started from this qbtui.
REMEMBERED: dict[tuple[str, int], tuple[str, str, tuple[str, ...]]] = {}


def remember(search: SearchApi, job: int, pattern: str, category: str, plugins: tuple[str, ...]) -> None:
    REMEMBERED[(search.session.settings.base_url, job)] = (pattern, category, plugins)


def described(search: SearchApi, job: SearchJob) -> tuple[str, str, tuple[str, ...]] | None:
    if job.pattern is not None:
        return job.pattern, job.category or "", job.plugins
    return REMEMBERED.get((search.session.settings.base_url, job.id))


class InstallPluginDialog(Dialog[PluginSource | None]):
    DEFAULT_CSS = """
    InstallPluginDialog .dialog { width: 90; }
    InstallPluginDialog .hint { color: $text-muted; }
    """

    def __init__(self, server_is_here: bool) -> None:
        super().__init__()
        self._here = server_is_here

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Install a search plugin"), classes="title")
            yield Label("A URL, or a .py file")
            yield TextField(placeholder="https://…/engine.py  or  ~/plugins/engine.py", id="plugin-source")
            yield TickBox("The file is on the server (a path there, not here)", False, id="plugin-on-server")
            hint = (
                "A file on this computer is offered to the server over a loopback URL for the moment."
                if self._here
                else "The server is not on this computer: it can install from a URL, or from a path on "
                "its own disk (tick the box); a file here cannot reach it."
            )
            yield Static(Text(hint), classes="hint")
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Install", id="confirm", variant="primary")

    def unsaved_edits(self) -> str | None:
        return (
            "The plugin is not installed yet."
            if self.query_one("#plugin-source", Input).value.strip()
            else None
        )

    def source(self) -> PluginSource:
        text = self.query_one("#plugin-source", Input).value.strip()
        if not text:
            raise ValueError("give a URL or a file")
        if "://" in text or text.startswith("data:"):
            source = PluginSource.url(text)
        elif self.query_one("#plugin-on-server", TickBox).value:
            source = PluginSource.server_path(text)
        else:
            source = PluginSource.local_file(text)
            if not self._here:
                raise ValueError(
                    "the server is not on this computer: give a URL, or put the file on the server and "
                    "tick the box"
                )
            if not Path(source.text).is_file():
                raise ValueError(f"no file {source.text}")
        if problem := source.problem():
            raise ValueError(problem)
        return source

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def _submit(self) -> None:
        try:
            source = self.source()
        except ValueError as exc:
            self.query_one("#error", Static).update(Text(str(exc)))
            return
        self.dismiss(source)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()


class PluginsDialog(Dialog[None]):
    READY_AT_ONCE = False
    DEFAULT_CSS = """
    PluginsDialog .dialog { width: 98%; max-width: 140; height: auto; max-height: 90%; }
    PluginsDialog DataTable { height: auto; max-height: 20; }
    PluginsDialog #plugins-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="plugins.close"),
        Binding("i", "install", "Install", id="plugins.install"),
        Binding("space", "switch", "Enable/disable", id="plugins.toggle"),
        Binding("d,delete", "uninstall", "Uninstall", id="plugins.uninstall"),
        Binding("u", "update", "Update all", id="plugins.update"),
    ]
    CHANGING = frozenset({"install", "switch", "uninstall", "update"})

    def __init__(self, search: SearchApi) -> None:
        super().__init__()
        self.search = search
        self.plugins: list[SearchPlugin] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Search plugins"), classes="title")
            table: DataTable[Text] = DataTable(id="plugins-table", cursor_type="row", zebra_stripes=True)
            table.add_column(Text("On"), key="on", width=2)
            table.add_column(Text("Plugin"), key="name")
            table.add_column(Text("Version"), key="version")
            table.add_column(Text("Name"), key="full")
            table.add_column(Text("Site"), key="url")
            table.add_column(Text("Categories"), key="categories")
            yield table
            yield Static(
                Text("i install · space enable/disable · d uninstall · u update all · Esc close"),
                id="plugins-hint",
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (services(self).read_only and action in self.CHANGING)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    @background(group="plugins-load", exclusive=True)
    async def load(self) -> None:
        try:
            self.plugins = await self.search.plugins()
        except errors.QbtError as exc:
            toast(self, str(exc), title="Cannot list the plugins", severity="error")
            self.ready()
            return
        self._show()
        self.ready()

    def _show(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for plugin in self.plugins:
            categories = ", ".join(c.name or c.id for c in plugin.categories if c.id != "all")
            table.add_row(
                Text("✓" if plugin.enabled else " "),
                Text(safe(plugin.name), style="" if plugin.enabled else "dim"),
                Text(safe(plugin.version)),
                Text(fit(safe(plugin.full_name), 30).rstrip()),
                Text(fit(safe(plugin.url), 36).rstrip(), style="dim"),
                Text(fit(safe(categories), 40).rstrip(), style="dim"),
                key=plugin.name,
            )
        if not self.plugins:
            table.add_row(
                Text(""), Text("No plugins: i installs one"), Text(""), Text(""), Text(""), Text("")
            )
        table.move_cursor(row=min(row, max(table.row_count - 1, 0)), animate=False)

    def highlighted(self) -> SearchPlugin | None:
        table: DataTable[Text] = self.query_one(DataTable)
        if not self.plugins or not table.row_count:
            return None
        return self.plugins[min(table.cursor_row, len(self.plugins) - 1)]

    def action_install(self) -> None:
        def chosen(source: PluginSource | None) -> None:
            if source is not None:
                toast(self, f"Installing {source.plugin_name}…", title="Search plugins")
                self.app.run_worker(
                    guarded(self.app, "installing the plugin", self._install(source)),
                    group="plugin-install",
                    exit_on_error=False,
                )

        self.app.push_screen(InstallPluginDialog(self.search.server_is_here()), chosen)

    async def _install(self, source: PluginSource) -> None:
        """Runs on the app: the outcome is said even after this dialog has closed."""
        app = self.app
        try:
            outcome = await self.search.install(source)
        except errors.QbtError as exc:
            app.notify(
                safe(str(exc)), title="Plugin not installed", severity="error", timeout=10, markup=False
            )
            return
        if outcome.ok and outcome.installed is not None:
            plugin = outcome.installed
            app.notify(
                safe(f"Installed {plugin.name} {plugin.version} ({plugin.full_name})"),
                title="Search plugins",
                markup=False,
            )
        else:
            app.notify(
                safe(f"{outcome.name}: {outcome.reason}"),
                title="Plugin not installed",
                severity="error",
                timeout=12,
                markup=False,
            )
        if self.is_attached:
            self.load()

    def action_switch(self) -> None:
        plugin = self.highlighted()
        if plugin is not None:
            self._toggle(plugin)

    @background(group="plugins-act")
    async def _toggle(self, plugin: SearchPlugin) -> None:
        try:
            await self.search.enable_plugins([plugin.name], not plugin.enabled)
        except errors.QbtError as exc:
            toast(self, str(exc), title="Not changed", severity="error")
            return
        toast(self, f"{plugin.name} {'disabled' if plugin.enabled else 'enabled'}")
        self.load()

    def action_uninstall(self) -> None:
        plugin = self.highlighted()
        if plugin is None:
            return

        body = Text(f"{safe(plugin.full_name)} ({safe(plugin.url)}) is deleted from the server.")
        confirm_then(
            self,
            ConfirmDialog(f"Uninstall the plugin {safe(plugin.name)}?", body, "Uninstall", danger=True),
            lambda: self._uninstall(plugin),
        )

    @background(group="plugins-act")
    async def _uninstall(self, plugin: SearchPlugin) -> None:
        try:
            await self.search.uninstall_plugins([plugin.name])
        except errors.QbtError as exc:
            toast(self, str(exc), title="Not uninstalled", severity="error")
            return
        toast(self, f"Uninstalled {plugin.name}")
        self.load()

    def action_update(self) -> None:
        def update() -> None:
            self.app.run_worker(
                guarded(self.app, "updating the plugins", self._update()),
                group="plugin-update",
                exit_on_error=False,
            )

        body = Text(
            "The server downloads the newest versions of its plugins from qBittorrent's plugin repository "
            "on GitHub (it needs internet access) and reports only to its log; qbtui watches the list "
            f"for {UPDATE_WATCH_SECONDS:.0f} s and says what changed."
        )
        confirm_then(self, ConfirmDialog("Update every search plugin?", body, "Update"), update)

    async def _update(self) -> None:
        app = self.app
        before = {p.name: p.version for p in self.plugins}
        try:
            await self.search.update_plugins()
            deadline = time.monotonic() + UPDATE_WATCH_SECONDS
            changed: list[str] = []
            while time.monotonic() < deadline and not changed:
                await asyncio.sleep(2)
                now = {p.name: p.version for p in await self.search.plugins()}
                changed = [f"{n} {v}" for n, v in now.items() if before.get(n) != v]
        except errors.QbtError as exc:
            app.notify(safe(str(exc)), title="Update failed", severity="error", markup=False)
            return
        if changed:
            app.notify(safe("Updated: " + ", ".join(changed)), title="Search plugins", markup=False)
        else:
            app.notify(
                f"No plugin changed within {UPDATE_WATCH_SECONDS:.0f} s: all up to date, or the server could "
                "not reach GitHub (its log, L, says which)",
                title="Search plugins",
                markup=False,
                timeout=10,
            )
        if self.is_attached:
            self.load()


class JobsDialog(Dialog[int | None]):
    """The server's searches: Enter reopens one, x stops, d deletes (asks)."""

    READY_AT_ONCE = False
    DEFAULT_CSS = """
    JobsDialog .dialog { width: 98%; max-width: 120; }
    JobsDialog DataTable { height: auto; max-height: 18; }
    JobsDialog #jobs-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="search.jobs-close"),
        Binding("x", "stop", "Stop", id="search.jobs-stop"),
        Binding("d,delete", "delete", "Delete", id="search.jobs-delete"),
    ]
    CHANGING = frozenset({"stop", "delete"})

    def __init__(self, search: SearchApi) -> None:
        super().__init__()
        self.search = search
        self.jobs: list[SearchJob] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            scope = "on the server" if self.search.keeps_jobs else "of this session"
            yield Static(Text(f"Searches {scope}"), classes="title")
            table: DataTable[Text] = DataTable(id="jobs-table", cursor_type="row", zebra_stripes=True)
            for key, label in (
                ("id", "Id"), ("status", "Status"), ("total", "Results"), ("pattern", "Search"),
                ("category", "Category"), ("plugins", "Plugins"),
            ):  # fmt: skip
                table.add_column(Text(label), key=key)
            yield table
            note = (
                ""
                if self.search.keeps_jobs
                else "Before qBittorrent 5.3 each login has its own searches, and they end with it. "
            )
            yield Static(Text(note + "Enter reopens · x stop · d delete · Esc close"), id="jobs-hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (services(self).read_only and action in self.CHANGING)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    @background(group="jobs-load", exclusive=True)
    async def load(self) -> None:
        try:
            jobs = await self.search.jobs()
            # Ids are random: the searches started here come newest first, then the others.
            base = self.search.session.settings.base_url
            started = [job for url, job in REMEMBERED if url == base]
            rank = {job: index for index, job in enumerate(started)}
            self.jobs = sorted(jobs, key=lambda j: -rank.get(j.id, -1))
        except errors.QbtError as exc:
            toast(self, str(exc), title="Cannot list the searches", severity="error")
            self.ready()
            return
        table: DataTable[Text] = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for job in self.jobs:
            about = described(self.search, job)
            pattern, category, plugins = about if about is not None else ("?", "?", ())
            table.add_row(
                Text(str(job.id)),
                Text("running" if job.running else "stopped", style="bold" if job.running else "dim"),
                Text(fmt.plural(job.total, "result")),
                Text(fit(safe(pattern), 40).rstrip()),
                Text(safe(category)),
                Text(fit(safe(", ".join(plugins)), 30).rstrip(), style="dim"),
                key=str(job.id),
            )
        if not self.jobs:
            table.add_row(Text(""), Text("No searches"), Text(""), Text(""), Text(""), Text(""))
        table.move_cursor(row=min(row, max(table.row_count - 1, 0)), animate=False)
        self.ready()

    def highlighted(self) -> SearchJob | None:
        table: DataTable[Text] = self.query_one(DataTable)
        if not self.jobs or not table.row_count:
            return None
        return self.jobs[min(table.cursor_row, len(self.jobs) - 1)]

    @on(DataTable.RowSelected)
    def _chosen(self) -> None:
        job = self.highlighted()
        if job is not None:
            self.dismiss(job.id)

    def action_stop(self) -> None:
        job = self.highlighted()
        if job is not None and job.running:
            self._act(job, stop=True)

    def action_delete(self) -> None:
        job = self.highlighted()
        if job is None:
            return

        confirm_then(
            self,
            ConfirmDialog(
                f"Delete search {job.id}?",
                f"Its {fmt.plural(job.total, 'result')} go with it.",
                "Delete",
                danger=True,
            ),
            lambda: self._act(job, stop=False),
        )

    @background(group="jobs-act")
    async def _act(self, job: SearchJob, *, stop: bool) -> None:
        try:
            await (self.search.stop(job.id) if stop else self.search.delete(job.id))
        except errors.QbtError as exc:
            toast(self, str(exc), title="Not done", severity="error")
        self.load()
