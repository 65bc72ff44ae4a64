"""The Add torrents dialog: magnet links / URLs and local .torrent files, with every add option the
connected server's API version supports."""

from __future__ import annotations

import asyncio
import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import (
    Button,
    Checkbox,
    DirectoryTree,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from qbtui.api import errors
from qbtui.api.adding import outcome
from qbtui.api.base import TorrentFileUpload
from qbtui.api.models import AddOptions, ServerInfo
from qbtui.ui.screens.dialogs import Dialog
from qbtui.ui.services import services
from qbtui.ui.text import safe
from qbtui.ui.widgets.path_input import PathInput
from qbtui.ui.widgets.server_path import FreeSpace, ServerPathInput
from qbtui.ui.widgets.text_field import TextField
from qbtui.ui.widgets.toggles import TickBox
from qbtui.ui.workers import background, guarded
from qbtui.util import torrentfile
from qbtui.util.units import format_size, parse_rate

if TYPE_CHECKING:
    from qbtui.api.base import QbtApi

#: How many files of a torrent the dialog lists before "… and K more".
FILES_SHOWN = 5

_BTIH = re.compile(r"[?&]xt=urn:btih:([0-9a-zA-Z]+)", re.IGNORECASE)
# BitTorrent v2 magnets carry a multihash: 0x12 0x20 (SHA-256, 32 bytes) and the digest in hex.
_BTMH = re.compile(r"[?&]xt=urn:btmh:1220([0-9a-fA-F]{64})(?:&|$)", re.IGNORECASE)
_WINDOWS_PATH = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")

#: Schemes qBittorrent downloads itself (its DownloadManager); what it fetches arrives later.
FETCHED_SCHEMES = ("http", "https", "ftp")

#: How long after adding URLs the app watches for their torrents (or a logged failure), and how often.
URL_WATCH_SECONDS = 30.0
URL_WATCH_INTERVAL = 1.0


@dataclass(frozen=True, slots=True)
class AddResult:
    """What was added: the info-hashes known locally (from .torrent files, magnet links and bare
    info-hashes), and the links the server has to fetch or load itself, whose torrents are not known
    yet (URLs, paths on the server's disk)."""

    info_hashes: list[str] = field(default_factory=list)
    fetching: list[str] = field(default_factory=list)
    #: 5.2+ servers say what they added: the files and links they refused (duplicates, bad links).
    refused: list[str] = field(default_factory=list)


def _hash_text(value: str) -> str | None:
    """A v1 info-hash in lower-case hex from 40 hex digits or 32 base32 characters, or None."""
    if len(value) == 40 and re.fullmatch(r"[0-9a-fA-F]{40}", value):
        return value.lower()
    if len(value) == 32 and re.fullmatch(r"[A-Za-z2-7]{32}", value):
        try:
            return base64.b32decode(value.upper()).hex()
        except (binascii.Error, ValueError):
            return None
    return None


def magnet_hash(link: str) -> str | None:
    """The id qBittorrent gives a magnet link's torrent, lower-case hex, or None: the v1 info-hash
    (from hex or base32), else for a v2-only magnet the SHA-256 info-hash cut to 40 digits."""
    match = _BTIH.search(link)
    if match is not None:
        return _hash_text(match.group(1))
    match = _BTMH.search(link)
    if match is not None:
        return match.group(1)[:40].lower()
    return None


def _is_local_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def check_link(link: str) -> tuple[str | None, str | None]:
    """What one line of the links box is: (info-hash or None, reason it cannot be sent or None).

    qBittorrent takes magnet links, http(s)/ftp URLs it downloads itself, bare info-hashes and
    paths of .torrent files on the server's own disk; anything else it drops ("Fails.", or a line in
    its log), so it is refused here with a reason instead."""
    shown = safe(link if len(link) <= 80 else link[:79] + "…")
    lower = link.lower()
    if lower.startswith("magnet:"):
        info_hash = magnet_hash(link)
        if info_hash is None:
            return None, f"not a valid magnet link (no urn:btih or urn:btmh info-hash): {shown}"
        return info_hash, None
    if (info_hash := _hash_text(link)) is not None:
        return info_hash, None
    if lower.startswith("bc://bt/"):
        return None, None  # BitComet links: qBittorrent converts them to magnets
    if link.startswith("/") or _WINDOWS_PATH.match(link) or lower.startswith("file:/"):
        return None, None  # a .torrent on the server's disk
    if link.startswith("~") or _is_local_file(link) or (lower.endswith(".torrent") and "/" not in link):
        return None, f"{shown}: a file on this computer goes in the .torrent field below, not the links box"
    host = re.match(r"^[\w-]+(?:\.[\w-]+)*\.([A-Za-z]{2,})(?::\d+)?(?:/|$)", link)
    if host is not None and host.group(1).lower() != "torrent":
        return None, f"{shown}: not a URL; did you mean http://{shown}?"
    scheme, sep, rest = link.partition(":")
    if sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme) and len(scheme) > 1:
        if scheme.lower() not in FETCHED_SCHEMES:
            return None, (
                f"{shown}: qBittorrent cannot fetch {scheme}: links; "
                "use magnet:, http://, https:// or ftp:// (local files go in the .torrent field)"
            )
        try:
            hostname = urlsplit(link).hostname if rest.startswith("//") else None
        except ValueError:  # e.g. an unclosed [IPv6 literal
            hostname = None
        if not hostname:
            return None, f"{shown}: not a valid URL (no host after {scheme}://)"
        return None, None
    return None, f"{shown}: not a magnet link, an http(s)/ftp URL, an info-hash or a path on the server"


