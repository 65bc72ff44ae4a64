"""A command palette provider of named choices (servers, saved views): one entry per name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


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
