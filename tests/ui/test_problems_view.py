"""The problems view against the simulator: the demo's errored and missing-files torrents are
listed with their reasons, and Enter applies the fitting action."""

from __future__ import annotations

from qbtui.ui.screens.problems import ProblemsScreen
from tests.ui.helpers import make_app, until


async def test_problems_are_listed_and_enter_fixes(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.view) > 0)
        await pilot.press("exclamation_mark")
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen), what="problems view")
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        kinds = {(p.kind, p.name) for p in screen.problems}
        assert ("missing files", "Jazz Standards Collection (1950s) [MP3 320]") in kinds
        assert any(kind == "error" for kind, _ in kinds)
        calls: list[tuple[str, list[str]]] = []
        assert app.api is not None

        async def recheck(hashes):  # type: ignore[no-untyped-def]
            calls.append(("recheck", list(hashes)))

        app.api.recheck = recheck  # type: ignore[method-assign]
        row = next(i for i, p in enumerate(screen.problems) if p.kind == "error")
        from textual.widgets import DataTable

        screen.query_one(DataTable).move_cursor(row=row)
        await pilot.press("enter")
        await until(pilot, lambda: bool(calls), what="recheck sent")
        assert calls == [("recheck", [screen.problems[row].hash])]


async def test_read_only_problems_view_offers_no_fix(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path, read_only=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.view) > 0)
        await pilot.press("exclamation_mark")
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen), what="problems view")
        assert app.screen.check_action("fix", ()) is False
        assert app.screen.check_action("act", ()) is False
