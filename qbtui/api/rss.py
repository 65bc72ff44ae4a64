"""RSS on WebAPI v2 (`rss/*`): feeds and folders, articles, and the auto-download rules.

Item paths use a backslash between segments (`Folder\\Sub\\Feed`, the root is ""); a feed's name is
its path's last segment, so renaming is moving. Rules name feeds by URL. `setRule` replaces a whole
rule (keys left out get defaults), so `RssRule.to_raw()` always writes all of it, keeping what the
server sent that qbtui does not edit.
"""

from __future__ import annotations

import email.utils
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from qbtui.api import errors
from qbtui.api.capability import Capability
from qbtui.api.coerce import as_bool, as_int, as_str
from qbtui.api.gates import needs_sentence
from qbtui.api.models import ServerInfo

SEP = "\\"

#: Content layouts a rule may set (None: the server's default).
CONTENT_LAYOUTS = ("Original", "Subfolder", "NoSubfolder")


def join_path(folder: str, name: str) -> str:
    return f"{folder}{SEP}{name}" if folder else name


def parent_of(path: str) -> str:
    return path.rpartition(SEP)[0]


def name_of(path: str) -> str:
    return path.rpartition(SEP)[2]


def path_problem(path: str) -> str | None:
    """Why the server would refuse `path` as an item path ("Incorrect RSS Item path"), or None."""
    if not path:
        return "give a name"
    if any(not part for part in path.split(SEP)):
        return "a path has no empty parts and does not start or end with a backslash"
    return None


def parse_date(text: str) -> float | None:
    """An RSS date ("02 Jan 2024 10:00:00 +0000", with or without a weekday) as Unix seconds."""
    if not text:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.timestamp()


# --------------------------------------------------------------------------------------------- items

_ARTICLE_KEYS = frozenset({"id", "title", "date", "torrentURL", "link", "description", "author", "isRead"})
_FEED_KEYS = frozenset(
    {"uid", "url", "title", "lastBuildDate", "isLoading", "hasError", "articles", "refreshInterval"}
)


@dataclass(slots=True)
class RssArticle:
    id: str
    title: str = ""
    #: As the server sends it: RFC 2822, e.g. "02 Jan 2024 10:00:00 +0000".
    date: str = ""
    #: The enclosure's .torrent, else a magnet link, else the article's link: what downloading adds.
    torrent_url: str = ""
    link: str = ""
    #: HTML as the feed wrote it: data to strip, never markup to render.
    description: str = ""
    author: str = ""
    is_read: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def timestamp(self) -> float | None:
        return parse_date(self.date)

    @classmethod
    def from_raw(cls, raw: object) -> RssArticle:
        if not isinstance(raw, Mapping):
            raw = {}
        return cls(
            id=as_str(raw.get("id")),
            title=as_str(raw.get("title")),
            date=as_str(raw.get("date")),
            torrent_url=as_str(raw.get("torrentURL")),
            link=as_str(raw.get("link")),
            description=as_str(raw.get("description")),
            author=as_str(raw.get("author")),
            # Present only once read.
            is_read=as_bool(raw.get("isRead"), False),
            extra={key: value for key, value in raw.items() if key not in _ARTICLE_KEYS},
        )


@dataclass(slots=True)
class RssFeed:
    path: str
    uid: str = ""
    url: str = ""
    title: str = ""
    last_build_date: str = ""
    is_loading: bool = False
    has_error: bool = False
    #: Seconds between refreshes of this feed (5.2+); None: the global interval.
    refresh_interval: int | None = None
    articles: list[RssArticle] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return name_of(self.path)

    @property
    def unread(self) -> int:
        return sum(not article.is_read for article in self.articles)

    @classmethod
    def from_raw(cls, path: str, raw: Mapping[str, Any]) -> RssFeed:
        interval = as_int(raw.get("refreshInterval"), None)
        articles = raw.get("articles")
        return cls(
            path=path,
            uid=as_str(raw.get("uid")),
            url=as_str(raw.get("url")),
            title=as_str(raw.get("title")),
            last_build_date=as_str(raw.get("lastBuildDate")),
            is_loading=as_bool(raw.get("isLoading")),
            has_error=as_bool(raw.get("hasError")),
            refresh_interval=interval if interval and interval > 0 else None,
            articles=[RssArticle.from_raw(a) for a in articles] if isinstance(articles, list) else [],
            extra={key: value for key, value in raw.items() if key not in _FEED_KEYS},
        )


