"""Command-line value parsers: file id ranges, switches, KEY=VALUE, share limits, URLs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qbtui.api.models import FilePriority
from qbtui.cli import values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", [0]),
        ("0,2,5-9", [0, 2, 5, 6, 7, 8, 9]),
        ("3,1,2", [1, 2, 3]),
        ("1-3,2-4", [1, 2, 3, 4]),
        (" 4 - 5 , 7 ", [4, 5, 7]),
        ("7-7", [7]),
    ],
)
def test_parse_ids(text: str, expected: list[int]) -> None:
    assert values.parse_ids(text) == expected


@pytest.mark.parametrize("text", ["", "a", "1,,2", "-1", "5-3", "1-", "-", "1.5", "0-99999999", "1;2"])
def test_parse_ids_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        values.parse_ids(text)


@given(st.sets(st.integers(min_value=0, max_value=500), min_size=1))
def test_parse_ids_round_trip(ids: set[int]) -> None:
    assert values.parse_ids(",".join(str(i) for i in ids)) == sorted(ids)


def test_parse_file_ids_all() -> None:
    assert values.parse_file_ids("all") is None
    assert values.parse_file_ids("ALL") is None
    assert values.parse_file_ids("1-2") == [1, 2]


@pytest.mark.parametrize(
    ("text", "expected"), [("on", True), ("ON", True), ("yes", True), ("off", False), ("0", False)]
)
def test_parse_switch(text: str, expected: bool) -> None:
    assert values.parse_switch(text) is expected


def test_parse_switch_rejects() -> None:
    with pytest.raises(ValueError, match="on or off"):
        values.parse_switch("maybe")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dl_limit=1024", ("dl_limit", 1024)),
        ("queueing_enabled=true", ("queueing_enabled", True)),
        ("max_ratio=1.5", ("max_ratio", 1.5)),
        ("save_path=/srv/torrents", ("save_path", "/srv/torrents")),
        ('locale="123"', ("locale", "123")),
        ("scan_dirs=[1,2]", ("scan_dirs", [1, 2])),
        ("announce_ip=", ("announce_ip", "")),
        ("x=a=b", ("x", "a=b")),
        ("proxy_ip=null", ("proxy_ip", None)),
    ],
)
def test_parse_assignment(text: str, expected: tuple[str, object]) -> None:
    assert values.parse_assignment(text) == expected


@pytest.mark.parametrize("text", ["novalue", "=1", " =1"])
def test_parse_assignment_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="KEY=VALUE"):
        values.parse_assignment(text)


@pytest.mark.parametrize(
    ("text", "expected"), [("2", 2.0), ("0.5", 0.5), ("global", -2.0), ("none", -1.0), ("inf", -1.0)]
)
def test_parse_share_ratio(text: str, expected: float) -> None:
    assert values.parse_share_ratio(text) == expected


@pytest.mark.parametrize("text", ["-1", "abc", "nan", "-0.5"])
def test_parse_share_ratio_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        values.parse_share_ratio(text)


@pytest.mark.parametrize(("text", "expected"), [("1440", 1440), ("global", -2), ("none", -1), ("0", 0)])
def test_parse_share_minutes(text: str, expected: int) -> None:
    assert values.parse_share_minutes(text) == expected


def test_parse_share_minutes_rejects() -> None:
    with pytest.raises(ValueError):
        values.parse_share_minutes("1.5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("none", "none"),
        ("NONE", "none"),
        ("match", "match"),
        ("http://h:1", "http://h:1"),
        ("https://x", "https://x"),
    ],
)
def test_parse_referer(text: str, expected: str) -> None:
    assert values.parse_referer(text) == expected


def test_parse_referer_rejects() -> None:
    with pytest.raises(ValueError):
        values.parse_referer("evil.example")


@pytest.mark.parametrize("text", ["0", "-1", "abc", "100000"])
def test_parse_timeout_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        values.parse_timeout(text)


def test_parse_priority_names() -> None:
    assert values.parse_priority("skip") is FilePriority.SKIP
    assert values.parse_priority("max") is FilePriority.MAXIMUM
    with pytest.raises(ValueError):
        values.parse_priority("urgent")


def test_is_url() -> None:
    assert values.is_url("magnet:?xt=urn:btih:abc")
    assert values.is_url("HTTPS://example.com/a.torrent")
    assert not values.is_url("./file.torrent")
    assert not values.is_url("/tmp/http:/x.torrent")


def test_split_list() -> None:
    assert values.split_list(" a, b,,c ") == ["a", "b", "c"]
