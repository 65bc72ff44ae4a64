"""The command palette mirrors the key bindings: every action by a readable name, grouped by what it
acts on ("Torrent: Pause or resume", "Server: Preferences", ...), with the key that does the same."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode

from qbtui.model.wording import reword
from qbtui.ui.bindings import binding_groups
from qbtui.ui.named_choices import NamedChoices
from qbtui.ui.readonly import binding_changes_the_server
from qbtui.ui.services import services

if TYPE_CHECKING:
    from qbtui.ui.app import QbtuiApp

#: What each group of actions acts on, in the palette's order.
GROUPS = {
    "Torrent": "the highlighted torrent, or the marked ones",
    "All torrents": "every torrent on the server",
    "Share": "the highlighted torrent, or the marked ones: its file and links (changes nothing)",
    "Server": "the qBittorrent server",
    "List": "the torrent list: cursor and marks",
    "View": "what the list shows and how",
    "Panels": "the panels and screens beside the list",
    "Details": "the details panel of the highlighted torrent",
    "Log": "the log pane",
    "qbtui": "this program",
}

#: A group and a readable title per binding id, where the key's short description would be unclear
#: out of context (the footer has room for a word; the palette for a phrase).
_TITLES: dict[str, tuple[str, str]] = {
    "torrent.toggle-pause": ("Torrent", "Pause or resume"),
    "torrent.pause-all": ("All torrents", "Pause all"),
    "torrent.resume-all": ("All torrents", "Resume all"),
    "torrent.delete": ("Torrent", "Remove (keep the files)"),
    "torrent.delete-with-data": ("Torrent", "Delete with its files"),
    "torrent.force-start": ("Torrent", "Force start on/off"),
    "torrent.queue-up": ("Torrent", "Move up in the queue"),
    "torrent.queue-down": ("Torrent", "Move down in the queue"),
    "torrent.queue-top": ("Torrent", "Move to the top of the queue"),
    "torrent.queue-bottom": ("Torrent", "Move to the bottom of the queue"),
    "torrent.sequential": ("Torrent", "Sequential download on/off"),
    "torrent.first-last": ("Torrent", "First and last pieces first on/off"),
    "torrent.super-seeding": ("Torrent", "Super seeding on/off"),
    "torrent.auto-tmm": ("Torrent", "Automatic management on/off"),
    "torrent.category": ("Torrent", "Set the category"),
    "torrent.location": ("Torrent", "Move the files (save path)"),
    "torrent.rename": ("Torrent", "Rename"),
    "torrent.limits": ("Torrent", "Speed limits of the torrent"),
    "torrent.share-limits": ("Torrent", "Share limits: ratio, seeding time"),
    "share.export": ("Share", "Export the .torrent file"),
    "share.copy-magnet": ("Share", "Copy the magnet link"),
    "share.copy-hash": ("Share", "Copy the info hash"),
    "app.creator": ("Server", "Create a torrent (on the server)"),
    "view.statistics": ("Panels", "Statistics"),
    "torrent.add": ("Server", "Add torrents"),
    "torrent.undo": ("qbtui", "Undo the last change"),
    "app.alt-speed": ("Server", "Alternative speed limits on/off"),
    "app.speed-limits": ("Server", "Global speed limits"),
    "app.categories": ("Server", "Categories and tags"),
    "app.server": ("Server", "Server actions (shut down, log out)"),
    "app.preferences": ("Server", "Preferences"),
    "app.rss": ("Server", "RSS feeds and auto-download rules"),
    "app.search": ("Server", "Search with the server's search plugins"),
    "app.servers": ("qbtui", "Servers: list and switch"),
    "app.reconnect": ("qbtui", "Reconnect"),
    "app.quit": ("qbtui", "Quit"),
    "app.help": ("qbtui", "Help: every key"),
    "view.filter": ("View", "Filter the list"),
    "view.clear": ("View", "Clear the filter (or the marks)"),
    "view.sidebar": ("View", "Sidebar on/off"),
    "view.sort": ("View", "Sort by…"),
    "view.reverse": ("View", "Reverse the order"),
    "view.sort-prev": ("View", "Sort by the previous column"),
    "view.sort-next": ("View", "Sort by the next column"),
    "view.columns": ("View", "Columns: show, order, pin"),
    "view.views": ("View", "Saved views"),
    "view.save": ("View", "Save the view"),
    "view.default": ("View", "Default view"),
    "view.details": ("Panels", "Details on/off"),
    "view.details-taller": ("Panels", "Taller details"),
    "view.details-shorter": ("Panels", "Shorter details"),
    "view.details-next": ("Panels", "Next details tab"),
    "view.details-prev": ("Panels", "Previous details tab"),
    "view.log": ("Panels", "Log on/off"),
    "view.speed-history": ("Panels", "Speed history"),
    "view.problems": ("Panels", "Problems"),
    "view.undo-history": ("Panels", "Undo history"),
    "details.row-whole": ("Details", "Show the highlighted row whole"),
    "details.general-copy-magnet": ("Details", "Copy the magnet link"),
    "details.general-copy-hash": ("Details", "Copy the info hash"),
}
#: Keys of a dialog, list or screen of its own: they act only while it is open, so they are not
#: commands of the palette.
SCREEN_KEYS = ("dialog.", "help.", "views.", "rss.", "rules.", "search.", "plugins.")
#: Where ids without a title above go, by their prefix.
_PREFIX_GROUPS = {
    "table": "List",
    "torrent": "Torrent",
    "view": "View",
    "details": "Details",
    "log": "Log",
    "app": "qbtui",
}


@dataclass(frozen=True, slots=True)
class PaletteEntry:
    group: str
    title: str
    keys: str
    binding: Binding

    @property
    def text(self) -> str:
        """What the palette matches a query against: "Torrent: Pause or resume"."""
        return f"{self.group}: {self.title}"

    @property
    def help(self) -> str:
        return f"{self.keys}   ·   acts on {GROUPS.get(self.group, 'the app')}"


def title_of(binding: Binding, where: str) -> tuple[str, str]:
    """The palette's group and title for a binding (`where`: the help screen's section)."""
    known = _TITLES.get(binding.id or "")
    if known is not None:
        return known
    group = _PREFIX_GROUPS.get((binding.id or "").split(".")[0], "qbtui")
    title = binding.description or binding.action
    if group == "Details" and where.startswith("Details: "):
        title = f"{where.removeprefix('Details: ').capitalize()}: {title[:1].lower()}{title[1:]}"
    return group, title


class TorrentCommands(Provider):
    def _entries(self) -> list[PaletteEntry]:
        if self._main() is None:
            return []
        keymap = getattr(self.app, "_keymap", {})
        found = []
        for where, bindings in binding_groups(type(self.app)):
            for binding in bindings:
                # Keys of a dialog or list act only while it is open: not commands of the palette.
                if binding.id is None or binding.id.startswith(SCREEN_KEYS):
                    continue
                if services(self.app).read_only and binding_changes_the_server(binding):
                    continue
                group, title = title_of(binding, where)
                title = reword(title, self.app.words) if hasattr(self.app, "words") else title
                keys = keymap.get(binding.id, binding.key)
                shown = ", ".join(self.app.get_key_display(Binding(k, "")) for k in keys.split(","))
                found.append(PaletteEntry(group, title, shown, binding))
        order = list(GROUPS)
        found.sort(key=lambda e: (order.index(e.group) if e.group in order else len(order)))
        return found

    def _commands(self) -> list[tuple[str, Binding, str]]:
        """(text, binding, help) of every entry, in the palette's order."""
        return [(entry.text, entry.binding, entry.help) for entry in self._entries()]

    def _main(self) -> DOMNode | None:
        from qbtui.ui.screens.main import MainScreen

        return next((s for s in self.app.screen_stack if isinstance(s, MainScreen)), None)

    def _owner(self, binding: Binding) -> DOMNode:
        """The node that declares the binding: the app, the main screen, or a widget on it."""
        if binding in type(self.app).BINDINGS:
            return self.app
        main = self._main()
        assert main is not None
        if binding in type(main).BINDINGS:
            return main
        for widget in main.query("*"):
            if binding in type(widget).BINDINGS:
                return widget
        return main

    async def _run(self, binding: Binding) -> None:
        await self.app.run_action(binding.action, self._owner(binding))

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(
                Content(entry.text), partial(self._run, entry.binding), text=entry.text, help=entry.help
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            score = matcher.match(entry.text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(entry.text),
                    partial(self._run, entry.binding),
                    text=entry.text,
                    help=entry.help,
                )


class ServerCommands(NamedChoices):
    """ "server: switch to NAME" for every configured server but the current one."""

    HELP = "Servers"

    def _commands(self) -> list[tuple[str, str]]:
        pool = self.qbt.pool
        if pool is None:
            return []
        return [(f"server: switch to {name}", name) for name in pool.servers if name != pool.current]

    @property
    def qbt(self) -> QbtuiApp:
        """The app that registers this provider (QbtuiApp.COMMANDS)."""
        return cast("QbtuiApp", self.app)

    def _run(self, name: str) -> None:
        self.qbt.switch_server(name)