@dataclass(slots=True)
class RssFolder:
    path: str = ""
    children: list[RssFolder | RssFeed] = field(default_factory=list)

    @property
    def name(self) -> str:
        return name_of(self.path)

    @property
    def unread(self) -> int:
        return sum(feed.unread for feed in self.feeds())

    def feeds(self) -> Iterator[RssFeed]:
        for child in self.children:
            if isinstance(child, RssFeed):
                yield child
            else:
                yield from child.feeds()

    def folders(self) -> Iterator[RssFolder]:
        """This folder and every folder under it, parents first."""
        yield self
        for child in self.children:
            if isinstance(child, RssFolder):
                yield from child.folders()

    def find(self, path: str) -> RssFolder | RssFeed | None:
        if path == self.path:
            return self
        for child in self.children:
            if child.path == path:
                return child
            if isinstance(child, RssFolder) and path.startswith(child.path + SEP):
                return child.find(path)
        return None

    def feed_by_url(self, url: str) -> RssFeed | None:
        return next((feed for feed in self.feeds() if feed.url == url), None)

    @classmethod
    def from_raw(cls, raw: object, path: str = "") -> RssFolder:
        folder = cls(path)
        if not isinstance(raw, Mapping):
            return folder
        for name, value in raw.items():
            if not isinstance(value, Mapping):
                continue
            child_path = join_path(path, str(name))
            # A feed carries its URL and uid as strings; a folder's values are all objects (a child
            # folder or feed could itself be called "url").
            if isinstance(value.get("url"), str) or isinstance(value.get("uid"), str):
                folder.children.append(RssFeed.from_raw(child_path, value))
            else:
                folder.children.append(cls.from_raw(value, child_path))
        return folder


# --------------------------------------------------------------------------------------------- rules

#: Keys of a rule the server keeps; the top-level copies of the add options come after them.
_RULE_KEYS = frozenset(
    {
        "enabled", "useRegex", "mustContain", "mustNotContain", "episodeFilter", "smartFilter",
        "affectedFeeds", "ignoreDays", "lastMatch", "previouslyMatchedEpisodes", "priority",
        "torrentParams", "savePath", "assignedCategory", "addPaused", "torrentContentLayout",
        "createSubfolder",
    }
)  # fmt: skip


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list):
        return tuple(as_str(item) for item in value if as_str(item))
    return ()


def _optional_bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _layout(value: object) -> str | None:
    text = as_str(value)
    return text if text in CONTENT_LAYOUTS else None


