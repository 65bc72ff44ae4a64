"""A bulk command that fails for some torrents names each failed torrent and the server's reason."""

from __future__ import annotations

from qbtui.api import errors
from qbtui.api.base import PartialFailure
from tests.ui.helpers import make_app, until


async def test_partial_failure_names_the_torrents_that_failed(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    sent: list[list[str]] = []
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.view) > 3, what="data")
        assert app.api is not None

        async def refuse_one(hashes):  # type: ignore[no-untyped-def]
            sent.append(list(hashes))
            reason = errors.Rejected("HTTP 409: torrent is being moved")
            raise PartialFailure("pause", {hashes[1]: reason}, total=len(hashes))

        app.api.pause = refuse_one  # type: ignore[method-assign]
        # Three running torrents: p pauses all three (it sends only what it changes).
        running = [h for h in app.view.order if not app.store.torrents[h].state.is_paused][:3]
        app.main_screen.table.marked.update(running)
        await pilot.press("p")
        await until(pilot, lambda: any("Pause failed" in n.message for n in app._notifications), what="toast")
        message = next(n.message for n in app._notifications if "Pause failed" in n.message)
        assert len(sent) == 1 and len(sent[0]) == 3
        names = [app.store.torrents[h].name for h in sent[0]]
        assert message.startswith("Pause failed for 1 of 3:")
        assert f"• {names[1]}: HTTP 409: torrent is being moved" in message
        assert names[0] not in message and names[2] not in message
