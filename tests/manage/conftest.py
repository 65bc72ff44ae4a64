"""The two servers the management screens are tested against: the legacy simulator and a real nox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from qbtui.api import ALL, ConnectionSettings, connect
from tests.api.test_operations import Backend
from tests.support.noxfix import nox_for, nox_params


@pytest.fixture(params=["legacy", *nox_params("v2")])
async def backend(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[Backend, str, dict[str, str]]]:
    if request.param == "legacy":
        server = request.getfixturevalue("sim_server")
        url, login = server.url, {"username": "admin", "password": "adminadmin"}
    else:
        nox = nox_for(request)
        url, login = nox.url, {"username": nox.username, "password": nox.password}
    api = await connect(ConnectionSettings(url=url, **login))
    if not api.info.is_legacy:
        await api.delete(ALL, delete_files=True)
    try:
        yield Backend(api, request.param, tmp_path), url, login
    finally:
        if not api.info.is_legacy:
            await api.delete(ALL, delete_files=True)
            # The nox instance is shared: leave no limits behind for the next test.
            await api.set_global_download_limit(None)
            await api.set_global_upload_limit(None)
            if await api.alternative_speed_limits_enabled():
                await api.toggle_alternative_speed_limits()
        await api.close()
