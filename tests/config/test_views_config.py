"""Saved views in the config: [views.NAME] tables parsed and checked, written back atomically."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from qbtui.settings.config import ConfigError, delete_view, load_config, parse_config, save_view
from qbtui.settings.saved_views import (
    SavedView,
    SavedViews,
    ViewState,
    filter_problem,
    name_problem,
    view_section,
)

VIEWS = """\
# my views
[views.seeding-slow]
key = 1
filter = "state:seeding up<10K"
sort = "ratio"
reverse = true
columns = ["name", "ratio", "up"]

[views."big linux"]   # quoted: a space in the name
key = 2
filter = "debian"
category = "linux"
status = "completed"
tag = ""
"""


def test_views_load_in_file_order_with_every_field() -> None:
    config = parse_config(VIEWS)
    assert list(config.views) == ["seeding-slow", "big linux"]
    slow = config.views["seeding-slow"]
    assert slow == SavedView(
        "seeding-slow",
        key=1,
        filter="state:seeding up<10K",
        sort="ratio",
        reverse=True,
        columns=("name", "ratio", "up"),
    )
    big = config.views["big linux"]
    assert (big.key, big.filter, big.category, big.status, big.tag) == (2, "debian", "linux", "completed", "")
    assert big.sort is None and big.columns is None and big.tracker is None
    assert config.warnings == [] and config.view_warnings == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[views.a]\nkey = 10\n", "config line 2: views.a.key must be a number from 1 to 9"),
        ('[views.a]\nkey = "1"\n', "config line 2: views.a.key must be a number, not str"),
        ("[views.a]\nkey = true\n", "config line 2: views.a.key must be a number, not bool"),
        ("[views.a]\nfilter = 3\n", "config line 2: views.a.filter must be a string, not int"),
        ('[views.a]\ncolumns = "name"\n', "config line 2: views.a.columns must be a list of column names"),
        ('[views.a]\nreverse = "yes"\n', "config line 2: views.a.reverse must be true or false, not str"),
        ("views = 3\n", "config line 1: views must be a table, not int"),
        ('[views]\na = "x"\n', "config line 2: [views.a] must be a table"),
        ('[views."a.b"]\nkey = 1\n', "config line 1: view name 'a.b': a view name is up to 40"),
    ],
)
def test_broken_views_name_the_line(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    assert str(caught.value).startswith(expected)


def test_what_only_weakens_a_view_is_a_warning_and_the_rest_loads() -> None:
    text = """\
theme = "qbtui-light"

[views.a]
key = 1
columns = ["name", "nope"]
sort = "bogus"
status = "sleeping"
colour = "red"

[views.b]
key = 1
filter = "ratio<"

