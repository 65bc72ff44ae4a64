"""The command palette mirrors the key bindings: every action, titled "torrent: …", "details: …"."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode

from qbtui.ui.readonly import binding_changes_the_server
from qbtui.ui.screens.help import binding_groups


class TorrentCommands(Provider):
    def _commands(self) -> list[tuple[str, Binding, str]]:
        if self._main() is None:
            return []
        found = []
        for group, bindings in binding_groups():
            for binding in bindings:
                # Keys of a dialog or list act only while it is open: not commands of the palette.
                if binding.id is None or binding.id.startswith(("dialog.", "help.", "views.")):
                    continue
                if getattr(self.app, "read_only", False) and binding_changes_the_server(binding):
                    continue
                namespace = binding.id.split(".")[0].replace("table", "list")
                title = f"{namespace}: {(binding.description or binding.action).lower()}"
                found.append((title, binding, group))
        return found

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
        for title, binding, group in self._commands():
            yield DiscoveryHit(title, partial(self._run, binding), help=group)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, binding, group in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, binding), help=group)


class NamedChoices(Provider):
    """Palette entries that each run `_run(name)`: one per (title, name) of `_commands()`. Titles are
    shown as plain text, never markup."""

    HELP = ""

    def _commands(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def _run(self, name: str) -> None:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for title, name in self._commands():
            yield DiscoveryHit(Content(title), partial(self._run, name), text=title, help=self.HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, name in self._commands():
            score = matcher.match(title)
            if score > 0:
                run = partial(self._run, name)
                yield Hit(score, matcher.highlight(title), run, text=title, help=self.HELP)


class ServerCommands(NamedChoices):
    """ "server: switch to NAME" for every configured server but the current one."""

    HELP = "Servers"

    def _commands(self) -> list[tuple[str, str]]:
        pool = getattr(self.app, "pool", None)
        if pool is None:
            return []
        return [(f"server: switch to {name}", name) for name in pool.servers if name != pool.current]

    def _run(self, name: str) -> None:
        self.app.switch_server(name)  # type: ignore[attr-defined]