def split_links(text: str) -> list[str]:
    """One link per line; blank lines and surrounding spaces ignored, duplicates dropped."""
    links: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line and line not in links:
            links.append(line)
    return links


#: How many of the newest torrents the fetch watch compares (it never lists the whole server).
_NEWEST = 100


class FetchWatch:
    """Follows links the server fetches or loads itself (URLs, paths on its disk) after an add.

    qBittorrent answers "Ok." for a URL at once and downloads it later; when that fails, 4.0 and
    5.x log a warning naming the URL, 4.5 logs nothing at all. So the watch reports a logged
    failure with the server's own words, and otherwise counts the torrents that arrive: links
    still unaccounted for when the time is up are reported as exactly that."""

    def __init__(self, api: QbtApi, links: list[str], known: set[str], newest: int, log_id: int | None):
        self.api = api
        self.links = links
        self.known = known
        self.newest = newest
        self.log_id = log_id

    async def _newest(self) -> list[Any]:
        return await self.api.torrents(sort="added_on", reverse=True, limit=_NEWEST + len(self.links))

    @classmethod
    async def before_adding(cls, api: QbtApi, links: list[str], hashes: list[str]) -> FetchWatch:
        """Note what is there before the add: the newest torrents and the last logged warning."""
        watch = cls(api, links, set(hashes), 0, None)
        torrents = await watch._newest()
        watch.known |= {t.hash for t in torrents}
        watch.newest = max((t.added_on or 0 for t in torrents), default=0)
        try:
            entries = await api.log(normal=False, info=False)
            watch.log_id = max((entry.id for entry in entries), default=-1)
        except errors.NotSupported:
            watch.log_id = None
        return watch

    async def follow(self, seconds: float, interval: float) -> tuple[list[str], dict[str, str], list[str]]:
        """(failures logged by the server, {hash: name} of torrents that arrived, links unaccounted
        for); polls until every link is accounted for or `seconds` have passed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        pending = list(self.links)
        failures: list[str] = []
        arrived: dict[str, str] = {}
        while pending and len(arrived) < len(pending):
            if loop.time() >= deadline:
                break
            await asyncio.sleep(min(interval, max(0.0, deadline - loop.time())))
            if self.log_id is not None:
                for entry in await self.api.log(self.log_id, normal=False, info=False):
                    self.log_id = max(self.log_id, entry.id)
                    failed = next((link for link in pending if link in entry.message), None)
                    if failed is not None:
                        pending.remove(failed)
                        failures.append(entry.message)
            for torrent in await self._newest():
                if torrent.hash not in self.known and (torrent.added_on or 0) >= self.newest:
                    arrived[torrent.hash] = torrent.name
        unaccounted = pending if len(arrived) < len(pending) else []
        return failures, arrived, unaccounted


def report_fetches(
    app: Any, failures: list[str], arrived: dict[str, str], unaccounted: list[str], seconds: float
) -> None:
    """Tell the user what became of the fetched links: only what is known to be true."""
    for message in failures:
        app.notify(
            safe(message),
            title="qBittorrent could not add a torrent",
            severity="error",
            timeout=30,
            markup=False,
        )
    if arrived:
        names = ", ".join(safe(name) for name in arrived.values())
        app.notify(f"Fetched and added: {names}", title="Added from URL", timeout=6, markup=False)
    if unaccounted:
        missing = len(unaccounted) - len(arrived)
        which = (
            safe(unaccounted[0])
            if len(unaccounted) == 1
            else f"{missing} of these {len(unaccounted)}: " + ", ".join(safe(link) for link in unaccounted)
        )
        app.notify(
            f"No torrent has arrived from {which} after {seconds:g} s. qBittorrent does not always "
            "report a failed download: the address may be unreachable, not serve a .torrent file or "
            "need a cookie, or the torrent is already in the list.",
            title="Nothing added yet",
            severity="warning",
            timeout=30,
            markup=False,
        )


@dataclass(frozen=True, slots=True)
class ChosenFile:
    path: Path
    data: bytes
    meta: torrentfile.TorrentMeta

    def describe(self) -> Text:
        text = Text()
        text.append(safe(self.meta.name), style="bold")
        text.append(f"  {format_size(self.meta.total_size)}", style="dim")
        text.append(f"  {len(self.meta.files)} file{'s' if len(self.meta.files) != 1 else ''}", style="dim")
        text.append(f"\n  {safe(str(self.path))}", style="dim italic")
        for item in self.meta.files[:FILES_SHOWN]:
            text.append(f"\n  • {safe(item.path)}  ")
            text.append(format_size(item.size), style="dim")
        if len(self.meta.files) > FILES_SHOWN:
            text.append(f"\n  … and {len(self.meta.files) - FILES_SHOWN} more", style="dim")
        return text


class TorrentFileTree(DirectoryTree):
    """Directories and .torrent files only; hidden entries are left out."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            path
            for path in paths
            if not path.name.startswith(".") and (path.is_dir() or path.name.lower().endswith(".torrent"))
        ]


