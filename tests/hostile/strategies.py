"""Hypothesis strategies for hostile server data, shared by the model, store and API fuzz tests."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from qbtui.sim.hostile import HUGE_INT, STRINGS

#: Every hostile string of the simulator, plus the shorter building blocks they are made of.
HOSTILE_TEXT = [
    *STRINGS.values(),
    "\x1b",
    "\x1b[",
    "\x9b",
    "[",
    "]",
    "[/]",
    "[b]",
    "\\",
    "\u202e",
    "\u200d",
    "\ud800",
    "\udfff",
    "\x00",
    "NaN",
    "Infinity",
    "-1",
    "4294967295",
    "1e400",
    " 12 ",
    "0x10",
    "1_000",
    "²",
]

#: Numbers at and beyond every edge a parser or formatter has: int64, uint64, float, Python's
#: int-to-str digit limit (the 4201-digit one still parses from JSON).
EDGE_NUMBERS: list[Any] = [
    0,
    -1,
    -0.0,
    4294967295,
    8640000,
    2**31,
    2**53 + 1,
    2**63 - 1,
    2**63,
    2**64 - 1,
    2**64,
    2**64 + 1,
    -(2**63),
    -(2**64) - 1,
    10**30,
    -(10**30),
    HUGE_INT,
    -HUGE_INT,
    1e308,
    -1e308,
    5e-324,
    float("nan"),
    float("inf"),
    float("-inf"),
]

texts = st.sampled_from(HOSTILE_TEXT) | st.text(max_size=24)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(EDGE_NUMBERS)
    | st.floats(allow_nan=True, allow_infinity=True)
    | texts
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)


def fields_of(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """An object with some of `keys` (and a stranger or two), each holding anything at all."""
    return st.dictionaries(st.sampled_from([*keys, "x", "[b]x[/b]", "\x1b[31m"]), json_values, max_size=12)


def dumps(value: Any) -> str:
    """JSON text as a server could send it (NaN/Infinity included, as Python's parser accepts them)."""
    return json.dumps(value, ensure_ascii=False)
