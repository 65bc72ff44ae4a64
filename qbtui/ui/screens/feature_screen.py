"""What the full-screen views of a server capability (RSS, search) share: the app's services, toasts
whose text is data, `--read-only`, the capability's gate, and the add dialog for links found there."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual.screen import Screen

from qbtui.api import QbtApi, errors
from qbtui.ui.screens.guarded import GuardedScreen
from qbtui.ui.services import services
from qbtui.ui.text import safe, safe_lines

ResultType = TypeVar("ResultType")


def toast(screen: Screen[Any], message: str, *, title: str = "", severity: str = "information") -> None:
    """A notification whose text is data (names, URLs, server reasons): never markup."""
    timeout = 8 if severity == "error" else 5
    screen.notify(safe_lines(message), title=safe(title), severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]


def open_add_dialog(screen: Screen[Any], links: Sequence[str], *, downloader: str | None = None) -> None:
    """The add dialog, prefilled with `links`: the user picks the options and adds (or not)."""
    from qbtui.ui.screens.add_torrents import AddResult, AddTorrentsScreen

    def added(result: AddResult | None) -> None:
        if result is None:
            return
        count, sent = len(result.info_hashes), len(result.fetching)
        parts = [f"added {count} torrent{'' if count == 1 else 's'}"] if count else []
        if sent:
            parts.append(f"sent {sent} link{'' if sent == 1 else 's'} for qBittorrent to fetch")
        message = "; ".join(parts) or "nothing added"
        toast(screen, message[:1].upper() + message[1:])
        if result.refused:
            toast(screen, "Not added: " + ", ".join(result.refused), title="Refused", severity="warning")
        services(screen).poke()

    screen.app.push_screen(AddTorrentsScreen(links="\n".join(links), downloader=downloader), added)


class FeatureScreen(GuardedScreen[ResultType]):
    """A screen of a capability: `CHANGING` names its actions that change the server (hidden from
    the footer and refused under --read-only, which the API service refuses again)."""

    CHANGING: ClassVar[frozenset[str]] = frozenset()

    @property
    def api(self) -> QbtApi | None:
        return services(self).api

    @property
    def read_only(self) -> bool:
        return services(self).read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.read_only and action in self.CHANGING)

    def toast(self, message: str, *, title: str = "", severity: str = "information") -> None:
        toast(self, message, title=title, severity=severity)

    async def attempt(
        self, what: str, call: Callable[[], Awaitable[object]], *, done: str | None = None
    ) -> bool:
        """Run one API call; a refusal or a lost connection is said in a toast, never raised."""
        try:
            await call()
        except errors.QbtError as exc:
            self.toast(str(exc), title=f"{what} failed", severity="error")
            return False
        if done:
            self.toast(done)
        return True


def dim(text: str) -> Text:
    return Text(text, style="dim")
