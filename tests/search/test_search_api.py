"""qbtui.api.search on the real servers (4.5.2, 5.1.0, 5.3.0, each running plugins with its own
python3): installing plugins from a URL and from a file here, enabling, uninstalling, searching,
results as they arrive, stopping, and the searches a server keeps."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from qbtui.api import errors
from qbtui.api.search import PluginSource, SearchApi, engine_names, plugin_file_version, version_key
from tests.search.conftest import ENGINE, api_for, uninstall, wait_stopped
from tests.support.loopsite import LoopSite, engine_source
from tests.support.noxserver import NoxInstance

pytestmark = pytest.mark.nox


async def test_install_from_a_url_then_a_newer_version(
    search_nox: NoxInstance, search_site: LoopSite
) -> None:
    url = search_site.serve("/fromurl.py", engine_source("fromurl", search_site.url), "text/x-python")
    api = await api_for(search_nox)
    search = SearchApi(api)
    try:
        outcome = await search.install(PluginSource.url(url))
        assert outcome.ok, outcome.reason
        # "1.00" reads "1" on 4.5.2 and "1.0" on 5.x.
        assert outcome.installed is not None and version_key(outcome.installed.version) == (1, 0)
        assert outcome.installed.full_name == "qbtui test engine fromurl"
        assert [c.id for c in outcome.installed.categories][:1] == ["all"]
        # The same version again: the server keeps the one it has, and qbtui says why.
        again = await search.install(PluginSource.url(url), timeout=6)
        assert not again.ok and "installed already" in again.reason and "VERSION" in again.reason
        search_site.serve(
            "/fromurl.py", engine_source("fromurl", search_site.url, version="1.01"), "text/x-python"
        )
        newer = await search.install(PluginSource.url(url))
        assert newer.ok and newer.installed is not None and version_key(newer.installed.version) == (1, 1)
        await search.enable_plugins(["fromurl"], False)
        assert [p.enabled for p in await search.plugins() if p.name == "fromurl"] == [False]
        await search.uninstall_plugins(["fromurl"])
        assert "fromurl" not in {p.name for p in await search.plugins()}
    finally:
        await api.close()


async def test_install_a_file_from_this_computer(
    search_nox: NoxInstance, search_site: LoopSite, tmp_path: Path
) -> None:
    """The file is not where the server can read it: it goes over a loopback URL for the moment."""
    local = tmp_path / "elsewhere" / "localeng.py"
    local.parent.mkdir()
    local.write_text(engine_source("localeng", search_site.url, version="2.05"))
    assert plugin_file_version(local.read_text()) == "2.05"
    broken = tmp_path / "brokeneng.py"
    broken.write_text("# VERSION: 1.00\nthis is not python\n")
    api = await api_for(search_nox)
    search = SearchApi(api)
    try:
        assert search.server_is_here()
        outcome = await search.install(PluginSource.local_file(local))
        assert outcome.ok, outcome.reason
        assert outcome.installed is not None and outcome.installed.name == "localeng"
        failed = await search.install(PluginSource.local_file(broken), timeout=10)
        assert not failed.ok and "not a working search plugin" in failed.reason
        with pytest.raises(errors.Rejected, match="must be its class name"):
            await search.install(PluginSource.local_file(tmp_path / "bad-name.py"))
        with pytest.raises(errors.Rejected, match="cannot read"):
            await search.install(PluginSource.local_file(tmp_path / "missing.py"))
    finally:
        await api.close()
        uninstall(search_nox, "localeng")


async def test_search_results_category_and_engine(search_nox: NoxInstance, search_site: LoopSite) -> None:
    api = await api_for(search_nox)
    search = SearchApi(api)
    try:
        job = await search.start("debian iso", "all", [ENGINE])
        page = await wait_stopped(search, job)
        assert page.total == 5
        results = page.results
        engine_names(results, await search.plugins())
        assert [r.name for r in results] == [f"debian iso result {n}" for n in range(5)]
        first = results[0]
        assert first.url == f"{search_site.url}/t/debian_iso-0.torrent"
        assert results[1].url.startswith("magnet:?xt=urn:btih:")
        assert [r.size for r in results] == [(n + 1) * 1024 * 1024 for n in range(5)]
        assert [r.seeders for r in results] == [(n * 3) % 7 for n in range(5)]
        assert [r.leechers for r in results] == list(range(5))
        assert {r.engine for r in results} == {ENGINE}
        assert first.site_url == search_site.url and first.description_url == f"{search_site.url}/d/0"
        # 5.0+ also says when it was published.
        assert first.published == (1700000000 if search_nox.at_least(5) else None)
        # Paging from an offset: what a running search's poll asks for.
        assert [r.name for r in (await search.results(job, offset=3)).results] == [
            "debian iso result 3",
            "debian iso result 4",
        ]
        tv = await search.start("debian iso", "tv", [ENGINE])
        assert (await wait_stopped(search, tv)).total == 2
        with pytest.raises(errors.Rejected, match="type something"):
            await search.start("   ")
    finally:
        await api.close()


async def test_results_stream_in_and_a_search_stops(search_nox: NoxInstance, search_site: LoopSite) -> None:
    search_site.routes.pop("/release", None)
    api = await api_for(search_nox)
    search = SearchApi(api)
    try:
        job = await search.start("slow show", "all", [ENGINE])
        deadline = time.monotonic() + 30
        while (page := await search.results(job)).total < 2:
            assert time.monotonic() < deadline, "the first results never came"
            await asyncio.sleep(0.2)
        assert page.running and page.total == 2
        (listed,) = [j for j in await search.jobs() if j.id == job]
        assert listed.running and listed.total == 2
        if search.keeps_jobs:  # 5.3: the server says what each search was
            assert (listed.pattern, listed.category, listed.plugins) == ("slow show", "all", (ENGINE,))
        else:
            assert listed.pattern is None
        await search.stop(job)
        stopped = await wait_stopped(search, job, timeout=15)
        assert stopped.total == 2
        await search.delete(job)
        with pytest.raises(errors.NotFound, match=f"no search {job}"):
            await search.results(job)
    finally:
        search_site.serve("/release", "go")
        await api.close()


async def test_jobs_are_the_servers_from_5_3(search_nox: NoxInstance) -> None:
    """2.16.1: another login sees the search; before, each session has its own."""
    first, second = await api_for(search_nox), await api_for(search_nox)
    try:
        job = await SearchApi(first).start("shared", "all", [ENGINE])
        seen = [j.id for j in await SearchApi(second).jobs()]
        assert (job in seen) is SearchApi(second).keeps_jobs
        assert SearchApi(second).keeps_jobs is search_nox.at_least(5, 3)
        assert SearchApi(second).add_with_plugin is search_nox.at_least(5, 3)
    finally:
        await first.close()
        await second.close()


def test_plugin_sources() -> None:
    assert PluginSource.url("http://h/x/my_engine.py?x=1").plugin_name == "my_engine"
    assert PluginSource.url("http://h/x/my%5Fengine.py").plugin_name == "my_engine"
    assert PluginSource.local_file("/tmp/a/eng.py").plugin_name == "eng"
    assert PluginSource.url("gopher://h/e.py").problem() is not None
    assert PluginSource.server_path("/srv/e.txt").problem() == "a plugin is a .py file"
    assert "class name" in (PluginSource.local_file("/tmp/2eng.py").problem() or "")
    assert PluginSource.server_path("/srv/eng.py").problem() is None


async def test_search_is_missing_on_legacy_servers(sim_server) -> None:  # type: ignore[no-untyped-def]
    from qbtui.api import ConnectionSettings, connect

    api = await connect(ConnectionSettings(url=sim_server.url, username="admin", password="adminadmin"))
    try:
        search = SearchApi(api)
        assert "legacy WebUI API" in (search.missing() or "")
        with pytest.raises(errors.NotSupported, match="no Search"):
            await search.plugins()
    finally:
        await api.close()
