"""Speed-limit preferences: KiB/s on qBittorrent 3.2.x (API 2-5, as the spec says), bytes/s from
3.3.0 on (as the 4.0.4 recording shows). Callers always deal in bytes/s."""

from __future__ import annotations

import json

import httpx
import pytest

from qbtui.api import ConnectionSettings, connect
from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, serve


@pytest.mark.parametrize(("api_version", "wire_value"), [(5, 2560), (6, 2621440), (17, 2621440)])
async def test_the_wire_unit_follows_the_api_version(api_version: int, wire_value: int) -> None:
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(DEFAULT_EPOCH), api_version=api_version))
    async with serve(sim) as server:
        api = await connect(ConnectionSettings(url=server.url, username="admin", password="adminadmin"))
        try:
            await api.set_preferences({"alt_dl_limit": 2621440})  # 2.5 MiB/s
            assert (await api.preferences()).get("alt_dl_limit") == 2621440
            # What travels on the wire, in the server's own unit:
            async with httpx.AsyncClient(base_url=server.url, cookies=api.session.cookies) as raw:
                reply = await raw.get("/query/preferences")
            assert json.loads(reply.text)["alt_dl_limit"] == wire_value
        finally:
            await api.close()
