"""The small forms of the RSS screen: a new feed, and the server's RSS settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from qbtui.api.rss import SEP, join_path, path_problem
from qbtui.ui.screens.dialogs import Dialog
from qbtui.ui.widgets.text_field import TextField
from qbtui.ui.widgets.toggles import TickBox


def shown_path(path: str) -> str:
    """An item path as the user reads it: "/" for the root, "Shows › Drama" for Shows\\Drama."""
    return " › ".join(path.split(SEP)) if path else "/"


def minutes(text: str, what: str) -> int | None:
    """A whole number of minutes ≥ 0 typed in a field; None when empty. ValueError says why not."""
    text = text.strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{what}: {text!r} is not a whole number of minutes") from None
    if value < 0:
        raise ValueError(f"{what}: {value} is negative")
    return value


@dataclass(frozen=True, slots=True)
class NewFeed:
    url: str
    path: str
    #: Seconds (5.2+); None: the server's global interval.
    refresh_interval: int | None


class FeedDialog(Dialog[NewFeed | None]):
    """A feed's URL, its folder and name, and (5.2+) its own refresh interval."""

    DEFAULT_CSS = """
    FeedDialog .dialog { width: 84; }
    FeedDialog Label { margin-top: 1; }
    FeedDialog .hint { color: $text-muted; }
    """

    def __init__(self, folder: str, *, with_interval: bool) -> None:
        super().__init__()
        self._folder, self._with_interval = folder, with_interval

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Add an RSS feed"), classes="title")
            yield Label("Feed URL")
            yield TextField(placeholder="https://example.org/feed.xml", id="feed-url")
            yield Label("Folder (backslash between folders; empty: the top)")
            yield TextField(self._folder, id="feed-folder")
            yield Label("Name (empty: the URL)")
            yield TextField(id="feed-name")
            if self._with_interval:
                yield Label("Refresh every (minutes; empty: the server's interval for all feeds)")
                yield TextField(id="feed-interval")
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Add", id="confirm", variant="primary")

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def unsaved_edits(self) -> str | None:
        return "The feed's URL is not added yet." if self._value("#feed-url") else None

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def _submit(self) -> None:
        url = self._value("#feed-url")
        folder = self._value("#feed-folder").strip(SEP)
        name = self._value("#feed-name")
        error = self.query_one("#error", Static)
        if not url:
            error.update(Text("give the feed's URL"))
            return
        if SEP in name:
            error.update(Text("a name has no backslash: put folders in the Folder field"))
            return
        path = join_path(folder, name or url) if (folder or name) else ""
        if path and (problem := path_problem(path)):
            error.update(Text(problem))
            return
        interval = None
        if self._with_interval:
            try:
                typed = minutes(self._value("#feed-interval"), "refresh interval")
            except ValueError as exc:
                error.update(Text(str(exc)))
                return
            interval = typed * 60 if typed else None
        self.dismiss(NewFeed(url, path, interval))

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()


#: The RSS preferences, as qBittorrent's options dialog has them on its RSS page.
RSS_PREFERENCES = (
    "rss_processing_enabled",
    "rss_refresh_interval",
    "rss_fetch_delay",
    "rss_max_articles_per_feed",
    "rss_auto_downloading_enabled",
    "rss_download_repack_proper_episodes",
    "rss_smart_episode_filters",
)


class RssSettingsDialog(Dialog[dict[str, Any] | None]):
    """The server's RSS preferences; dismisses with only what changed."""

    DEFAULT_CSS = """
    RssSettingsDialog .dialog { width: 90; }
    RssSettingsDialog .row { height: auto; }
    RssSettingsDialog .row Label { width: 44; padding-top: 1; }
    RssSettingsDialog .row Input { width: 12; }
    RssSettingsDialog TextArea { height: 6; }
    RssSettingsDialog .hint { color: $text-muted; }
    """

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__()
        self._values = values

    def compose(self) -> ComposeResult:
        v = self._values
        with Vertical(classes="dialog"):
            yield Static(Text("RSS settings of the server"), classes="title")
            yield TickBox(
                "Fetch feeds on a timer (off: only when asked)",
                bool(v.get("rss_processing_enabled")),
                id="rss_processing_enabled",
            )
            for key, label in (
                ("rss_refresh_interval", "Refresh feeds every (minutes)"),
                ("rss_fetch_delay", "Wait between fetches from one site (seconds)"),
                ("rss_max_articles_per_feed", "Articles kept per feed"),
            ):
                if key in v:
                    with Horizontal(classes="row"):
                        yield Label(label)
                        yield TextField(str(v.get(key, "")), id=key)
            yield TickBox(
                "Download what the auto-download rules match",
                bool(v.get("rss_auto_downloading_enabled")),
                id="rss_auto_downloading_enabled",
            )
            yield TickBox(
                "Download REPACK/PROPER episodes again (smart filter)",
                bool(v.get("rss_download_repack_proper_episodes", True)),
                id="rss_download_repack_proper_episodes",
            )
            yield Label("Smart episode filters (one regular expression per line)")
            yield TextArea(str(v.get("rss_smart_episode_filters", "")), id="rss_smart_episode_filters")
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="confirm", variant="primary")

    def changes(self) -> dict[str, Any]:
        """What differs from the server's values; ValueError for a number that is not one."""
        changed: dict[str, Any] = {}
        for box in self.query(TickBox):
            if box.id and bool(self._values.get(box.id)) != box.value:
                changed[box.id] = box.value
        for field in self.query(TextField):
            key = field.id or ""
            text = field.value.strip()
            try:
                number = int(text)
            except ValueError:
                raise ValueError(f"{key.replace('_', ' ')}: {text!r} is not a whole number") from None
            if number < 0:
                raise ValueError(f"{key.replace('_', ' ')}: {number} is negative")
            if number != self._values.get(key):
                changed[key] = number
        filters = self.query_one("#rss_smart_episode_filters", TextArea).text.strip("\n")
        if filters != str(self._values.get("rss_smart_episode_filters", "")).strip("\n"):
            changed["rss_smart_episode_filters"] = filters
        return changed

    def unsaved_edits(self) -> str | None:
        try:
            changed = self.changes()
        except ValueError:
            return "Your edits to the RSS settings are not saved."
        return "Your edits to the RSS settings are not saved." if changed else None

    @on(Button.Pressed, "#confirm")
    def _submit(self) -> None:
        try:
            changed = self.changes()
        except ValueError as exc:
            self.query_one("#error", Static).update(Text(str(exc)))
            return
        self.dismiss(changed)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._submit()

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()
