"""Saved views in the interface: the list to pick or delete one (v), the dialog that saves the current
view (ctrl+s), and the palette's "view: switch to NAME" entries. The main screen applies them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from qbtui.model.columns import COLUMNS
from qbtui.settings.saved_views import SavedViews, ViewState, name_problem
from qbtui.ui.named_choices import NamedChoices
from qbtui.ui.screens.dialogs import ConfirmDialog, Dialog
from qbtui.ui.services import services
from qbtui.ui.text import safe
from qbtui.ui.widgets.text_field import TextField

DEFAULT_ID = "default"
_VIEW_PREFIX = "view:"


class ViewsHost(Protocol):
    """What the palette needs of the main screen."""

    def switch_to_view(self, name: str) -> bool: ...


def describe_state(state: ViewState) -> Text:
    """What a view saved now would hold, one item a line (names are data: plain text)."""
    text = Text()
    text.append("Filter   ", style="dim")
    text.append(safe(state.filter) if state.filter else "(none)")
    sidebar = [
        f"{label} {safe(value) if value else '(none)'}"
        for label, value in (("category", state.category), ("tag", state.tag), ("tracker", state.tracker))
        if value is not None
    ]
    if state.status != "all":
        sidebar.insert(0, state.status)
    if sidebar:
        text.append("\nSidebar  ", style="dim")
        text.append(", ".join(sidebar))
    text.append("\nSort     ", style="dim")
    text.append(f"{COLUMNS[state.sort].title if state.sort in COLUMNS else state.sort} ")
    text.append("descending" if state.reverse else "ascending")
    text.append("\nColumns  ", style="dim")
    text.append(", ".join(COLUMNS[c].title for c in state.columns if c in COLUMNS))
    return text


@dataclass(frozen=True, slots=True)
class SaveRequest:
    name: str
    key: int | None


class SaveViewDialog(Dialog[SaveRequest | None]):
    """Name the current view and give it a number key; says what it replaces before it does."""

    def __init__(
        self, state: ViewState, views: SavedViews, *, name: str = "", key: int | None = None
    ) -> None:
        super().__init__()
        self._state, self._views, self._name, self._key = state, views, name, key

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Save the current view"), classes="title")
            yield Static(describe_state(self._state), classes="body")
            yield Label("Name")
            yield TextField(self._name, placeholder="e.g. seeding-slow", max_length=40, id="name")
            yield Label("Number key (1-9; empty: none)")
            yield TextField(
                str(self._key or ""), placeholder="1-9", restrict=r"[1-9]?", max_length=1, id="key"
            )
            yield Static("", id="note")
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="confirm", variant="primary")

    def on_mount(self) -> None:
        self._explain()

    def _request(self) -> SaveRequest:
        key_text = self.query_one("#key", Input).value
        return SaveRequest(self.query_one("#name", Input).value, int(key_text) if key_text else None)

    @on(Input.Changed)
    def _explain(self) -> None:
        """Say what saving would replace: a view of that name, or another view's key."""
        request = self._request()
        notes = []
        if request.name in self._views:
            notes.append(f"Replaces the saved view “{request.name}”.")
        holder = self._views.by_key(request.key) if request.key is not None else None
        if holder is not None and holder.name != request.name:
            notes.append(f"Key {request.key} moves from “{holder.name}” to this view.")
        self.query_one("#note", Static).update(Text(" ".join(notes), style="dim"))
        self.query_one("#error", Static).update("")

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def _submit(self) -> None:
        request = self._request()
        problem = name_problem(request.name)
        if problem:
            self.query_one("#error", Static).update(Text(problem[:1].upper() + problem[1:]))
            self.query_one("#name", Input).focus()
            return
        self.dismiss(request)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()


@dataclass(frozen=True, slots=True)
class ViewsChoice:
    action: Literal["switch", "default", "save"]
    name: str = ""


