"""A small filter language for the torrent table (no Textual here).

    state:downloading ratio<1 size>2G category:linux tracker:~debian !tag:keep
    (cat:linux | cat:bsd) and not state:paused "two words" -name:sample

Grammar (keywords are case-insensitive; quote a word to search names for it)::

    expr    := and ( ("or" | "|") and )*
    and     := unary ( ["and" | "&"] unary )*        -- juxtaposition is AND
    unary   := ("!" | "-" | "not") unary | primary
    primary := "(" expr ")" | term
    term    := FIELD OP value | value                -- a bare value: the name contains it
    OP      := ":" | ":~" | "=" | "!=" | "<" | "<=" | ">" | ">="
    value   := "quoted \\"string\\"" | word

A field value runs to the next whitespace or to a `)` that closes a parenthesis from outside it, so
`tracker:~(deb|ubu)` is one regex and `(cat:a | cat:b)` still closes; a bare word also stops at
`( ) | & "`. Put spaces around `|` and `&` after a field value.

`:` is "contains" (case-insensitive) for text, state family or label for `state`, and `=` for numbers;
`:~` is a case-insensitive regex search; `=`/`!=` are exact (case-insensitive) for text; the
orderings need a number field. Numbers take human units: sizes `2G`, `500M`, `1.5GiB` (bare letters
and `…iB` are 1024-based, `kB`/`MB`/`GB` 1000-based, as in `qbtui.util.units`), rates `1M` or `1M/s`,
durations `90s`, `30m`, `2h`, `1d`, `1w`, `1h30m` (bare numbers are seconds), progress `50%` or `50`,
and `inf`/`∞` where a value can be unlimited (ratio, eta, limits). `added<1d` and friends compare the
time since the event.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from qbtui.api.models import Torrent, TorrentState
from qbtui.model.columns import COLUMNS
from qbtui.util.units import _MULTIPLIERS

#: Longer filter texts are refused outright (a filter is typed by a person).
MAX_LENGTH = 1000
#: Longer regexes are refused; with the structural checks below this bounds the matching cost.
MAX_REGEX_LENGTH = 200
#: Unbounded repeats (`*`, `+`, `{n,}`) allowed in one regex: each one multiplies the worst-case
#: backtracking by the text's length (a search with k of them is O(n^(k+1)) at worst).
MAX_REGEX_STARS = 2
#: A regex looks at only this many leading characters of a value, which bounds that n.
MAX_REGEX_SUBJECT = 256
#: Parentheses nested deeper than this are refused (keeps the recursive parser off the stack limit).
MAX_DEPTH = 50


class FilterError(ValueError):
    """A filter that cannot be compiled; `start`/`end` is the span of the offending text."""

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = max(end, start)

    def __str__(self) -> str:
        return self.message


Predicate = Callable[[Torrent], bool]


@dataclass(frozen=True, slots=True)
class Filter:
    text: str
    _predicate: Predicate = field(repr=False)
    #: Raw torrent fields the result depends on (as in `Column.fields`): a torrent whose change
    #: touches none of them keeps its result. Age fields (`added<1d`) also depend on the clock.
    fields: frozenset[str] = frozenset()
    #: True when the result can change with time alone (`added<1d`, `completed>2h`).
    time_dependent: bool = False

    def matches(self, torrent: Torrent) -> bool:
        return self._predicate(torrent)

    def __call__(self, torrent: Torrent) -> bool:
        return self._predicate(torrent)


# --- fields ---------------------------------------------------------------------------------

_INF = float("inf")


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    #: text | tags | state | size | rate | duration | percent | number | age
    kind: str
    get: Callable[[Torrent], Any]
    raw: frozenset[str]


def _inf_if_none(value: float | None) -> float:
    return _INF if value is None else value


def _fields() -> dict[str, _Field]:
    def col(key: str) -> frozenset[str]:
        return COLUMNS[key].fields

    def raw(names: str) -> frozenset[str]:
        return frozenset(names.split())

    # (canonical name, aliases, kind, getter, raw fields)
    table: list[tuple[str, str, str, Callable[[Torrent], Any], frozenset[str]]] = [
        ("name", "", "text", lambda t: t.name, col("name")),
        ("size", "", "size", lambda t: t.size, col("size")),
        ("total_size", "total", "size", lambda t: t.total_size, raw("total_size")),
        ("progress", "done", "percent", lambda t: t.progress, col("progress")),
        ("state", "status", "state", lambda t: t.state, col("state")),
        ("seeds", "seeders num_seeds", "number", lambda t: t.num_seeds, col("seeds")),
        ("peers", "leechers leechs num_leechs", "number", lambda t: t.num_leechs, col("peers")),
        ("down", "dl dlspeed dl_speed", "rate", lambda t: t.dl_speed, col("down")),
        ("up", "ul upspeed up_speed", "rate", lambda t: t.up_speed, col("up")),
        ("eta", "", "duration", lambda t: _inf_if_none(t.eta), col("eta")),
        ("ratio", "", "number", lambda t: _inf_if_none(t.ratio), col("ratio")),
        ("category", "cat label", "text", lambda t: t.category, col("category")),
        ("tags", "tag", "tags", lambda t: t.tags or ("",), col("tags")),
        ("added", "added_on age", "age", lambda t: t.added_on, col("added")),
        ("completed", "completion_on completed_on", "age", lambda t: t.completion_on, col("completed")),
        ("activity", "last_activity", "age", lambda t: t.last_activity, col("activity")),
        ("queue", "priority queue_position", "number", lambda t: t.queue_position, col("queue")),
        ("save_path", "path savepath location", "text", lambda t: t.save_path, col("save_path")),
        ("content_path", "", "text", lambda t: t.content_path, raw("content_path")),
        ("tracker", "", "text", lambda t: t.tracker, col("tracker")),
        ("downloaded", "", "size", lambda t: t.downloaded, col("downloaded")),
        ("uploaded", "", "size", lambda t: t.uploaded, col("uploaded")),
        (
            "downloaded_session",
            "dl_session",
            "size",
            lambda t: t.downloaded_session,
            raw("downloaded_session"),
        ),
        ("uploaded_session", "ul_session", "size", lambda t: t.uploaded_session, raw("uploaded_session")),
        ("left", "amount_left remaining", "size", lambda t: t.amount_left, col("left")),
        ("dl_limit", "dllimit down_limit", "rate", lambda t: _inf_if_none(t.dl_limit), col("dl_limit")),
        ("up_limit", "uplimit ul_limit", "rate", lambda t: _inf_if_none(t.up_limit), col("up_limit")),
        ("seeding_time", "seedtime seed_time", "duration", lambda t: t.seeding_time, col("seeding_time")),
        ("time_active", "active_time", "duration", lambda t: t.time_active, col("time_active")),
        ("availability", "avail", "number", lambda t: t.availability, col("availability")),
        ("hash", "infohash", "text", lambda t: t.hash, col("hash")),
        ("private", "", "number", lambda t: None if t.private is None else int(t.private), col("private")),
        # The switches of o, F, Z, M and f: 1 when on, 0 when off (`sequential=1`, `forced=0`).
        ("sequential", "seq seq_dl", "number", lambda t: int(t.seq_dl), col("sequential")),
        ("first_last", "f_l_piece_prio", "number", lambda t: int(t.f_l_piece_prio), col("first_last")),
        ("super_seeding", "super", "number", lambda t: int(t.super_seeding), col("super_seeding")),
        ("auto_tmm", "tmm", "number", lambda t: int(t.auto_tmm), col("auto_tmm")),
        ("force_start", "forced", "number", lambda t: int(t.force_start), col("force_start")),
    ]
    result: dict[str, _Field] = {}
    for name, aliases, kind, get, raw_fields in table:
        spec = _Field(name, kind, get, raw_fields)
        for alias in (name, *aliases.split()):
            assert alias not in result, alias
            result[alias] = spec
    return result


#: Every name a filter may use (column keys, attribute names and aliases) and what it means.
FIELDS: dict[str, _Field] = _fields()


# --- values ---------------------------------------------------------------------------------

_SIZE_UNITS = {
    **_MULTIPLIERS,
    "t": 1024**4,
    "ti": 1024**4,
    "tib": 1024**4,
    "tb": 1000**4,
}
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_SIZE = re.compile(rf"({_NUMBER})\s*([a-z]*)")
_RATE = re.compile(rf"({_NUMBER})\s*([a-z]*?)\s*(?:/s|ps)?")
_DURATION_PART = re.compile(rf"({_NUMBER})\s*([a-z]*)")
_DURATION_UNITS = {
    "": 1,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 7 * 86400,
    "wk": 7 * 86400,
    "weeks": 7 * 86400,
    "y": 365 * 86400,
}
_INF_WORDS = frozenset({"inf", "infinity", "∞", "unlimited", "none"})
_UNLIMITED_KINDS = frozenset({"rate", "duration", "number"})

_HELP = {
    "size": "a size like 700M, 2G or 1.5GiB",
    "rate": "a rate like 500K, 1M or 1M/s",
    "duration": "a duration like 90s, 30m, 2h, 1d or 1h30m",
    "age": "a time ago like 30m, 2h, 1d or 1w",
    "percent": "a percentage like 50% or 99.5",
    "number": "a number like 1 or 0.5",
}


def _parse_number(kind: str, text: str) -> float | None:
    """The value in the field's own unit (bytes, bytes/s, seconds, 0..1, plain); None if invalid."""
    lowered = text.strip().lower()
    if lowered in _INF_WORDS and kind in _UNLIMITED_KINDS:
        return _INF
    if kind == "size":
        match = _SIZE.fullmatch(lowered)
        if match is None or match[2] not in _SIZE_UNITS:
            return None
        return float(match[1]) * _SIZE_UNITS[match[2]]
    if kind == "rate":
        match = _RATE.fullmatch(lowered)
        if match is None or match[2] not in _SIZE_UNITS:
            return None
        return float(match[1]) * _SIZE_UNITS[match[2]]
    if kind in ("duration", "age"):
        total = 0.0
        position = 0
        while position < len(lowered):
            match = _DURATION_PART.match(lowered, position)
            if match is None or match[2] not in _DURATION_UNITS:
                return None
            if match[2] == "" and (position or match.end() != len(lowered)):
                return None  # a bare number (seconds) only alone: "1h30" is ambiguous
            total += float(match[1]) * _DURATION_UNITS[match[2]]
            position = match.end()
            while position < len(lowered) and lowered[position] == " ":
                position += 1
        return total if lowered else None
    if kind == "percent":
        match = re.fullmatch(rf"({_NUMBER})\s*%?", lowered)
        return None if match is None else float(match[1]) / 100
    match = re.fullmatch(rf"-?{_NUMBER}", lowered)
    return None if match is None else float(match[0])


