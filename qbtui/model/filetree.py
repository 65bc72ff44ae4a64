"""A torrent's files as a folder tree: aggregates, folding, marks and the visible rows (no Textual).

The server lists files flat, with "/"-separated names. `FileTree` builds folders from them, sums
sizes, weighs progress and availability by size (files set to "do not download" left out, as
qBittorrent does), reports a folder's priority as None when its files differ ("mixed"), and keeps
`rows`, the flattened list of what is visible, so a view can draw row i without walking the tree.
Folding a folder splices only its own subtree in or out of `rows`; a poll with the same files
updates values in place, so 10,000 files stay cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from qbtui.api.models import FilePriority, TorrentFile

#: Trees with at most this many files open fully; bigger ones open only their top level.
EXPAND_ALL_LIMIT = 1000

_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[str | int, ...]:
    """Sort key: "Part 2" before "Part 10", case-insensitive (strings and numbers alternate, never meet)."""
    parts = _DIGITS.split(name.casefold())
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


@dataclass(eq=False, slots=True)
class Node:
    """A file (`children` is None) or a folder. Identity is the node object itself."""

    name: str
    path: str  # "/"-joined from the root, as the server names files and folders
    depth: int
    parent: Node | None = None
    children: list[Node] | None = None
    index: int | None = None  # the server's file index (files only)
    size: int = 0
    progress: float = 0.0
    priority: FilePriority | None = FilePriority.NORMAL  # None: a folder of mixed priorities
    availability: float | None = None  # None: unknown
    expanded: bool = False
    file_count: int = 1
    marked_count: int = 0

    @property
    def is_folder(self) -> bool:
        return self.children is not None

    @property
    def fully_marked(self) -> bool:
        return self.marked_count == self.file_count and self.file_count > 0


@dataclass(slots=True)
class _Folder:
    node: Node
    subfolders: dict[str, _Folder] = field(default_factory=dict)


def _segments(name: str) -> list[str]:
    return [part for part in name.split("/") if part] or [name or "?"]


class FileTree:
    """The tree of one torrent's files, with the rows a view shows."""

    def __init__(
        self, files: Sequence[TorrentFile] = (), *, expand_all_limit: int = EXPAND_ALL_LIMIT
    ) -> None:
        self.expand_all_limit = expand_all_limit
        self.roots: list[Node] = []
        self.files: dict[int, Node] = {}
        self.rows: list[Node] = []
        self.marked: set[int] = set()
        self._names: tuple[str, ...] = ()
        self._folders: list[Node] = []  # deepest first, the order aggregation needs
        self._build(files, expanded=None)

    # -- building -------------------------------------------------------------------------------

    def _build(self, files: Sequence[TorrentFile], expanded: set[str] | None) -> None:
        top = _Folder(Node("", "", -1, children=[]))
        self.files = {}
        folders: list[Node] = []
        for item in files:
            parts = _segments(item.name)
            folder = top
            for part in parts[:-1]:
                child = folder.subfolders.get(part)
                if child is None:
                    parent = folder.node
                    path = f"{parent.path}/{part}" if parent.path else part
                    node = Node(part, path, parent.depth + 1, parent=parent, children=[])
                    assert parent.children is not None
                    parent.children.append(node)
                    child = folder.subfolders[part] = _Folder(node)
                    folders.append(node)
                folder = child
            parent = folder.node
            path = f"{parent.path}/{parts[-1]}" if parent.path else parts[-1]
            node = Node(parts[-1], path, parent.depth + 1, parent=parent, index=item.index)
            assert parent.children is not None
            parent.children.append(node)
            self.files[item.index] = node
            self._set_file(node, item)
        for folder_node in [top.node, *folders]:
            assert folder_node.children is not None
            folder_node.children.sort(key=lambda n: (not n.is_folder, natural_key(n.name)))
        self.roots = top.node.children or []
        for root in self.roots:
            root.parent = None
        folders.sort(key=lambda n: n.depth, reverse=True)
        self._folders = folders
        self._names = tuple(item.name for item in files)
        self._aggregate()
        if expanded is None:
            open_all = len(self.files) <= self.expand_all_limit
            for node in folders:
                node.expanded = open_all or node.depth == 0
        else:
            for node in folders:
                node.expanded = node.path in expanded
        self.marked = {index for index in self.marked if index in self.files}
        self._recount_marks()
        self.rows = list(self._flatten(self.roots))

    @staticmethod
    def _set_file(node: Node, item: TorrentFile) -> None:
        node.size = max(item.size, 0)
        node.progress = item.progress
        node.priority = item.priority
        availability = item.availability
        node.availability = availability if availability is not None and availability >= 0 else None

    def _aggregate(self) -> None:
        """Folder values from their children, deepest folders first, so each child is final."""
        for folder in self._folders:
            children = folder.children or []
            size = files = 0
            wanted_size = done = 0.0
            avail_size = avail_sum = 0.0
            priorities: set[FilePriority | None] = set()
            for child in children:
                size += child.size
                files += child.file_count
                priorities.add(child.priority)
                if child.priority is FilePriority.SKIP:
                    continue
                wanted_size += child.size
                done += child.progress * child.size
                if child.availability is not None:
                    avail_size += child.size
                    avail_sum += child.availability * child.size
            if not wanted_size and size:
                # Everything skipped: show how much of it is there anyway.
                done = sum(child.progress * child.size for child in children)
                wanted_size = size
            folder.size = size
            folder.file_count = files
            folder.progress = done / wanted_size if wanted_size else 0.0
            folder.priority = priorities.pop() if len(priorities) == 1 else None
            folder.availability = avail_sum / avail_size if avail_size else None

    def update(self, files: Sequence[TorrentFile]) -> bool:
        """Take a fresh file list. Returns True when the structure changed (renames, metadata).

        Same names: values change in place and `rows` keeps its nodes. Otherwise the tree is
        rebuilt, keeping folded folders folded and marks on files that still exist.
        """
        names = tuple(item.name for item in files)
        if names == self._names and all(item.index in self.files for item in files):
            for item in files:
                self._set_file(self.files[item.index], item)
            self._aggregate()
            return False
        expanded = {node.path for node in self._folders if node.expanded}
        had_folders = bool(self._folders)
        self._build(files, expanded if had_folders else None)
        return True

    # -- visiting -------------------------------------------------------------------------------

    @staticmethod
    def _flatten(nodes: Iterable[Node]) -> Iterator[Node]:
        stack = list(reversed(list(nodes)))
        while stack:
            node = stack.pop()
            yield node
            if node.children and node.expanded:
                stack.extend(reversed(node.children))

    @staticmethod
    def walk(node: Node) -> Iterator[Node]:
        """The node and everything under it, depth first."""
        stack = [node]
        while stack:
            current = stack.pop()
            yield current
            if current.children:
                stack.extend(reversed(current.children))

    def file_indexes(self, node: Node) -> list[int]:
        """The server's indexes of the files at or under this node, in index order."""
        return sorted(n.index for n in self.walk(node) if n.index is not None)

    def row_of(self, node: Node, hint: int | None = None) -> int | None:
        if hint is not None and 0 <= hint < len(self.rows) and self.rows[hint] is node:
            return hint
        for row, candidate in enumerate(self.rows):
            if candidate is node:
                return row
        return None

    def find(self, path: str) -> Node | None:
        for node in self.all_nodes():
            if node.path == path:
                return node
        return None

    def all_nodes(self) -> Iterator[Node]:
        for root in self.roots:
            yield from self.walk(root)

    def parent_row(self, row: int) -> int | None:
        node = self.rows[row]
        return self.row_of(node.parent) if node.parent is not None else None

    # -- folding --------------------------------------------------------------------------------

    def _visible_below(self, row: int) -> int:
        """How many rows after `row` belong to its node's visible subtree."""
        depth = self.rows[row].depth
        end = row + 1
        rows = self.rows
        while end < len(rows) and rows[end].depth > depth:
            end += 1
        return end - row - 1

    def set_expanded(self, row: int, expanded: bool) -> bool:
        """Open or close the folder at `row`; False when it is a file or already so."""
        node = self.rows[row]
        if not node.is_folder or node.expanded == expanded:
            return False
        if expanded:
            node.expanded = True
            self.rows[row + 1 : row + 1] = list(self._flatten(node.children or []))
        else:
            del self.rows[row + 1 : row + 1 + self._visible_below(row)]
            node.expanded = False
        return True

    def toggle(self, row: int) -> bool:
        return self.set_expanded(row, not self.rows[row].expanded)

    def expand_all(self, expanded: bool = True) -> None:
        for node in self._folders:
            node.expanded = expanded
        self.rows = list(self._flatten(self.roots))

    # -- marks ----------------------------------------------------------------------------------

    def _recount_marks(self) -> None:
        for node in self.files.values():
            node.marked_count = 1 if node.index in self.marked else 0
        for folder in self._folders:
            folder.marked_count = sum(child.marked_count for child in folder.children or [])

    def toggle_mark(self, node: Node) -> None:
        """Mark every file under `node`, or unmark them all if they already were."""
        indexes = [n.index for n in self.walk(node) if n.index is not None]
        if node.fully_marked:
            self.marked.difference_update(indexes)
        else:
            self.marked.update(indexes)
        self._recount_marks()

    def clear_marks(self) -> None:
        self.marked.clear()
        self._recount_marks()

    def mark_all(self) -> None:
        self.marked = set(self.files)
        self._recount_marks()