class ViewsScreen(Dialog[ViewsChoice | None]):
    """Every saved view with its key and what it shows: Enter switches, d deletes, n saves."""

    DEFAULT_CSS = """
    ViewsScreen .dialog { width: 110; }
    """
    #: Summaries longer than this end in "…": one line per view.
    SUMMARY_WIDTH = 64

    BINDINGS = [
        Binding("d,delete", "delete", "Delete", id="views.delete"),
        Binding("n,ctrl+s", "save", "Save the current view", id="views.save"),
    ]

    def __init__(
        self,
        views: Callable[[], SavedViews],
        active: str | None,
        delete: Callable[[str], str | None],
    ) -> None:
        super().__init__()
        self._views, self._active, self._delete = views, active, delete

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Saved views"), classes="title")
            yield OptionList(*self._options(), id="views")
            yield Static("", classes="error", id="error")
            yield Label(
                Text("enter: switch   n: save the current view   d: delete   esc: close", style="dim")
            )

    def _options(self) -> list[Option]:
        default = Text("● " if self._active is None else "  ")
        default.append("0  ", style="bold")
        default.append("Default view", style="bold" if self._active is None else "")
        default.append("  no filter, your own sort and columns", style="dim")
        options = [Option(default, id=DEFAULT_ID)]
        for view in self._views():
            line = Text("● " if view.name == self._active else "  ")
            line.append(f"{view.key or ' '}  ", style="bold")
            line.append(view.name, style="bold" if view.name == self._active else "")
            line.append("  ")
            summary = f"⚠ {view.problem}" if view.problem else view.summary()
            summary = safe(summary)
            if cell_len(summary) > self.SUMMARY_WIDTH:
                summary = set_cell_size(summary, self.SUMMARY_WIDTH - 1) + "…"
            line.append(summary, style="bold red" if view.problem else "dim")
            options.append(Option(line, id=_VIEW_PREFIX + view.name))
        return options

    def on_mount(self) -> None:
        options = self.query_one("#views", OptionList)
        ids = [DEFAULT_ID] + [_VIEW_PREFIX + view.name for view in self._views()]
        chosen = _VIEW_PREFIX + self._active if self._active is not None else DEFAULT_ID
        options.highlighted = ids.index(chosen) if chosen in ids else 0
        options.focus()

    def _highlighted(self) -> str | None:
        options = self.query_one("#views", OptionList)
        if options.highlighted is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id or ""
        return option_id.removeprefix(_VIEW_PREFIX) if option_id.startswith(_VIEW_PREFIX) else None

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith(_VIEW_PREFIX):
            self.dismiss(ViewsChoice("switch", option_id.removeprefix(_VIEW_PREFIX)))
        else:
            self.dismiss(ViewsChoice("default"))

    def action_save(self) -> None:
        self.dismiss(ViewsChoice("save"))

    def action_delete(self) -> None:
        name = self._highlighted()
        if name is None:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            problem = self._delete(name)
            error = self.query_one("#error", Static)
            error.update(Text(problem) if problem else "")
            if problem is None:
                if name == self._active:
                    self._active = None
                options = self.query_one("#views", OptionList)
                index = options.highlighted or 0
                options.clear_options()
                options.add_options(self._options())
                options.highlighted = min(index, options.option_count - 1)

        body = Text("The view is taken out of the config file; the torrents are not touched.")
        self.app.push_screen(ConfirmDialog(f"Delete the view “{name}”?", body, "Delete"), confirmed)


class SavedViewCommands(NamedChoices):
    """ "view: switch to NAME" for every saved view."""

    HELP = "Saved views"

    def _commands(self) -> list[tuple[str, str]]:
        host, views = self.screen, services(self.app).saved_views
        if not hasattr(host, "switch_to_view") or views is None:
            return []
        return [(f"view: switch to {view.name}", view.name) for view in views if not view.problem]

    def _run(self, name: str) -> None:
        host: ViewsHost = self.screen  # type: ignore[assignment]
        host.switch_to_view(name)