# --- regexes ------------------------------------------------------------------------------

try:  # Python 3.11+: the regex parser, used only to refuse patterns prone to catastrophic backtracking
    import re._constants as _sre_constants
    import re._parser as _sre_parser
except ImportError:  # pragma: no cover - other Pythons: length and star caps only
    _sre_parser = None
    _sre_constants = None


def _regex_risk(pattern: str) -> str | None:
    """Why a pattern may backtrack catastrophically, or None (a heuristic, not a proof)."""
    if _sre_parser is None:
        return None
    c = _sre_constants
    repeats = (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None))
    stars = 0

    def walk(items: Iterable[tuple[Any, Any]], inside_repeat: bool) -> str | None:
        nonlocal stars
        for op, arg in items:
            if op in repeats:
                _low, high, sub = arg
                unbounded = high == c.MAXREPEAT or high > 100
                if unbounded:
                    stars += 1
                    if inside_repeat:
                        return "nested repeats like (a+)+ or (.*a){9} can take forever"
                reason = walk(sub, inside_repeat or high > 1)
                if reason:
                    return reason
            elif op is c.BRANCH:
                if inside_repeat:
                    return "alternatives inside a repeat like (a|b)+ can take forever; try [ab]+"
                for branch in arg[1]:
                    reason = walk(branch, inside_repeat)
                    if reason:
                        return reason
            elif op is c.SUBPATTERN:
                reason = walk(arg[-1], inside_repeat)
                if reason:
                    return reason
            elif op in (c.ASSERT, c.ASSERT_NOT):
                reason = walk(arg[1], inside_repeat)
                if reason:
                    return reason
            elif op is c.GROUPREF or op is c.GROUPREF_EXISTS:
                return "back-references are not supported"
        return None

    try:
        reason = walk(_sre_parser.parse(pattern), False)
    except Exception:  # the real compile below reports syntax errors
        return None
    if reason is None and stars > MAX_REGEX_STARS:
        reason = f"more than {MAX_REGEX_STARS} unbounded repeats (*, +, {{n,}})"
    return reason


