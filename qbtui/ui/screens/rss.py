"""The RSS screen (N): feeds and folders as a tree, the articles of what is highlighted, and the
highlighted article's description as plain text.

Everything here is the server's (qBittorrent fetches the feeds and keeps the articles and their read
state): the screen reads `rss/items` every few seconds while it is open and acts through
`qbtui.api.rss.RssApi`. Keys act on the marked articles, or else the highlighted one, like the
torrent list's; removing, and marking a whole feed or folder read (which cannot be undone), ask
first. `w` opens the auto-download rules.
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static, Tree
from textual.widgets.tree import TreeNode

from qbtui.api import errors
from qbtui.api.rss import SEP, RssApi, RssArticle, RssFeed, RssFolder, join_path, name_of, parent_of
from qbtui.ui.screens.dialogs import ConfirmDialog, PickOne, TextPrompt, confirm_then, names_list
from qbtui.ui.screens.feature_screen import FeatureScreen, dim, open_add_dialog
from qbtui.ui.screens.rss_dialogs import (
    RSS_PREFERENCES,
    FeedDialog,
    NewFeed,
    RssSettingsDialog,
    minutes,
    shown_path,
)
from qbtui.ui.text import fit, safe, safe_lines
from qbtui.ui.widgets.key_footer import KeyFooter
from qbtui.ui.workers import background
from qbtui.util import format as fmt
from qbtui.util.html_text import html_to_text

#: Seconds between reads of the feeds while the screen is open (faster while one is loading).
REFRESH_SECONDS = 10.0
LOADING_REFRESH_SECONDS = 2.0

ArticleRef = tuple[RssFeed, RssArticle]


def article_key(feed: RssFeed, article: RssArticle) -> str:
    return f"{feed.path}\x1f{article.id}"


def articles_under(item: RssFolder | RssFeed | None) -> list[ArticleRef]:
    """A feed's articles, or those of every feed under a folder, newest first."""
    if item is None:
        return []
    feeds = [item] if isinstance(item, RssFeed) else list(item.feeds())
    found = [(feed, article) for feed in feeds for article in feed.articles]
    return sorted(found, key=lambda ref: ref[1].timestamp or 0.0, reverse=True)


def article_date(article: RssArticle, short: bool = False) -> str:
    when = article.timestamp
    if when is None:
        return "?"
    return time.strftime("%m-%d %H:%M" if short else "%Y-%m-%d %H:%M", time.localtime(when))


#: Widths of the articles table's date and feed columns, wide and narrow (each column also has 2
#: cells of padding). The title gets what is left, so a long one ends with … instead of scrolling
#: sideways; below NARROW the date loses its year and the feed name shrinks.
DATE_WIDTH, SHORT_DATE_WIDTH = 16, 11
FEED_WIDTH, SHORT_FEED_WIDTH = 18, 12
NARROW = 80


def feed_label(item: RssFolder | RssFeed) -> Text:
    name = "All feeds" if not item.path else safe(item.name)
    label = Text(name, style="bold" if item.unread else "")
    if item.unread:
        label.append(f" ({item.unread})", style="bold")
    if isinstance(item, RssFeed):
        if item.is_loading:
            label.append(" ⟳", style="dim")
        if item.has_error:
            label.append(" ⚠ failed", style="bold red")
    return label


def describe_article(feed: RssFeed, article: RssArticle) -> Text:
    """Title, date, links and the description's text: all of it data, none of it markup."""
    text = Text()
    text.append(safe(article.title) or "(no title)", style="bold")
    text.append("\n")
    meta = [article_date(article), safe(feed.name)]
    if article.author:
        meta.append(safe(article.author))
    if article.is_read:
        meta.append("read")
    text.append(" · ".join(meta), style="dim")
    text.append("\n")
    if article.torrent_url:
        text.append("Torrent ", style="dim")
        text.append(safe(article.torrent_url))
        text.append("\n")
    if article.link and article.link != article.torrent_url:
        text.append("Link    ", style="dim")
        text.append(safe(article.link))
        text.append("\n")
    body = html_to_text(article.description)
    text.append("\n")
    text.append(safe_lines(body) if body else "(no description)", style="" if body else "dim")
    return text