[views.c]
filter = "state:seeding"
"""
    config = parse_config(text)
    assert config.theme == "qbtui-light"
    a, b, c = config.views["a"], config.views["b"], config.views["c"]
    assert a.columns == ("name",) and a.sort is None and a.status is None and a.problem is None
    assert b.key is None  # key 1 is a's
    assert b.problem is not None and b.problem.startswith("views.b.filter: ") and "ratio<" in b.problem
    assert c.problem is None
    assert config.view_warnings == [
        "config line 8: unknown setting 'colour' in [views.a] (ignored)",
        "config line 5: views.a.columns: no column 'nope' (ignored)",
        "config line 6: views.a.sort: no column 'bogus' (ignored)",
        "config line 7: views.a.status: no status 'sleeping' "
        "(all, downloading, seeding, completed, paused, active, inactive, stalled, checking, errored; "
        "ignored)",
        f"config line 12: {b.problem} (the view cannot be used until it is fixed)",
        "config line 11: views.b: key 1 is already views.a's (this view gets none)",
    ]
    assert all(w in config.warnings for w in config.view_warnings)


def test_a_view_fills_in_what_it_leaves_out_from_the_default_view() -> None:
    default = ViewState(filter="old", sort="size", reverse=True, columns=("name", "size"), status="paused")
    bare = SavedView("bare", filter="state:seeding").state(default)
    assert bare == ViewState(filter="state:seeding", sort="size", reverse=True, columns=("name", "size"))
    sorted_only = SavedView("s", sort="ratio").state(default)
    assert (sorted_only.sort, sorted_only.reverse) == ("ratio", False)  # a sort of its own starts ascending
    assert default.unfiltered() == ViewState(sort="size", reverse=True, columns=("name", "size"))
    state = ViewState("ubuntu", "eta", False, ("name", "eta"), "downloading", "", "keep", "http://t/a")
    captured = SavedView.capture("x", 3, state)
    assert captured.state(ViewState()) == state and captured.status == "downloading"
    assert SavedView.capture("y", None, ViewState()).status is None


def test_names_and_filters_are_checked() -> None:
    assert name_problem("seeding-slow") is None and name_problem("Große Dateien 2") is None
    for bad in ("", " x", "x ", "a.b", 'a"b', "a[b]", "x" * 41, "-x", "a\nb"):
        assert name_problem(bad), bad
    assert filter_problem("plain words") is None and filter_problem("") is None
    assert filter_problem("size>2G !tag:keep") is None
    problem = filter_problem("size>lots")
    assert problem is not None and "“lots”" in problem


def test_saving_appends_a_view_keeps_the_users_text_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(VIEWS + '\n[keymap]\n"torrent.delete" = "x"   # mine\n')
    path.chmod(0o644)
    new = SavedView(
        "mine",
        key=3,
        filter='name:"a \\"quoted\\" word" | tag:~^x$',
        sort="added",
        reverse=False,
        columns=("name", "added"),
        status="active",
        category="",
        tracker="udp://tracker.example:1337/announce",
    )
    written = save_view(path, new)
    text = path.read_text()
    assert text.startswith(VIEWS) and '"torrent.delete" = "x"   # mine' in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert written.views["mine"] == new == load_config(path).views["mine"]
    assert list(written.views) == ["seeding-slow", "big linux", "mine"]


def test_saving_replaces_a_view_of_that_name_and_takes_its_key_from_another(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(VIEWS)
    save_view(path, SavedView("big linux", key=1, filter="ubuntu"))
    config = load_config(path)
    assert config.views["big linux"] == SavedView("big linux", key=1, filter="ubuntu")
    # The other view loses only its key line: its comment-free rest is as the user wrote it.
    assert config.views["seeding-slow"].key is None and config.views["seeding-slow"].sort == "ratio"
    assert "# my views" in path.read_text() and path.read_text().count("[views.") == 2
    assert config.warnings == []


def test_saving_creates_the_file_and_strange_names_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    save_view(path, SavedView("Große Dateien", key=9, filter="size>2G", category="a\x7fb\"c'\\"))
    view = load_config(path).views["Große Dateien"]
    assert view.key == 9 and view.category == "a\x7fb\"c'\\"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_saving_and_deleting_refuse_to_touch_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    broken = "[views.a]\nkey = 12\n"
    path.write_text(broken)
    with pytest.raises(ConfigError, match="line 2"):
        save_view(path, SavedView("b", key=1))
    with pytest.raises(ConfigError, match="line 2"):
        delete_view(path, "a")
    assert path.read_text() == broken


def test_a_view_that_would_not_load_back_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[views]\nx = { key = 1 }\n")  # an inline table: its name cannot be replaced
    with pytest.raises(ConfigError):
        save_view(path, SavedView("x", key=2))
    assert path.read_text() == "[views]\nx = { key = 1 }\n"


def test_deleting_a_view_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(VIEWS + '\n[view]\nsort = "size"\n')
    config = delete_view(path, "seeding-slow")
    assert list(config.views) == ["big linux"] and config.sort == "size"
    assert "seeding-slow" not in path.read_text() and "# my views" in path.read_text()
    config = delete_view(path, "big linux")
    assert config.views == {} and config.sort == "size"
    with pytest.raises(ConfigError, match=r"no \[views\.gone\]"):
        delete_view(path, "gone")


def test_the_view_collection_moves_keys() -> None:
    views = SavedViews([SavedView("a", key=1), SavedView("b", key=2)])
    assert views.by_key(2) == SavedView("b", key=2) and views.free_key() == 3
    views.put(SavedView("c", key=2))
    assert views.get("b") == SavedView("b") and views.by_key(2) == SavedView("c", key=2)
    views.remove("a")
    assert [v.name for v in views] == ["b", "c"] and "a" not in views and len(views) == 2
    assert view_section(SavedView("plain")) == "[views.plain]\n"
