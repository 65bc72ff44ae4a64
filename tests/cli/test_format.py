"""Formatting: cells, tables (aligned, shrinkable, terminal-safe) and stable JSON."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from qbtui.api.models import ApiGeneration, LogEntry, LogLevel, ServerInfo, Torrent, TorrentState
from qbtui.cli import format as fmt
from qbtui.cli import records
from qbtui.cli.format import Column
from tests.cli.helpers import sample_torrents


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (None, "∞"),
        (-5, "∞"),
        (0, "0s"),
        (59, "59s"),
        (61, "1m 1s"),
        (3700, "1h 1m"),
        (90061, "1d 1h"),
        (86400, "1d"),
    ],
)
def test_duration(seconds: int | None, expected: str) -> None:
    assert fmt.duration(seconds) == expected


@pytest.mark.parametrize(
    ("fraction", "expected"), [(None, "?"), (0.0, "0.0%"), (0.5, "50.0%"), (0.9999, "99.9%"), (1.0, "100%")]
)
def test_percent_never_rounds_up_to_done(fraction: float | None, expected: str) -> None:
    assert fmt.percent(fraction) == expected


def test_timestamp_is_local_time_or_never() -> None:
    assert fmt.timestamp(None) == "never"
    assert fmt.timestamp(0) == datetime.fromtimestamp(0).strftime("%Y-%m-%d %H:%M:%S")


def test_ratio_and_limit() -> None:
    assert fmt.ratio(None) == "∞"
    assert fmt.ratio(1.234) == "1.23"
    assert fmt.limit(None) == "unlimited"
    assert fmt.limit(2621440) == "2.5 MiB/s"


def test_clean_makes_control_characters_visible() -> None:
    assert fmt.clean("a\x1b[2Jb\nc\x9b") == "a\\x1b[2Jb\\x0ac\\x9b"
    assert fmt.clean("plain ünïcödé ガンマ") == "plain ünïcödé ガンマ"


def test_cell_width_counts_wide_characters() -> None:
    assert fmt.cell_width("abc") == 3
    assert fmt.cell_width("ガンマ") == 6
    assert fmt.cell_width("e\u0301") == 1


def test_truncate() -> None:
    assert fmt.truncate("abcdef", 10) == "abcdef"
    assert fmt.truncate("abcdef", 4) == "abc…"
    assert fmt.truncate("ガンマガンマ", 5) == "ガン…"


def test_table_aligns_columns() -> None:
    text = fmt.table([Column("NAME"), Column("SIZE", right=True)], [["a", "1 B"], ["long name", "10.0 KiB"]])
    assert text.splitlines() == [
        "NAME           SIZE",
        "a               1 B",
        "long name  10.0 KiB",
    ]


def test_table_shrinks_only_flex_columns_to_width() -> None:
    rows = [["x" * 60, "ok"]]
    text = fmt.table([Column("NAME", flex=True), Column("STATE")], rows, width=40)
    assert all(fmt.cell_width(line) <= 40 for line in text.splitlines())
    assert "…" in text
    assert text.splitlines()[1].endswith("ok")


def test_table_has_no_trailing_blanks() -> None:
    text = fmt.table([Column("A"), Column("B")], [["x", ""]])
    assert all(line == line.rstrip() for line in text.splitlines())


def test_torrent_table_default_columns() -> None:
    text = records.torrents(sample_torrents(), records.DEFAULT_TORRENT_COLUMNS, None)
    lines = text.splitlines()
    assert lines[0].split() == [
        "HASH",
        "NAME",
        "SIZE",
        "DONE",
        "STATE",
        "DOWN",
        "UP",
        "RATIO",
        "ETA",
        "CATEGORY",
    ]
    assert "aaaaaaaa" in lines[1] and "Alpha Linux ISO" in lines[1] and "3.0 GiB" in lines[1]
    assert "50.0%" in lines[1] and "2.0 MiB/s" in lines[1] and "1h 1m" in lines[1] and "linux" in lines[1]
    # A finished, paused torrent: ∞ ratio above the cap and ∞ ETA.
    assert "paused (done)" in lines[2] and "∞" in lines[2]
    # The escape sequence in the name is shown, not executed.
    assert "\x1b" not in text and "\\x1b[31m" in text


def test_torrent_table_picked_columns_and_empty_list() -> None:
    text = records.torrents(sample_torrents(), ["name", "tags"], None)
    assert text.splitlines()[0].split() == ["NAME", "TAGS"]
    assert records.torrents([], ["name"], None) == "no torrents"


def test_every_torrent_column_renders() -> None:
    torrent = Torrent(hash="ff" * 20, state=TorrentState.UNKNOWN)
    text = records.torrents([torrent], list(records.TORRENT_COLUMNS), None)
    assert len(text.splitlines()) == 2


def test_jsonable_handles_dataclasses_enums_and_tuples() -> None:
    data = fmt.jsonable(sample_torrents()[0])
    assert data["state"] == "downloading"
    assert data["tags"] == ["iso"]
    assert data["eta"] == 3700
    json.dumps(data)
    entry = LogEntry(1, 2.5, LogLevel.WARNING, "m")
    assert fmt.jsonable(entry) == {"id": 1, "timestamp": 2.5, "level": 4, "message": "m"}
    assert fmt.jsonable({"x": float("inf"), 1: (1, 2)}) == {"x": None, "1": [1, 2]}


def test_dumps_keeps_unicode_and_field_order() -> None:
    info = ServerInfo(ApiGeneration.LEGACY, (17,), "v4.0.4", 15)
    text = fmt.dumps({"name": "ガンマ", "info": info})
    assert "ガンマ" in text
    assert list(json.loads(text)["info"]) == ["generation", "api_version", "app_version", "api_min"]


def test_pairs_aligns_values() -> None:
    assert fmt.pairs([("a", 1), ("long key", "x")]).splitlines() == ["a:        1", "long key: x"]
