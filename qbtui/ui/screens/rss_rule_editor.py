"""One auto-download rule, every field qBittorrent has, with a live preview of what it matches.

The preview is computed here (qbtui.model.rss_match), from the articles the server holds now: the
server's own answer needs the rule saved, and saving an enabled rule downloads what it matches at
once. Saving sends the whole rule (setRule replaces it), keeping what this form does not edit;
when that would start downloads (enabled, auto-downloading on, unread matches) it asks first.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static

from qbtui.api import errors
from qbtui.api.rss import CONTENT_LAYOUTS, RssApi, RssFolder, RssRule
from qbtui.model.rss_match import MatchSettings, RulePatternError, episode_filter_problem, matching
from qbtui.ui.screens.dialogs import ConfirmDialog, Dialog, confirm_then
from qbtui.ui.screens.rss_dialogs import shown_path
from qbtui.ui.text import safe
from qbtui.ui.widgets.text_field import TextField
from qbtui.ui.widgets.toggles import TickBox
from qbtui.ui.workers import background
from qbtui.util import format as fmt

#: How many matching titles the preview lists (the count is always whole).
PREVIEW_ROWS = 200


class RuleEditor(Dialog[RssRule | None]):
    DEFAULT_CSS = """
    RuleEditor .dialog { width: 98%; max-width: 150; height: 95%; max-height: 95%; }
    RuleEditor #rule-columns { height: 1fr; }
    RuleEditor #rule-form { width: 3fr; padding-right: 2; }
    RuleEditor #rule-preview-box { width: 2fr; border-left: vkey $foreground 20%; padding-left: 1; }
    RuleEditor .row { height: auto; margin-top: 1; }
    RuleEditor .row Label { width: 20; }
    RuleEditor .row Input { width: 1fr; margin-bottom: 0; background: $boost; }
    RuleEditor .row Input:focus { background: $primary 20%; }
    RuleEditor .row Select { width: 1fr; }
    RuleEditor TickBox { margin-top: 1; }
    RuleEditor .hint { color: $text-muted; padding-left: 20; }
    RuleEditor #rule-feeds-label { margin-top: 1; }
    RuleEditor #rule-feeds { height: auto; max-height: 10; }
    RuleEditor #rule-preview-title { text-style: bold; }
    RuleEditor #rule-problem { color: $error; height: auto; }
    RuleEditor.-short .dialog { padding: 0 1; height: 100%; max-height: 100%; }
    RuleEditor.-short .title { margin-bottom: 0; }
    RuleEditor.-short .buttons { display: none; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="rules.editor-cancel"),
        Binding("ctrl+s", "save", "Save", priority=True, id="rules.editor-save"),
    ]

    def __init__(
        self,
        rss: RssApi,
        name: str | None,
        rule: RssRule,
        root: RssFolder,
        settings: MatchSettings,
        *,
        taken: set[str],
        auto_downloading: bool,
        stopped_word: str = "paused",
    ) -> None:
        super().__init__()
        self.rss, self.rule, self.root, self.settings = rss, rule, root, settings
        #: None: a new rule, named in the form.
        self.rule_name = name
        self._taken = taken
        self._auto = auto_downloading
        self._stopped_word = stopped_word
        self._preview_timer: object | None = None
        self._saving = False

    # -- layout ---------------------------------------------------------------------------------

    def _row(self, label: str, widget: Input | Select[str]) -> Horizontal:
        return Horizontal(Label(label), widget, classes="row")

    def compose(self) -> ComposeResult:
        rule, rss = self.rule, self.rss
        title = "New auto-download rule" if self.rule_name is None else f"Rule “{safe(self.rule_name)}”"
        with Vertical(classes="dialog"):
            yield Static(Text(title), classes="title")
            with Horizontal(id="rule-columns"):
                with VerticalScroll(id="rule-form"):
                    if self.rule_name is None:
                        yield self._row("Name", TextField(id="rule-name", compact=True))
                    yield TickBox(
                        "Enabled (downloads what it matches)", rule.enabled, id="rule-enabled", compact=True
                    )
                    yield self._row(
                        "Must contain", TextField(rule.must_contain, id="rule-must", compact=True)
                    )
                    yield self._row(
                        "Must not contain", TextField(rule.must_not_contain, id="rule-must-not", compact=True)
                    )
                    yield Static(
                        Text(
                            "wildcards: * any text, ? one character; words all present; | separates choices"
                        ),
                        classes="hint",
                        id="rule-syntax",
                    )
                    yield TickBox("Use regular expressions", rule.use_regex, id="rule-regex", compact=True)
                    yield self._row(
                        "Episode filter", TextField(rule.episode_filter, id="rule-episodes", compact=True)
                    )
                    yield Static(
                        Text("e.g. 1x2;8-15;20-; (season 1: episode 2, 8 to 15, 20 on)"), classes="hint"
                    )
                    yield TickBox(
                        "Smart episode filter (each episode once)",
                        rule.smart_filter,
                        id="rule-smart",
                        compact=True,
                    )
                    yield self._row(
                        "Ignore for (days)",
                        TextField(str(rule.ignore_days or ""), id="rule-ignore-days", compact=True),
                    )
                    yield Static(
                        Text("after a match, later matches are ignored this long; empty: never"),
                        classes="hint",
                    )
                    yield self._row("Category", TextField(rule.category, id="rule-category", compact=True))
                    if rss.has(2, 9, 1):
                        yield self._row("Tags", TextField(", ".join(rule.tags), id="rule-tags", compact=True))
                    else:
                        yield Static(Text(rss.lacks("Tagging from a rule", 2, 9, 1)), classes="hint")
                    yield self._row("Save to", TextField(rule.save_path, id="rule-save-path", compact=True))
                    yield Static(Text("empty: the category's or the default save path"), classes="hint")
                    stopped = {None: "default", True: "yes", False: "no"}[rule.add_stopped]
                    yield self._row(
                        f"Add {self._stopped_word}",
                        Select(
                            [(Text("Server default"), "default"), (Text("Yes"), "yes"), (Text("No"), "no")],
                            value=stopped,
                            allow_blank=False,
                            id="rule-stopped",
                            compact=True,
                        ),
                    )
                    layouts = [(Text("Server default"), "default")] + [
                        (Text(name), name) for name in CONTENT_LAYOUTS
                    ]
                    yield self._row(
                        "Content layout",
                        Select(
                            layouts,
                            value=rule.content_layout or "default",
                            allow_blank=False,
                            id="rule-layout",
                        ),
                    )
                    yield Label("Feeds it applies to", id="rule-feeds-label")
                    yield SelectionList[str](*self._feed_choices(), id="rule-feeds")
                with VerticalScroll(id="rule-preview-box"):
                    yield Static("", id="rule-preview-title")
                    yield Static("", id="rule-problem")
                    yield Static("", id="rule-preview")
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="confirm", variant="primary")

    def _feed_choices(self) -> list[tuple[Text, str, bool]]:
        chosen = set(self.rule.affected_feeds)
        choices = [
            (
                Text(f"{shown_path(feed.path)}  ") + Text(safe(feed.url), style="dim"),
                feed.url,
                feed.url in chosen,
            )
            for feed in self.root.feeds()
        ]
        known = {feed.url for feed in self.root.feeds()}
        choices += [
            (Text("(no such feed) ", style="dim") + Text(safe(url)), url, True)
            for url in self.rule.affected_feeds
            if url not in known
        ]
        return choices

    def on_resize(self) -> None:
        # On a short terminal the form gets the rows of the buttons: ctrl+s and Esc (in the footer) do
        # the same.
        self.set_class(self.app.size.height < 32, "-short")

    def on_mount(self) -> None:
        self.on_resize()
        first = "#rule-name" if self.rule_name is None else "#rule-must"
        self.query_one(first, Input).focus()
        self._update_preview()

    # -- reading the form -----------------------------------------------------------------------

    def _text(self, selector: str) -> str:
        found = self.query(selector)
        return found.first(Input).value.strip() if found else ""

    def _box(self, selector: str) -> bool:
        return self.query_one(selector, Checkbox).value

    def build_rule(self) -> RssRule:
        """The rule as the form has it, keeping what the form does not show; ValueError says why not."""
        days_text = self._text("#rule-ignore-days")
        try:
            days = int(days_text) if days_text else 0
        except ValueError:
            raise ValueError(f"ignore days: {days_text!r} is not a whole number") from None
        if days < 0:
            raise ValueError("ignore days cannot be negative")
        stopped = self.query_one("#rule-stopped", Select).value
        layout = self.query_one("#rule-layout", Select).value
        tags = self.rule.tags
        if self.query("#rule-tags"):
            tags = tuple(tag.strip() for tag in self._text("#rule-tags").split(",") if tag.strip())
        return replace(
            self.rule,
            enabled=self._box("#rule-enabled"),
            use_regex=self._box("#rule-regex"),
            must_contain=self._text("#rule-must"),
            must_not_contain=self._text("#rule-must-not"),
            episode_filter=self._text("#rule-episodes"),
            smart_filter=self._box("#rule-smart"),
            ignore_days=days,
            category=self._text("#rule-category"),
            tags=tags,
            save_path=self._text("#rule-save-path"),
            add_stopped={"yes": True, "no": False}.get(str(stopped)),
            content_layout=str(layout) if layout in CONTENT_LAYOUTS else None,
            affected_feeds=tuple(self.query_one("#rule-feeds", SelectionList).selected),
        )

    def unsaved_edits(self) -> str | None:
        if self.rule_name is None and self._text("#rule-name"):
            return "The new rule is not saved."
        try:
            changed = self.build_rule() != self.rule
        except ValueError:
            changed = True
        return "Your edits to the rule are not saved." if changed else None

    # -- the preview ----------------------------------------------------------------------------

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _edited(self) -> None:
        # One recomputation per burst of typing, not per key.
        if self._preview_timer is not None:
            self._preview_timer.stop()  # type: ignore[attr-defined]
        self._preview_timer = self.set_timer(0.15, self._update_preview)

    def _update_preview(self) -> None:
        self._preview_timer = None
        title = self.query_one("#rule-preview-title", Static)
        problem = self.query_one("#rule-problem", Static)
        shown = self.query_one("#rule-preview", Static)
        try:
            rule = self.build_rule()
            found = matching(rule, self.root, self.settings)
        except (ValueError, RulePatternError) as exc:
            title.update(Text("Matching articles: ?"))
            problem.update(Text(str(exc)))
            shown.update("")
            return
        problems = [episode_filter_problem(rule.episode_filter)]
        if not rule.affected_feeds:
            problems.append("the rule applies to no feed: tick the feeds below")
        problem.update(Text("\n".join(p for p in problems if p)))
        unread = sum(not article.is_read for _, article in found)
        heading = Text(f"Matching articles: {len(found)}", style="bold")
        heading.append(f" ({unread} unread)\n", style="")
        heading.append("computed here from the articles the server holds now; nothing is saved", style="dim")
        title.update(heading)
        body = Text()
        feed_path = None
        for feed, article in found[:PREVIEW_ROWS]:
            if feed.path != feed_path:
                feed_path = feed.path
                body.append(f"\n{shown_path(feed.path)}\n", style="bold")
            body.append("  ")
            body.append(safe(article.title), style="dim" if article.is_read else "")
            body.append("\n")
        if len(found) > PREVIEW_ROWS:
            body.append(f"… and {len(found) - PREVIEW_ROWS} more\n", style="dim")
        shown.update(body)

    # -- saving ---------------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(message))

    @on(Button.Pressed, "#confirm")
    def action_save(self) -> None:
        if self._saving:
            return
        name = self.rule_name if self.rule_name is not None else self._text("#rule-name")
        if not name:
            self.show_error("give the rule a name")
            self.query_one("#rule-name", Input).focus()
            return
        if self.rule_name is None and name in self._taken:
            self.show_error(f"a rule called {name!r} exists already: pick another name")
            return
        try:
            rule = self.build_rule()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        try:
            unread = [a for _, a in matching(rule, self.root, self.settings) if not a.is_read]
        except RulePatternError:
            unread = []
        if rule.enabled and self._auto and unread:
            body = Text(
                f"Auto-downloading is on: as soon as the rule is saved the server downloads the "
                f"{fmt.plural(len(unread), 'unread article')} it matches now."
            )

            confirm_then(
                self, ConfirmDialog("Save and download now?", body, "Save"), lambda: self._save(name, rule)
            )
            return
        self._save(name, rule)

    @background(group="rule-save", exclusive=True)
    async def _save(self, name: str, rule: RssRule) -> None:
        self._saving = True
        self.show_error("")
        try:
            await self.rss.set_rule(name, rule)
        except errors.QbtError as exc:
            self.show_error(f"not saved: {exc}")
            return
        finally:
            self._saving = False
        self.rule = rule
        self.rule_name = name
        self.dismiss(rule)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()
