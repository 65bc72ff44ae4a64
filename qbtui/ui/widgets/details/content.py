"""Content: the torrent's file tree, drawn with the Line API so 10,000 files cost what 40 do."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qbtui.api import QbtApi
from qbtui.api.models import FilePriority, TorrentFile
from qbtui.model.filetree import FileTree, Node
from qbtui.model.undo import Undoable, plan_file_priorities
from qbtui.ui.screens.dialogs import TextPrompt
from qbtui.ui.services import services
from qbtui.ui.text import fit, safe
from qbtui.ui.undoing import HINT, can_undo, remember
from qbtui.ui.widgets.bar import progress_segments
from qbtui.ui.widgets.details.base import DetailTab
from qbtui.ui.widgets.details.support import needs_v2
from qbtui.util import format as fmt

PRIORITY_WORDS = {
    FilePriority.SKIP: "Skip",
    FilePriority.NORMAL: "Normal",
    FilePriority.HIGH: "High",
    FilePriority.MAXIMUM: "Maximum",
    None: "Mixed",
}
_PRIORITY_CLASS = {
    FilePriority.SKIP: "content-tree--skipped",
    FilePriority.HIGH: "content-tree--high",
    FilePriority.MAXIMUM: "content-tree--maximum",
    None: "content-tree--mixed",
}
_GAP = 1
_MIN_NAME = 16


@dataclass(frozen=True, slots=True)
class _Column:
    key: str
    title: str
    width: int
    drop_order: int  # lower goes first when the width runs out; the name never goes


_COLUMNS = (
    _Column("size", "Size", 10, 3),
    _Column("progress", "Progress", 18, 2),
    _Column("priority", "Priority", 8, 1),
    _Column("availability", "Avail.", 7, 0),
)


def layout(width: int) -> list[_Column]:
    """The fixed columns that fit beside a name column of at least _MIN_NAME cells."""
    chosen = list(_COLUMNS)
    while chosen and _MIN_NAME + sum(c.width + _GAP for c in chosen) > width:
        chosen.remove(min(chosen, key=lambda c: c.drop_order))
    return chosen


class ContentView(ScrollView, can_focus=True):
    """The file tree: a header line, then one line per visible row of a `FileTree`."""

    COMPONENT_CLASSES = {
        "content-tree--header",
        "content-tree--cursor",
        "content-tree--marked",
        "content-tree--folder",
        "content-tree--skipped",
        "content-tree--high",
        "content-tree--maximum",
        "content-tree--mixed",
        "content-tree--bar-done",
        "content-tree--bar-todo",
    }
    DEFAULT_CSS = """
    ContentView {
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
        scrollbar-gutter: stable;
        & > .content-tree--header { background: $panel; color: $text; text-style: bold; }
        & > .content-tree--cursor { background: $block-cursor-blurred-background; }
        &:focus > .content-tree--cursor {
            background: $block-cursor-background; color: $block-cursor-foreground;
        }
        & > .content-tree--marked { background: $secondary 35%; text-style: bold; }
        & > .content-tree--folder { text-style: bold; }
        & > .content-tree--skipped { color: $text-disabled; }
        & > .content-tree--high { color: $warning; }
        & > .content-tree--maximum { color: $error; }
        & > .content-tree--mixed { color: $text-muted; text-style: italic; }
        & > .content-tree--bar-done { color: $success; }
        & > .content-tree--bar-todo { color: $foreground 15%; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="details.content-up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="details.content-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="details.content-page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="details.content-page-down"),
        Binding("home,g", "first", "First", show=False, id="details.content-first"),
        Binding("end,G", "last", "Last", show=False, id="details.content-last"),
        Binding("enter", "fold", "Fold", id="details.content-fold"),
        Binding("right,l", "expand", "Open folder", show=False, id="details.content-open"),
        Binding("left,h", "collapse", "Close folder", show=False, id="details.content-close"),
        Binding("asterisk", "expand_all", "Open/close all", show=False, id="details.content-fold-all"),
        Binding("space", "mark", "Mark", id="details.content-mark"),
        Binding("U", "unmark_all", "Unmark all", show=False, id="details.content-unmark-all"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.file_tree: FileTree | None = None
        self.cursor = 0
        self._cache: dict[int, tuple[tuple[object, ...], Strip]] = {}

    # -- data in --------------------------------------------------------------------------------

    def set_files(self, files: list[TorrentFile]) -> None:
        """A poll's file list: values update in place; a changed list rebuilds, keeping the cursor's path."""
        if self.file_tree is None:
            self.file_tree = FileTree(files)
            self.cursor = 0
        else:
            path = self.current.path if self.current is not None else None
            if self.file_tree.update(files):
                node = self.file_tree.find(path) if path is not None else None
                row = self.file_tree.row_of(node) if node is not None else None
                self.cursor = (
                    row if row is not None else min(self.cursor, max(len(self.file_tree.rows) - 1, 0))
                )
        self._rows_changed()

    def clear(self) -> None:
        self.file_tree = None
        self.cursor = 0
        self._rows_changed()

    @property
    def current(self) -> Node | None:
        if self.file_tree is None or not self.file_tree.rows:
            return None
        return self.file_tree.rows[min(self.cursor, len(self.file_tree.rows) - 1)]

    def _rows_changed(self) -> None:
        self._cache.clear()
        rows = len(self.file_tree.rows) if self.file_tree else 0
        self.virtual_size = Size(self.size.width, rows + 1)
        self._scroll_to_cursor()
        self.refresh()

    # -- rendering ------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self._rows_changed()

    def on_focus(self) -> None:
        self._cache.clear()

    def on_blur(self) -> None:
        self._cache.clear()

    @property
    def _data_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        columns = layout(width)
        if y == 0:
            return self._header(columns, width)
        tree = self.file_tree
        if tree is None or not tree.rows:
            return Strip.blank(width, self.rich_style)
        row = int(self.scroll_y) + y - 1
        if row >= len(tree.rows):
            return Strip.blank(width, self.rich_style)
        node = tree.rows[row]
        is_cursor = row == self.cursor
        key = (is_cursor, node.marked_count, node.expanded, self.has_focus, width, row)
        cached = self._cache.get(id(node))
        if cached is not None and cached[0] == key:
            return cached[1]
        strip = self._row(node, columns, width, is_cursor)
        self._cache[id(node)] = (key, strip)
        return strip

    def _header(self, columns: list[_Column], width: int) -> Strip:
        style = self.get_component_rich_style("content-tree--header")
        name_width = self._name_width(columns, width)
        segments = [Segment(fit("Name", name_width), style), Segment(" " * _GAP, style)]
        for column in columns:
            right = column.key in ("size", "availability")
            segments += [
                Segment(fit(column.title, column.width, right=right), style),
                Segment(" " * _GAP, style),
            ]
        return Strip(segments).adjust_cell_length(width, style)

    @staticmethod
    def _name_width(columns: list[_Column], width: int) -> int:
        return max(width - sum(c.width + _GAP for c in columns) - _GAP, 1)

    def _foreground(self, component: str) -> Style:
        """Colour and text style only, so the row's background (cursor, mark) shows through."""
        style = self.get_component_rich_style(component)
        return Style(color=style.color, bold=style.bold, italic=style.italic)

    def _row(self, node: Node, columns: list[_Column], width: int, is_cursor: bool) -> Strip:
        base = self.rich_style
        if node.fully_marked:
            base += self.get_component_rich_style("content-tree--marked")
        if is_cursor:
            base += self.get_component_rich_style("content-tree--cursor")
        name_style = base
        if node.is_folder:
            name_style += self._foreground("content-tree--folder")
        if node.priority is FilePriority.SKIP and not is_cursor:
            name_style += self._foreground("content-tree--skipped")
        icon = ("▾ " if node.expanded else "▸ ") if node.is_folder else "  "
        partial = "◦" if node.is_folder and 0 < node.marked_count < node.file_count else " "
        name = f"{'  ' * node.depth}{icon}{safe(node.name)}"
        segments = [
            Segment(partial, base),
            Segment(fit(name, self._name_width(columns, width) - 1), name_style),
            Segment(" " * _GAP, base),
        ]
        for column in columns:
            if column.key == "size":
                segments.append(Segment(fit(fmt.size(node.size), column.width, right=True), base))
            elif column.key == "progress":
                segments += self._bar(node.progress, column.width, base)
            elif column.key == "priority":
                style = base
                if node.priority in _PRIORITY_CLASS and not is_cursor:
                    style += self._foreground(_PRIORITY_CLASS[node.priority])
                segments.append(Segment(fit(PRIORITY_WORDS[node.priority], column.width), style))
            else:
                value = "—" if node.availability is None else f"{node.availability * 100:.1f}%"
                segments.append(Segment(fit(value, column.width, right=True), base))
            segments.append(Segment(" " * _GAP, base))
        return Strip(segments).adjust_cell_length(width, base)

    def _bar(self, progress: float, width: int, base: Style) -> list[Segment]:
        return progress_segments(
            progress,
            width,
            base,
            self._foreground("content-tree--bar-done"),
            self._foreground("content-tree--bar-todo"),
        )

    # -- cursor ---------------------------------------------------------------------------------

    def move_to(self, row: int) -> None:
        if self.file_tree is None or not self.file_tree.rows:
            return
        row = max(0, min(row, len(self.file_tree.rows) - 1))
        if row == self.cursor:
            return
        old = self.cursor
        self.cursor = row
        self._scroll_to_cursor()
        top = int(self.scroll_y)
        for changed in (old, row):
            if top <= changed < top + self._data_height:
                self.refresh_line(changed - top + 1)

    def _scroll_to_cursor(self) -> None:
        top, height = int(self.scroll_y), self._data_height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * self._data_height)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        if self.file_tree is not None:
            self.move_to(len(self.file_tree.rows) - 1)

    # -- folding and marks ----------------------------------------------------------------------

    def _fold(self, expanded: bool | None) -> bool:
        tree, node = self.file_tree, self.current
        if tree is None or node is None or not node.is_folder:
            return False
        changed = tree.toggle(self.cursor) if expanded is None else tree.set_expanded(self.cursor, expanded)
        if changed:
            self._rows_changed()
        return changed

    def action_fold(self) -> None:
        self._fold(None)

    def action_expand(self) -> None:
        node = self.current
        if node is not None and node.is_folder and node.expanded:
            self.move_to(self.cursor + 1)  # already open: step into it
        else:
            self._fold(True)

    def action_collapse(self) -> None:
        """Close the folder, or from inside it jump to its folder row."""
        if self._fold(False) or self.file_tree is None or not self.file_tree.rows:
            return
        parent = self.file_tree.parent_row(self.cursor)
        if parent is not None:
            self.move_to(parent)

    def action_expand_all(self) -> None:
        tree, node = self.file_tree, self.current
        if tree is None or node is None:
            return
        tree.expand_all(not all(n.expanded for n in tree.all_nodes() if n.is_folder))
        row = tree.row_of(node)
        self.cursor = row if row is not None else 0
        self._rows_changed()

    def action_mark(self) -> None:
        if self.file_tree is None or self.current is None:
            return
        self.file_tree.toggle_mark(self.current)
        self._cache.clear()
        self.refresh()
        self.move_to(self.cursor + 1)

    def action_unmark_all(self) -> None:
        if self.file_tree is not None:
            self.file_tree.clear_marks()
            self._cache.clear()
            self.refresh()

    def priorities(self, indexes: list[int]) -> dict[int, FilePriority | None]:
        """What the tree shows now for these files (the last poll's priorities): undo restores them."""
        files = self.file_tree.files if self.file_tree is not None else {}
        return {index: files[index].priority for index in indexes if index in files}

    def targets(self) -> tuple[list[int], str]:
        """The file indexes a command applies to (the marked files, else the row), and their description."""
        tree, node = self.file_tree, self.current
        if tree is None or node is None:
            return [], ""
        if tree.marked:
            count = len(tree.marked)
            return sorted(tree.marked), f"{count} marked file{'s' if count != 1 else ''}"
        if node.is_folder:
            return tree.file_indexes(node), f"“{node.name}/” ({node.file_count} files)"
        return tree.file_indexes(node), f"“{node.name}”"

    # -- mouse ----------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        if event.y == 0 or self.file_tree is None:
            return
        row = int(self.scroll_y) + event.y - 1
        if row >= len(self.file_tree.rows):
            return
        self.move_to(row)
        node = self.file_tree.rows[row]
        icon_x = 1 + node.depth * 2
        if node.is_folder and (icon_x <= event.x <= icon_x + 1 or event.chain == 2):
            self._fold(None)


class ContentTab(DetailTab):
    TITLE = "Content"
    PANE_ID = "content"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("0", "priority(0)", "Skip", id="details.content-skip"),
        Binding("1", "priority(1)", "Normal", id="details.content-normal"),
        Binding("2,6", "priority(6)", "High", id="details.content-high"),
        Binding("3,7", "priority(7)", "Max", id="details.content-maximum"),
        Binding("n", "rename", "Rename", id="details.content-rename"),
        Binding("n", "explain('rename')", show=False, id="details.content-rename-explain"),
    ]
    V2_ACTIONS = {"rename": ((2, 4), "Renaming files needs")}

    def compose_body(self) -> ComposeResult:
        yield ContentView(classes="body")

    @property
    def view(self) -> ContentView:
        return self.query_one(ContentView)

    async def fetch(self, api: QbtApi, hash: str) -> list[TorrentFile]:
        return await api.files(hash)

    def show_data(self, data: list[TorrentFile]) -> None:
        self.view.set_files(data)
        self.data_shown()
        if not data:
            self.note.say("No files yet: the torrent's metadata has not arrived", "info")

    def clear(self) -> None:
        self.view.clear()

    # -- commands -------------------------------------------------------------------------------

    def action_priority(self, value: int) -> None:
        priority = FilePriority(value)
        ids, description = self.view.targets()
        if not ids:
            self.notify("No file highlighted", severity="warning")
            return
        word = PRIORITY_WORDS[priority].lower()
        planned_for = self.hash
        undo = self._plan_undo(ids, priority, description)
        undoable = undo is not None and can_undo(self.app)

        async def command(api: QbtApi, hash: str) -> None:
            await api.set_file_priority(hash, ids, priority)
            # Only once it worked, and only for the torrent whose files were shown when it was planned.
            if hash == planned_for:
                remember(self.app, undo)

        self.request(command, f"Priority {word} for {description}" + (HINT if undoable else ""))

    def _plan_undo(self, ids: list[int], priority: FilePriority, description: str) -> Undoable | None:
        """Each file's priority as the tree shows it now, for the main screen's `u`."""
        if self.hash is None:
            return None
        torrent = services(self).store.torrents.get(self.hash or "")
        undo = plan_file_priorities(
            self.hash,
            self.view.priorities(ids),
            priority,
            description,
            torrent.name if torrent is not None else None,
        )
        if undo is None:
            return None
        restore = undo.inverse

        async def inverse(api: QbtApi) -> None:
            await restore(api)
            # Show the files' own priorities again now, not at the panel's next (slow) poll.
            self.post_message(self.RefreshWanted(self))

        return replace(undo, inverse=inverse)

    def action_rename(self) -> None:
        node = self.view.current
        if node is None or self.info is None:
            return
        if node.is_folder:
            problem = needs_v2(self.info, (2, 8, 4), "Renaming folders needs")
            if problem:
                self.notify(problem, severity="warning", markup=False)
                return
        old_path = node.path
        parent = old_path.rpartition("/")[0]

        def validate(value: str) -> str | None:
            value = value.strip()
            if not value or value in (".", ".."):
                return "A name cannot be empty"
            return "A name cannot contain “/”" if "/" in value else None

        # The prompt shows the name inert; handed back unedited, it means "no change".
        shown_name = safe(node.name)

        def chosen(name: str | None) -> None:
            if not name or name.strip() in (node.name, shown_name):
                return
            new_path = f"{parent}/{name.strip()}" if parent else name.strip()
            if node.is_folder:
                self.request(
                    lambda api, h: api.rename_folder(h, old_path, new_path), f"Renamed to {new_path}"
                )
            else:
                self.request(lambda api, h: api.rename_file(h, old_path, new_path), f"Renamed to {new_path}")

        what = "folder" if node.is_folder else "file"
        self.app.push_screen(
            TextPrompt(f"Rename {what}", shown_name, hint=safe(old_path), validate=validate), chosen
        )
