"""The filter language: parsing, units, precedence, error spans, hostile input, matching real torrents."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qbtui.api.models import Torrent
from qbtui.model.columns import COLUMNS
from qbtui.model.filterlang import FIELDS, MAX_LENGTH, FilterError, compile_filter

NOW = 1_700_000_000
GIB = 1024**3
MIB = 1024**2


def torrent(hash: str = "a" * 40, **raw: object) -> Torrent:
    return Torrent.from_raw(raw, hash=hash)


DEBIAN = torrent(
    "d" * 40,
    name="Debian 12 netinst",
    state="downloading",
    size=3 * GIB,
    progress=0.4,
    ratio=0.5,
    category="linux",
    tags="iso, keep",
    tracker="http://bttracker.debian.org:6969/announce",
    dlspeed=2 * MIB,
    upspeed=0,
    eta=3600,
    added_on=NOW - 3600,
    num_seeds=12,
    num_leechs=3,
    save_path="/data/Linux ISOs",
    seeding_time=0,
)
UBUNTU = torrent(
    "e" * 40,
    name="ubuntu-24.04-desktop-amd64.iso",
    state="uploading",
    size=5 * GIB,
    progress=1.0,
    ratio=2.5,
    category="linux",
    tags="",
    tracker="https://torrent.ubuntu.com/announce",
    upspeed=500 * 1024,
    added_on=NOW - 10 * 86400,
    completion_on=NOW - 9 * 86400,
    seeding_time=9 * 86400,
    num_seeds=40,
    dl_limit=-1,
    up_limit=1024 * 1024,
)
PAUSED = torrent(
    "f" * 40,
    name="Big Buck Bunny",
    state="pausedDL",
    size=300 * MIB,
    progress=0.0,
    ratio=-1,  # above the 9999 cap: infinite
    category="",
    tags="movies",
    tracker="",
    eta=8640000,
)
ALL = (DEBIAN, UBUNTU, PAUSED)


def matching(text: str) -> set[str]:
    flt = compile_filter(text, clock=lambda: NOW)
    return {t.name.split()[0].split("-")[0].lower() for t in ALL if flt.matches(t)}


def error(text: str) -> tuple[str, str]:
    """The error's underlined text and message."""
    with pytest.raises(FilterError) as info:
        compile_filter(text)
    return text[info.value.start : info.value.end], info.value.message


# --- basics -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty_matches_everything(text: str) -> None:
    flt = compile_filter(text)
    assert all(flt.matches(t) for t in ALL)
    assert flt.fields == frozenset()


def test_the_example_from_the_issue() -> None:
    text = "state:downloading ratio<1 size>2G category:linux tracker:~debian !tag:keep"
    assert matching(text) == set()
    assert matching(text.replace("!tag:keep", "tag:keep")) == {"debian"}
    assert compile_filter(text).fields == {
        "state",
        "ratio",
        "size",
        "category",
        "label",
        "tracker",
        "tags",
    }


def test_every_column_is_a_field_with_the_columns_raw_fields() -> None:
    for key, column in COLUMNS.items():
        assert key in FIELDS, key
        assert FIELDS[key].raw == column.fields, key


@pytest.mark.parametrize(
    "alias",
    [
        "name",
        "state",
        "status",
        "category",
        "cat",
        "tag",
        "tags",
        "tracker",
        "size",
        "progress",
        "done",
        "ratio",
        "dl",
        "down",
        "dlspeed",
        "up",
        "upspeed",
        "eta",
        "added",
        "completed",
        "seeds",
        "peers",
        "save_path",
        "path",
        "seeding_time",
        "hash",
    ],
)
def test_aliases_exist(alias: str) -> None:
    assert alias in FIELDS


def test_field_names_are_case_insensitive() -> None:
    assert matching("CAT:LINUX Name:DEBIAN") == {"debian"}


# --- text operators --------------------------------------------------------------------------


def test_bare_words_search_names_case_insensitively() -> None:
    assert matching("DEBIAN") == {"debian"}
    assert matching("iso") == {"ubuntu"}
    assert matching("debian netinst") == {"debian"}  # both words, anywhere
    assert compile_filter("debian").fields == {"name"}


def test_quoted_strings() -> None:
    assert matching('"buck bunny"') == {"big"}
    assert matching('"bunny buck"') == set()
    assert matching('"and"') == set()  # a quoted keyword is a word
    assert matching('path:"linux isos"') == {"debian"}
    assert matching(r'"say \"hi\""') == set()
    assert matching('name:"Re:Zero"') == set()


