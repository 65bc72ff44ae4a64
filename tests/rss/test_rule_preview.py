"""The rule preview (qbtui.model.rss_match) computes what the server's own matchingArticles answers:
the same rules, saved disabled on the real servers, must give the same articles from the same feed.
And it is computed without the server: nothing is saved while a rule is edited."""

from __future__ import annotations

import pytest

from qbtui.api.models import Preferences
from qbtui.api.rss import RssApi, RssRule
from qbtui.model.rss_match import (
    MatchSettings,
    RulePatternError,
    episode_filter_problem,
    episode_id,
    matches,
    preview,
    wildcard_pattern,
)
from tests.rss.conftest import BASE, DAY, api_for, show_items, wait_for_feed
from tests.support.loopsite import LoopSite, rss_feed
from tests.support.noxserver import NoxInstance


def rules_for(url: str) -> dict[str, RssRule]:
    def rule(**fields: object) -> RssRule:
        return RssRule(enabled=False, affected_feeds=(url,), **fields)  # type: ignore[arg-type]

    from datetime import UTC, datetime
    from email.utils import format_datetime

    third = format_datetime(datetime.fromtimestamp(BASE + 3 * DAY, UTC))
    return {
        "everything": rule(),
        "wildcard star": rule(must_contain="show*720p"),
        "all tokens": rule(must_contain="show 1080p"),
        "alternatives": rule(must_contain="S01E09|special"),
        "question and set": rule(must_contain="S0?E0[1-2]"),
        "negated set": rule(must_contain="S01E0[!12]"),
        "caret set": rule(must_contain="S01E0[^12]"),
        "unclosed set": rule(must_contain="S01E0[12"),
        "brackets as a set": rule(must_contain="[x265]"),
        "parentheses literal": rule(must_contain="(Complete)"),
        "must not": rule(must_contain="show", must_not_contain="repack|other"),
        "regex": rule(use_regex=True, must_contain=r"S0[12]E0[12]"),
        "regex case": rule(use_regex=True, must_contain=r"show\.name\.s01", must_not_contain=r"\.1080p$"),
        "episodes": rule(must_contain="Show.Name", episode_filter="1x1-2;9;"),
        "open range": rule(must_contain="Show.Name", episode_filter="1x5-;"),
        "next season": rule(episode_filter="2x1;"),
        "malformed filter": rule(episode_filter="season one"),
        "smart": rule(must_contain="Show.Name", smart_filter=True, previously_matched=("1x2", "1x9")),
        "smart dates": rule(must_contain="Daily", smart_filter=True),
        "ignore days": rule(ignore_days=2, last_match=third),
        "other feed": RssRule(enabled=False, affected_feeds=("http://127.0.0.1:9/none.xml",)),
    }


@pytest.mark.nox
async def test_preview_is_what_the_server_matches(rss_nox: NoxInstance, site: LoopSite) -> None:
    items = show_items(site)
    url = site.serve("/show.xml", rss_feed("The Show", items), "application/rss+xml")
    api = await api_for(rss_nox)
    rss = RssApi(api)
    try:
        await rss.add_feed(url, "Show")
        await rss.refresh_item("Show")
        await wait_for_feed(rss, "Show", len(items))
        root = await rss.items()
        settings = MatchSettings.from_preferences((await api.preferences()).values, await rss.server_qt())
        assert settings.qt[0] == (5 if not rss_nox.at_least(5) else 6)
        rules = rules_for(url)
        for name, rule in rules.items():
            await rss.set_rule(name, rule)
        differences = {}
        for name, rule in rules.items():
            ours, theirs = preview(rule, root, settings), await rss.matching_articles(name)
            if {k: sorted(v) for k, v in ours.items()} != {k: sorted(v) for k, v in theirs.items()}:
                differences[name] = (ours, theirs)
        assert differences == {}
        # The cases are not vacuous: the server matched something for most of them, and not all.
        matched = [name for name in rules if preview(rules[name], root, settings)]
        assert 10 < len(matched) < len(rules)
    finally:
        await api.close()


def test_wildcards_are_qt_wildcards() -> None:
    assert wildcard_pattern("a*b?c") == "a.*b.c"
    assert wildcard_pattern("[!x]y") == "[^x]y"
    assert wildcard_pattern("[!x]y", (5, 15)) == "[!x]y"  # Qt 5 negates with ^ only
    assert wildcard_pattern("[^x]y", (5, 15)) == "[^x]y"
    assert wildcard_pattern("[]a]") == r"[\]a]"
    assert wildcard_pattern("no[close") is None  # an invalid expression: matches nothing
    assert wildcard_pattern("a.b(c)") == r"a\.b\(c\)"
    assert wildcard_pattern("a*b", (6, 5)) == "a[^/]*b"  # Qt 6.0 - 6.6.0 converted for paths


def test_matching_step_by_step() -> None:
    rule = RssRule(must_contain="show 720p|special", must_not_contain="cam")
    assert matches(rule, "The.Show.720p", "")
    assert not matches(rule, "The.Show.1080p", "")  # every token of an alternative
    assert matches(rule, "A Special", "")
    assert not matches(rule, "A Special CAM", "")  # case-insensitive
    assert matches(RssRule(must_contain="show|"), "nothing alike", "")  # an empty alternative matches
    with pytest.raises(RulePatternError, match="does not compile"):
        matches(RssRule(use_regex=True, must_contain="(unclosed"), "x", "")
    assert episode_id("Show.S01E02.REPACK", MatchSettings()) == "1x2"
    assert episode_id("Daily.2024.01.05", MatchSettings()) == "2024.01.05"
    assert episode_id("no episode here", MatchSettings()) == ""
    smart = RssRule(smart_filter=True, previously_matched=("1x2",))
    assert not matches(smart, "Show.S01E02", "")
    assert matches(smart, "Show.S01E02.PROPER", "")
    assert not matches(smart, "Show.S01E02.PROPER", "", MatchSettings(download_repacks=False))
    assert episode_filter_problem("1x2;8-15;20-;") is None
    assert episode_filter_problem("1x2") is not None  # each item ends with ';'


def test_settings_from_the_server_preferences() -> None:
    prefs = Preferences(
        {"rss_smart_episode_filters": "ep(\\d+)\n\n", "rss_download_repack_proper_episodes": False}
    )
    settings = MatchSettings.from_preferences(prefs.values)
    assert settings.smart_filters == ("ep(\\d+)",) and settings.download_repacks is False
    assert MatchSettings.from_preferences({}) == MatchSettings()