@dataclass(slots=True)
class RssRule:
    """An auto-download rule with every field qBittorrent has. Add options live at the top level up
    to 4.5 and in `torrentParams` from 4.6 (WebAPI 2.9.1), which alone has tags."""

    enabled: bool = True
    use_regex: bool = False
    must_contain: str = ""
    must_not_contain: str = ""
    episode_filter: str = ""
    smart_filter: bool = False
    #: Feed URLs.
    affected_feeds: tuple[str, ...] = ()
    #: Days after a match during which later articles are ignored; 0 = off.
    ignore_days: int = 0
    #: Set by the server (RFC 2822): when the rule last downloaded something.
    last_match: str = ""
    #: Set by the server: the episodes the smart filter has seen.
    previously_matched: tuple[str, ...] = ()
    priority: int = 0
    category: str = ""
    tags: tuple[str, ...] = ()
    save_path: str = ""
    #: None: the server's default.
    add_stopped: bool | None = None
    content_layout: str | None = None
    #: 4.6+: the server's add options as it sent them, so the ones qbtui does not edit survive.
    torrent_params: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_raw(cls, raw: object) -> RssRule:
        if not isinstance(raw, Mapping):
            raw = {}
        params = raw.get("torrentParams")
        rule = cls(
            enabled=as_bool(raw.get("enabled"), True),
            use_regex=as_bool(raw.get("useRegex")),
            must_contain=as_str(raw.get("mustContain")),
            must_not_contain=as_str(raw.get("mustNotContain")),
            episode_filter=as_str(raw.get("episodeFilter")),
            smart_filter=as_bool(raw.get("smartFilter")),
            affected_feeds=_strings(raw.get("affectedFeeds")),
            ignore_days=max(as_int(raw.get("ignoreDays"), 0) or 0, 0),
            last_match=as_str(raw.get("lastMatch")),
            previously_matched=_strings(raw.get("previouslyMatchedEpisodes")),
            priority=as_int(raw.get("priority"), 0) or 0,
            extra={key: value for key, value in raw.items() if key not in _RULE_KEYS},
        )
        if isinstance(params, Mapping):
            # 4.6+: torrentParams wins over the top-level copies, as on the server.
            rule.torrent_params = dict(params)
            rule.category = as_str(params.get("category"))
            rule.tags = _strings(params.get("tags"))
            rule.save_path = as_str(params.get("save_path"))
            rule.add_stopped = _optional_bool(params.get("stopped"))
            rule.content_layout = _layout(params.get("content_layout"))
        else:
            rule.category = as_str(raw.get("assignedCategory"))
            rule.save_path = as_str(raw.get("savePath"))
            rule.add_stopped = _optional_bool(raw.get("addPaused"))
            rule.content_layout = _layout(raw.get("torrentContentLayout"))
            if rule.content_layout is None and isinstance(raw.get("createSubfolder"), bool):
                rule.content_layout = "Original" if raw["createSubfolder"] else "NoSubfolder"
        return rule

    def to_raw(self, info: ServerInfo) -> dict[str, Any]:
        """The whole rule in the words of this server's version."""
        raw: dict[str, Any] = dict(self.extra)
        raw.update(
            {
                "enabled": self.enabled,
                "useRegex": self.use_regex,
                "mustContain": self.must_contain,
                "mustNotContain": self.must_not_contain,
                "episodeFilter": self.episode_filter,
                "smartFilter": self.smart_filter,
                "affectedFeeds": list(self.affected_feeds),
                "ignoreDays": self.ignore_days,
                "lastMatch": self.last_match,
                "previouslyMatchedEpisodes": list(self.previously_matched),
            }
        )
        if info.v2_at_least(2, 9, 1):
            raw["priority"] = self.priority
            raw["torrentParams"] = self._torrent_params()
        else:
            raw["savePath"] = self.save_path
            raw["assignedCategory"] = self.category
            raw["addPaused"] = self.add_stopped
            raw["torrentContentLayout"] = self.content_layout
        return raw

    def _torrent_params(self) -> dict[str, Any]:
        params = dict(self.torrent_params or {})
        params["category"] = self.category
        params["tags"] = list(self.tags)
        params["save_path"] = self.save_path
        if self.save_path:
            # The server does not turn automatic management off by itself here (the WebUI sends it).
            params["use_auto_tmm"] = False
        elif (self.torrent_params or {}).get("save_path") and params.get("use_auto_tmm") is False:
            params.pop("use_auto_tmm")  # qbtui turned it off with the path it no longer has
        for key, value in (("stopped", self.add_stopped), ("content_layout", self.content_layout)):
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return params

    def copy_for_clone(self) -> RssRule:
        """What cloneRule makes: disabled, with what the server learned from matches cleared."""
        return replace(
            self,
            enabled=False,
            last_match="",
            previously_matched=(),
            tags=tuple(self.tags),
            torrent_params=dict(self.torrent_params) if self.torrent_params is not None else None,
            extra=dict(self.extra),
        )


# --------------------------------------------------------------------------------------------- service


