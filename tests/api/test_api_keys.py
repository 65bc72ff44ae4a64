"""API keys (qBittorrent 5.2+): made and deleted through the API, sent as `Authorization: Bearer`
instead of a login, and never printed, logged or put on a command line. On every real server:
older ones refuse the key with a message that says why."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qbtui.api import ConnectionSettings, connect, errors
from tests.support.noxserver import NoxInstance

pytestmark = pytest.mark.nox
ROOT = Path(__file__).resolve().parents[2]


def cli(nox: NoxInstance, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qbtui", "--url", nox.url, *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("QBTUI_")}, **env},
    )  # fmt: skip


async def make_key(nox: NoxInstance) -> str:
    api = await connect(ConnectionSettings(url=nox.url, username=nox.username, password=nox.password))
    try:
        return await api.rotate_api_key()
    finally:
        await api.close()


async def test_a_key_replaces_the_login(nox_clean: NoxInstance, tmp_path: Path) -> None:
    if not nox_clean.at_least(5, 2):
        with pytest.raises(errors.NotSupported, match="API keys"):
            await make_key(nox_clean)
        with pytest.raises(errors.BadCredentials, match=r"did not accept the API key.*5\.2"):
            await connect(ConnectionSettings(url=nox_clean.url, api_key="qbt_" + "x" * 28))
        return
    key = await make_key(nox_clean)
    assert key.startswith("qbt_") and repr(key) == "'<redacted>'"
    try:
        api = await connect(ConnectionSettings(url=nox_clean.url, api_key=key))
        try:
            assert api.info.app_version == f"v{nox_clean.version}"
            assert api.session.logins == 0 and not list(api.session.cookies.jar)  # no session to ban
            prefs = await api.preferences()
            assert prefs.values["web_ui_api_key"] == key
            assert prefs.redacted()["web_ui_api_key"] == "********"
            assert key not in repr(api.session.settings) and key not in repr(api.session._client.headers)
        finally:
            await api.close()

        # The CLI, with the key from the environment: status, prefs masked unless asked, and the key
        # in no output and no debug log.
        log = tmp_path / "debug.log"
        env = {"QBT_KEY_FOR_TEST": key, "QBTUI_STATE_DIR": str(tmp_path / "state")}
        status = cli(
            nox_clean, "--api-key-env", "QBT_KEY_FOR_TEST", "--debug-log", str(log), "status", env=env
        )
        assert status.returncode == 0, status.stderr
        assert status.stdout.startswith("↓ ") and " active" in status.stdout
        prefs_json = cli(nox_clean, "--json", "prefs", "get", env={**env, "QBTUI_API_KEY": key})
        assert prefs_json.returncode == 0, prefs_json.stderr
        assert json.loads(prefs_json.stdout)["web_ui_api_key"] == "********"
        shown = cli(
            nox_clean, "prefs", "get", "web_ui_api_key", "--show-secrets", env={**env, "QBTUI_API_KEY": key}
        )
        assert shown.stdout.strip() == key  # only when asked
        logged = log.read_text()
        for text in (status.stdout, status.stderr, prefs_json.stdout, prefs_json.stderr, logged):
            assert key not in text
        assert "auth/login" not in logged and "API key given" in logged

        # A rotated key replaces the old one at once; a deleted key lets nobody in.
        newer = await make_key(nox_clean)
        assert newer != key
        with pytest.raises(errors.BadCredentials, match="did not accept the API key"):
            await connect(ConnectionSettings(url=nox_clean.url, api_key=key))
        refused = cli(nox_clean, "status", env={**env, "QBTUI_API_KEY": key})
        assert refused.returncode == 3 and "did not accept the API key" in refused.stderr
        assert key not in refused.stderr
    finally:
        api = await connect(
            ConnectionSettings(url=nox_clean.url, username=nox_clean.username, password=nox_clean.password)
        )
        try:
            await api.delete_api_key()
            assert (await api.preferences()).values["web_ui_api_key"] == ""
        finally:
            await api.close()
