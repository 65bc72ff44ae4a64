"""The search engine on WebAPI v2 (`search/*`): plugins, searches and their results.

qBittorrent runs its search plugins with a Python on the *server* machine. Installing a plugin
answers at once and does the work afterwards, reporting nothing through the API: `install()` watches
`search/plugins` for the outcome. A plugin file on this computer reaches the server through a
short-lived loopback URL (`qbtui.util.file_offer`), which only a server on this machine can open.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from qbtui.api import errors
from qbtui.api.capability import Capability
from qbtui.api.coerce import as_bool, as_int, as_str
from qbtui.api.models import json_list
from qbtui.util.file_offer import FileOffer

#: Categories qBittorrent's search knows (nova2.py refuses others).
CATEGORIES = ("all", "anime", "books", "games", "movies", "music", "pictures", "software", "tv")
#: How many searches a server runs at once (409 beyond).
MAX_RUNNING = 5


def _count(value: object) -> int | None:
    number = as_int(value, None)
    return None if number is None or number < 0 else number


@dataclass(frozen=True, slots=True)
class SearchCategory:
    id: str
    name: str


@dataclass(slots=True)
class SearchPlugin:
    name: str
    version: str = ""
    full_name: str = ""
    url: str = ""
    categories: tuple[SearchCategory, ...] = ()
    enabled: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_raw(cls, raw: object) -> SearchPlugin:
        if not isinstance(raw, Mapping):
            raw = {}
        categories: list[SearchCategory] = []
        for item in raw.get("supportedCategories") or ():
            if isinstance(item, Mapping):
                categories.append(SearchCategory(as_str(item.get("id")), as_str(item.get("name"))))
            elif isinstance(item, str):  # 4.1 - 4.2 listed category names only
                categories.append(SearchCategory(item, item))
        known = {"name", "version", "fullName", "url", "supportedCategories", "enabled"}
        return cls(
            name=as_str(raw.get("name")),
            version=as_str(raw.get("version")),
            full_name=as_str(raw.get("fullName")),
            url=as_str(raw.get("url")),
            categories=tuple(categories),
            enabled=as_bool(raw.get("enabled"), True),
            extra={k: v for k, v in raw.items() if k not in known},
        )


@dataclass(slots=True)
class SearchJob:
    id: int
    running: bool
    total: int = 0
    #: 2.16.1+ tells what the search was; older servers do not (None).
    pattern: str | None = None
    category: str | None = None
    plugins: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_raw(cls, raw: object) -> SearchJob:
        if not isinstance(raw, Mapping):
            raw = {}
        plugins = raw.get("plugins")
        known = {"id", "status", "total", "pattern", "category", "plugins"}
        return cls(
            id=as_int(raw.get("id"), 0) or 0,
            running=as_str(raw.get("status")) == "Running",
            total=max(as_int(raw.get("total"), 0) or 0, 0),
            pattern=as_str(raw["pattern"]) if "pattern" in raw else None,
            category=as_str(raw["category"]) if "category" in raw else None,
            plugins=tuple(as_str(p) for p in plugins) if isinstance(plugins, list) else (),
            extra={k: v for k, v in raw.items() if k not in known},
        )


@dataclass(slots=True)
class SearchResult:
    name: str
    #: What adding downloads: a magnet link or a URL the plugin knows how to fetch.
    url: str
    size: int | None = None
    seeders: int | None = None
    leechers: int | None = None
    site_url: str = ""
    description_url: str = ""
    #: The plugin that found it: 5.0+ says; on older servers the plugin whose URL is the site's.
    engine: str = ""
    #: Unix seconds (5.0+); None unknown.
    published: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_raw(cls, raw: object) -> SearchResult:
        if not isinstance(raw, Mapping):
            raw = {}
        known = {
            "fileName", "fileUrl", "fileSize", "nbSeeders", "nbLeechers", "siteUrl", "descrLink",
            "engineName", "pubDate",
        }  # fmt: skip
        published = _count(raw.get("pubDate"))
        return cls(
            name=as_str(raw.get("fileName")),
            url=as_str(raw.get("fileUrl")),
            size=_count(raw.get("fileSize")),
            seeders=_count(raw.get("nbSeeders")),
            leechers=_count(raw.get("nbLeechers")),
            site_url=as_str(raw.get("siteUrl")),
            description_url=as_str(raw.get("descrLink")),
            engine=as_str(raw.get("engineName")),
            published=published or None,
            extra={k: v for k, v in raw.items() if k not in known},
        )


@dataclass(slots=True)
class SearchPage:
    results: list[SearchResult]
    running: bool
    #: Every result the search has so far, not only this page's.
    total: int


# --------------------------------------------------------------------------------------------- plugins


@dataclass(frozen=True, slots=True)
class PluginSource:
    """Where a plugin comes from: a URL the server downloads, a path on the server, or a file here."""

    text: str
    kind: str  # "url" | "server" | "local"

    @classmethod
    def url(cls, text: str) -> PluginSource:
        return cls(text.strip(), "url")

    @classmethod
    def server_path(cls, text: str) -> PluginSource:
        return cls(text.strip(), "server")

    @classmethod
    def local_file(cls, path: str | Path) -> PluginSource:
        return cls(str(Path(path).expanduser()), "local")

    @property
    def plugin_name(self) -> str:
        """qBittorrent names a plugin after its file: the URL path's or the file's base name, no .py."""
        path = unquote(urlsplit(self.text).path) if self.kind == "url" else self.text
        name = path.rstrip("/").rpartition("/")[2]
        return name[:-3] if name.endswith(".py") else name

    def problem(self) -> str | None:
        name = self.plugin_name
        if self.kind == "url":
            if urlsplit(self.text).scheme.lower() not in ("http", "https", "ftp", "file", "data"):
                return f"{self.text!r} is not a URL the server can download (http, https, ftp)"
        elif not self.text.endswith(".py"):
            return "a plugin is a .py file"
        if not name.isidentifier() or name.startswith("_"):
            return (
                f"the plugin's file name must be its class name, a Python name not starting with _ "
                f"({name!r} is not)"
            )
        return None


#: `# VERSION: 1.00`: what qBittorrent reads a plugin's version from (spaces ignored).
_VERSION_LINE = re.compile(r"^#\s*VERSION\s*:\s*([0-9]+(?:\.[0-9]+)?)", re.IGNORECASE)


def plugin_file_version(text: str) -> str | None:
    for line in text.splitlines():
        if found := _VERSION_LINE.match(line.strip()):
            return found.group(1)
    return None


def version_key(text: str) -> tuple[int, int]:
    major, _, minor = text.partition(".")
    return (as_int(major, 0) or 0, as_int(minor, 0) or 0)


@dataclass(frozen=True, slots=True)
class InstallOutcome:
    """What became of an installPlugin: `installed` with the plugin as the server lists it, or the
    reason it was not, in words the user can act on."""

    name: str
    installed: SearchPlugin | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.installed is not None


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SearchApi(Capability):
    """Every search/* endpoint, one method per user intent."""

    NAME = "Search"
    SINCE = (2, 2)

    # -- plugins --------------------------------------------------------------------------------

    async def plugins(self) -> list[SearchPlugin]:
        self.need("search")
        data = json_list(await self.get_json("search/plugins"), "search/plugins")
        return [SearchPlugin.from_raw(item) for item in data]

    async def enable_plugins(self, names: Sequence[str], enable: bool) -> None:
        self.need("search")
        self.changing("enabling search plugins")
        await self.post("search/enablePlugin", {"names": "|".join(names), "enable": enable})

    async def uninstall_plugins(self, names: Sequence[str]) -> None:
        self.need("search")
        self.changing("uninstalling search plugins")
        await self.post("search/uninstallPlugin", {"names": "|".join(names)})

    async def update_plugins(self) -> None:
        """Asks the server to fetch newer versions from qBittorrent's plugin repository on GitHub:
        the outcome goes to the server's log only."""
        self.need("search")
        self.changing("updating search plugins")
        await self.post("search/updatePlugins")

    def server_is_here(self) -> bool:
        """Whether the server runs on this machine, so a loopback URL served here reaches it."""
        return is_loopback_host(httpx.URL(self.session.settings.base_url).host)

    async def install(
        self, source: PluginSource, *, timeout: float = 30.0, interval: float = 0.5
    ) -> InstallOutcome:
        """Install a plugin and wait for the server to list it (or to give up on it)."""
        self.need("search")
        self.changing("installing search plugins")
        if problem := source.problem():
            raise errors.Rejected(problem)
        name = source.plugin_name
        expected: str | None = None
        if source.kind == "local":
            host = httpx.URL(self.session.settings.base_url).host
            if not self.server_is_here():
                raise errors.NotSupported(
                    f"the server ({host}) is not on this computer, and qBittorrent installs plugins only "
                    "from a URL it can download or a path on its own disk: put the file where the server "
                    "can read it and give that path (tick 'path on the server'), or give a URL"
                )
            path = Path(source.text)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise errors.Rejected(f"cannot read {path}: {exc.strerror or exc}") from None
            expected = plugin_file_version(data.decode("utf-8", "replace"))
            before = {p.name: p for p in await self.plugins()}
            bind = "::1" if ":" in host.strip("[]") else "127.0.0.1"
            async with FileOffer(data, f"{name}.py", host=bind) as offer:
                await self.post("search/installPlugin", {"sources": offer.url})
                return await self._watch_install(name, before, expected, timeout, interval, offer)
        before = {p.name: p for p in await self.plugins()}
        await self.post("search/installPlugin", {"sources": source.text})
        return await self._watch_install(name, before, expected, timeout, interval, None)

    async def _watch_install(
        self,
        name: str,
        before: dict[str, SearchPlugin],
        expected: str | None,
        timeout: float,
        interval: float,
        offer: FileOffer | None,
    ) -> InstallOutcome:
        old = before.get(name)
        deadline = time.monotonic() + timeout
        while True:
            plugin = next((p for p in await self.plugins() if p.name == name), None)
            # The server refuses a version that is not newer, so a listed new version is this file.
            if plugin is not None and (old is None or plugin.version != old.version):
                return InstallOutcome(name, plugin)
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(interval)
        return InstallOutcome(name, None, self._why_not(name, old, expected, offer))

    def _why_not(
        self, name: str, old: SearchPlugin | None, expected: str | None, offer: FileOffer | None
    ) -> str:
        if offer is not None and not offer.fetched:
            return (
                f"the server never fetched the file from {offer.url}: it may not run on this computer "
                "after all (a container, or another machine behind a tunnel)"
            )
        if old is not None and (expected is None or version_key(expected) <= version_key(old.version)):
            return (
                f"{name} {old.version} is installed already, and qBittorrent installs only a newer "
                "version: raise the '# VERSION:' line, or uninstall it first"
            )
        return (
            f"the server did not list {name} afterwards: the file is not a working search plugin, the "
            "server could not download it, or the server has no Python 3 (its log says which)"
        )

    # -- searching ------------------------------------------------------------------------------

    async def start(
        self, pattern: str, category: str = "all", plugins: Sequence[str] | str = "enabled"
    ) -> int:
        """Start a search; `plugins` is "enabled", "all" or plugin names. Returns the job id."""
        self.need("search")
        self.changing("searching")
        if not pattern.strip():
            raise errors.Rejected("type something to search for")
        names = plugins if isinstance(plugins, str) else "|".join(plugins)
        if not names:
            raise errors.Rejected("choose at least one plugin to search with")
        try:
            data = await self.post_json(
                "search/start", {"pattern": pattern, "category": category, "plugins": names}
            )
        except errors.Conflict as exc:
            if "Python" in str(exc):
                raise errors.Conflict(
                    "the server cannot search: qBittorrent runs its search plugins with Python 3 on the "
                    "server's machine, and finds none there (install python3 on the server)"
                ) from None
            raise
        job = data.get("id") if isinstance(data, Mapping) else None
        number = as_int(job, None)
        if number is None:
            raise errors.BadResponse("search/start: the answer holds no search id")
        return number

    async def jobs(self, job_id: int | None = None) -> list[SearchJob]:
        """Searches on the server: this session's up to 5.2, everyone's from 5.3 (WebAPI 2.16.1)."""
        self.need("search")
        params = {"id": job_id} if job_id is not None else None
        try:
            data = await self.get_json("search/status", params)
        except errors.NotFound:
            raise errors.NotFound(f"the server has no search {job_id}") from None
        return [SearchJob.from_raw(item) for item in json_list(data, "search/status")]

    async def results(self, job_id: int, offset: int = 0, limit: int = 0) -> SearchPage:
        """Results from `offset` on (all when limit is 0): poll with the count already shown."""
        self.need("search")
        params: dict[str, int] = {"id": job_id, "offset": offset}
        if limit > 0:
            params["limit"] = limit
        try:
            data = await self.get_json("search/results", params)
        except errors.NotFound:
            raise errors.NotFound(f"the server has no search {job_id} (any more)") from None
        if not isinstance(data, Mapping):
            raise errors.BadResponse("search/results: expected a JSON object")
        results = [SearchResult.from_raw(item) for item in json_list(data.get("results"), "search/results")]
        return SearchPage(
            results, as_str(data.get("status")) == "Running", max(as_int(data.get("total"), 0) or 0, 0)
        )

    async def stop(self, job_id: int) -> None:
        self.need("search")
        self.changing("stopping a search")
        await self.post("search/stop", {"id": job_id})

    async def delete(self, job_id: int) -> None:
        self.need("search")
        self.changing("deleting a search")
        await self.post("search/delete", {"id": job_id})

    @property
    def keeps_jobs(self) -> bool:
        """2.16.1 (5.3): searches belong to the server, say what they were, and outlive a session."""
        return self.has(2, 16, 1)

    @property
    def add_with_plugin(self) -> bool:
        """2.13.1 (5.3): torrents/add takes `downloader=<plugin>`, which fetches the result's link."""
        return self.has(2, 13, 1)


def engine_names(results: Sequence[SearchResult], plugins: Sequence[SearchPlugin]) -> None:
    """Servers before 5.0 do not say which plugin found a result: the plugin whose URL is the
    result's site is the one (as qBittorrent itself decides from 5.0 on)."""
    by_url = {p.url: p.name for p in plugins if p.url}
    for result in results:
        if not result.engine:
            result.engine = by_url.get(result.site_url, "")