@dataclass(frozen=True, slots=True)
class Features:
    """Which add options the server's API version offers."""

    category: bool
    skip_checking: bool
    paused: bool
    stopped_wording: bool
    root_folder: bool
    content_layout: bool
    tags: bool
    auto_tmm: bool
    limits_ratio_seeding: bool
    download_path: bool

    @classmethod
    def of(cls, info: ServerInfo) -> Features:
        legacy = info.is_legacy
        return cls(
            category=not legacy or info.legacy_at_least(6),
            skip_checking=not legacy or info.legacy_at_least(13),
            paused=not legacy or info.legacy_at_least(13),
            stopped_wording=info.v2_at_least(2, 11),
            root_folder=info.legacy_at_least(15) or (not legacy and not info.v2_at_least(2, 7)),
            content_layout=info.v2_at_least(2, 7),
            tags=info.v2_at_least(2, 3),
            auto_tmm=not legacy,
            limits_ratio_seeding=not legacy,
            download_path=info.v2_at_least(2, 8, 4),
        )


_TRI = [("server default", "default"), ("yes", "yes"), ("no", "no")]
_LAYOUTS = [("Original", "Original"), ("Subfolder", "Subfolder"), ("No subfolder", "NoSubfolder")]


class AddTorrentsScreen(Dialog[AddResult | None]):
    """Add magnet links / URLs and local .torrent files; dismisses with AddResult or None."""

    DEFAULT_CSS = """
    AddTorrentsScreen .dialog { width: 100; height: 90%; max-height: 90%; }
    AddTorrentsScreen #form { height: 1fr; }
    AddTorrentsScreen #links { height: 5; margin-bottom: 1; }
    AddTorrentsScreen .section { text-style: bold; color: $accent; margin-top: 1; }
    AddTorrentsScreen .row { height: auto; }
    AddTorrentsScreen .row Input, AddTorrentsScreen .row Select { width: 1fr; margin-bottom: 0; }
    AddTorrentsScreen .row Label { width: 22; padding: 1 1 0 0; }
    AddTorrentsScreen .row Button { margin-left: 1; }
    AddTorrentsScreen #file-path { margin-bottom: 0; }
    AddTorrentsScreen #browser { height: 12; display: none; }
    AddTorrentsScreen #browser.-shown { display: block; }
    AddTorrentsScreen #files { max-height: 14; height: auto; margin-top: 1; }
    AddTorrentsScreen #files.-empty { display: none; }
    AddTorrentsScreen .checks { height: auto; }
    AddTorrentsScreen .checks Checkbox { width: 1fr; }
    AddTorrentsScreen #error { margin-top: 1; }
    AddTorrentsScreen .hint { color: $text-muted; }
    AddTorrentsScreen #save-path-free { padding-left: 22; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="add.cancel"),
        Binding("ctrl+s", "submit", "Add", priority=True, id="add.submit"),
        Binding("ctrl+o", "toggle_browser", "Browse files", id="add.browse"),
        Binding("ctrl+d", "remove_file", "Remove file", id="add.remove_file"),
    ]

    def __init__(
        self,
        *,
        links: str = "",
        files: Iterable[str | Path] = (),
        browse_from: str | Path | None = None,
        downloader: str | None = None,
    ) -> None:
        super().__init__()
        self._initial_links = links
        #: The search plugin that fetches the links (a search result, 5.3+).
        self._downloader = downloader
        self._initial_files = [Path(p) for p in files]
        self._browse_from = Path(browse_from) if browse_from is not None else Path.cwd()
        self.chosen: list[ChosenFile] = []
        #: Checkboxes the user has changed: the server's defaults no longer overwrite them.
        self._touched: set[str] = set()
        #: True once the server's defaults have been asked for (whether or not the server answered).
        self.defaults_loaded = False

    # -- environment ---------------------------------------------------------------------------

    @property
    def api(self) -> QbtApi:
        api = services(self).api
        if api is None:
            raise errors.QbtError("not connected to a server")
        return api

    @property
    def features(self) -> Features:
        return Features.of(self.api.info)

    def _category_names(self) -> list[str]:
        return sorted(services(self).store.categories)

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        features = self.features
        categories = self._category_names()
        with Vertical(classes="dialog"):
            yield Static(Text("Add torrents"), classes="title")
            with VerticalScroll(id="form"):
                yield Static(
                    Text("Magnet links, URLs, info-hashes or .torrent paths on the server, one per line"),
                    classes="hint",
                )
                yield TextArea(self._initial_links, id="links", soft_wrap=False, show_line_numbers=False)
                yield Static(
                    Text(".torrent files: type a path (Tab completes), Enter adds it; ctrl+o browses"),
                    classes="hint",
                )
                with Horizontal(classes="row"):
                    yield PathInput(
                        placeholder="~/Downloads/example.torrent", id="file-path", suffix=".torrent"
                    )
                    yield Button("Add file", id="add-file")
                yield TorrentFileTree(self._browse_from, id="browser")
                yield OptionList(id="files", classes="-empty")

                yield Static(Text("Where"), classes="section")
                # Paths on the server: Tab completes and ctrl+o browses there (5.0+).
                yield from self._row(
                    "Save path", ServerPathInput(placeholder="server default", id="save-path")
                )
                yield FreeSpace("save-path", id="save-path-free", classes="hint")
                if features.download_path:
                    yield from self._row(
                        "Incomplete path", ServerPathInput(placeholder="server default", id="download-path")
                    )
                if features.category:
                    yield from self._row(
                        "Category",
                        Select(
                            [(safe(name), name) for name in categories],
                            prompt="(none)" if categories else "(no categories yet)",
                            id="category",
                        ),
                    )
                    yield from self._row(
                        "…or new category",
                        TextField(
                            placeholder="type a new category",
                            id="new-category",
                            suggester=SuggestFromList(categories, case_sensitive=True),
                        ),
                    )
                if features.tags:
                    yield from self._row("Tags", TextField(placeholder="comma, separated", id="tags"))
                yield from self._row("Rename", TextField(placeholder="keep the torrent's name", id="rename"))
                if features.content_layout:
                    yield from self._row(
                        "Content layout", Select(_LAYOUTS, prompt="server default", id="content-layout")
                    )
                if features.root_folder:
                    yield from self._row(
                        "Create root folder",
                        Select(_TRI, value="default", allow_blank=False, id="root-folder"),
                    )
                yield from self._row("Cookie", TextField(placeholder="for URLs that need one", id="cookie"))

                yield Static(Text("Limits"), classes="section")
                yield from self._row(
                    "Download limit",
                    TextField(placeholder="e.g. 2.5M, 800K; empty or 0 = none", id="dl-limit"),
                )
                yield from self._row(
                    "Upload limit", TextField(placeholder="e.g. 2.5M, 800K; empty or 0 = none", id="up-limit")
                )
                if features.limits_ratio_seeding:
                    yield from self._row("Ratio limit", TextField(placeholder="e.g. 2.0", id="ratio-limit"))
                    yield from self._row(
                        "Seeding time limit", TextField(placeholder="minutes", id="seeding-time-limit")
                    )

                yield Static(Text("Behaviour"), classes="section")
                with Horizontal(classes="checks"):
                    if features.paused:
                        yield TickBox(
                            "Add stopped" if features.stopped_wording else "Add paused", id="paused"
                        )
                    if features.skip_checking:
                        yield TickBox("Skip hash check", id="skip-checking")
                with Horizontal(classes="checks"):
                    yield TickBox("Sequential download", id="sequential")
                    yield TickBox("First and last pieces first", id="first-last")
                if features.auto_tmm:
                    with Horizontal(classes="checks"):
                        yield TickBox("Automatic torrent management", id="auto-tmm")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Add", id="submit", variant="primary")

    @staticmethod
    def _row(label: str, widget: Input | Select[Any]) -> Iterable[Horizontal]:
        row = Horizontal(Label(label), widget, classes="row")
        yield row

    def on_mount(self) -> None:
        for path in self._initial_files:
            self.add_file(path)
        self.query_one("#links", TextArea).focus()
        self._load_defaults()

    # -- the server's defaults -----------------------------------------------------------------

    @background(exclusive=True, group="add-defaults")
    async def _load_defaults(self) -> None:
        """Start the checkboxes as the server would add a torrent (paused? automatic management?)
        and name its default paths, so that what the form shows is what gets sent."""
        try:
            prefs = await self.api.preferences()
        except Exception:  # the form still works; the checkboxes then mean exactly what they show
            self.defaults_loaded = True
            return
        paused = prefs.get("add_stopped_enabled", prefs.get("start_paused_enabled"))
        for selector, value in (("#paused", paused), ("#auto-tmm", prefs.get("auto_tmm_enabled"))):
            boxes = self.query(selector)
            if isinstance(value, bool) and boxes and selector not in self._touched:
                box = boxes.first(Checkbox)
                with box.prevent(Checkbox.Changed):
                    box.value = value
        save_path = prefs.get("save_path")
        if isinstance(save_path, str) and save_path:
            self.query_one("#save-path", Input).placeholder = f"server default: {safe(save_path)}"
        if fields := self.query("#download-path"):
            temp_enabled, temp_path = prefs.get("temp_path_enabled"), prefs.get("temp_path")
            if temp_enabled is False:
                fields.first(Input).placeholder = "server default: none (straight to the save path)"
            elif temp_enabled is True and isinstance(temp_path, str) and temp_path:
                fields.first(Input).placeholder = f"server default: {safe(temp_path)}"
        self.defaults_loaded = True

    @on(Checkbox.Changed)
    def _box_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id:
            self._touched.add(f"#{event.checkbox.id}")

    # -- files ---------------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(safe(message)))

    def add_file(self, path: Path) -> bool:
        """Read a .torrent locally; list it, or say why it cannot be added."""
        path = path.expanduser()
        if path.is_dir():
            self.show_error(f"{path} is a directory; choose a .torrent file")
            return False
        try:
            data = path.read_bytes()
            meta = torrentfile.parse(data)
        except OSError as exc:
            self.show_error(f"cannot read {path}: {exc.strerror or exc}")
            return False
        except torrentfile.InvalidTorrentFile as exc:
            self.show_error(f"{path.name}: {exc}")
            return False
        if any(chosen.meta.info_hash == meta.info_hash for chosen in self.chosen):
            self.show_error(f"{meta.name} is already in the list")
            return False
        self.chosen.append(ChosenFile(path, data, meta))
        self._refresh_files()
        self.show_error("")
        return True

    def _refresh_files(self) -> None:
        files = self.query_one("#files", OptionList)
        files.clear_options()
        files.add_options([Option(chosen.describe()) for chosen in self.chosen])
        files.set_class(not self.chosen, "-empty")
        if self.chosen:
            files.border_title = (
                f"{len(self.chosen)} .torrent file{'s' if len(self.chosen) != 1 else ''} (ctrl+d removes)"
            )

    @on(Input.Submitted, "#file-path")
    @on(Button.Pressed, "#add-file")
    def _add_typed_file(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        field_ = self.query_one("#file-path", PathInput)
        if not field_.value.strip():
            self.show_error("type the path of a .torrent file first")
            return
        if self.add_file(Path(field_.value.strip())):
            field_.value = ""

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.add_file(event.path)

    def action_toggle_browser(self) -> None:
        browser = self.query_one("#browser", TorrentFileTree)
        browser.toggle_class("-shown")
        if browser.has_class("-shown"):
            browser.focus()
        else:
            self.query_one("#file-path", PathInput).focus()

    def action_remove_file(self) -> None:
        files = self.query_one("#files", OptionList)
        index = files.highlighted
        if index is None and self.chosen:
            index = len(self.chosen) - 1
        if index is None or not 0 <= index < len(self.chosen):
            return
        del self.chosen[index]
        self._refresh_files()
        if self.chosen:
            files.highlighted = min(index, len(self.chosen) - 1)

    # -- options -------------------------------------------------------------------------------

    def _text(self, selector: str) -> str:
        widgets = self.query(selector)
        return widgets.first(Input).value.strip() if widgets else ""

    def _checked(self, selector: str) -> bool | None:
        """True when ticked, else None: options without a server default are only ever turned on."""
        widgets = self.query(selector)
        return True if widgets and widgets.first(Checkbox).value else None

    def _shown(self, selector: str) -> bool | None:
        """Exactly what the checkbox shows (None when not offered), for options the server has a
        default for: an unticked box must not leave the choice to a default the user cannot see."""
        widgets = self.query(selector)
        return bool(widgets.first(Checkbox).value) if widgets else None

    def _select(self, selector: str) -> str | None:
        widgets = self.query(selector)
        if not widgets:
            return None
        value = widgets.first(Select).value
        return value if isinstance(value, str) else None

    def build_options(self) -> AddOptions:
        """The options as typed; raises ValueError with a reason for the user."""
        features = self.features
        limits: dict[str, int | None] = {}
        for key, selector, label in (
            ("dl_limit", "#dl-limit", "download"),
            ("up_limit", "#up-limit", "upload"),
        ):
            text = self._text(selector)
            if not text:
                limits[key] = None
                continue
            if text.startswith("-"):
                raise ValueError(f"{label} limit {text!r} is negative; use 0 or leave it empty for no limit")
            try:
                limits[key] = parse_rate(text)
            except ValueError as exc:
                raise ValueError(f"{label} limit: {exc}") from None
        ratio: float | None = None
        seeding: int | None = None
        if features.limits_ratio_seeding:
            if text := self._text("#ratio-limit"):
                try:
                    ratio = float(text)
                except ValueError:
                    raise ValueError(f"ratio limit {text!r} is not a number (e.g. 2.0)") from None
                if ratio < 0:
                    raise ValueError(f"ratio limit {text!r} is negative")
            if text := self._text("#seeding-time-limit"):
                try:
                    seeding = int(text)
                except ValueError:
                    raise ValueError(
                        f"seeding time limit {text!r} is not a whole number of minutes"
                    ) from None
                if seeding < 0:
                    raise ValueError(f"seeding time limit {text!r} is negative")
        category = self._text("#new-category") or self._select("#category")
        if category is not None and category.strip() == "":
            category = None
        tags = tuple(tag.strip() for tag in self._text("#tags").split(",") if tag.strip())
        root = self._select("#root-folder")
        save_path = self._text("#save-path") or None
        download_path = self._text("#download-path") or None
        auto_tmm = self._shown("#auto-tmm")
        if auto_tmm and (save_path or download_path):
            raise ValueError(
                "automatic torrent management saves into the category's folder and ignores the "
                f"{'save path' if save_path else 'incomplete path'}: clear it or untick automatic management"
            )
        return AddOptions(
            save_path=save_path,
            download_path=download_path,
            cookie=self._text("#cookie") or None,
            category=category,
            tags=tags,
            skip_checking=self._checked("#skip-checking"),
            paused=self._shown("#paused"),
            root_folder={"yes": True, "no": False}.get(root or "default"),
            content_layout=self._select("#content-layout"),
            rename=self._text("#rename") or None,
            up_limit=limits["up_limit"],
            dl_limit=limits["dl_limit"],
            sequential=self._checked("#sequential"),
            first_last_piece=self._checked("#first-last"),
            auto_tmm=auto_tmm,
            ratio_limit=ratio,
            seeding_time_limit=seeding,
            downloader=self._downloader,
        )

    # -- submit --------------------------------------------------------------------------------

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def unsaved_edits(self) -> str | None:
        links = len(split_links(self.query_one("#links", TextArea).text))
        files = len(self.chosen)
        if not links and not files:
            return None
        parts = [f"{links} link{'s' if links != 1 else ''}"] if links else []
        if files:
            parts.append(f"{files} .torrent file{'s' if files != 1 else ''}")
        return f"{' and '.join(parts)} not added yet."

    def action_submit(self) -> None:
        links = split_links(self.query_one("#links", TextArea).text)
        typed = self.query_one("#file-path", PathInput).value.strip()
        if typed:
            if not self.add_file(Path(typed)):
                return
            self.query_one("#file-path", PathInput).value = ""
        if not links and not self.chosen:
            self.show_error("nothing to add: paste magnet links or URLs, or choose .torrent files")
            return
        hashes: list[str] = [chosen.meta.info_hash for chosen in self.chosen]
        fetched: list[str] = []
        for number, link in enumerate(links, 1):
            info_hash, problem = check_link(link)
            if problem is not None:
                self.show_error(f"line {number}: {problem}" if len(links) > 1 else problem)
                return
            if info_hash is None:
                fetched.append(link)
            elif info_hash not in hashes:
                hashes.append(info_hash)
        try:
            options = self.build_options()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        if options.rename and len(links) + len(self.chosen) > 1:
            self.show_error(
                f"Rename would give all {len(links) + len(self.chosen)} torrents the same name: "
                "add one torrent at a time to rename it, or clear Rename"
            )
            return
        uploads = [TorrentFileUpload(chosen.path.name, chosen.data) for chosen in self.chosen]
        self.show_error("")
        self.query_one("#submit", Button).disabled = True
        self.query_one("#submit", Button).label = "Adding…"
        self._add(links, uploads, options, hashes, fetched)

    @background(exclusive=True, group="add-torrents")
    async def _add(
        self,
        links: list[str],
        uploads: list[TorrentFileUpload],
        options: AddOptions,
        hashes: list[str],
        fetched: list[str],
    ) -> None:
        api = self.api
        watch: FetchWatch | None = None
        try:
            if fetched:
                try:
                    watch = await FetchWatch.before_adding(api, fetched, hashes)
                except Exception:
                    watch = None  # adding matters more than following up on it
            answer = await api.add(links, uploads, options)
        except Exception as exc:  # any failure must leave the dialog usable, with the reason shown
            reason = str(exc) or type(exc).__name__
            self.show_error(
                f"the server refused: {reason}"
                if isinstance(exc, errors.QbtError)
                else f"adding failed: {reason}"
            )
            button = self.query_one("#submit", Button)
            button.disabled = False
            button.label = "Add"
            return
        if watch is not None:
            self.app.run_worker(
                guarded(self.app, "watching the added links", self._follow(self.app, watch)),
                group="add-fetch-watch",
                exit_on_error=False,
            )
        refused: list[str] = []
        if answer.counted:
            # The server named what it added: highlight exactly those, and say what it refused.
            refused = list(outcome(answer, links, uploads).failed_sources)
            hashes = [h for h in hashes if h in answer.added_ids] + [
                h for h in answer.added_ids if h not in hashes
            ]
        self.dismiss(AddResult(hashes, fetched, refused))

    @staticmethod
    async def _follow(app: Any, watch: FetchWatch) -> None:
        """Runs on the app, after the dialog has closed; a lost connection just ends it."""
        seconds = URL_WATCH_SECONDS
        try:
            failures, arrived, unaccounted = await watch.follow(seconds, URL_WATCH_INTERVAL)
        except Exception:
            return
        report_fetches(app, failures, arrived, unaccounted, seconds)
