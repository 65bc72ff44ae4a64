"""The main screen's saved views: number keys switch, `v` lists, ctrl+s saves (in the config)."""

from __future__ import annotations

from textual.widgets import Input, Static

from qbtui.settings.config import ConfigError, delete_view, save_view
from qbtui.settings.saved_views import SavedView, SavedViews, ViewState
from qbtui.ui.screens.main_parts import MainParts
from qbtui.ui.widgets.filter_input import FilterInput


class SavedViewsHost(MainParts):
    #: The saved view on screen (None: the default view). While one is, sort and column changes
    #: are not remembered for the next start: they belong to the view (ctrl+s saves them).
    _active_view: SavedView | None = None

    @property
    def saved_views(self) -> SavedViews:
        return self.qbt.saved_views

    @property
    def active_view(self) -> SavedView | None:
        return self._active_view

    def default_state(self) -> ViewState:
        """The default view: nothing filtered, the user's own sort and columns (as remembered)."""
        ui = self.qbt.ui_state
        return ViewState(sort=ui.sort_column, reverse=ui.sort_reverse, columns=tuple(ui.columns))

    def current_state(self) -> ViewState:
        view = self.qbt.view
        return ViewState(
            filter=self.query_one("#name-filter", Input).value,
            sort=view.sort_column,
            reverse=view.reverse,
            columns=tuple(self.table.columns),
            status=view.status,
            category=view.category,
            tag=view.tag,
            tracker=view.tracker,
        )

    def action_saved_view(self, key: int) -> None:
        """A view's key switches to it; pressed again, back to the default view."""
        saved = self.saved_views.by_key(key)
        if saved is None:
            self.toast(f"No view on {key}: ctrl+s saves the current view, v lists the saved ones", timeout=5)
        elif self._active_view is not None and self._active_view.name == saved.name:
            self.action_default_view()
        else:
            self.switch_to_view(saved.name)

    def action_default_view(self) -> None:
        self._active_view = None
        self._apply_state(self.default_state())

    def switch_to_view(self, name: str) -> bool:
        saved = self.saved_views.get(name)
        if saved is None:
            self.toast(f"No saved view “{name}”", severity="warning")
            return False
        if saved.problem:
            self.toast(saved.problem, title=f"View “{name}” cannot be used", severity="error", timeout=10)
            return False
        self._active_view = saved
        self._apply_state(saved.state(self.default_state()))
        return True

    def _apply_state(self, state: ViewState) -> None:
        """Show `state`: filter, sidebar selection, sort and columns in one re-list, so the cursor
        stays on its torrent when that is still in the list."""
        view = self.qbt.view
        view.sort_column, view.reverse = state.sort, state.reverse
        view.status, view.category, view.tag, view.tracker = (
            state.status,
            state.category,
            state.tag,
            state.tracker,
        )
        view.tracker_status = None  # not part of a saved view
        self.sidebar.selected.update(
            status=state.status, category=state.category, tag=state.tag, tracker=state.tracker
        )
        self.sidebar.selected["tracker-status"] = None
        if list(state.columns) != self.table.columns:
            self.table.set_columns(state.columns)
        box = self.query_one("#name-filter", FilterInput)
        box.set_quietly(state.filter)
        box.set_class(bool(state.filter), "-visible")
        if not state.filter and box.has_focus:
            self.table.focus()
        self._use_filter(state.filter)
        self._relist()
        self.sort_preparation.restart()  # another sort, maybe other columns

    def _label_view(self) -> None:
        """The active view's key and name in the status line, with * once the table differs from it."""
        status, active = self.status, self._active_view
        status.view_name = active.name if active is not None else ""
        status.view_key = active.key if active is not None else None
        status.view_modified = active is not None and self.current_state() != active.state(
            self.default_state()
        )

    def action_views(self) -> None:
        from qbtui.ui.screens.saved_views import ViewsChoice, ViewsScreen

        def chosen(choice: ViewsChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "switch":
                self.switch_to_view(choice.name)
            elif choice.action == "default":
                self.action_default_view()
            else:
                self.action_save_view()

        active = self._active_view.name if self._active_view is not None else None
        self.app.push_screen(ViewsScreen(lambda: self.saved_views, active, self.delete_saved_view), chosen)

    def action_save_view(self) -> None:
        from qbtui.ui.screens.saved_views import SaveRequest, SaveViewDialog

        if self.query_one("#filter-error", Static).has_class("-visible"):
            self.toast("The filter has a mistake (underlined): fix or clear it first", severity="warning")
            return
        state, active = self.current_state(), self._active_view
        name = active.name if active is not None else ""
        key = active.key if active is not None else self.saved_views.free_key()

        def chosen(request: SaveRequest | None) -> None:
            if request is not None:
                self._save_view(SavedView.capture(request.name, request.key, state))

        self.app.push_screen(SaveViewDialog(state, self.saved_views, name=name, key=key), chosen)

    def _save_view(self, saved: SavedView) -> None:
        path = self.qbt.config_path
        if path is None:
            self.saved_views.put(saved)
            where = "until qbtui exits (no config file)"
        else:
            try:
                config = save_view(path, saved)
            except ConfigError as exc:
                self.toast(str(exc), title="View not saved", severity="error", timeout=15)
                return
            except OSError as exc:
                self.toast(f"{path}: {exc.strerror or exc}", title="View not saved", severity="error")
                return
            # The file is the truth: it may have changed since the start.
            self.qbt.saved_views = SavedViews(config.views.values())
            where = f"in {path}"
        self._active_view = self.saved_views.get(saved.name)
        self._label_view()
        self.status.redraw()
        on_key = f" on key {saved.key}" if saved.key is not None else ""
        self.toast(f"Saved the view “{saved.name}”{on_key} {where}", title="Views", timeout=5)

    def delete_saved_view(self, name: str) -> str | None:
        """Delete a view from the config (and memory); returns why it could not, or None."""
        path = self.qbt.config_path
        if path is None:
            self.saved_views.remove(name)
        else:
            try:
                config = delete_view(path, name)
            except ConfigError as exc:
                return str(exc)
            except OSError as exc:
                return f"{path}: {exc.strerror or exc}"
            self.qbt.saved_views = SavedViews(config.views.values())
        if self._active_view is not None and self._active_view.name == name:
            self.action_default_view()
        return None