class RssApi(Capability):
    """Every rss/* endpoint, one method per user intent."""

    NAME = "RSS"
    SINCE = (2, 0)

    # -- reading --------------------------------------------------------------------------------

    async def items(self, with_data: bool = True) -> RssFolder:
        self.need("RSS")
        return RssFolder.from_raw(await self.get_json("rss/items", {"withData": with_data}))

    async def rules(self) -> dict[str, RssRule]:
        self.need("RSS")
        data = await self.get_json("rss/rules")
        if not isinstance(data, Mapping):
            return {}
        return {str(name): RssRule.from_raw(raw) for name, raw in data.items()}

    async def matching_articles(self, rule_name: str) -> dict[str, list[str]]:
        """{feed name: [article titles]} the saved rule matches (its `enabled` is ignored)."""
        self.need("matching articles", 2, 5, 1)
        data = await self.get_json("rss/matchingArticles", {"ruleName": rule_name})
        if not isinstance(data, Mapping):
            return {}
        return {
            str(feed): [as_str(title) for title in titles]
            for feed, titles in data.items()
            if isinstance(titles, list)
        }

    async def server_qt(self) -> tuple[int, ...]:
        """The server's Qt version (app/buildInfo, 4.2+): rule wildcards follow its rules. (6, 8) when
        it does not say."""
        if self.has(2, 3):
            data = await self.get_json("app/buildInfo")
            text = as_str(data.get("qt")) if isinstance(data, Mapping) else ""
            parts = tuple(as_int(part, None) for part in text.split(".")[:3])
            if parts and all(isinstance(part, int) for part in parts):
                return parts  # type: ignore[return-value]
        return (6, 8)

    # -- feeds and folders ----------------------------------------------------------------------

    async def add_folder(self, path: str) -> None:
        self.need("RSS")
        self.changing("adding an RSS folder")
        await self.post("rss/addFolder", {"path": path})

    async def add_feed(self, url: str, path: str = "", refresh_interval: int | None = None) -> None:
        """`path` empty: the server names the feed after its URL. `refresh_interval` in seconds (5.2+)."""
        self.need("RSS")
        if refresh_interval is not None:
            self.need("a feed's own refresh interval", 2, 11, 5)
        self.changing("adding an RSS feed")
        form: dict[str, str | int] = {"url": url, "path": path}
        if refresh_interval is not None:
            form["refreshInterval"] = refresh_interval
        await self.post("rss/addFeed", form)

    async def set_feed_url(self, path: str, url: str) -> None:
        self.need("changing a feed's URL", 2, 9, 1)
        self.changing("changing a feed's URL")
        await self.post("rss/setFeedURL", {"path": path, "url": url})

    async def set_feed_refresh_interval(self, path: str, seconds: int) -> None:
        """0: the server's global interval."""
        self.need("a feed's own refresh interval", 2, 11, 5)
        self.changing("setting a feed's refresh interval")
        await self.post("rss/setFeedRefreshInterval", {"path": path, "refreshInterval": max(seconds, 0)})

    async def remove_item(self, path: str) -> None:
        self.need("RSS")
        self.changing("removing an RSS item")
        if not path:
            raise errors.Rejected("the root folder cannot be removed")
        await self.post("rss/removeItem", {"path": path})

    async def move_item(self, path: str, destination: str) -> None:
        """Move or rename: `destination` is the item's whole new path."""
        self.need("RSS")
        self.changing("moving an RSS item")
        await self.post("rss/moveItem", {"itemPath": path, "destPath": destination})

    async def refresh_item(self, path: str = "") -> None:
        """A feed, or every feed under a folder ("" = all), even with RSS processing off."""
        self.need("refreshing feeds", 2, 2)
        self.changing("refreshing feeds")
        try:
            await self.post("rss/refreshItem", {"itemPath": path})
        except errors.NotFound:
            # 4.1.5 - 4.1.7 report the same WebAPI version (2.2.0) as 4.1.8, which brought refreshItem;
            # an unknown item is not a 404 (the server answers 200 and does nothing).
            raise errors.NotSupported(
                needs_sentence("refreshing feeds", (2, 2), self.info, "4.1.8")
            ) from None

    async def mark_as_read(self, path: str, article_id: str | None = None) -> None:
        """One article of a feed, or every article under a feed or folder."""
        self.need("marking articles read", 2, 5, 1)
        self.changing("marking articles read")
        form = {"itemPath": path}
        if article_id is not None:
            form["articleId"] = article_id
        await self.post("rss/markAsRead", form)

    # -- rules ----------------------------------------------------------------------------------

    async def set_rule(self, name: str, rule: RssRule) -> None:
        """Create or replace the whole rule."""
        self.need("RSS")
        self.changing("saving an auto-download rule")
        if not name.strip():
            raise errors.Rejected("a rule needs a name")
        if rule.tags:
            self.need("tags in an auto-download rule", 2, 9, 1)
        await self.post("rss/setRule", {"ruleName": name, "ruleDef": json.dumps(rule.to_raw(self.info))})

    async def rename_rule(self, name: str, new_name: str) -> None:
        """The server answers 200 whatever happens: the rules are read back to tell."""
        self.need("RSS")
        self.changing("renaming an auto-download rule")
        rules = await self.rules()
        if name not in rules:
            raise errors.Rejected(f"there is no rule called {name!r}")
        if new_name in rules:
            raise errors.Conflict(f"a rule called {new_name!r} exists already")
        await self.post("rss/renameRule", {"ruleName": name, "newRuleName": new_name})
        if new_name not in await self.rules():
            raise errors.Rejected(f"the server did not rename {name!r}")

    async def remove_rule(self, name: str) -> None:
        self.need("RSS")
        self.changing("removing an auto-download rule")
        await self.post("rss/removeRule", {"ruleName": name})

    async def clone_rule(self, name: str, clone_name: str) -> None:
        """A disabled copy. cloneRule on 2.15.4+; older servers get the copy written by qbtui."""
        self.need("RSS")
        self.changing("cloning an auto-download rule")
        rules = await self.rules()
        if name not in rules:
            raise errors.Rejected(f"there is no rule called {name!r}")
        if clone_name in rules:
            raise errors.Conflict(f"a rule called {clone_name!r} exists already")
        if self.has(2, 15, 4):
            await self.post("rss/cloneRule", {"sourceName": name, "cloneName": clone_name})
        else:
            await self.set_rule(clone_name, rules[name].copy_for_clone())
        if clone_name not in await self.rules():
            raise errors.Rejected(f"the server did not clone {name!r}")
