"""The auto-download rules (w in the RSS screen): the list, what the highlighted rule matches now,
and new / edit / enable / rename / clone / remove.

Every change sends whole rules (setRule replaces a rule); enabling a rule that would download at once
asks first, and removing asks. Clone uses the server's cloneRule from 5.3 (WebAPI 2.15.4) and
otherwise writes the copy itself, disabled like the server's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from qbtui.api import errors
from qbtui.api.rss import RssApi, RssFolder, RssRule
from qbtui.model.rss_match import MatchSettings, RulePatternError, matching
from qbtui.ui.screens.dialogs import ConfirmDialog, TextPrompt, confirm_then
from qbtui.ui.screens.feature_screen import FeatureScreen, dim
from qbtui.ui.screens.rss_dialogs import shown_path
from qbtui.ui.services import services
from qbtui.ui.text import fit, safe
from qbtui.ui.widgets.key_footer import KeyFooter
from qbtui.ui.workers import background
from qbtui.util import format as fmt


class RulesScreen(FeatureScreen[None]):
    READY_AT_ONCE = False

    DEFAULT_CSS = """
    RulesScreen { layout: vertical; }
    RulesScreen #rules-title { height: 1; padding: 0 1; text-style: bold; background: $panel; }
    RulesScreen #rules-body { height: 1fr; }
    RulesScreen #rules-table { width: 55%; }
    RulesScreen #rules-preview-box { width: 1fr; border-left: vkey $foreground 20%; padding: 0 1; }
    RulesScreen #rules-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="rules.close"),
        Binding("n", "new", "New rule", id="rules.new"),
        Binding("e", "edit", "Edit", id="rules.edit"),
        Binding("space", "switch", "Enable/disable", id="rules.toggle"),
        Binding("r", "rename", "Rename", show=False, id="rules.rename"),
        Binding("c", "clone", "Clone", show=False, id="rules.clone"),
        Binding("d,delete", "remove", "Remove", id="rules.remove"),
    ]
    CHANGING = frozenset({"new", "edit", "switch", "rename", "clone", "remove"})

    def __init__(self, rss: RssApi, root: RssFolder, preferences: dict[str, Any]) -> None:
        super().__init__()
        self.rss, self.root = rss, root
        self.preferences = preferences
        self.rules: dict[str, RssRule] = {}
        self.settings = MatchSettings.from_preferences(preferences)
        #: Whether the server's Qt version (its wildcards) has been asked for.
        self._asked_qt = False

    def compose(self) -> ComposeResult:
        yield Static(Text("Auto-download rules"), id="rules-title")
        with Horizontal(id="rules-body"):
            table: DataTable[Text] = DataTable(id="rules-table", cursor_type="row", zebra_stripes=True)
            table.add_column(Text("On"), key="on", width=2)
            table.add_column(Text("Rule"), key="name")
            table.add_column(Text("Feeds"), key="feeds", width=5)
            table.add_column(Text("Must contain"), key="must")
            yield table
            with VerticalScroll(id="rules-preview-box"):
                yield Static("", id="rules-preview")
        yield Static("", id="rules-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    @property
    def auto_downloading(self) -> bool:
        return bool(self.preferences.get("rss_auto_downloading_enabled"))

    @background(group="rules-load", exclusive=True)
    async def load(self, select: str | None = None) -> None:
        try:
            self.rules = await self.rss.rules()
            self.root = await self.rss.items()
            if not self._asked_qt:
                self.settings = MatchSettings.from_preferences(self.preferences, await self.rss.server_qt())
                self._asked_qt = True
        except errors.QbtError as exc:
            self.query_one("#rules-status", Static).update(Text(f"Cannot read the rules: {exc}"))
            self.ready()
            return
        self._show(select)
        self.ready()

    def _show(self, select: str | None = None) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        current = select or self.highlighted_name()
        table.clear()
        names = sorted(self.rules, key=str.casefold)
        for name in names:
            rule = self.rules[name]
            table.add_row(
                Text("✓" if rule.enabled else " "),
                Text(safe(name), style="" if rule.enabled else "dim"),
                Text(str(len(rule.affected_feeds))),
                Text(fit(safe(rule.must_contain), 40).rstrip(), style="dim"),
                key=name,
            )
        if current in names:
            table.move_cursor(row=names.index(current), animate=False)
        auto = "on" if self.auto_downloading else "off (o in the RSS screen)"
        title = Text("Auto-download rules", style="bold")
        title.append(f"  {fmt.plural(len(names), 'rule')} · auto-downloading {auto}", style="")
        self.query_one("#rules-title", Static).update(title)
        status = "n new · e edit · space enable/disable · r rename · c clone · d remove"
        if not names:
            status = "No rules yet: n makes one. " + status
        self.query_one("#rules-status", Static).update(Text(status))
        self._show_preview()

    def highlighted_name(self) -> str | None:
        table: DataTable[Text] = self.query_one(DataTable)
        names = sorted(self.rules, key=str.casefold)
        if not table.row_count or not names:
            return None
        return names[min(table.cursor_row, len(names) - 1)]

    @on(DataTable.RowHighlighted)
    def _show_preview(self) -> None:
        box = self.query_one("#rules-preview", Static)
        name = self.highlighted_name()
        if name is None:
            box.update(dim("No rule highlighted."))
            return
        rule = self.rules[name]
        text = Text(safe(name), style="bold")
        text.append("  enabled\n" if rule.enabled else "  disabled\n", style="dim")
        for label, value in (
            ("Must contain", rule.must_contain),
            ("Must not contain", rule.must_not_contain),
            ("Episode filter", rule.episode_filter),
            ("Category", rule.category),
            ("Tags", ", ".join(rule.tags)),
            ("Save to", rule.save_path),
            ("Last match", rule.last_match),
        ):
            if value:
                text.append(f"{label}: ", style="dim")
                text.append(safe(value) + "\n")
        flags = [
            word
            for word, on_ in (
                ("regex", rule.use_regex),
                ("smart episode filter", rule.smart_filter),
                (f"ignore {rule.ignore_days} days after a match", rule.ignore_days > 0),
            )
            if on_
        ]
        if flags:
            text.append(" · ".join(flags) + "\n", style="dim")
        feeds = []
        for url in rule.affected_feeds:
            feed = self.root.feed_by_url(url)
            feeds.append(shown_path(feed.path) if feed is not None else safe(url))
        text.append("Feeds: ", style="dim")
        text.append(", ".join(feeds) or "none")
        text.append("\n\n")
        try:
            found = matching(rule, self.root, self.settings)
        except RulePatternError as exc:
            text.append(str(exc), style="red")
            box.update(text)
            return
        unread = sum(not a.is_read for _, a in found)
        text.append(f"Matches now: {len(found)} ({unread} unread)\n", style="bold")
        for _, article in found[:50]:
            text.append("  " + safe(article.title) + "\n", style="dim" if article.is_read else "")
        box.update(text)

    @on(DataTable.RowSelected)
    def _chosen(self) -> None:
        if self.check_action("edit", ()):
            self.action_edit()

    # -- actions --------------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def _editor(self, name: str | None, rule: RssRule) -> None:
        from qbtui.ui.screens.rss_rule_editor import RuleEditor

        stopped = services(self).words.paused.lower()

        def saved(result: RssRule | None) -> None:
            if result is not None:
                self.toast("Rule saved")
                self.load(select=name if name is not None else None)

        self.app.push_screen(
            RuleEditor(
                self.rss,
                name,
                rule,
                self.root,
                self.settings,
                taken=set(self.rules),
                auto_downloading=self.auto_downloading,
                stopped_word=stopped,
            ),
            saved,
        )

    def action_new(self) -> None:
        # A new rule starts disabled: nothing downloads before it says what it wants.
        feed_urls = tuple(feed.url for feed in self.root.feeds())
        self._editor(None, RssRule(enabled=False, affected_feeds=feed_urls[:1]))

    def action_edit(self) -> None:
        name = self.highlighted_name()
        if name is None:
            self.toast("No rule highlighted: n makes one", severity="warning")
            return
        self._editor(name, self.rules[name])

    def action_switch(self) -> None:
        name = self.highlighted_name()
        if name is None:
            return
        rule = replace(self.rules[name], enabled=not self.rules[name].enabled)
        try:
            unread = [a for _, a in matching(rule, self.root, self.settings) if not a.is_read]
        except RulePatternError:
            unread = []
        if rule.enabled and self.auto_downloading and unread:
            body = Text(
                "Auto-downloading is on: the server downloads the "
                f"{fmt.plural(len(unread), 'unread article')} this rule matches as soon as it is enabled."
            )

            confirm_then(
                self,
                ConfirmDialog(f"Enable {safe(name)} and download now?", body, "Enable"),
                lambda: self._save(name, rule, f"Enabled {safe(name)}"),
            )
            return
        self._save(name, rule, f"{'Enabled' if rule.enabled else 'Disabled'} {safe(name)}")

    @background(group="rules-act")
    async def _save(self, name: str, rule: RssRule, done: str) -> None:
        if await self.attempt("Saving the rule", lambda: self.rss.set_rule(name, rule), done=done):
            self.load(select=name)

    def _ask_name(self, title: str, value: str, then: Any) -> None:
        def check(text: str) -> str | None:
            if not text.strip():
                return "give a name"
            if text.strip() in self.rules:
                return f"a rule called {text.strip()!r} exists already"
            return None

        def chosen(text: str | None) -> None:
            if text:
                then(text.strip())

        self.app.push_screen(TextPrompt(title, value, validate=check), chosen)

    def action_rename(self) -> None:
        name = self.highlighted_name()
        if name is not None:
            self._ask_name(f"Rename the rule {safe(name)}", name, lambda new: self._rename(name, new))

    @background(group="rules-act")
    async def _rename(self, name: str, new: str) -> None:
        if await self.attempt(
            "Renaming the rule", lambda: self.rss.rename_rule(name, new), done=f"Renamed to {new}"
        ):
            self.load(select=new)

    def action_clone(self) -> None:
        name = self.highlighted_name()
        if name is not None:
            self._ask_name(
                f"Copy the rule {safe(name)} as", f"{name} copy", lambda new: self._clone(name, new)
            )

    @background(group="rules-act")
    async def _clone(self, name: str, new: str) -> None:
        done = f"Copied to {new} (disabled)"
        if await self.attempt("Cloning the rule", lambda: self.rss.clone_rule(name, new), done=done):
            self.load(select=new)

    def action_remove(self) -> None:
        name = self.highlighted_name()
        if name is None:
            return

        body = Text("Articles it downloaded stay; what it learned (its last match, the episodes seen) goes.")
        confirm_then(
            self,
            ConfirmDialog(f"Remove the rule {safe(name)}?", body, "Remove", danger=True),
            lambda: self._remove(name),
        )

    @background(group="rules-act")
    async def _remove(self, name: str) -> None:
        if await self.attempt(
            "Removing the rule", lambda: self.rss.remove_rule(name), done=f"Removed {name}"
        ):
            self.load()
