"""The auto-download rules (w in the RSS screen) against the real servers: the editor's live preview
is what the server matches once the rule is saved, saving sends the whole rule, enabling a rule
that would download at once asks first, and rename / clone / remove by key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from qbtui.api.rss import RssApi, RssRule
from qbtui.model.rss_match import MatchSettings, preview
from qbtui.ui.screens.dialogs import ConfirmDialog, TextPrompt
from qbtui.ui.screens.rss_rule_editor import RuleEditor
from qbtui.ui.screens.rss_rules import RulesScreen
from tests.rss.conftest import api_for
from tests.rss.test_rss_screen import app_for, open_rss, with_show_feed
from tests.support.loopsite import LoopSite
from tests.support.noxserver import NoxInstance
from tests.ui.helpers import until

pytestmark = pytest.mark.nox


async def server_rules(nox: NoxInstance) -> dict[str, RssRule]:
    api = await api_for(nox)
    try:
        return await RssApi(api).rules()
    finally:
        await api.close()


async def open_rules(pilot, app) -> RulesScreen:  # type: ignore[no-untyped-def]
    await open_rss(pilot, app)
    await pilot.press("w")
    await until(pilot, lambda: isinstance(app.screen, RulesScreen) and app.screen.keys_ready.is_set())
    return app.screen  # type: ignore[no-any-return]


async def type_into(pilot, editor: RuleEditor, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    editor.query_one(selector, Input).focus()
    await pilot.press("ctrl+u", *text)


async def test_the_preview_is_what_the_server_matches_once_saved(
    rss_nox: NoxInstance, site: LoopSite, tmp_path: Path
) -> None:
    url = await with_show_feed(rss_nox, site, tmp_path)
    app = app_for(rss_nox, tmp_path)
    async with app.run_test(size=(160, 50)) as pilot:
        rules = await open_rules(pilot, app)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, RuleEditor))
        editor = app.screen
        assert isinstance(editor, RuleEditor)
        await pilot.press(*"Shows")
        await type_into(pilot, editor, "#rule-must", "Show.Name")
        await type_into(pilot, editor, "#rule-must-not", "repack")
        await type_into(pilot, editor, "#rule-episodes", "1x1-9;")
        # The preview follows each edit without saving anything.
        title = editor.query_one("#rule-preview-title", Static)
        await until(pilot, lambda: "Matching articles: 4 (4 unread)" in str(title.render()), what="preview")
        assert await server_rules(rss_nox) == {}
        shown = str(editor.query_one("#rule-preview", Static).render())
        assert "Show.Name.S01E09.720p" in shown and "REPACK" not in shown
        # Esc with edits asks; cancelling keeps the form.
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is editor)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is rules and "Shows" in rules.rules, what="saved")
        saved = (await server_rules(rss_nox))["Shows"]
        assert (saved.enabled, saved.must_contain, saved.must_not_contain, saved.episode_filter) == (
            False,
            "Show.Name",
            "repack",
            "1x1-9;",
        )
        assert saved.affected_feeds == (url,)
        api = await api_for(rss_nox)
        try:
            rss = RssApi(api)
            theirs = await rss.matching_articles("Shows")
            settings = MatchSettings.from_preferences((await api.preferences()).values, await rss.server_qt())
            ours = preview(saved, await rss.items(), settings)
        finally:
            await api.close()
        assert {k: sorted(v) for k, v in ours.items()} == {k: sorted(v) for k, v in theirs.items()}
        assert sum(map(len, theirs.values())) == 4


async def test_enabling_a_rule_that_would_download_asks(
    rss_nox: NoxInstance, site: LoopSite, tmp_path: Path
) -> None:
    url = await with_show_feed(rss_nox, site, tmp_path)
    api = await api_for(rss_nox)
    rss = RssApi(api)
    try:
        await rss.set_rule("Matches", RssRule(enabled=False, must_contain="S01E01", affected_feeds=(url,)))
        await rss.set_rule("Nothing", RssRule(enabled=False, must_contain="zzz", affected_feeds=(url,)))
        await api.set_preferences({"rss_auto_downloading_enabled": True})
        app = app_for(rss_nox, tmp_path)
        async with app.run_test(size=(160, 50)) as pilot:
            rules = await open_rules(pilot, app)
            assert rules.highlighted_name() == "Matches"
            await pilot.press("space")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
            assert "downloads the 1 unread article" in str(app.screen.query(Static)[1].render())
            await pilot.press("escape")
            await pilot.pause(0.3)
            assert (await server_rules(rss_nox))["Matches"].enabled is False
            # A rule that matches nothing unread is enabled at once.
            await pilot.press("down", "space")
            for _ in range(50):
                if (await server_rules(rss_nox))["Nothing"].enabled:
                    break
                await pilot.pause(0.1)
            assert (await server_rules(rss_nox))["Nothing"].enabled is True
            assert rss_nox.torrents() == []
    finally:
        await api.set_preferences({"rss_auto_downloading_enabled": False})
        for name in ("Matches", "Nothing"):
            await rss.remove_rule(name)
        await api.close()


async def test_rename_clone_and_remove_by_key(rss_nox: NoxInstance, site: LoopSite, tmp_path: Path) -> None:
    url = await with_show_feed(rss_nox, site, tmp_path)
    api = await api_for(rss_nox)
    try:
        rule = RssRule(enabled=True, must_contain="nothing here", affected_feeds=(url,), category="tv")
        await RssApi(api).set_rule("Old", rule)
    finally:
        await api.close()
    app = app_for(rss_nox, tmp_path)
    async with app.run_test(size=(160, 50)) as pilot:
        rules = await open_rules(pilot, app)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press("ctrl+u", *"New", "enter")
        await until(pilot, lambda: set(rules.rules) == {"New"}, what="renamed")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press("enter")  # "New copy"
        await until(pilot, lambda: set(rules.rules) == {"New", "New copy"}, what="cloned")
        on_server = await server_rules(rss_nox)
        assert on_server["New copy"].enabled is False and on_server["New copy"].category == "tv"
        assert on_server["New"].enabled is True
        await until(pilot, lambda: rules.highlighted_name() == "New copy")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("tab", "enter")
        await until(pilot, lambda: set(rules.rules) == {"New"}, what="removed")
        assert set(await server_rules(rss_nox)) == {"New"}
        assert json.dumps(sorted(await server_rules(rss_nox)))  # still readable