def test_contains_regex_exact_and_not_equal() -> None:
    assert matching("tracker:debian") == {"debian"}
    assert matching("tracker:~^https://") == {"ubuntu"}
    assert matching(r"name:~\d+\.\d+") == {"ubuntu"}
    assert matching("tracker:~DEBIAN") == {"debian"}  # case-insensitive
    assert matching("cat=linux") == {"debian", "ubuntu"}
    assert matching("cat=LINUX") == {"debian", "ubuntu"}
    assert matching("cat=lin") == set()
    assert matching('cat=""') == {"big"}  # uncategorized
    assert matching("cat!=linux") == {"big"}


def test_tags_match_any_tag() -> None:
    assert matching("tag:keep") == {"debian"}
    assert matching("tag=iso") == {"debian"}
    assert matching("tag=is") == set()
    assert matching('tag=""') == {"ubuntu"}  # untagged
    assert matching("tag!=keep") == {"ubuntu", "big"}
    assert matching("tags:~^mov") == {"big"}


def test_state_families_labels_and_raw_names() -> None:
    assert matching("state:downloading") == {"debian", "big"}  # the sidebar's family: paused DL too
    assert matching("state:seeding") == {"ubuntu"}
    assert matching("state:completed") == {"ubuntu"}
    assert matching("state:paused") == {"big"}
    assert matching("state:active") == {"debian", "ubuntu"}
    assert matching("state:inactive") == {"big"}
    assert matching("state:stalled") == set()
    assert matching("state:queued") == set()
    assert matching("state=downloading") == {"debian"}  # exact label
    assert matching("state=pausedDL") == {"big"}  # raw API name
    assert matching("state!=downloading") == {"ubuntu", "big"}
    assert matching("state:~^(paused|seed)") == {"big", "ubuntu"}
    assert compile_filter("state:active").fields == {"state", "dlspeed", "upspeed"}
    assert compile_filter("state:paused").fields == {"state"}


def test_stopped_is_paused_on_new_servers() -> None:
    stopped = torrent(state="stoppedUP")
    assert compile_filter("state:paused").matches(stopped)
    assert compile_filter("state:completed").matches(stopped)


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("size>2G", {"debian", "ubuntu"}),
        ("size>4G", {"ubuntu"}),
        ("size<500M", {"big"}),
        ("size<=300M", {"big"}),
        ("size>=300MiB", {"debian", "ubuntu", "big"}),
        ("size>314572800", {"debian", "ubuntu"}),  # plain bytes
        ("size=3G", {"debian"}),
        ("size:3G", {"debian"}),  # : is = for numbers
        ("size!=3G", {"ubuntu", "big"}),
        ("size>1.5GiB", {"debian", "ubuntu"}),
        ("size>3.1GB", {"debian", "ubuntu"}),  # 1000-based GB: 3.1e9 < 3 GiB
        ("size<0.01T", {"big", "debian", "ubuntu"}),
        ("dl>1M", {"debian"}),
        ("dl>1M/s", {"debian"}),
        ("down>=2MiB/s", {"debian"}),
        ("up>0", {"ubuntu"}),
        ("up<1K", {"debian", "big"}),
        ("up_limit<=1M", {"ubuntu"}),
        ("dl_limit=inf", {"debian", "ubuntu", "big"}),  # unlimited
        ("progress<50%", {"debian", "big"}),
        ("progress>=100%", {"ubuntu"}),
        ("done>39.5", {"debian", "ubuntu"}),  # a bare progress is a percentage too
        ("progress=0", {"big"}),
        ("ratio<1", {"debian"}),
        ("ratio>=2.5", {"ubuntu", "big"}),  # above the cap counts as infinite
        ("ratio=inf", {"big"}),
        ("eta<=1h", {"debian"}),
        ("eta<30m", set()),
        ("eta>1w", {"big", "ubuntu"}),  # ubuntu's eta is absent: infinite
        ("eta<3601", {"debian"}),  # bare seconds
        ("eta<1h30m", {"debian"}),
        ("added<2h", {"debian"}),
        ("added>1d", {"ubuntu"}),
        ("added>1w", {"ubuntu"}),
        ("completed<10d", {"ubuntu"}),  # the field, not the family
        ("seeding_time>=9d", {"ubuntu"}),
        ("seeds>10", {"debian", "ubuntu"}),
        ("peers>0", {"debian"}),
    ],
)
def test_numeric_comparisons_and_units(text: str, expected: set[str]) -> None:
    assert matching(text) == expected


def test_age_filters_follow_the_clock() -> None:
    now = [NOW]
    flt = compile_filter("added<2h", clock=lambda: now[0])
    assert flt.time_dependent
    assert flt.matches(DEBIAN)
    now[0] += 2 * 3600
    assert not flt.matches(DEBIAN)
    assert not compile_filter("size>1").time_dependent


