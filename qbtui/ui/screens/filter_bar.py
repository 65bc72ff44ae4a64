"""The main screen's filter: the `/` box (names, or the filter language) and the sidebar's choices."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import Input, Static

from qbtui.model.filterlang import FilterError, compile_filter
from qbtui.settings.saved_views import USES_FILTER_LANGUAGE
from qbtui.ui.screens.main_parts import MainParts
from qbtui.ui.widgets.sidebar import Sidebar


class FilterBar(MainParts):
    def _relist(self) -> None:
        self.qbt.view.refilter()
        self.table.remeasure()  # other rows, other widths
        self.table.rows_changed(reordered=True)
        self._label_view()
        self._refresh_counts()
        self._refresh_sidebar()
        self.table.refresh()

    @on(Sidebar.FilterChosen)
    def _filter_chosen(self, message: Sidebar.FilterChosen) -> None:
        choice, view = message.choice, self.qbt.view
        if choice.kind == "server":
            view.server = choice.value
        elif choice.kind == "status":
            view.status = choice.value or "all"
        elif choice.kind == "category":
            view.category = choice.value
        elif choice.kind == "tag":
            view.tag = choice.value
        elif choice.kind == "tracker":
            view.tracker, view.tracker_status = choice.value, None
        elif choice.kind == "tracker-status":
            view.tracker, view.tracker_status = None, choice.value
        self._relist()

    def action_filter(self) -> None:
        name_filter = self.query_one("#name-filter", Input)
        name_filter.add_class("-visible")
        name_filter.focus()
        # Once the box is on screen: the first letter then only scans (at 50,000 torrents the
        # names are ~5 ms to gather, after a sort change or a rename).
        self.call_after_refresh(self.qbt.view.warm_name_filter)

    def _name_filter_edited(self, text: str) -> None:
        if self._use_filter(text):
            self._relist()
        else:
            self._label_view()
            self.status.redraw()

    def _use_filter(self, text: str) -> bool:
        """Plain words filter by name (the fast path); field syntax is the filter language. A bad
        expression keeps the last good filter, underlines the offending part and returns False."""
        view = self.qbt.view
        error = self.query_one("#filter-error", Static)
        if not USES_FILTER_LANGUAGE.search(text):
            view.name_filter, view.expression = text, None
            error.remove_class("-visible")
            return True
        try:
            expression = compile_filter(text)
        except FilterError as exc:
            shown = Text(text)
            error_style = self.app.theme_variables.get("error", "red")
            shown.stylize(f"bold underline {error_style}", exc.start, max(exc.end, exc.start + 1))
            shown.append(f"  {exc.message}", style=error_style)
            error.update(shown)
            error.add_class("-visible")
            return False
        view.name_filter, view.expression = "", expression
        error.remove_class("-visible")
        return True

    @on(Input.Submitted, "#name-filter")
    def _name_filter_done(self) -> None:
        self.table.focus()

    def action_clear(self) -> None:
        """Esc steps back one thing at a time, the nearest first: the filter being typed, the
        details panel, a filter left on, then the marks."""
        name_filter = self.query_one("#name-filter", Input)
        typing = name_filter.has_focus
        if not typing and self.details_open:
            self.action_toggle_details()
        elif name_filter.value or name_filter.has_class("-visible"):
            name_filter.value = ""
            name_filter.remove_class("-visible")
            self.query_one("#filter-error", Static).remove_class("-visible")
            self.table.focus()
        elif self.table.marked:
            self.table.action_unmark_all()
