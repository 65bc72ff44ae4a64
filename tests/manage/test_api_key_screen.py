"""The server actions screen (X) makes, replaces and deletes a 5.2+ server's API key: the new key is
shown once (hidden until asked) with a way to save it; the facts say only whether a key is set. On
4.5.2 the screen says API keys need 5.2. Against the real 4.5.2 and 5.3.0."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from qbtui.ui.screens.api_key import NewApiKeyScreen
from qbtui.ui.screens.dialogs import ConfirmDialog
from qbtui.ui.screens.server_actions import ServerActionsScreen
from tests.manage.harness import Harness, text_of, until
from tests.support.noxfix import NoxPool
from tests.support.noxserver import NoxInstance


@pytest.fixture(params=[pytest.param(server, marks=pytest.mark.nox) for server in ("4.5.2", "5.3.0")])
def real(request: pytest.FixtureRequest, nox_pool: NoxPool) -> NoxInstance:
    return nox_pool.clean(request.param)


def server_key(nox: NoxInstance) -> str:
    with nox.client() as client:
        return str(client.get("/api/v2/app/preferences").json().get("web_ui_api_key", "<none>"))


async def on(pilot: Pilot[None], kind: type) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), what=kind.__name__)
    await pilot.pause()


async def test_create_save_rotate_and_delete_the_api_key(real: NoxInstance, tmp_path: Path) -> None:
    app = Harness(real.url, lambda app: ServerActionsScreen(), username=real.username, password=real.password)
    async with app.run_test(size=(110, 40)) as pilot:
        await on(pilot, ServerActionsScreen)
        await until(pilot, lambda: "API key" in text_of(pilot, "#facts"), what="facts")
        if not real.at_least(5, 2):
            assert "needs qBittorrent 5.2 or later" in text_of(pilot, "#facts")
            await pilot.press("A")
            await until(pilot, lambda: "5.2 or later" in text_of(pilot, "#error"), what="the refusal")
            assert server_key(real) == "<none>"
            return
        assert text_of(pilot, "#facts").rstrip().endswith("none")
        await pilot.press("A")  # no key yet: made at once
        await on(pilot, NewApiKeyScreen)
        dialog = pilot.app.screen
        assert isinstance(dialog, NewApiKeyScreen)
        key = server_key(real)
        assert key.startswith("qbt_") and dialog._key == key
        assert key not in text_of(pilot, "#key")  # hidden until asked
        dialog.query_one("#show").press()  # type: ignore[attr-defined]
        await until(pilot, lambda: text_of(pilot, "#key") == key, what="shown on request")
        target = tmp_path / "key"
        dialog.query_one("#path").value = str(target)  # type: ignore[attr-defined]
        dialog.query_one("#save").press()  # type: ignore[attr-defined]
        await until(pilot, lambda: target.exists(), what="saved")
        assert target.read_text() == key + "\n" and target.stat().st_mode & 0o777 == 0o600
        dialog.query_one("#done").press()  # type: ignore[attr-defined]
        await on(pilot, ServerActionsScreen)
        await until(pilot, lambda: text_of(pilot, "#facts").rstrip().endswith("set"), what="set")
        assert key not in text_of(pilot, "#facts")

        await pilot.press("A")  # a key exists: replacing it asks first
        await on(pilot, ConfirmDialog)
        pilot.app.screen.query_one("#confirm").press()  # type: ignore[attr-defined]
        await on(pilot, NewApiKeyScreen)
        newer = server_key(real)
        assert newer != key and pilot.app.screen._key == newer  # type: ignore[attr-defined]
        await pilot.press("escape")
        await on(pilot, ServerActionsScreen)

        await pilot.press("D")
        await on(pilot, ConfirmDialog)
        pilot.app.screen.query_one("#confirm").press()  # type: ignore[attr-defined]
        await on(pilot, ServerActionsScreen)
        await until(pilot, lambda: server_key(real) == "", what="deleted on the server")
        await until(pilot, lambda: text_of(pilot, "#facts").rstrip().endswith("none"), what="none")
