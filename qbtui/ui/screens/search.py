"""The search screen (E): a pattern, a category and plugins; results stream into a sortable table.

qBittorrent runs the search with its plugins (Python on the server's machine) and qbtui polls for
what arrived since the last look. Keys act on the marked results, or else the highlighted one:
`t`/Enter opens the add dialog with their links (on 5.3 the plugin that found a result fetches
its link), `x` stops the search, `p` lists the plugins and `j` the searches the server keeps.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from qbtui.api import errors
from qbtui.api.search import SearchApi, SearchPlugin, SearchResult, engine_names
from qbtui.ui.screens.dialogs import PickOne
from qbtui.ui.screens.feature_screen import FeatureScreen, open_add_dialog
from qbtui.ui.screens.search_plugins import JobsDialog, PluginsDialog, described, remember
from qbtui.ui.text import fit, safe
from qbtui.ui.widgets.key_footer import KeyFooter
from qbtui.ui.widgets.text_field import TextField
from qbtui.ui.workers import background
from qbtui.util import format as fmt

#: Seconds between polls of a running search.
POLL_SECONDS = 0.5


def _sized(value: int | None) -> tuple[int, int]:
    return (0, value) if value is not None else (1, 0)


#: Sortable columns: key, title, sort key, width (None: the rest).
COLUMNS: dict[str, tuple[str, Callable[[SearchResult], Any]]] = {
    "name": ("Name", lambda r: r.name.casefold()),
    "size": ("Size", lambda r: _sized(r.size)),
    "seeds": ("Seeds", lambda r: _sized(r.seeders)),
    "leechers": ("Leechers", lambda r: _sized(r.leechers)),
    "engine": ("Engine", lambda r: r.engine.casefold()),
    "published": ("Published", lambda r: _sized(r.published)),
}


#: Widths of the columns but the name.
WIDTHS = {"size": 10, "seeds": 7, "leechers": 8, "engine": 12, "published": 10}


def number(value: int | None) -> Text:
    return Text("?" if value is None else f"{value:,}", justify="right")


class SearchScreen(FeatureScreen[None]):
    READY_AT_ONCE = False

    DEFAULT_CSS = """
    SearchScreen { layout: vertical; }
    SearchScreen #search-title { height: 1; padding: 0 1; text-style: bold; background: $panel; }
    SearchScreen #search-bar { height: auto; padding: 0 1; }
    SearchScreen #search-pattern { width: 1fr; }
    SearchScreen #search-category { width: 24; }
    SearchScreen #search-plugins { width: 28; }
    SearchScreen #search-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    SearchScreen #search-results { height: 1fr; }
    SearchScreen #search-missing { padding: 1 2; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="search.close"),
        Binding("slash", "new_search", "New search", id="search.new"),
        Binding("x", "stop", "Stop", id="search.stop"),
        Binding("t", "download", "Download", id="search.download"),
        Binding("space", "mark", "Mark", show=False, id="search.mark"),
        Binding("s", "sort", "Sort", id="search.sort"),
        Binding("r", "reverse", "Reverse", show=False, id="search.reverse"),
        Binding("p", "plugins", "Plugins", id="search.plugins"),
        Binding("j", "jobs", "Searches", id="search.jobs"),
    ]
    CHANGING = frozenset({"stop", "download"})

    def __init__(self) -> None:
        super().__init__()
        self.search: SearchApi | None = None
        self.plugins: list[SearchPlugin] = []
        self.results: list[SearchResult] = []
        self.job: int | None = None
        self.running = False
        self.total = 0
        self.sort_key: str | None = None
        self.reverse = False
        self.marked: set[int] = set()
        self.name_width = 40
        #: Indexes into `results`, in the table's order.
        self._order: list[int] = []

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Text("Search"), id="search-title")
        with Horizontal(id="search-bar"):
            yield TextField(placeholder="what to look for (Enter searches)", id="search-pattern")
            yield Select(
                [(Text("All categories"), "all")], value="all", allow_blank=False, id="search-category"
            )
            yield Select(
                [(Text("Enabled plugins"), "enabled")],
                value="enabled",
                allow_blank=False,
                id="search-plugins",
            )
        yield Static("", id="search-status")
        table: DataTable[Text] = DataTable(id="search-results", cursor_type="row", zebra_stripes=True)
        yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        api = self.api
        if api is None:
            self._missing("Not connected to a server.")
            return
        self.search = SearchApi(api)
        if reason := self.search.missing():
            self._missing(reason)
            return
        self._columns()
        self.query_one("#search-pattern", Input).focus()
        self.load_plugins()

    def _missing(self, reason: str) -> None:
        for selector in ("#search-bar", "#search-results"):
            self.query_one(selector).display = False
        self.query_one("#search-title", Static).update(Text("Search is not available"))
        self.query_one("#search-status", Static).update(Text(reason))
        self.ready()

    def _columns(self) -> None:
        table: DataTable[Text] = self.query_one("#search-results", DataTable)
        table.clear(columns=True)
        table.add_column(Text(" "), key="mark", width=1)
        keys = ["name", "size", "seeds", "leechers", "engine"]
        if self.search is not None and self.search.has(2, 11):
            keys.append("published")  # 5.0+ says when
        # Every column but the name as wide as it needs; the name gets the rest (long names end
        # with … rather than pushing the numbers off screen).
        others = sum(WIDTHS[key] + 2 for key in keys if key != "name") + (1 + 2) + 2 + 2
        self.name_width = max(table.size.width - others, 16)
        for key in keys:
            title = COLUMNS[key][0]
            if key == self.sort_key:
                title += " ▼" if self.reverse else " ▲"
            table.add_column(Text(title), key=key, width=self.name_width if key == "name" else WIDTHS[key])

    def on_resize(self) -> None:
        if self.search is not None and self.search.missing() is None:
            self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        self._columns()
        self._show(rebuild=True)

    # -- plugins and categories -----------------------------------------------------------------

    @background(group="search-plugins", exclusive=True)
    async def load_plugins(self) -> None:
        search = self.search
        if search is None:
            return
        try:
            self.plugins = await search.plugins()
        except errors.QbtError as exc:
            self._status(f"Cannot list the search plugins: {exc}")
            self.ready()
            return
        enabled = [p for p in self.plugins if p.enabled]
        categories: dict[str, str] = {"all": "All categories"}
        for plugin in enabled:
            for category in plugin.categories:
                categories.setdefault(category.id, category.name or category.id)
        category_select: Select[str] = self.query_one("#search-category", Select)
        chosen_category = category_select.value
        category_select.set_options([(Text(safe(name)), cid) for cid, name in categories.items()])
        category_select.value = chosen_category if chosen_category in categories else "all"
        plugin_select: Select[str] = self.query_one("#search-plugins", Select)
        chosen_plugin = plugin_select.value
        options = [(Text("Enabled plugins"), "enabled"), (Text("All plugins"), "all")]
        options += [(Text(safe(p.name)), p.name) for p in enabled]
        plugin_select.set_options(options)
        plugin_select.value = chosen_plugin if chosen_plugin in {v for _, v in options} else "enabled"
        title = Text("Search", style="bold")
        title.append(f"  {fmt.plural(len(enabled), 'plugin')} enabled of {len(self.plugins)}", style="")
        self.query_one("#search-title", Static).update(title)
        if not self.plugins:
            self._status("No search plugins on the server: p lists them and installs one (i there).")
        elif not enabled:
            self._status("Every search plugin is disabled: p enables one.")
        elif self.job is None:
            self._status("Type what to look for and press Enter; Tab goes to the results and their keys.")
        self.ready()

    def _status(self, message: str) -> None:
        self.query_one("#search-status", Static).update(Text(message))

    # -- searching ------------------------------------------------------------------------------

    @on(Input.Submitted, "#search-pattern")
    def _submitted(self) -> None:
        self.start_search()

    def start_search(self) -> None:
        search = self.search
        if search is None:
            return
        if self.read_only:
            self._status("qbtui runs read-only (--read-only): searching starts a job on the server")
            return
        pattern = self.query_one("#search-pattern", Input).value.strip()
        if not pattern:
            self._status("Type what to look for first.")
            return
        category = str(self.query_one("#search-category", Select).value)
        plugins = str(self.query_one("#search-plugins", Select).value)
        self._start(pattern, category, plugins)

    @background(group="search-start", exclusive=True)
    async def _start(self, pattern: str, category: str, plugins: str) -> None:
        search = self.search
        assert search is not None
        try:
            job = await search.start(
                pattern, category, plugins if plugins in ("enabled", "all") else [plugins]
            )
        except errors.QbtError as exc:
            message = str(exc)
            if "concurrent" in message:
                message += ": x stops the one on screen, j lists them all"
            self._status(f"Not started: {message}")
            return
        names = tuple(p.name for p in self.plugins if p.enabled) if plugins == "enabled" else (plugins,)
        if plugins == "all":
            names = tuple(p.name for p in self.plugins)
        remember(search, job, pattern, category, names)
        self.open_job(job)
        self.query_one("#search-results", DataTable).focus()

    def open_job(self, job: int) -> None:
        self.job, self.results, self.marked, self.total = job, [], set(), 0
        self.running = True
        self._show(rebuild=True)
        self._follow(job)

    @background(group="search-follow", exclusive=True)
    async def _follow(self, job: int) -> None:
        search = self.search
        assert search is not None
        while True:
            try:
                page = await search.results(job, offset=len(self.results))
            except errors.QbtError as exc:
                self.running = False
                self._status(f"Search {job}: {exc}")
                return
            if job != self.job:
                return
            engine_names(page.results, self.plugins)
            self.results += page.results
            self.total, self.running = page.total, page.running
            self._show()
            if not page.running and len(self.results) >= page.total:
                return
            await asyncio.sleep(POLL_SECONDS)

    def _show(self, rebuild: bool = False) -> None:
        """Add the rows that arrived; redraw them all only when the order of those on screen moved
        (a sort that places new results among old ones), keeping the cursor on its result."""
        table: DataTable[Text] = self.query_one("#search-results", DataTable)
        order = list(range(len(self.results)))
        if self.sort_key is not None:
            key = COLUMNS[self.sort_key][1]
            order.sort(key=lambda i: key(self.results[i]), reverse=self.reverse)
        cursor: int | None = None
        if not rebuild and order[: len(self._order)] == self._order and table.row_count == len(self._order):
            new = order[len(self._order) :]
        else:
            cursor = self.highlighted()
            table.clear()
            new = order
        published = "published" in {str(c.key.value) for c in table.columns.values()}
        for index in new:
            table.add_row(*self._cells(index, published), key=str(index))
        self._order = order
        if cursor is not None and cursor in order:
            table.move_cursor(row=order.index(cursor), animate=False)
        self._status_line()

    def _cells(self, index: int, published: bool) -> list[Text]:
        result = self.results[index]
        cells = [
            Text("✓" if index in self.marked else " "),
            Text(fit(safe(result.name) or "(no name)", self.name_width).rstrip()),
            Text(fmt.size(result.size) if result.size is not None else "?", justify="right"),
            number(result.seeders),
            number(result.leechers),
            Text(fit(safe(result.engine), WIDTHS["engine"]).rstrip(), style="dim"),
        ]
        if published:
            when = result.published
            cells.append(Text(time.strftime("%Y-%m-%d", time.localtime(when)) if when else "", style="dim"))
        return cells

    def _status_line(self) -> None:
        if self.job is None:
            return
        search = self.search
        about = None
        if search is not None:
            about = next((d for (url, j), d in _remembered(search) if j == self.job), None)
        what = f"“{safe(about[0])}”" if about else f"Search {self.job}"
        state = "searching…" if self.running else "done"
        marked = f" · {len(self.marked)} marked" if self.marked else ""
        self._status(f"{what} · {state} · {fmt.plural(self.total, 'result')}{marked}")

    # -- keys -----------------------------------------------------------------------------------

    def action_close(self) -> None:
        self.close_asking(None)

    def action_new_search(self) -> None:
        field = self.query_one("#search-pattern", Input)
        field.focus()

    def action_stop(self) -> None:
        if self.job is None or not self.running or self.search is None:
            self.toast("No search running here")
            return
        self._stop(self.job)

    @background(group="search-act")
    async def _stop(self, job: int) -> None:
        search = self.search
        assert search is not None
        if await self.attempt("Stopping the search", lambda: search.stop(job)):
            self.toast(f"Stopped search {job}")

    def highlighted(self) -> int | None:
        table: DataTable[Text] = self.query_one("#search-results", DataTable)
        if not self._order or not table.row_count:
            return None
        return self._order[min(table.cursor_row, len(self._order) - 1)]

    def chosen(self) -> list[SearchResult]:
        """The marked results, or else the highlighted one."""
        if self.marked:
            return [self.results[i] for i in self._order if i in self.marked]
        index = self.highlighted()
        return [self.results[index]] if index is not None else []

    def action_mark(self) -> None:
        index = self.highlighted()
        if index is None:
            return
        self.marked.symmetric_difference_update({index})
        table: DataTable[Text] = self.query_one("#search-results", DataTable)
        table.update_cell(str(index), "mark", Text("✓" if index in self.marked else " "))
        table.move_cursor(row=min(table.cursor_row + 1, table.row_count - 1), animate=False)
        self._status_line()

    @on(DataTable.RowSelected, "#search-results")
    def _row_chosen(self) -> None:
        if self.check_action("download", ()):
            self.action_download()

    def action_download(self) -> None:
        search = self.search
        chosen = [r for r in self.chosen() if r.url]
        if search is None or not chosen:
            self.toast("No result here", severity="warning")
            return
        fetched = [r for r in chosen if not r.url.startswith("magnet:")]
        downloader = None
        if fetched and search.add_with_plugin:
            # 5.3: the plugin that found a link fetches it (sites that need its cookies or parsing).
            engines = {r.engine for r in fetched}
            if len(engines) > 1 or "" in engines:
                self.toast(
                    "These results come from several plugins, and each plugin fetches its own links: "
                    "mark the results of one plugin at a time",
                    severity="warning",
                )
                return
            downloader = engines.pop()
        self.marked.clear()
        self._show(rebuild=True)
        open_add_dialog(self, [r.url for r in chosen], downloader=downloader)

    def _set_sort(self, key: str | None, reverse: bool) -> None:
        self.sort_key, self.reverse = key, reverse
        self._columns()
        self._show(rebuild=True)

    @on(DataTable.HeaderSelected, "#search-results")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key in COLUMNS:
            self._set_sort(key, not self.reverse if key == self.sort_key else key != "name")

    def action_sort(self) -> None:
        keys = [str(c.key.value) for c in self.query_one("#search-results", DataTable).columns.values()]
        choices = [(key, COLUMNS[key][0]) for key in keys if key in COLUMNS]

        def chosen(key: str | None) -> None:
            if key is not None:
                # Numbers biggest first, names A to Z: what one looks for first.
                self._set_sort(key, key != "name" and key != "engine")

        self.app.push_screen(PickOne("Sort the results by", choices, current=self.sort_key), chosen)

    def action_reverse(self) -> None:
        self._set_sort(self.sort_key, not self.reverse)

    def action_plugins(self) -> None:
        if self.search is not None:
            self.app.push_screen(PluginsDialog(self.search), lambda _: self.load_plugins())

    def action_jobs(self) -> None:
        search = self.search
        if search is None:
            return

        def chosen(job: int | None) -> None:
            if job is None:
                return
            about = next((d for (_, j), d in _remembered(search) if j == job), None)
            if about is not None:
                self.query_one("#search-pattern", Input).value = about[0]
            self.open_job(job)
            self.query_one("#search-results", DataTable).focus()

        self.app.push_screen(JobsDialog(search), chosen)
        self._describe_jobs(search)

    @background(group="search-describe")
    async def _describe_jobs(self, search: SearchApi) -> None:
        """On 5.3 the server says what each search was: remember it for the status line."""
        if not search.keeps_jobs:
            return
        try:
            jobs = await search.jobs()
        except errors.QbtError:
            return
        for job in jobs:
            about = described(search, job)
            if about is not None:
                remember(search, job.id, *about)


def _remembered(search: SearchApi) -> list[tuple[tuple[str, int], tuple[str, str, tuple[str, ...]]]]:
    from qbtui.ui.screens.search_plugins import REMEMBERED

    base = search.session.settings.base_url
    return [((url, job), about) for (url, job), about in REMEMBERED.items() if url == base]
