"""Categories (and, on WebAPI v2 >= 2.3, tags): list, create, edit, remove, assign to torrents."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qbtui.api import errors
from qbtui.api.models import Category
from qbtui.model.expectations import Expectations
from qbtui.model.store import Store
from qbtui.model.undo import Undoable, plan_category, plan_tags
from qbtui.ui.screens.dialogs import ConfirmDialog, Dialog, TextPrompt, confirm_then
from qbtui.ui.services import services
from qbtui.ui.text import fit, safe
from qbtui.ui.undoing import HINT_FROM_DIALOG, expectations, remember
from qbtui.ui.workers import background

if TYPE_CHECKING:
    from qbtui.api import QbtApi
    from qbtui.api.models import ServerInfo

_CSS = """
ManageScreen .dialog { width: 96; }
ManageScreen #status { height: auto; color: $text-success; }
ManageScreen .keys { color: $text-muted; height: auto; }
"""


def has_categories(info: ServerInfo) -> bool:
    """Legacy API 6 lists and assigns categories (labels); 10 creates and removes them."""
    return not info.is_legacy or info.legacy_at_least(6)


def has_save_paths(info: ServerInfo) -> bool:
    return info.v2_at_least(2, 1)


def has_tags(info: ServerInfo) -> bool:
    return info.v2_at_least(2, 3)


def _row(name: str, count: int) -> Text:
    """`name  N torrents  ` in fixed columns; the caller may append more."""
    label = Text(fit(safe(name), 28) + " ", style="bold")
    label.append(fit(_plural(count, "torrent"), 12, right=True) + "  ", style="dim")
    return label


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class ManageScreen(Dialog[None]):
    """Shared plumbing: the API, a list, a status line and an error line."""

    DEFAULT_CSS = _CSS
    TITLE_TEXT = ""
    KEYS_TEXT = ""

    def __init__(self, targets: list[str]) -> None:
        super().__init__()
        self.targets = list(targets)
        #: Highlight this entry after the next reload (one just created), not the one highlighted before.
        self._highlight_next: str | None = None

    @property
    def api(self) -> QbtApi | None:
        return services(self).api

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.TITLE_TEXT, classes="title", id="title")
            yield Static(Text(self._targets_text()), classes="body", id="targets")
            yield OptionList(id="items")
            yield Static("", classes="error", id="error")
            yield Static("", id="status")
            yield Static(Text(self.KEYS_TEXT), classes="keys")

    def _targets_text(self) -> str:
        if not self.targets:
            return "No torrent selected: assigning is not available."
        return f"Selected: {_plural(len(self.targets), 'torrent')}"

    def on_mount(self) -> None:
        self.query_one("#items", OptionList).focus()
        self.reload()

    def reload(self) -> object:  # pragma: no cover - overridden (a worker)
        raise NotImplementedError

    def _error(self, text: str) -> None:
        self.query_one("#error", Static).update(Text(text))

    def _status(self, text: str) -> None:
        self._error("")
        self.query_one("#status", Static).update(Text(text))

    def selected(self) -> str | None:
        items = self.query_one("#items", OptionList)
        if items.highlighted is None or items.option_count == 0:
            return None
        return items.get_option_at_index(items.highlighted).id

    def _fill(self, rows: list[tuple[str, Text]]) -> None:
        items = self.query_one("#items", OptionList)
        keep = self._highlight_next or self.selected()
        self._highlight_next = None
        items.clear_options()
        items.add_options([Option(label, id=name) for name, label in rows])
        ids = [name for name, _ in rows]
        if ids:
            items.highlighted = ids.index(keep) if keep in ids else 0

    def _torrent_field_counts(self, field: str, only: list[str] | None = None) -> Counter[str]:
        """How many torrents have each category (or tag); `only`: among those torrents."""
        counts: Counter[str] = Counter()
        torrents = services(self).store.torrents
        chosen = torrents.values() if only is None else [torrents[h] for h in only if h in torrents]
        for torrent in chosen:
            value = getattr(torrent, field)
            if isinstance(value, tuple):
                counts.update(value)
            elif value:
                counts[value] += 1
        return counts

    @background(group="manage-run")
    async def run_change(
        self,
        change: Callable[[QbtApi], Awaitable[object]],
        done: str,
        reload: bool = True,
        undo: Undoable | None = None,
    ) -> None:
        """Send one change; show the result or the server's reason, then refresh.
        `undo`, planned from the store before the change, goes on the main screen's stack once the
        change worked."""
        api = self.api
        if api is None:
            self._error("Not connected to qBittorrent")
            return
        try:
            await change(api)
        except errors.QbtError as exc:
            self._error(f"Refused: {exc}")
            return
        if remember(self.app, undo):
            done += HINT_FROM_DIALOG
        self._status(done)
        self.notify(done, markup=False, timeout=4)
        services(self).poke()
        if reload:
            self.reload()

    def _plan(self, plan: Callable[[Store, Expectations | None], Undoable | None]) -> Undoable | None:
        """An undo planned from the app's store as it is now (before the change is sent), with
        what recent commands set that no poll has shown yet."""
        return plan(services(self).store, expectations(self.app))

    def _selected_have(self, field: str) -> Counter[str]:
        """Per category (or tag), how many of the selected torrents have it now."""
        return self._torrent_field_counts(field, self.targets) if self.targets else Counter()

    def _mark_selected(self, label: Text, have: int) -> Text:
        """`label` with what the selected torrents have: all of them, some, or none (nothing added)."""
        if have and have == len(self.targets):
            label.append(
                "● selected " if len(self.targets) == 1 else f"● all {len(self.targets)} selected ",
                style="bold",
            )
        elif have:
            label.append(f"◐ {have} of {len(self.targets)} selected ", style="bold")
        return label

    def _need_targets(self) -> bool:
        if not self.targets:
            self._error("No torrent selected")
            return False
        return True

    def action_close(self) -> None:
        self.dismiss(None)


class CategoriesScreen(ManageScreen):
    TITLE_TEXT = "Categories"
    KEYS_TEXT = "enter/a assign · x clear · n new · e edit path · d remove · t tags · esc close"
    BINDINGS = [
        Binding("escape", "close", "Close", id="categories.close"),
        Binding("a", "assign", "Assign", id="categories.assign"),
        Binding("x", "clear", "Clear category", id="categories.clear"),
        Binding("n", "create", "New", id="categories.create"),
        Binding("e", "edit", "Edit save path", id="categories.edit"),
        Binding("d,delete", "remove", "Remove", id="categories.remove"),
        Binding("t", "tags", "Tags", id="categories.tags"),
    ]

    def __init__(self, targets: list[str]) -> None:
        super().__init__(targets)
        self.categories: dict[str, Category] = {}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        api = self.api
        if api is not None and not has_categories(api.info):
            return action == "close"
        if action == "edit" and (api is None or not has_save_paths(api.info)):
            return False
        return not (action == "tags" and (api is None or not has_tags(api.info)))

    def on_mount(self) -> None:
        api = self.api
        keys = ["enter/a assign", "x clear", "n new"]
        if api is not None and has_save_paths(api.info):
            keys.append("e edit path")
        keys.append("d remove")
        if api is not None and has_tags(api.info):
            keys.append("t tags")
        keys.append("esc close")
        self.query_one(".keys", Static).update(Text(" · ".join(keys)))
        if api is not None and not has_categories(api.info):
            self._error(f"Categories are not supported by {api.info.describe()}")
            return
        super().on_mount()

    @background(exclusive=True, group="categories-load")
    async def reload(self) -> None:
        api = self.api
        if api is None:
            self._error("Not connected to qBittorrent")
            return
        try:
            self.categories = await api.categories()
        except errors.QbtError as exc:
            self._error(str(exc))
            return
        counts = self._torrent_field_counts("category")
        have = self._selected_have("category")
        paths = has_save_paths(api.info)
        rows: list[tuple[str, Text]] = []
        for name in sorted(self.categories, key=str.casefold):
            label = self._mark_selected(_row(name, counts.get(name, 0)), have.get(name, 0))
            if paths:
                label.append(safe(self.categories[name].save_path) or "(default save path)")
            rows.append((name, label))
        self._fill(rows)
        if not rows:
            self._status("No categories yet: press n to create one")

    @on(OptionList.OptionSelected, "#items")
    def action_assign(self) -> None:
        name = self.selected()
        if name is None or not self._need_targets():
            return
        targets = self.targets
        self.run_change(
            lambda api: api.set_category(targets, name),
            f"Category of {_plural(len(targets), 'torrent')} set to {name}",
            undo=self._plan(lambda store, expected: plan_category(store, targets, name, expected)),
        )

    def action_clear(self) -> None:
        if not self._need_targets():
            return
        targets = self.targets
        self.run_change(
            lambda api: api.set_category(targets, ""),
            f"Category of {_plural(len(targets), 'torrent')} cleared",
            undo=self._plan(lambda store, expected: plan_category(store, targets, "", expected)),
        )

    def action_create(self) -> None:
        api = self.api

        def validate(text: str) -> str | None:
            name = text.strip()
            if not name:
                return "A category needs a name"
            if name in self.categories:
                return f"{name!r} already exists"
            return None

        def named(name: str | None) -> None:
            if name is None:
                return
            name = name.strip()
            if api is not None and has_save_paths(api.info):
                self.app.push_screen(
                    TextPrompt(
                        f"Save path for {safe(name)}",
                        placeholder="empty: the default save path",
                        hint="Torrents in this category are saved here (automatic management)",
                    ),
                    lambda path: self._create(name, path),
                )
            else:
                self._create(name, None)

        self.app.push_screen(TextPrompt("New category", placeholder="name", validate=validate), named)

    def _create(self, name: str, path: str | None) -> None:
        if path is None and self.api is not None and has_save_paths(self.api.info):
            return  # cancelled at the save path
        path = (path or "").strip() or None
        where = f" saving to {path}" if path else ""
        self._highlight_next = name  # Enter or a assigns what was just made
        self.run_change(lambda api: api.create_category(name, path), f"Created category {name}{where}")

    def action_edit(self) -> None:
        name = self.selected()
        if name is None:
            return
        current = self.categories.get(name, Category(name)).save_path

        def chosen(path: str | None) -> None:
            if path is None:
                return
            path = path.strip()
            self.run_change(
                lambda api: api.edit_category(name, path),
                f"Save path of {name} set to {path or '(default)'}",
            )

        self.app.push_screen(TextPrompt(f"Save path for {safe(name)}", current), chosen)

    def action_remove(self) -> None:
        name = self.selected()
        if name is None:
            return
        used = self._torrent_field_counts("category").get(name, 0)
        body = (
            f"{_plural(used, 'torrent')} use{'s' if used == 1 else ''} it and will have no category."
            if used
            else "No torrent uses it."
        )

        confirm_then(
            self,
            ConfirmDialog(f"Remove category {safe(name)}?", body, "Remove", danger=True),
            lambda: self.run_change(lambda api: api.remove_categories([name]), f"Removed category {name}"),
        )

    def action_tags(self) -> None:
        self.app.push_screen(TagsScreen(self.targets))


class TagsScreen(ManageScreen):
    TITLE_TEXT = "Tags"
    KEYS_TEXT = "a add to selected · r remove from selected · n new · d delete · esc close"
    BINDINGS = [
        Binding("escape", "close", "Close", id="tags.close"),
        Binding("a", "add", "Add to torrents", id="tags.add"),
        Binding("r", "remove_from", "Remove from torrents", id="tags.remove"),
        Binding("n", "create", "New", id="tags.create"),
        Binding("d,delete", "delete", "Delete", id="tags.delete"),
    ]

    def __init__(self, targets: list[str]) -> None:
        super().__init__(targets)
        self.tags: list[str] = []

    @background(exclusive=True, group="tags-load")
    async def reload(self) -> None:
        api = self.api
        if api is None:
            self._error("Not connected to qBittorrent")
            return
        if not has_tags(api.info):
            self._error(f"Tags are not supported by {api.info.describe()}")
            return
        try:
            self.tags = await api.tags()
        except errors.QbtError as exc:
            self._error(str(exc))
            return
        counts = self._torrent_field_counts("tags")
        have = self._selected_have("tags")
        rows: list[tuple[str, Text]] = []
        for name in sorted(self.tags, key=str.casefold):
            label = self._mark_selected(_row(name, counts.get(name, 0)), have.get(name, 0))
            rows.append((name, label))
        self._fill(rows)
        if not rows:
            self._status("No tags yet: press n to create one")

    @on(OptionList.OptionSelected, "#items")
    def action_add(self) -> None:
        tag = self.selected()
        if tag is None or not self._need_targets():
            return
        targets = self.targets
        self.run_change(
            lambda api: api.add_tags(targets, [tag]),
            f"Tagged {_plural(len(targets), 'torrent')} {tag}",
            undo=self._plan(lambda store, expected: plan_tags(store, targets, [tag], True, expected)),
        )

    def action_remove_from(self) -> None:
        tag = self.selected()
        if tag is None or not self._need_targets():
            return
        targets = self.targets
        self.run_change(
            lambda api: api.remove_tags(targets, [tag]),
            f"Removed tag {tag} from {_plural(len(targets), 'torrent')}",
            undo=self._plan(lambda store, expected: plan_tags(store, targets, [tag], False, expected)),
        )

    def action_create(self) -> None:
        def validate(text: str) -> str | None:
            names = [part.strip() for part in text.split(",") if part.strip()]
            if not names:
                return "A tag needs a name"
            existing = [name for name in names if name in self.tags]
            if existing:
                return f"Already exists: {', '.join(existing)}"
            return None

        def named(text: str | None) -> None:
            if text is None:
                return
            names = [part.strip() for part in text.split(",") if part.strip()]
            self._highlight_next = names[0]
            self.run_change(
                lambda api: api.create_tags(names),
                f"Created tag{'s' if len(names) > 1 else ''} {', '.join(names)}",
            )

        self.app.push_screen(
            TextPrompt("New tag", placeholder="name (several: comma-separated)", validate=validate), named
        )

    def action_delete(self) -> None:
        tag = self.selected()
        if tag is None:
            return
        used = self._torrent_field_counts("tags").get(tag, 0)
        body = f"It is removed from {_plural(used, 'torrent')}." if used else "No torrent has it."

        confirm_then(
            self,
            ConfirmDialog(f"Delete tag {safe(tag)}?", body, "Delete", danger=True),
            lambda: self.run_change(lambda api: api.delete_tags([tag]), f"Deleted tag {tag}"),
        )
