"""Search against the real servers: a search plugin (tests/support/loopsite.py engine_source) that
the server runs with its own Python, its site and .torrent files on loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from qbtui.api import ConnectionSettings, QbtApi, connect
from qbtui.api.search import PluginSource, SearchApi, SearchPage
from tests.support.loopsite import LoopSite, engine_source
from tests.support.noxserver import NoxInstance

ENGINE = "qbtuitest"


@pytest.fixture(scope="module")
def search_site() -> Iterator[LoopSite]:
    with LoopSite() as running:
        running.serve(f"/{ENGINE}.py", engine_source(ENGINE, running.url), "text/x-python")
        yield running


async def api_for(nox: NoxInstance) -> QbtApi:
    return await connect(ConnectionSettings(url=nox.url, username=nox.username, password=nox.password))


def plugins_of(nox: NoxInstance) -> dict[str, dict[str, object]]:
    with nox.client() as client:
        return {p["name"]: p for p in client.get("/api/v2/search/plugins").json()}


def uninstall(nox: NoxInstance, *names: str) -> None:
    with nox.client() as client:
        client.post("/api/v2/search/uninstallPlugin", data={"names": "|".join(names)}).raise_for_status()
    deadline = time.monotonic() + 20
    while set(names) & set(plugins_of(nox)):
        assert time.monotonic() < deadline, f"{names} still installed"
        time.sleep(0.2)


@pytest.fixture
def search_nox(nox_clean: NoxInstance, search_site: LoopSite) -> NoxInstance:
    """The shared server with only the test engine installed (for this module's site), enabled."""
    installed = plugins_of(nox_clean)
    others = [name for name in installed if name != ENGINE]
    if others:
        uninstall(nox_clean, *others)
    engine = installed.get(ENGINE)
    if engine is not None and engine["url"] != search_site.url:
        uninstall(nox_clean, ENGINE)
        engine = None

    async def install() -> None:
        api = await api_for(nox_clean)
        try:
            search = SearchApi(api)
            if engine is None:
                outcome = await search.install(PluginSource.url(f"{search_site.url}/{ENGINE}.py"), timeout=60)
                assert outcome.ok, outcome.reason
            await search.enable_plugins([ENGINE], True)
            for job in await search.jobs():
                await search.delete(job.id)
        finally:
            await api.close()

    asyncio.run(install())
    return nox_clean


async def wait_stopped(search: SearchApi, job: int, timeout: float = 60.0) -> SearchPage:
    deadline = time.monotonic() + timeout
    while True:
        page = await search.results(job)
        if not page.running:
            return page
        assert time.monotonic() < deadline, f"search {job} still running after {timeout:.0f} s"
        await asyncio.sleep(0.2)
