"""Which RSS articles an auto-download rule matches, computed here as qBittorrent computes it
(`AutoDownloadRule::matches` in src/base/rss/rss_autodownloadrule.cpp), for a live preview.

The server's own answer (`rss/matchingArticles`) needs the rule saved first, and saving an enabled
rule downloads every unread match at once: a preview must not touch the server. The five steps, in
the server's order: ignore days, must contain, must not contain, episode filter, smart filter.
qBittorrent uses PCRE2 and Python `re`: a regex written for one almost always works in the other,
and one that does not compile here is reported, not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from qbtui.api.rss import RssArticle, RssFeed, RssFolder, RssRule, parse_date

#: qBittorrent's default `rss_smart_episode_filters`: s01e01, 01x01, 2017.01.01, 01.01.2017.
DEFAULT_SMART_FILTERS = (
    r"s(\d+)e(\d+)",
    r"(\d+)x(\d+)",
    r"(\d{4}[.\-]\d{1,2}[.\-]\d{1,2})",
    r"(\d{1,2}[.\-]\d{1,2}[.\-]\d{4})",
)
DAY = 86400.0


class RulePatternError(ValueError):
    """A must-contain / must-not-contain regex, or a smart filter, that does not compile."""


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """The server preferences matching depends on."""

    smart_filters: tuple[str, ...] = DEFAULT_SMART_FILTERS
    download_repacks: bool = True
    #: The server's Qt version: wildcards follow it (app/buildInfo's "qt").
    qt: tuple[int, ...] = (6, 8)

    @classmethod
    def from_preferences(cls, values: dict[str, object], qt: tuple[int, ...] = (6, 8)) -> MatchSettings:
        raw = values.get("rss_smart_episode_filters")
        filters = tuple(line for line in raw.splitlines() if line.strip()) if isinstance(raw, str) else ()
        repacks = values.get("rss_download_repack_proper_episodes")
        return cls(filters or DEFAULT_SMART_FILTERS, repacks if isinstance(repacks, bool) else True, qt)


@lru_cache(maxsize=512)
def _compiled(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def wildcard_pattern(wildcard: str, qt: tuple[int, ...] = (6, 8)) -> str | None:
    """Qt's unanchored wildcard conversion, as the server's Qt does it: `*` any text, `?` one
    character, `[...]` a set, everything else literal. A set is negated by `[^` (and by `[!` from Qt
    6 on); a `[` that is never closed makes an invalid expression, which matches nothing (None).
    Qt 6.0 - 6.6.0 converted for paths: `*` and `?` there do not match `/`."""
    qt6 = qt >= (6,)
    path_mode = (6,) <= qt < (6, 6, 1)
    out: list[str] = []
    i, n = 0, len(wildcard)
    while i < n:
        c = wildcard[i]
        i += 1
        if c == "*":
            out.append("[^/]*" if path_mode else ".*")
        elif c == "?":
            out.append("[^/]" if path_mode else ".")
        elif c == "[":
            body = ["["]
            if i < n and (wildcard[i] == "^" or (qt6 and wildcard[i] == "!")):
                body.append("^")
                i += 1
            if i < n and wildcard[i] == "]":
                body.append("\\]")
                i += 1
            while i < n and wildcard[i] != "]":
                body.append("\\\\" if wildcard[i] == "\\" else wildcard[i])
                i += 1
            if i >= n:
                return None
            body.append("]")
            i += 1
            out.append("".join(body))
        else:
            out.append(re.escape(c))
    return "".join(out)


def _expression_matches(rule: RssRule, title: str, expression: str, settings: MatchSettings) -> bool:
    if not expression:
        return True  # "a|" always matches, as the server treats an empty alternative
    if rule.use_regex:
        try:
            return _compiled(expression).search(title) is not None
        except re.error as exc:
            raise RulePatternError(f"the regex {expression!r} does not compile: {exc}") from None
    for token in expression.split():
        pattern = wildcard_pattern(token, settings.qt)
        try:
            if pattern is None or _compiled(pattern).search(title) is None:
                return False
        except re.error:
            return False  # an expression the server's Qt could not compile either matches nothing
    return True


def _alternatives(rule: RssRule, text: str) -> list[str]:
    parts = [text] if rule.use_regex else text.split("|")
    return [] if parts == [""] else parts


def _must_contain(rule: RssRule, title: str, settings: MatchSettings) -> bool:
    parts = _alternatives(rule, rule.must_contain)
    return not parts or any(_expression_matches(rule, title, part, settings) for part in parts)


def _must_not_contain(rule: RssRule, title: str, settings: MatchSettings) -> bool:
    parts = _alternatives(rule, rule.must_not_contain)
    return not parts or not any(_expression_matches(rule, title, part, settings) for part in parts)


_FILTER = re.compile(r"(^\d{1,4})x(.*;$)", re.IGNORECASE | re.DOTALL)
_RANGE_SXXEYY = r"\bs0?(\d{1,4})[ -_\.]?e(0?\d{1,4})(?:\D|\b)"
_RANGE_NXM = r"\b(\d{1,4})x(0?\d{1,4})(?:\D|\b)"


def _to_int(text: str) -> int:
    """QString::toInt: 0 when the text is not a number."""
    try:
        return int(text)
    except ValueError:
        return 0


def episode_filter_problem(text: str) -> str | None:
    """Why the server would reject every article with this episode filter, or None."""
    if not text or _FILTER.match(text):
        return None
    return "an episode filter reads SEASONxEPISODES; with each item ended by ';', e.g. 1x2;8-15;20-;"


def _episode_filter(rule: RssRule, title: str) -> bool:
    if not rule.episode_filter:
        return True
    found = _FILTER.match(rule.episode_filter)
    if found is None:
        return False
    season = found.group(1)
    season_ours = _to_int(season)
    for episode in found.group(2).split(";"):
        if not episode:
            continue
        while len(episode) > 1 and episode.startswith("0"):
            episode = episode[1:]
        if "-" in episode:
            match = _compiled(_RANGE_SXXEYY).search(title) or _compiled(_RANGE_NXM).search(title)
            if match is None:
                continue
            season_theirs, episode_theirs = _to_int(match.group(1)), _to_int(match.group(2))
            if episode.endswith("-"):
                first = _to_int(episode[:-1])
                if (season_theirs == season_ours and episode_theirs >= first) or season_theirs > season_ours:
                    return True
            else:
                bounds = episode.split("-")
                first, last = _to_int(bounds[0]), _to_int(bounds[-1])
                if first <= last and season_theirs == season_ours and first <= episode_theirs <= last:
                    return True
        else:
            s, e = re.escape(season), re.escape(episode)
            if _compiled(rf"\b(?:s0?{s}[ -_\.]?e0?{e}|{s}x0?{e})(?:\D|\b)").search(title):
                return True
    return False


def episode_id(title: str, settings: MatchSettings) -> str:
    """The smart filter's name for the episode in a title ("1x2", "2017.01.01"); "" when none."""
    pattern = r"(?:_|\b)(?:" + "|".join(settings.smart_filters) + r")(?:_|\b)"
    try:
        regex = _compiled(pattern, re.IGNORECASE | re.VERBOSE)
    except re.error as exc:
        raise RulePatternError(f"the server's smart episode filters do not compile here: {exc}") from None
    found = regex.search(title)
    if found is None:
        return ""
    parts = []
    for index in range(1, (found.lastindex or 0) + 1):
        captured = found.group(index)
        if not captured:
            continue
        parts.append(str(int(captured)) if captured.isascii() and captured.isdigit() else captured)
    return "x".join(parts)