def _compile_regex(pattern: str, start: int, end: int) -> re.Pattern[str]:
    if len(pattern) > MAX_REGEX_LENGTH:
        raise FilterError(f"regex longer than {MAX_REGEX_LENGTH} characters", start, end)
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError, ValueError) as error:
        message = getattr(error, "msg", None) or str(error)
        raise FilterError(f"bad regex: {message}", start, end) from None
    risk = _regex_risk(pattern)
    if risk:
        raise FilterError(f"regex refused: {risk}", start, end)
    return compiled


# --- tokens -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # ( ) or and not term end
    start: int
    end: int
    field: str = ""
    field_end: int = 0
    op: str = ""
    value: str = ""
    value_start: int = 0
    quoted: bool = False


_FIELD_OP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(:~|:|!=|<=|>=|=|<|>)")
_WORD_STOP = frozenset('()|&"')
_KEYWORDS = {"and": "and", "or": "or", "not": "not"}


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The string opened by the quote at `start` and the index after its closing quote."""
    out: list[str] = []
    position = start + 1
    while position < len(text):
        char = text[position]
        if char == "\\" and position + 1 < len(text):
            out.append(text[position + 1])
            position += 2
        elif char == '"':
            return "".join(out), position + 1
        else:
            out.append(char)
            position += 1
    raise FilterError("unterminated quote", start, len(text))


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    length = len(text)
    while True:
        while position < length and text[position].isspace():
            position += 1
        if position >= length:
            tokens.append(_Token("end", length, length))
            return tokens
        char = text[position]
        if char in "()":
            tokens.append(_Token(char, position, position + 1))
            position += 1
        elif char in "|&":
            end = position + 2 if text.startswith(char * 2, position) else position + 1
            tokens.append(_Token("or" if char == "|" else "and", position, end))
            position = end
        elif char in "!-" and position + 1 < length and not text[position + 1].isspace():
            tokens.append(_Token("not", position, position + 1))
            position += 1
        elif char == '"':
            value, end = _quoted(text, position)
            tokens.append(_Token("term", position, end, value=value, value_start=position, quoted=True))
            position = end
        elif match := _FIELD_OP.match(text, position):
            start = position
            value_start = match.end()
            if value_start < length and text[value_start] == '"':
                value, end = _quoted(text, value_start)
                quoted = True
            else:
                end = value_start
                depth = 0
                while end < length and not text[end].isspace():
                    if text[end] == "(":
                        depth += 1
                    elif text[end] == ")":
                        if depth == 0:
                            break
                        depth -= 1
                    end += 1
                value = text[value_start:end]
                quoted = False
            tokens.append(
                _Token(
                    "term",
                    start,
                    end,
                    field=match[1],
                    field_end=match.end(1),
                    op=match[2],
                    value=value,
                    value_start=value_start,
                    quoted=quoted,
                )
            )
            position = end
        else:
            end = position
            while end < length and not text[end].isspace() and text[end] not in _WORD_STOP:
                end += 1
            word = text[position:end]
            keyword = _KEYWORDS.get(word.lower())
            if keyword:
                tokens.append(_Token(keyword, position, end))
            else:
                tokens.append(_Token("term", position, end, value=word, value_start=position))
            position = end


# --- parser -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Node:
    predicate: Predicate
    fields: frozenset[str]
    time_dependent: bool = False


_TERM_START = frozenset({"term", "(", "not"})


class _Parser:
    def __init__(self, text: str, clock: Callable[[], float]) -> None:
        self.text = text
        self.clock = clock
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def parse(self) -> _Node:
        node = self.expr()
        token = self.token
        if token.kind == ")":
            raise FilterError("unmatched )", token.start, token.end)
        if token.kind != "end":  # pragma: no cover - every other token starts or joins a term
            raise FilterError("unexpected text", token.start, token.end)
        return node

    def expr(self) -> _Node:
        parts = [self.conjunction()]
        while self.token.kind == "or":
            self.advance()
            parts.append(self.conjunction())
        return _any(parts) if len(parts) > 1 else parts[0]

    def conjunction(self) -> _Node:
        parts = [self.unary()]
        while True:
            kind = self.token.kind
            if kind == "and":
                self.advance()
            elif kind not in _TERM_START:
                break
            parts.append(self.unary())
        return _all(parts) if len(parts) > 1 else parts[0]

    def unary(self) -> _Node:
        token = self.token
        if token.kind == "not":
            self.advance()
            self.enter(token)
            try:
                inner = self.unary()
            finally:
                self.depth -= 1
            return _not(inner)
        return self.primary()

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FilterError(f"nested more than {MAX_DEPTH} deep", token.start, token.end)

    def primary(self) -> _Node:
        token = self.advance()
        if token.kind == "(":
            self.enter(token)
            try:
                if self.token.kind == ")":
                    raise FilterError("empty parentheses", token.start, self.token.end)
                node = self.expr()
            finally:
                self.depth -= 1
            closing = self.token
            if closing.kind != ")":
                raise FilterError("unclosed (", token.start, token.end)
            self.advance()
            return node
        if token.kind == "term":
            return self.term(token)
        if token.kind == "end":
            previous = self.tokens[self.index - 1] if self.index else None
            if previous is not None and previous.kind in ("and", "or", "not"):
                raise FilterError(
                    f"expected a term after {self.text[previous.start : previous.end]!r}",
                    previous.start,
                    previous.end,
                )
            raise FilterError("expected a term", token.start, token.end)  # pragma: no cover
        if token.kind == ")":
            raise FilterError("unmatched )", token.start, token.end)
        raise FilterError(
            f"expected a term, not {self.text[token.start : token.end]!r}", token.start, token.end
        )

    def term(self, token: _Token) -> _Node:
        if not token.field:
            return _text_node(FIELDS["name"], ":", token.value, token, self)
        spec = FIELDS.get(token.field.lower())
        if spec is None:
            raise FilterError(
                f"unknown field {token.field!r} (quote the text to search names for it)",
                token.start,
                token.field_end,
            )
        if not token.value and not token.quoted:
            raise FilterError(
                f"expected a value after {self.text[token.start : token.value_start]!r}",
                token.start,
                token.end,
            )
        if spec.kind in ("text", "tags"):
            return _text_node(spec, token.op, token.value, token, self)
        if spec.kind == "state":
            return _state_node(spec, token, self)
        return _number_node(spec, token, self)

    def value_error(self, message: str, token: _Token) -> FilterError:
        return FilterError(message, token.value_start, token.end)


def _all(parts: list[_Node]) -> _Node:
    predicates = tuple(part.predicate for part in parts)
    return _Node(
        lambda t: all(p(t) for p in predicates),
        frozenset().union(*(part.fields for part in parts)),
        any(part.time_dependent for part in parts),
    )


def _any(parts: list[_Node]) -> _Node:
    predicates = tuple(part.predicate for part in parts)
    return _Node(
        lambda t: any(p(t) for p in predicates),
        frozenset().union(*(part.fields for part in parts)),
        any(part.time_dependent for part in parts),
    )


def _not(inner: _Node) -> _Node:
    predicate = inner.predicate
    return _Node(lambda t: not predicate(t), inner.fields, inner.time_dependent)


def _text_test(op: str, value: str, token: _Token, parser: _Parser) -> Callable[[str], bool]:
    if op == ":":
        needle = value.casefold()
        return lambda s: needle in s.casefold()
    if op == ":~":
        pattern = _compile_regex(value, token.value_start, token.end)
        return lambda s: pattern.search(s, 0, MAX_REGEX_SUBJECT) is not None
    if op == "=":
        wanted = value.casefold()
        return lambda s: s.casefold() == wanted
    if op == "!=":
        unwanted = value.casefold()
        return lambda s: s.casefold() != unwanted
    raise FilterError(
        f"{op} needs a number field; use : (contains), :~ (regex), = or != for text",
        token.field_end,
        token.value_start,
    )


def _text_node(spec: _Field, op: str, value: str, token: _Token, parser: _Parser) -> _Node:
    test = _text_test(op, value, token, parser)
    get = spec.get
    if spec.kind == "tags":
        if op == "!=":  # no tag equals the value
            unwanted = value.casefold()
            return _Node(lambda t: all(tag.casefold() != unwanted for tag in get(t)), spec.raw)
        return _Node(lambda t: any(test(tag) for tag in get(t)), spec.raw)
    return _Node(lambda t: test(get(t)), spec.raw)


#: State families the sidebar doesn't have but people type.
_EXTRA_FAMILIES: dict[str, frozenset[TorrentState]] = {
    "queued": frozenset({TorrentState.QUEUED_DL, TorrentState.QUEUED_UP, TorrentState.QUEUED_FOR_CHECKING}),
    "error": frozenset({TorrentState.ERROR, TorrentState.MISSING_FILES}),
}
_SPEED_FAMILIES = frozenset({"active", "inactive"})


def _state_node(spec: _Field, token: _Token, parser: _Parser) -> _Node:
    from qbtui.model import view  # imported late: the view may import this module

    op = token.op
    value = token.value.strip().casefold()
    families = set(view.STATUS_FILTERS) - {"all"}
    fields = spec.raw
    if op == ":" and (value in families or value in _EXTRA_FAMILIES):
        if value in _EXTRA_FAMILIES:
            members = _EXTRA_FAMILIES[value]
            return _Node(lambda t: t.state in members, fields)
        if value in _SPEED_FAMILIES:
            fields = fields | COLUMNS["down"].fields | COLUMNS["up"].fields
        statuses = view._statuses
        return _Node(lambda t: value in statuses(t), fields)
    if op in (":", "=", "!="):
        names = {state: (state.label.casefold(), state.value.casefold()) for state in TorrentState}
        if op == ":":
            matching = frozenset(s for s, (label, raw) in names.items() if value in label or value in raw)
        else:
            matching = frozenset(s for s, (label, raw) in names.items() if value in (label, raw))
        if not matching:
            known = ", ".join(sorted(families | set(_EXTRA_FAMILIES)))
            raise parser.value_error(f"no state {token.value!r}; try one of {known}", token)
        if op == "!=":
            return _Node(lambda t: t.state not in matching, fields)
        return _Node(lambda t: t.state in matching, fields)
    if op == ":~":
        pattern = _compile_regex(token.value, token.value_start, token.end)
        matching = frozenset(s for s in TorrentState if pattern.search(s.label) or pattern.search(s.value))
        return _Node(lambda t: t.state in matching, fields)
    raise FilterError(
        f"{op} needs a number field; use state:downloading, state=seeding or state:~regex",
        token.field_end,
        token.value_start,
    )


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ":": lambda a, b: a == b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _number_node(spec: _Field, token: _Token, parser: _Parser) -> _Node:
    if token.op == ":~":
        raise FilterError(
            f"{spec.name} is a number: compare it with =, !=, <, <=, > or >=",
            token.field_end,
            token.value_start,
        )
    wanted = _parse_number(spec.kind, token.value)
    if wanted is None:
        raise parser.value_error(f"{token.value!r} is not {_HELP[spec.kind]} (for {spec.name})", token)
    compare = _COMPARE[token.op]
    get = spec.get
    if spec.kind == "age":
        clock = parser.clock

        def by_age(t: Torrent) -> bool:
            stamp = get(t)
            if stamp is None or stamp <= 0:
                return False
            return compare(clock() - stamp, wanted)

        return _Node(by_age, spec.raw, time_dependent=True)

    def by_value(t: Torrent) -> bool:
        have = get(t)
        return have is not None and compare(have, wanted)

    return _Node(by_value, spec.raw)


def _match_all(torrent: Torrent) -> bool:
    return True


def compile_filter(text: str, *, clock: Callable[[], float] = time.time) -> Filter:
    """Compile a filter; an empty (or all-blank) text matches everything. Raises only FilterError."""
    if not isinstance(text, str):
        raise FilterError("a filter is text", 0, 0)
    if len(text) > MAX_LENGTH:
        raise FilterError(f"filter longer than {MAX_LENGTH} characters", MAX_LENGTH, len(text))
    if not text.strip():
        return Filter(text, _match_all)
    try:
        node = _Parser(text, clock).parse()
    except FilterError:
        raise
    except RecursionError:  # pragma: no cover - MAX_DEPTH and MAX_LENGTH keep well below the limit
        raise FilterError("filter nested too deeply", 0, len(text)) from None
    return Filter(text, node.predicate, node.fields, node.time_dependent)