def test_added_uses_the_real_clock_by_default() -> None:
    fresh = torrent(added_on=int(time.time()) - 60)
    assert compile_filter("added<5m").matches(fresh)


# --- boolean structure -------------------------------------------------------------------------


def test_precedence_and_binds_tighter_than_or() -> None:
    # a b | c == (a and b) or c
    assert matching("debian cat:linux | bunny") == {"debian", "big"}
    assert matching("(debian cat:linux) | bunny") == {"debian", "big"}
    assert matching("debian (cat:linux | bunny)") == {"debian"}
    assert matching("bunny | debian ratio>1") == {"big"}
    assert matching("ubuntu | debian and ratio<1") == {"ubuntu", "debian"}


@pytest.mark.parametrize(
    "text",
    [
        "cat:linux ratio<1",
        "cat:linux and ratio<1",
        "cat:linux AND ratio<1",
        "cat:linux & ratio<1",
        "cat:linux && ratio<1",
    ],
)
def test_and_spellings(text: str) -> None:
    assert matching(text) == {"debian"}


@pytest.mark.parametrize("text", ["debian or bunny", "debian OR bunny", "debian | bunny", "debian || bunny"])
def test_or_spellings(text: str) -> None:
    assert matching(text) == {"debian", "big"}


@pytest.mark.parametrize(
    "text",
    ["!cat:linux", "-cat:linux", "not cat:linux", "NOT cat:linux", "!(cat:linux)", "- cat:x | !cat:linux"],
)
def test_negation_spellings(text: str) -> None:
    if text.startswith("- "):  # a lone dash is a word, not a negation
        assert matching(text) == {"big", "ubuntu"}
        return
    assert matching(text) == {"big"}


def test_negation_binds_tighter_than_and_and_stacks() -> None:
    assert matching("!cat:linux bunny") == {"big"}
    assert matching("!(cat:linux | bunny)") == set()
    assert matching("not not cat:linux") == {"debian", "ubuntu"}
    assert matching("!-cat:linux") == {"debian", "ubuntu"}


def test_dashes_inside_words_and_values_are_not_negation() -> None:
    assert matching("24.04-desktop") == {"ubuntu"}
    assert matching("ratio>-1") == {"debian", "ubuntu", "big"}


def test_nested_parentheses_and_regex_parentheses() -> None:
    assert matching("((cat:linux) (ratio<1 | ratio>2))") == {"debian", "ubuntu"}
    assert matching("(tracker:~(debian|ubuntu))") == {"debian", "ubuntu"}
    # without spaces, | belongs to the field value: category contains "linux|cat:x"
    assert matching("(cat:linux|cat:x)") == set()


def test_fields_is_the_union_of_the_terms() -> None:
    flt = compile_filter("(name:a | seeds>1) !tag:x")
    assert flt.fields == {"name", "num_seeds", "num_complete", "tags"}


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "underlined", "message"),
    [
        ("size>", "size>", "expected a value"),
        ("size>2Q", "2Q", "not a size"),
        ("cat:linux size>=2Q ratio<1", "2Q", "not a size"),
        ("nosuchfield:x", "nosuchfield", "unknown field"),
        ("debian http://x", "http", "unknown field"),
        ("tracker:~(", "(", "bad regex"),
        ("a tracker:~[z-a]", "[z-a]", "bad regex"),
        ("tracker:~(a+)+$", "(a+)+$", "nested repeats"),
        ("name:~(a|aa)*b", "(a|aa)*b", "alternatives inside a repeat"),
        (r"name:~(a)\1", r"(a)\1", "back-references"),
        ("name:~.*a.*b.*c", ".*a.*b.*c", "unbounded repeats"),
        ("(a", "(", "unclosed"),
        ("((a) b", "(", "unclosed"),
        ("a)", ")", "unmatched"),
        ("(a))", ")", "unmatched"),
        ("()", "()", "empty"),
        ('"abc', '"abc', "unterminated"),
        ('name:"abc', '"abc', "unterminated"),
        ("a |", "|", "expected a term"),
        ("a and", "and", "expected a term"),
        ("not", "not", None),
        ("| a", "|", "expected a term"),
        ("a | | b", "|", "expected a term"),
        ("state:nonsense", "nonsense", "no state"),
        ("name<3", "<", "needs a number"),
        ("ratio:~1", ":~", "is a number"),
        ("progress>half", "half", "percentage"),
        ("eta<1h30", "1h30", "duration"),
        ("added<yesterday", "yesterday", "time ago"),
        ("ratio<1x", "1x", "number"),
        ("size>inf", "inf", "size"),
    ],
)
def test_error_spans(text: str, underlined: str, message: str | None) -> None:
    got_underlined, got_message = error(text)
    assert got_underlined == underlined
    if message:
        assert message in got_message