def _smart_filter(rule: RssRule, title: str, settings: MatchSettings) -> bool:
    if not rule.smart_filter:
        return True
    episode = episode_id(title, settings)
    if not episode:
        return False
    if episode not in rule.previously_matched:
        return True
    if not settings.download_repacks:
        return False
    repack, proper = "REPACK" in title.upper(), "PROPER" in title.upper()
    if not repack and not proper:
        return False
    full = episode + ("-REPACK" if repack else "") + ("-PROPER" if proper else "")
    return full not in rule.previously_matched


def matches(rule: RssRule, title: str, date: str, settings: MatchSettings = MatchSettings()) -> bool:
    """Whether the rule accepts an article; raises RulePatternError for a regex that cannot work."""
    if rule.ignore_days > 0:
        last = parse_date(rule.last_match)
        if last is not None:
            when = parse_date(date)
            if when is None or when < last + rule.ignore_days * DAY:
                return False
    return (
        _must_contain(rule, title, settings)
        and _must_not_contain(rule, title, settings)
        and _episode_filter(rule, title)
        and _smart_filter(rule, title, settings)
    )


def matching(
    rule: RssRule, root: RssFolder, settings: MatchSettings = MatchSettings()
) -> list[tuple[RssFeed, RssArticle]]:
    """The articles of the rule's feeds that it matches (whether or not it is enabled), feed by
    feed in the rule's order, each feed's newest first."""
    found: list[tuple[RssFeed, RssArticle]] = []
    for url in _unique(rule.affected_feeds):
        feed = root.feed_by_url(url)
        if feed is not None:
            hits = [(feed, a) for a in feed.articles if matches(rule, a.title, a.date, settings)]
            found += sorted(hits, key=lambda hit: hit[1].timestamp or 0.0, reverse=True)
    return found


def preview(
    rule: RssRule, root: RssFolder, settings: MatchSettings = MatchSettings()
) -> dict[str, list[str]]:
    """{feed name: [titles]}, as `rss/matchingArticles` answers for this rule once saved (feeds
    without a match left out)."""
    found: dict[str, list[str]] = {}
    for feed, article in matching(rule, root, settings):
        found.setdefault(feed.name, []).append(article.title)
    return found


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
