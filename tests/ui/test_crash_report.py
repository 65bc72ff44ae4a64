"""A crash report names the error and where, never the password or session held in local variables."""

from __future__ import annotations

import pytest

from tests.ui.helpers import make_app, until


async def test_crash_report_leaves_out_local_variables(sim_server, capfd: pytest.CaptureFixture[str]) -> None:
    app = make_app(sim_server.url)

    def crash() -> None:
        # Like the login frame's encoded body: Rich hides locals and keys *named* password, not this.
        body = f"username=admin&password={app.connector.settings.password}"  # type: ignore[attr-defined]
        raise RuntimeError(f"boom after {len(body) - 24} characters")

    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: app.poller.polls > 0, what="first poll")
            app.call_later(crash)
            await pilot.pause(0.5)
    report = capfd.readouterr().err  # Textual prints the report to stderr as the app exits
    assert "RuntimeError" in report and "boom after 10 characters" in report
    assert "adminadmin" not in report
