"""CategoriesScreen and TagsScreen against the legacy simulator and a real qbittorrent-nox."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from qbtui.ui.screens.categories import CategoriesScreen, TagsScreen
from qbtui.ui.screens.dialogs import ConfirmDialog, TextPrompt
from tests.api.test_operations import Backend, add_paused, torrent
from tests.manage.harness import Harness, text_of, until


async def on_screen(pilot: Pilot[None], kind: type) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), what=kind.__name__)
    await pilot.pause()


async def answer_prompt(pilot: Pilot[None], text: str) -> None:
    await on_screen(pilot, TextPrompt)
    pilot.app.screen.query_one("#value", Input).value = ""
    await pilot.press(*text, "enter")


def highlight(pilot: Pilot[None], name: str) -> None:
    items = pilot.app.screen.query_one("#items", OptionList)
    ids = [items.get_option_at_index(i).id for i in range(items.option_count)]
    items.highlighted = ids.index(name)


def listed(pilot: Pilot[None]) -> list[str]:
    items = pilot.app.screen.query_one("#items", OptionList)
    return [str(items.get_option_at_index(i).id) for i in range(items.option_count)]


async def test_create_assign_edit_remove_category(backend: tuple[Backend, str, dict[str, str]]) -> None:
    b, url, login = backend
    meta = await add_paused(b)
    name = "linux [isos]"
    app = Harness(url, lambda app: CategoriesScreen([meta.info_hash]), **login)
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, CategoriesScreen)
        api = app.api
        assert api is not None
        await pilot.press("n")
        await answer_prompt(pilot, name)
        if not b.legacy:
            await answer_prompt(pilot, str(b.workdir / "cat"))
        await on_screen(pilot, CategoriesScreen)
        await until(pilot, lambda: name in listed(pilot), what="created")
        assert "Created category" in text_of(pilot, "#status")
        categories = await api.categories()
        assert name in categories
        if not b.legacy:
            assert categories[name].save_path.rstrip("/") == str(b.workdir / "cat")

        # a second create with the same name is refused in the prompt
        await pilot.press("n")
        await answer_prompt(pilot, name)
        assert "already exists" in text_of(pilot, "#error")
        await pilot.press("escape")
        await on_screen(pilot, CategoriesScreen)

        highlight(pilot, name)
        await pilot.press("a")
        await until(pilot, lambda: "set to" in text_of(pilot, "#status"), what="assigned")
        assert (await torrent(api, meta.info_hash)).category == name
        await pilot.press("x")
        await until(pilot, lambda: "cleared" in text_of(pilot, "#status"), what="cleared")
        assert (await torrent(api, meta.info_hash)).category == ""
        highlight(pilot, name)
        await pilot.press("enter")  # enter assigns too
        await until(pilot, lambda: "set to" in text_of(pilot, "#status"), what="assigned again")
        assert (await torrent(api, meta.info_hash)).category == name

        if not b.legacy:
            highlight(pilot, name)
            await pilot.press("e")
            await answer_prompt(pilot, str(b.workdir / "other"))
            await on_screen(pilot, CategoriesScreen)
            await until(pilot, lambda: "Save path of" in text_of(pilot, "#status"), what="edited")
            assert (await api.categories())[name].save_path.rstrip("/") == str(b.workdir / "other")

        # removing asks first, naming how many torrents use it (counts come from the store)
        app.store.apply(await api.maindata(0))
        highlight(pilot, name)
        await pilot.press("d")
        await on_screen(pilot, ConfirmDialog)
        assert "1 torrent uses it" in str(app.screen.query_one(".body").content)  # type: ignore[attr-defined]
        await pilot.press("escape")  # no
        await on_screen(pilot, CategoriesScreen)
        assert name in await api.categories()
        await pilot.press("d")
        await on_screen(pilot, ConfirmDialog)
        app.screen.query_one("#confirm").press()  # type: ignore[attr-defined]
        await on_screen(pilot, CategoriesScreen)
        await until(pilot, lambda: name not in listed(pilot), what="removed")
        assert name not in await api.categories()
        assert (await torrent(api, meta.info_hash)).category == ""


async def test_tags_on_v2_only(backend: tuple[Backend, str, dict[str, str]]) -> None:
    b, url, login = backend
    meta = await add_paused(b)
    app = Harness(url, lambda app: CategoriesScreen([meta.info_hash]), **login)
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, CategoriesScreen)
        api = app.api
        assert api is not None
        await pilot.press("t")
        await pilot.pause()
        if b.legacy:
            assert isinstance(app.screen, CategoriesScreen)  # not offered
            assert "t tags" not in text_of(pilot, ".keys")
            return
        await on_screen(pilot, TagsScreen)
        await pilot.press("n")
        await answer_prompt(pilot, "keep, seed box")
        await on_screen(pilot, TagsScreen)
        await until(pilot, lambda: {"keep", "seed box"} <= set(listed(pilot)), what="tags created")
        assert {"keep", "seed box"} <= set(await api.tags())
        highlight(pilot, "keep")
        await pilot.press("a")
        await until(pilot, lambda: "Tagged" in text_of(pilot, "#status"), what="tagged")
        assert (await torrent(api, meta.info_hash)).tags == ("keep",)
        await pilot.press("r")
        await until(pilot, lambda: "Removed tag" in text_of(pilot, "#status"), what="untagged")
        assert (await torrent(api, meta.info_hash)).tags == ()
        highlight(pilot, "seed box")
        await pilot.press("d")
        await on_screen(pilot, ConfirmDialog)
        app.screen.query_one("#confirm").press()  # type: ignore[attr-defined]
        await on_screen(pilot, TagsScreen)
        await until(pilot, lambda: "seed box" not in listed(pilot), what="deleted")
        assert "seed box" not in await api.tags()
        await api.delete_tags(["keep"])


async def test_not_offered_on_a_server_without_categories(sim_server) -> None:  # type: ignore[no-untyped-def]
    from qbtui.api.models import ApiGeneration, ServerInfo

    def old_server(app: Harness) -> CategoriesScreen:
        assert app.api is not None
        app.api.info = ServerInfo(ApiGeneration.LEGACY, (5,), "v3.2.0")  # as a qBittorrent 3.2 reports
        return CategoriesScreen([])

    app = Harness(sim_server.url, old_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, CategoriesScreen)
        assert "not supported by qBittorrent v3.2.0 (API 5)" in text_of(pilot, "#error")
        assert listed(pilot) == []
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CategoriesScreen)  # no prompt
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CategoriesScreen)
