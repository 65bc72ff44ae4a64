"""The file tree: folders from names, aggregates, folding, marks, updates; and its cost at 10,000 files."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qbtui.api.models import FilePriority, TorrentFile
from qbtui.model.filetree import FileTree, Node, natural_key


def f(index: int, name: str, size: int = 100, progress: float = 0.0, **kw: object) -> TorrentFile:
    return TorrentFile(index=index, name=name, size=size, progress=progress, **kw)  # type: ignore[arg-type]


def names(tree: FileTree) -> list[str]:
    return [("  " * n.depth) + n.name + ("/" if n.is_folder else "") for n in tree.rows]


SAMPLE = [
    f(0, "Show/Season 10/e1.mkv", 1000, 1.0),
    f(1, "Show/Season 2/e1.mkv", 3000, 0.5),
    f(2, "Show/Season 2/e2.mkv", 1000, 0.0, priority=FilePriority.SKIP),
    f(3, "Show/readme.txt", 10, 1.0, priority=FilePriority.HIGH),
    f(4, "Show/Season 2/Extras/x.mkv", 500, 0.0),
]


def test_folders_come_first_in_natural_order() -> None:
    tree = FileTree(SAMPLE)
    assert names(tree) == [
        "Show/",
        "  Season 2/",
        "    Extras/",
        "      x.mkv",
        "    e1.mkv",
        "    e2.mkv",
        "  Season 10/",
        "    e1.mkv",
        "  readme.txt",
    ]


def test_aggregates() -> None:
    tree = FileTree(SAMPLE)
    root = tree.roots[0]
    assert root.size == 5510 and root.file_count == 5
    season2 = tree.find("Show/Season 2")
    assert season2 is not None
    # Skipped files count for size but not for progress, as in qBittorrent.
    assert season2.size == 4500
    assert season2.progress == pytest.approx(1500 / 3500)
    assert season2.priority is None  # normal and skip: mixed
    assert tree.find("Show/Season 10").priority is FilePriority.NORMAL  # type: ignore[union-attr]
    assert tree.find("Show/Season 2/e2.mkv").index == 2  # type: ignore[union-attr]


def test_availability_is_weighted_by_size_and_unknown_is_skipped() -> None:
    tree = FileTree([f(0, "d/a", 100, availability=1.0), f(1, "d/b", 300, availability=0.5), f(2, "d/c", 50)])
    assert tree.roots[0].availability == pytest.approx((100 * 1.0 + 300 * 0.5) / 400)
    assert tree.files[2].availability is None


def test_negative_availability_means_unknown() -> None:
    tree = FileTree([f(0, "a", availability=-1.0)])
    assert tree.files[0].availability is None


def test_all_skipped_folder_still_shows_what_is_there() -> None:
    tree = FileTree(
        [f(0, "d/a", 100, 1.0, priority=FilePriority.SKIP), f(1, "d/b", 100, 0.0, priority=FilePriority.SKIP)]
    )
    assert tree.roots[0].progress == pytest.approx(0.5)
    assert tree.roots[0].priority is FilePriority.SKIP


def test_single_file_torrent_has_no_folder() -> None:
    tree = FileTree([f(0, "ubuntu.iso", 5)])
    assert names(tree) == ["ubuntu.iso"]
    assert tree.parent_row(0) is None


def test_odd_names_do_not_break_the_tree() -> None:
    tree = FileTree([f(0, "/a//b/"), f(1, ""), f(2, "a")])
    assert {n.path for n in tree.all_nodes()} >= {"a", "a/b", "?"}


def test_folding_splices_rows() -> None:
    tree = FileTree(SAMPLE)
    assert tree.toggle(1)  # close Season 2
    assert names(tree)[:3] == ["Show/", "  Season 2/", "  Season 10/"]
    assert not tree.toggle(8 - 4)  # a file row: nothing to fold
    assert tree.set_expanded(1, True)
    assert len(tree.rows) == 9
    assert not tree.set_expanded(1, True)
    tree.expand_all(False)
    assert names(tree) == ["Show/"]
    tree.expand_all()
    assert len(tree.rows) == 9


def test_big_trees_open_only_the_top_level() -> None:
    files = [f(i, f"root/d{i % 10}/f{i}") for i in range(50)]
    assert [n.name for n in FileTree(files, expand_all_limit=10).rows][:2] == ["root", "d0"]
    assert len(FileTree(files, expand_all_limit=10).rows) == 11
    assert len(FileTree(files).rows) == 61


def test_update_in_place_keeps_nodes_and_folding() -> None:
    tree = FileTree(SAMPLE)
    tree.toggle(1)
    rows = list(tree.rows)
    fresh = [f(i, item.name, item.size, 1.0, priority=item.priority) for i, item in enumerate(SAMPLE)]
    assert tree.update(fresh) is False
    assert tree.rows == rows and all(a is b for a, b in zip(tree.rows, rows, strict=True))
    assert tree.roots[0].progress == 1.0


def test_rename_rebuilds_keeping_folding_and_marks() -> None:
    tree = FileTree(SAMPLE)
    tree.toggle(tree.row_of(tree.find("Show/Season 10")))  # type: ignore[arg-type]
    tree.toggle_mark(tree.files[3])
    renamed = [*SAMPLE[:3], f(3, "Show/README.md", 10), SAMPLE[4]]
    assert tree.update(renamed) is True
    assert tree.find("Show/README.md") is not None
    assert tree.find("Show/Season 10").expanded is False  # type: ignore[union-attr]
    assert tree.marked == {3} and tree.files[3].marked_count == 1


def test_files_appear_when_metadata_arrives() -> None:
    tree = FileTree([])
    assert tree.rows == []
    assert tree.update(SAMPLE) is True
    assert len(tree.rows) == 9  # opened like a fresh tree


def test_marks() -> None:
    tree = FileTree(SAMPLE)
    season2 = tree.find("Show/Season 2")
    assert season2 is not None
    tree.toggle_mark(season2)
    assert tree.marked == {1, 2, 4}
    assert season2.fully_marked and tree.roots[0].marked_count == 3 and not tree.roots[0].fully_marked
    tree.toggle_mark(season2)
    assert tree.marked == set()
    tree.toggle_mark(tree.files[4])
    tree.toggle_mark(season2)  # partly marked: marks the rest
    assert tree.marked == {1, 2, 4}
    tree.mark_all()
    assert tree.roots[0].fully_marked
    tree.clear_marks()
    assert tree.roots[0].marked_count == 0
    assert tree.file_indexes(season2) == [1, 2, 4]


def test_natural_key() -> None:
    assert sorted(["a10", "A2", "a1b", "b"], key=natural_key) == ["a1b", "A2", "a10", "b"]


# -- properties ----------------------------------------------------------------------------------

segment = st.sampled_from(["a", "b", "c", "d1", "d10", "d2"])
paths = st.lists(st.lists(segment, min_size=1, max_size=4).map("/".join), min_size=1, max_size=40)


def _fresh_rows(tree: FileTree) -> list[Node]:
    return list(tree._flatten(tree.roots))


@given(paths, st.lists(st.integers(min_value=0, max_value=200), max_size=30))
def test_folding_matches_a_fresh_flatten(names_: list[str], toggles: list[int]) -> None:
    tree = FileTree([f(i, name) for i, name in enumerate(names_)])
    assert tree.rows == _fresh_rows(tree)
    for pick in toggles:
        tree.toggle(pick % len(tree.rows))
        assert tree.rows == _fresh_rows(tree)


@given(paths, st.lists(st.integers(min_value=0, max_value=200), max_size=20))
def test_aggregates_and_marks_are_consistent(names_: list[str], marks: list[int]) -> None:
    rng = random.Random(len(names_))
    files = [
        f(i, name, rng.randrange(0, 1000), rng.random(), priority=rng.choice(list(FilePriority)))
        for i, name in enumerate(names_)
    ]
    tree = FileTree(files)
    tree.expand_all()
    assert tree.roots and sum(root.size for root in tree.roots) == sum(item.size for item in files)
    assert sum(root.file_count for root in tree.roots) == len(files)
    for pick in marks:
        tree.toggle_mark(tree.rows[pick % len(tree.rows)])
    for node in tree.all_nodes():
        under = tree.file_indexes(node)
        assert node.marked_count == len(tree.marked.intersection(under))
        if node.is_folder:
            priorities = {tree.files[i].priority for i in under}
            assert node.priority == (priorities.pop() if len(priorities) == 1 else None)
            assert 0.0 <= node.progress <= 1.0 + 1e-9


# -- cost ----------------------------------------------------------------------------------------


def ten_thousand_files() -> list[TorrentFile]:
    rng = random.Random(10_000)
    return [
        f(
            i,
            f"Archive/set {i % 20}/disc {i % 7}/part {i % 13}/file {i}.bin",
            rng.randrange(1, 10**8),
            rng.random(),
        )
        for i in range(10_000)
    ]


def test_ten_thousand_files_stay_cheap() -> None:
    """Generous bounds for a slow shared machine; the report quotes typical numbers."""
    files = ten_thousand_files()
    start = time.perf_counter()
    tree = FileTree(files)
    built = time.perf_counter() - start
    start = time.perf_counter()
    tree.update(files)
    updated = time.perf_counter() - start
    start = time.perf_counter()
    tree.expand_all()
    expanded = time.perf_counter() - start
    start = time.perf_counter()
    tree.toggle(0)
    tree.toggle(0)
    folded = time.perf_counter() - start
    assert len(tree.rows) > 10_000
    print(f"10k files: build {built * 1e3:.0f} ms, update {updated * 1e3:.0f} ms, "
          f"expand all {expanded * 1e3:.0f} ms, fold+unfold root {folded * 1e3:.0f} ms")  # fmt: skip
    assert built < 2.0 and updated < 0.5 and expanded < 0.5 and folded < 0.5