def test_not_alone_is_a_search_word() -> None:
    # `not` alone is a keyword with nothing after it; a quoted "not" is a word
    assert error("not")[1].startswith("expected a term")
    assert matching('"not"') == set()


def test_unclosed_paren_underlines_the_opening_one() -> None:
    with pytest.raises(FilterError) as info:
        compile_filter("cat:a (b | (c)")
    assert (info.value.start, info.value.end) == (6, 7)


def test_too_long_and_too_deep() -> None:
    with pytest.raises(FilterError, match="longer than"):
        compile_filter("a" * (MAX_LENGTH + 1))
    compile_filter("a" * MAX_LENGTH)
    with pytest.raises(FilterError, match="nested"):
        compile_filter("(" * 300 + "a" + ")" * 300)
    with pytest.raises(FilterError, match="nested"):
        compile_filter("!" * 300 + "a")
    with pytest.raises(FilterError, match="regex longer"):
        compile_filter("name:~" + "a" * 300)


def test_filter_error_is_a_value_error_with_a_span() -> None:
    with pytest.raises(ValueError) as info:
        compile_filter("size>2Q")
    assert isinstance(info.value, FilterError)
    assert str(info.value) == info.value.message


# --- hostile input -----------------------------------------------------------------------------

_ATOMS = st.sampled_from(
    [
        "(",
        ")",
        "|",
        "&",
        "!",
        "-",
        '"',
        "\\",
        " ",
        ":",
        ":~",
        "=",
        "!=",
        "<",
        ">=",
        "and",
        "or",
        "not",
        "size",
        "state",
        "tag",
        "ratio",
        "added",
        "tracker",
        "name",
        "2G",
        "1.5",
        "50%",
        "1h30m",
        "inf",
        "[",
        "*",
        "+",
        "(?",
        "{2,}",
        "\\1",
        "∞",
        "\x00",
    ]
)


def _check(text: str) -> None:
    try:
        flt = compile_filter(text, clock=lambda: NOW)
    except FilterError as exc:
        assert 0 <= exc.start <= exc.end <= max(len(text), exc.start)
        return
    for t in ALL:
        assert isinstance(flt.matches(t), bool)
    assert isinstance(flt.fields, frozenset)


@given(st.lists(_ATOMS, max_size=30).map("".join))
def test_hostile_token_soup_raises_only_filter_error(text: str) -> None:
    _check(text)


@given(st.text(max_size=200))
def test_hostile_text_raises_only_filter_error(text: str) -> None:
    _check(text)


@given(
    st.sampled_from(sorted(FIELDS)), st.sampled_from([":", ":~", "=", "!=", "<", "<=", ">", ">="]), st.text()
)
def test_every_field_and_operator_raises_only_filter_error(field: str, op: str, value: str) -> None:
    _check(f"{field}{op}{value}")
    _check(f'{field}{op}"{value}"')


@pytest.mark.parametrize(
    "pattern",
    ["(a+)+$", "(a*)*$", "(a|a)*$", "(.*a){20}", "(a+){2,}$", "(?:a+)+b", "(?=(a+)+)b"],
)
def test_catastrophic_regexes_are_refused(pattern: str) -> None:
    with pytest.raises(FilterError):
        compile_filter(f"name:~{pattern}")


def test_accepted_regexes_stay_fast_on_long_names() -> None:
    victim = torrent(name="a" * 5000 + "!")
    start = time.perf_counter()
    for pattern in ["a*a*a*b", "a*a*b", "^(a+b)$", ".*.*.*x", ".*.*x", "[ab]+$", r"(\w+\s?)+x"]:
        try:
            flt = compile_filter(f"name:~{pattern}")
        except FilterError:
            continue
        flt.matches(victim)
    assert time.perf_counter() - start < 2


def test_regexes_read_only_the_first_characters_of_a_value() -> None:
    from qbtui.model.filterlang import MAX_REGEX_SUBJECT

    long_name = torrent(name="x" * MAX_REGEX_SUBJECT + "needle")
    assert compile_filter("name:needle").matches(long_name)  # contains reads it all
    assert not compile_filter("name:~needle").matches(long_name)  # the documented regex bound


def test_the_toggle_switches_filter_as_numbers() -> None:
    from qbtui.api.models import Torrent

    on = Torrent(hash="a", seq_dl=True, force_start=True)
    off = Torrent(hash="b")
    assert compile_filter("sequential=1").matches(on) and not compile_filter("seq=1").matches(off)
    assert compile_filter("forced=0").matches(off) and not compile_filter("forced=0").matches(on)
