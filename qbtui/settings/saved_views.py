"""Saved views: a name, a number key, a filter, a sort and columns, and the sidebar's selection.

A view is a record; what the table shows under it is a `ViewState`. A view leaves out what it does
not care about (no `columns`: the user's own columns) and `SavedView.state()` fills that in from the
user's own state, the *default view*. No Textual here: the config parses views and writes
`view_section()`, the main screen applies `ViewState`s.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from qbtui.model.columns import DEFAULT_COLUMNS
from qbtui.model.filterlang import FilterError, compile_filter

#: Number keys a view can be bound to (0 is the default view).
KEYS = range(1, 10)
#: Letters (any script), digits, space, - and _; no dots, quotes or brackets, which TOML table
#: names and the config's line finder would have to quote or could confuse.
NAME = re.compile(r"^[\w][\w -]{0,39}$")
#: Text that needs the filter language (fields, operators, grouping); anything else is a name.
USES_FILTER_LANGUAGE = re.compile(r"[:<>=()|&\"]|(?:^|\s)[!-]\S|\b(?:and|or|not)\b", re.IGNORECASE)
#: TOML bare keys: anything else is written quoted.
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def name_problem(name: str) -> str | None:
    """Why `name` cannot name a view, or None."""
    if not name.strip():
        return "a view needs a name"
    if name != name.strip() or not NAME.match(name):
        return "a view name is up to 40 letters, digits, spaces, - or _ (and starts with a letter or digit)"
    return None


def filter_problem(text: str) -> str | None:
    """Why the filter text would not work, or None. Plain words are a name filter and always work."""
    if not USES_FILTER_LANGUAGE.search(text):
        return None
    try:
        compile_filter(text)
    except FilterError as exc:
        return f"{exc.message} (at “{text[exc.start : max(exc.end, exc.start + 1)]}”)"
    return None


@dataclass(frozen=True, slots=True)
class ViewState:
    """Everything that decides what the table shows and how."""

    filter: str = ""
    sort: str = "name"
    reverse: bool = False
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    status: str = "all"
    category: str | None = None  # None = any, "" = uncategorized
    tag: str | None = None  # None = any, "" = untagged
    tracker: str | None = None

    def unfiltered(self) -> ViewState:
        """The default view from this state: the same sort and columns, nothing filtered."""
        return replace(self, filter="", status="all", category=None, tag=None, tracker=None)


@dataclass(frozen=True, slots=True)
class SavedView:
    name: str
    key: int | None = None
    filter: str = ""
    sort: str | None = None
    reverse: bool | None = None
    columns: tuple[str, ...] | None = None
    status: str | None = None
    category: str | None = None
    tag: str | None = None
    tracker: str | None = None
    #: Why the view cannot be used (a filter that does not compile), or None.
    problem: str | None = None

    def state(self, default: ViewState) -> ViewState:
        """What the table shows under this view; what it leaves out comes from `default`."""
        if self.sort is not None:
            sort, reverse = self.sort, bool(self.reverse)
        else:
            sort, reverse = default.sort, default.reverse if self.reverse is None else self.reverse
        return ViewState(
            filter=self.filter,
            sort=sort,
            reverse=reverse,
            columns=self.columns or default.columns,
            status=self.status or "all",
            category=self.category,
            tag=self.tag,
            tracker=self.tracker,
        )

    @classmethod
    def capture(cls, name: str, key: int | None, state: ViewState) -> SavedView:
        """A view that shows exactly `state`."""
        return cls(
            name=name,
            key=key,
            filter=state.filter.strip(),
            sort=state.sort,
            reverse=state.reverse,
            columns=tuple(state.columns),
            status=None if state.status == "all" else state.status,
            category=state.category,
            tag=state.tag,
            tracker=state.tracker,
        )

    def summary(self) -> str:
        """One line for lists: the filter, the sidebar selection and the sort."""
        parts = []
        if self.filter:
            parts.append(self.filter)
        for label, value in (
            ("status", self.status),
            ("category", self.category),
            ("tag", self.tag),
            ("tracker", self.tracker),
        ):
            if value is not None:
                parts.append(f"{label} {value or '(none)'}")
        if self.sort is not None:
            parts.append(f"sort {self.sort} {'↓' if self.reverse else '↑'}")
        if self.columns:
            parts.append(f"{len(self.columns)} columns")
        return " · ".join(parts) or "no filter"


class SavedViews:
    """The views in config order, found by name or number key."""

    def __init__(self, views: Iterable[SavedView] = ()) -> None:
        self._views = {view.name: view for view in views}

    def __iter__(self) -> Iterator[SavedView]:
        return iter(self._views.values())

    def __len__(self) -> int:
        return len(self._views)

    def __contains__(self, name: object) -> bool:
        return name in self._views

    def get(self, name: str) -> SavedView | None:
        return self._views.get(name)

    def by_key(self, key: int) -> SavedView | None:
        return next((view for view in self._views.values() if view.key == key), None)

    def free_key(self) -> int | None:
        taken = {view.key for view in self._views.values()}
        return next((key for key in KEYS if key not in taken), None)

    def put(self, view: SavedView) -> None:
        """Add or replace `view`; another view holding its key gives the key up."""
        for name, other in list(self._views.items()):
            if view.key is not None and other.key == view.key and name != view.name:
                self._views[name] = replace(other, key=None)
        self._views[view.name] = view

    def remove(self, name: str) -> None:
        self._views.pop(name, None)


# ------------------------------------------------------------------------------------------ writing


def toml_string(value: str) -> str:
    """A TOML basic string. JSON escapes are valid TOML; DEL is the one control JSON leaves raw."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def table_name(name: str, kind: str = "views") -> str:
    """`kind.NAME` for a [table] header, the name quoted unless it is a bare key: a dot or a space
    in it must not make nested tables."""
    return f"{kind}.{name}" if _BARE_KEY.match(name) else f"{kind}.{toml_string(name)}"


def view_section(view: SavedView) -> str:
    """The TOML text of one [views.NAME] table; only what the view sets."""
    out = [f"[{table_name(view.name)}]"]
    if view.key is not None:
        out.append(f"key = {view.key}")
    if view.filter:
        out.append(f"filter = {toml_string(view.filter)}")
    if view.sort is not None:
        out.append(f"sort = {toml_string(view.sort)}")
    if view.reverse is not None:
        out.append(f"reverse = {'true' if view.reverse else 'false'}")
    if view.columns:
        out.append(f"columns = [{', '.join(toml_string(c) for c in view.columns)}]")
    for key in ("status", "category", "tag", "tracker"):
        value = getattr(view, key)
        if value is not None:
            out.append(f"{key} = {toml_string(value)}")
    return "\n".join(out) + "\n"
