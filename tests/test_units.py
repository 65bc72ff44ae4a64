"""Rates and sizes in human units: parsing what people type, printing what they read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qbtui.util.units import MAX_RATE, format_rate, format_size, parse_rate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1048576", 1048576),
        ("1", 1),
        ("800K", 800 * 1024),
        ("800k", 800 * 1024),
        ("800KiB", 800 * 1024),
        ("800 KiB/s", 800 * 1024),
        ("2.5M", 2621440),
        ("2.5m", 2621440),
        ("1.5MiB", 1572864),
        ("1.5 MiB/s", 1572864),
        ("1G", 1024**3),
        ("1GiB/s", 1024**3),
        ("800kB", 800_000),
        ("2MB", 2_000_000),
        ("1GB", 1_000_000_000),
        ("512B", 512),
        ("512 B/s", 512),
        (".5K", 512),
        ("  3M  ", 3 * 1024**2),
        ("1.0005K", 1025),  # rounded to whole bytes
    ],
)
def test_parse_rate_units(text: str, expected: int) -> None:
    assert parse_rate(text) == expected


@pytest.mark.parametrize(
    "text", ["0", "0K", "0.0M", "inf", "INF", "infinity", "∞", "none", "None", "unlimited", "-1", " inf "]
)
def test_parse_rate_unlimited(text: str) -> None:
    assert parse_rate(text) is None


@pytest.mark.parametrize(
    "text",
    ["", "abc", "2.5X", "M", "1.2.3", "-5", "-2.5M", "1e6", "5 Mbit", "1 TB", "K5", "2.5 M B", "0.1"],
)
def test_parse_rate_rejects(text: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        parse_rate(text)
    assert "\n" not in str(excinfo.value)


def test_parse_rate_rejects_too_large() -> None:
    assert parse_rate(str(MAX_RATE)) == MAX_RATE
    with pytest.raises(ValueError, match="maximum"):
        parse_rate("2G")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "∞"),
        (float("inf"), "∞"),
        (0, "0 B/s"),
        (1023, "1023 B/s"),
        (1024, "1.0 KiB/s"),
        (819200, "800.0 KiB/s"),
        (2621440, "2.5 MiB/s"),
        (1024**3, "1.0 GiB/s"),
    ],
)
def test_format_rate(value: int | None, expected: str) -> None:
    assert format_rate(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(None, "?"), (0, "0 B"), (1, "1 B"), (1536, "1.5 KiB"), (10**12, "931.3 GiB")]
)
def test_format_size(value: int | None, expected: str) -> None:
    assert format_size(value) == expected


@given(st.integers(min_value=1, max_value=2_000_000_000))
def test_format_then_parse_is_close(value: int) -> None:
    """What qbtui prints can be typed back in, within the one-decimal rounding of the display."""
    shown = format_rate(value)
    parsed = parse_rate(shown.replace(" ", ""))
    assert parsed is not None
    assert abs(parsed - value) <= value * 0.05 + 1


@given(st.text(max_size=20))
def test_parse_rate_never_crashes(text: str) -> None:
    try:
        result = parse_rate(text)
    except ValueError:
        return
    assert result is None or 1 <= result <= MAX_RATE


def test_negative_rates_are_refused_everywhere_except_the_apis_minus_one() -> None:
    import pytest

    from qbtui.util.units import parse_rate

    for text in ("-5M", "-0.5", " -800K "):
        with pytest.raises(ValueError, match="is negative; use 0 or ∞ for no limit"):
            parse_rate(text)
    assert parse_rate("-1") is None  # what the API itself reports for "no limit"
