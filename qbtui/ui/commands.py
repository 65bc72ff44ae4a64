"""The command palette mirrors the key bindings: every action, titled "torrent: …" or "view: …"."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from qbtui.ui.screens.help import binding_groups


class TorrentCommands(Provider):
    def _commands(self) -> list[tuple[str, str, str]]:
        from qbtui.ui.screens.main import MainScreen

        main = next((s for s in self.app.screen_stack if isinstance(s, MainScreen)), None)
        found = []
        for group, bindings in binding_groups():
            for binding in bindings:
                if binding.id is None or binding.id.startswith("dialog."):
                    continue
                namespace = binding.id.split(".")[0].replace("table", "list")
                title = f"{namespace}: {(binding.description or binding.action).lower()}"
                found.append((title, binding.action, group))
        return found if main is not None else []

    async def _run(self, action: str) -> None:
        from qbtui.ui.screens.main import MainScreen

        main = next(s for s in self.app.screen_stack if isinstance(s, MainScreen))
        table = main.table
        if action in {name for name, _ in _TABLE_ACTIONS}:
            await self.app.run_action(action, table)
        elif action in ("quit", "help"):
            await self.app.run_action(action)
        else:
            await self.app.run_action(action, main)

    async def discover(self) -> Hits:
        for title, action, group in self._commands():
            yield DiscoveryHit(title, partial(self._run, action), help=group)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, group in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action), help=group)


def _table_actions() -> list[tuple[str, str]]:
    from qbtui.ui.widgets.torrent_table import TorrentTable

    return [(b.action, b.description) for b in TorrentTable.BINDINGS if hasattr(b, "action")]  # type: ignore[union-attr]


_TABLE_ACTIONS = _table_actions()