class RssScreen(FeatureScreen[None]):
    READY_AT_ONCE = False

    DEFAULT_CSS = """
    RssScreen { layout: vertical; }
    RssScreen #rss-title { height: 1; padding: 0 1; text-style: bold; background: $panel; }
    RssScreen #rss-body { height: 1fr; }
    RssScreen #rss-tree { width: 34%; min-width: 24; border-right: vkey $foreground 20%; }
    RssScreen #rss-right { width: 1fr; }
    RssScreen #rss-articles { height: 55%; }
    RssScreen #rss-article-box { height: 1fr; border-top: hkey $foreground 25%; padding: 0 1; }
    RssScreen #rss-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    RssScreen #rss-missing { padding: 1 2; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="rss.close"),
        Binding("a", "add_feed", "Add feed", id="rss.add-feed"),
        Binding("F", "add_folder", "New folder", show=False, id="rss.add-folder"),
        Binding("n", "rename", "Rename", show=False, id="rss.rename"),
        Binding("m", "move", "Move", show=False, id="rss.move"),
        Binding("d,delete", "remove", "Remove", show=False, id="rss.remove"),
        Binding("u", "refresh", "Refresh", id="rss.refresh"),
        Binding("U", "refresh_all", "Refresh all", show=False, id="rss.refresh-all"),
        Binding("e", "edit_url", "Feed URL", show=False, id="rss.edit-url"),
        Binding("i", "interval", "Refresh interval", show=False, id="rss.interval"),
        Binding("r", "mark_read", "Mark read", id="rss.mark-read"),
        Binding("space", "mark", "Mark", show=False, id="rss.mark"),
        Binding("t", "download", "Download", id="rss.download"),
        Binding("w", "rules", "Rules", id="rss.rules"),
        Binding("o", "settings", "Settings", show=False, id="rss.settings"),
    ]
    CHANGING = frozenset(
        {
            "add_feed", "add_folder", "rename", "move", "remove", "refresh", "refresh_all", "edit_url",
            "interval", "mark_read", "download", "settings",
        }
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.root: RssFolder | None = None
        self.rss: RssApi | None = None
        #: The highlighted tree item's path ("" = every feed).
        self.selected = ""
        #: Marked articles (article_key), of any feed.
        self.marked: set[str] = set()
        self.preferences: dict[str, Any] = {}
        self._shown_articles: list[ArticleRef] = []
        self._tree_shape: tuple[tuple[str, bool], ...] = ()
        self._table_shape: tuple[object, ...] = ()
        self._next_load = 0.0

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Text("RSS"), id="rss-title")
        with Horizontal(id="rss-body"):
            tree: Tree[str] = Tree(Text("All feeds"), data="", id="rss-tree")
            tree.show_root = True
            tree.auto_expand = False
            yield tree
            with Vertical(id="rss-right"):
                yield DataTable(id="rss-articles", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="rss-article-box"):
                    yield Static("", id="rss-article")
        yield Static("", id="rss-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        api = self.api
        if api is None:
            self._missing("Not connected to a server.")
            return
        self.rss = RssApi(api)
        if reason := self.rss.missing():
            self._missing(reason)
            return
        self.query_one(Tree).focus()
        self.load()
        self.set_interval(1.0, self._tick)

    def _missing(self, reason: str) -> None:
        self.query_one("#rss-body").display = False
        self.query_one("#rss-status", Static).update(Text(reason))
        self.query_one("#rss-title", Static).update(Text("RSS is not available"))
        self.ready()

    def _tick(self) -> None:
        if time.monotonic() >= self._next_load:
            self.load()

    # -- loading --------------------------------------------------------------------------------

    @background(group="rss-load", exclusive=True)
    async def load(self) -> None:
        rss = self.rss
        if rss is None:
            return
        self._next_load = time.monotonic() + REFRESH_SECONDS
        try:
            root = await rss.items()
            if not self.preferences and self.api is not None:
                values = (await self.api.preferences()).values
                self.preferences = {k: values[k] for k in RSS_PREFERENCES if k in values}
        except errors.QbtError as exc:
            self.query_one("#rss-status", Static).update(Text(f"Cannot read the feeds: {exc}"))
            self.ready()
            return
        self.root = root
        if any(feed.is_loading for feed in root.feeds()):
            self._next_load = time.monotonic() + LOADING_REFRESH_SECONDS
        self._show()
        self.ready()

    def _show(self) -> None:
        root = self.root
        if root is None:
            return
        if root.find(self.selected) is None:
            self.selected = parent_of(self.selected) if root.find(parent_of(self.selected)) else ""
        self._show_tree(root)
        self._show_articles()
        feeds = list(root.feeds())
        title = Text("RSS", style="bold")
        title.append(f"  {fmt.plural(len(feeds), 'feed')} · {root.unread} unread", style="")
        self.query_one("#rss-title", Static).update(title)
        self.query_one("#rss-status", Static).update(self._status_text())

    def _status_text(self) -> Text:
        prefs = self.preferences
        if not prefs:
            return Text("")
        if prefs.get("rss_processing_enabled"):
            fetching = f"fetching every {prefs.get('rss_refresh_interval', '?')} min"
        else:
            fetching = "no timer (u refreshes)"
        auto = "on" if prefs.get("rss_auto_downloading_enabled") else "off"
        return Text(f"{fetching} · auto-download {auto} · o settings · w rules · ? keys")

    def _show_tree(self, root: RssFolder) -> None:
        tree: Tree[str] = self.query_one(Tree)
        shape = tuple((folder.path, True) for folder in root.folders()) + tuple(
            (feed.path, False) for feed in root.feeds()
        )
        nodes: dict[str, TreeNode[str]] = {}
        if shape != self._tree_shape:
            # Folders stay as the user left them; new ones open.
            known = {path for path, _ in self._tree_shape}
            collapsed = {node.data or "" for node in self._all_nodes(tree) if not node.is_expanded}
            self._tree_shape = shape
            tree.clear()
            tree.root.data = ""
            self._add_branch(tree.root, root, collapsed & known)
        for node in self._all_nodes(tree):
            item = root.find(node.data or "")
            if item is not None:
                node.set_label(feed_label(item))
            nodes[node.data or ""] = node
        wanted = nodes.get(self.selected)
        if wanted is not None and tree.cursor_node is not wanted:
            tree.move_cursor(wanted)

    def _add_branch(self, node: TreeNode[str], folder: RssFolder, collapsed: set[str]) -> None:
        for child in sorted(folder.children, key=lambda c: (isinstance(c, RssFeed), c.name.casefold())):
            if isinstance(child, RssFolder):
                sub = node.add(feed_label(child), data=child.path, expand=child.path not in collapsed)
                self._add_branch(sub, child, collapsed)
            else:
                node.add_leaf(feed_label(child), data=child.path)
        if folder.path not in collapsed:
            node.expand()

    @staticmethod
    def _all_nodes(tree: Tree[str]) -> list[TreeNode[str]]:
        found, pending = [], [tree.root]
        while pending:
            node = pending.pop()
            found.append(node)
            pending.extend(node.children)
        return found

    def _show_articles(self) -> None:
        root = self.root
        item = root.find(self.selected) if root is not None else None
        refs = articles_under(item)
        self._shown_articles = refs
        # Marks belong to the list on screen.
        self.marked &= {article_key(f, a) for f, a in refs}
        table: DataTable[Text] = self.query_one("#rss-articles", DataTable)
        # The feed's name only where several feeds' articles mix.
        several = len({f.path for f, _ in refs}) > 1
        short = table.size.width < NARROW
        date_width = SHORT_DATE_WIDTH if short else DATE_WIDTH
        feed_width = SHORT_FEED_WIDTH if short else FEED_WIDTH
        # Less the mark column, the date, the vertical scrollbar and every column's padding.
        title_width = max(table.size.width - (1 + 2) - (date_width + 2) - 2 - 2, 12)
        if several:
            title_width = max(title_width - feed_width - 2, 12)
        rows = [(article_key(f, a), a.is_read, article_key(f, a) in self.marked) for f, a in refs]
        shape = (several, title_width, *rows)
        if shape == self._table_shape:
            self._show_article()
            return
        self._table_shape = shape
        cursor_key = self._cursor_key()
        table.clear(columns=True)
        table.add_column(Text(" "), key="mark", width=1)
        table.add_column(Text("Date"), key="date", width=date_width)
        table.add_column(Text("Title"), key="title", width=title_width)
        if several:
            table.add_column(Text("Feed"), key="feed", width=feed_width)
        for feed, article in refs:
            key = article_key(feed, article)
            style = "dim" if article.is_read else "bold"
            cells = [
                Text("✓" if key in self.marked else ("•" if not article.is_read else " ")),
                Text(article_date(article, short), style=style),
                Text(fit(safe(article.title) or "(no title)", title_width).rstrip(), style=style),
            ]
            if several:
                cells.append(Text(fit(safe(feed.name), feed_width).rstrip(), style="dim"))
            table.add_row(*cells, key=key)
        keys = [article_key(f, a) for f, a in refs]
        if cursor_key in keys:
            table.move_cursor(row=keys.index(cursor_key), animate=False)
        self._show_article()

    def _cursor_key(self) -> str | None:
        table: DataTable[Text] = self.query_one("#rss-articles", DataTable)
        if not table.row_count or not self._shown_articles:
            return None
        index = min(table.cursor_row, len(self._shown_articles) - 1)
        feed, article = self._shown_articles[index]
        return article_key(feed, article)

    def highlighted(self) -> ArticleRef | None:
        table: DataTable[Text] = self.query_one("#rss-articles", DataTable)
        if not table.row_count or not self._shown_articles:
            return None
        return self._shown_articles[min(table.cursor_row, len(self._shown_articles) - 1)]

    def _show_article(self) -> None:
        ref = self.highlighted()
        box = self.query_one("#rss-article", Static)
        if ref is None:
            box.update(dim("No article here." if self.root is not None else "Loading…"))
            return
        box.update(describe_article(*ref))

    @on(Tree.NodeHighlighted)
    def _item_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        path = event.node.data or ""
        if path != self.selected:
            self.selected = path
            self._table_shape = ()
            self._show_articles()

    def on_resize(self) -> None:
        if self.root is not None:
            self.call_after_refresh(self._show_articles)

    @on(DataTable.RowHighlighted, "#rss-articles")
    def _article_highlighted(self) -> None:
        self._show_article()

    @on(DataTable.RowSelected, "#rss-articles")
    def _article_chosen(self) -> None:
        self.action_download()

    # -- what a key acts on ---------------------------------------------------------------------

    def item(self) -> RssFolder | RssFeed | None:
        return self.root.find(self.selected) if self.root is not None else None

    def folder_for_new(self) -> str:
        item = self.item()
        if isinstance(item, RssFeed):
            return parent_of(item.path)
        return item.path if item is not None else ""

    def chosen_articles(self) -> list[ArticleRef]:
        """The marked articles, or else the highlighted one."""
        if self.marked:
            return [(f, a) for f, a in self._shown_articles if article_key(f, a) in self.marked]
        ref = self.highlighted()
        return [ref] if ref is not None else []

    def _articles_focused(self) -> bool:
        return self.focused is self.query_one("#rss-articles")

    def _gate(self, what: str, *version: int) -> bool:
        rss = self.rss
        if rss is None:
            return False
        if version and not rss.has(*version):
            self.toast(rss.lacks(what, *version), title="Not on this server", severity="warning")
            return False
        return True

    # -- actions --------------------------------------------------------------------------------

    def action_close(self) -> None:
        self.close_asking(None)

    def _after(self, message: str | None = None) -> None:
        if message:
            self.toast(message)
        self.load()

    def action_add_feed(self) -> None:
        rss = self.rss
        if rss is None:
            return

        def chosen(feed: NewFeed | None) -> None:
            if feed is not None:
                self._add_feed(feed)

        self.app.push_screen(FeedDialog(self.folder_for_new(), with_interval=rss.has(2, 11, 5)), chosen)

    @background(group="rss-act")
    async def _add_feed(self, feed: NewFeed) -> None:
        rss = self.rss
        assert rss is not None
        if await self.attempt(
            "Adding the feed", lambda: rss.add_feed(feed.url, feed.path, feed.refresh_interval)
        ):
            if feed.path:
                self.selected = feed.path
            # Fetched at once even when RSS processing is off.
            await self.attempt("Refreshing the feed", lambda: rss.refresh_item(feed.path or feed.url))
            self._after(f"Added the feed {shown_path(feed.path or feed.url)}")

    def action_add_folder(self) -> None:
        if self.rss is None:
            return
        parent = self.folder_for_new()

        def chosen(name: str | None) -> None:
            if name:
                path = join_path(parent, name.strip())
                self.selected = path
                self._run("Adding the folder", lambda rss: rss.add_folder(path), f"Added {shown_path(path)}")

        self.app.push_screen(
            TextPrompt(
                f"New folder in {shown_path(parent)}",
                validate=lambda v: "give a name" if not v.strip() else ("no backslash" if SEP in v else None),
            ),
            chosen,
        )

    def _run(self, what: str, act: Any, done: str | None = None) -> None:
        rss = self.rss
        if rss is not None:
            self._act(what, act, done)

    @background(group="rss-act")
    async def _act(self, what: str, act: Any, done: str | None) -> None:
        rss = self.rss
        assert rss is not None
        if await self.attempt(what, lambda: act(rss)):
            self._after(done)

    def action_rename(self) -> None:
        item = self.item()
        if item is None or not item.path:
            self.toast("Highlight a feed or a folder to rename", severity="warning")
            return
        old = item.path

        def chosen(name: str | None) -> None:
            if name and name.strip() != item.name:
                new = join_path(parent_of(old), name.strip())
                self.selected = new
                self._run("Renaming", lambda rss: rss.move_item(old, new), f"Renamed to {safe(name.strip())}")

        self.app.push_screen(
            TextPrompt(
                f"Rename {shown_path(old)}",
                item.name,
                validate=lambda v: "give a name" if not v.strip() else ("no backslash" if SEP in v else None),
            ),
            chosen,
        )

    def action_move(self) -> None:
        item, root = self.item(), self.root
        if item is None or root is None or not item.path:
            self.toast("Highlight a feed or a folder to move", severity="warning")
            return
        old = item.path
        targets = [
            (folder.path, shown_path(folder.path))
            for folder in root.folders()
            if folder.path != old and not folder.path.startswith(old + SEP)
        ]

        def chosen(folder: str | None) -> None:
            if folder is None or folder == parent_of(old):
                return
            new = join_path(folder, name_of(old))
            self.selected = new
            self._run("Moving", lambda rss: rss.move_item(old, new), f"Moved to {shown_path(folder)}")

        self.app.push_screen(PickOne(f"Move {shown_path(old)} to", targets, current=parent_of(old)), chosen)

    def action_remove(self) -> None:
        item = self.item()
        if item is None or not item.path:
            self.toast("Highlight a feed or a folder to remove", severity="warning")
            return
        path = item.path
        if isinstance(item, RssFeed):
            title = f"Remove the feed {shown_path(path)}?"
            body = Text(f"{safe(item.url)}\n\n")
            body.append(
                f"Its {fmt.plural(len(item.articles), 'article')} go with it. "
                "Rules that name its URL keep it.",
                style="bold",
            )
        else:
            feeds = [f.path for f in item.feeds()]
            title = f"Remove the folder {shown_path(path)}?"
            body = names_list([shown_path(p) for p in feeds]) if feeds else Text("It is empty.\n")
            body.append(f"{fmt.plural(len(feeds), 'feed')} and their articles go with it.", style="bold")

        confirm_then(
            self,
            ConfirmDialog(title, body, "Remove", danger=True),
            lambda: self._run("Removing", lambda rss: rss.remove_item(path), f"Removed {shown_path(path)}"),
        )

    def action_refresh(self) -> None:
        if not self._gate("refreshing feeds", 2, 2):
            return
        path = self.selected
        self._run("Refreshing", lambda rss: rss.refresh_item(path), f"Refreshing {shown_path(path)}")

    def action_refresh_all(self) -> None:
        if not self._gate("refreshing feeds", 2, 2):
            return
        self._run("Refreshing", lambda rss: rss.refresh_item(""), "Refreshing every feed")

    def action_edit_url(self) -> None:
        item = self.item()
        if not isinstance(item, RssFeed):
            self.toast("Highlight a feed to change its URL", severity="warning")
            return
        if not self._gate("changing a feed's URL", 2, 9, 1):
            return
        path = item.path

        def chosen(url: str | None) -> None:
            if url and url.strip() != item.url:
                self._run("Changing the URL", lambda rss: rss.set_feed_url(path, url.strip()), "URL changed")

        self.app.push_screen(
            TextPrompt(
                f"URL of {shown_path(path)}",
                item.url,
                hint="Rules that name the old URL follow the change.",
                validate=lambda v: None if v.strip() else "give a URL",
            ),
            chosen,
        )

    def action_interval(self) -> None:
        item = self.item()
        if not isinstance(item, RssFeed):
            self.toast("Highlight a feed to set how often it refreshes", severity="warning")
            return
        if not self._gate("a feed's own refresh interval", 2, 11, 5):
            return
        path = item.path
        current = str(item.refresh_interval // 60) if item.refresh_interval else ""

        def check(text: str) -> str | None:
            try:
                minutes(text, "refresh interval")
            except ValueError as exc:
                return str(exc)
            return None

        def chosen(text: str | None) -> None:
            if text is None:
                return
            seconds = (minutes(text, "refresh interval") or 0) * 60
            said = f"every {seconds // 60} min" if seconds else "the server's interval"
            self._run(
                "Setting the interval",
                lambda rss: rss.set_feed_refresh_interval(path, seconds),
                f"{shown_path(path)} refreshes {said}",
            )

        self.app.push_screen(
            TextPrompt(
                f"Refresh {shown_path(path)} every (minutes)",
                current,
                hint="Empty or 0: the server's interval for all feeds.",
                validate=check,
            ),
            chosen,
        )

    def action_mark(self) -> None:
        ref = self.highlighted()
        if ref is None:
            return
        key = article_key(*ref)
        self.marked.symmetric_difference_update({key})
        self._table_shape = ()
        table: DataTable[Text] = self.query_one("#rss-articles", DataTable)
        row = table.cursor_row
        self._show_articles()
        table.move_cursor(row=min(row + 1, table.row_count - 1), animate=False)

    def action_mark_read(self) -> None:
        if not self._gate("marking articles read", 2, 5, 1):
            return
        if self._articles_focused() or self.marked:
            refs = [(f, a) for f, a in self.chosen_articles() if not a.is_read]
            if not refs:
                self.toast("Already read")
                return
            self.marked.clear()
            self._mark_articles(refs)
            return
        item = self.item()
        if item is None or not item.unread:
            self.toast("Nothing unread here")
            return
        path, count = item.path, item.unread

        confirm_then(
            self,
            ConfirmDialog(
                f"Mark {fmt.plural(count, 'unread article')} of {shown_path(path)} read?",
                "qBittorrent has no way to mark them unread again.",
                "Mark read",
            ),
            lambda: self._run("Marking read", lambda rss: rss.mark_as_read(path), f"Marked {count} read"),
        )

    @background(group="rss-act")
    async def _mark_articles(self, refs: list[ArticleRef]) -> None:
        rss = self.rss
        assert rss is not None
        for feed, article in refs:
            if not await self.attempt("Marking read", partial(rss.mark_as_read, feed.path, article.id)):
                break
        self._after(f"Marked {fmt.plural(len(refs), 'article')} read")

    def action_download(self) -> None:
        refs = self.chosen_articles()
        links = [a.torrent_url for _, a in refs if a.torrent_url]
        if not links:
            self.toast("No article with a torrent link here", severity="warning")
            return
        self.marked.clear()
        self._table_shape = ()
        self._show_articles()
        open_add_dialog(self, links)

    def action_rules(self) -> None:
        from qbtui.ui.screens.rss_rules import RulesScreen

        if self.rss is None or self.root is None:
            return
        self.app.push_screen(RulesScreen(self.rss, self.root, self.preferences))

    def action_settings(self) -> None:
        if not self.preferences:
            self.toast("The server's RSS settings are not loaded yet", severity="warning")
            return

        def chosen(changes: dict[str, Any] | None) -> None:
            if changes:
                self._save_settings(changes)

        self.app.push_screen(RssSettingsDialog(dict(self.preferences)), chosen)

    @background(group="rss-act")
    async def _save_settings(self, changes: dict[str, Any]) -> None:
        api = self.api
        if api is None:
            return
        if await self.attempt("Saving the RSS settings", lambda: api.set_preferences(changes)):
            self.preferences.update(changes)
            self._after("RSS settings saved")
