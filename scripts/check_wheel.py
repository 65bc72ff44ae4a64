"""qbtui as users install it: build the wheel, install it in clean virtual environments (pip, pip
with the `web` extra, pipx), and run it from there, away from the checkout: CLI commands against
the demo server, and the full-screen interface in tmux with a shipped theme.

    python3 scripts/check_wheel.py          # .ci/run runs it; exit 1 on the first problem

Needs tmux and the network (pip and pipx download the dependencies).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Failed(Exception):
    pass


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise Failed(f"{' '.join(map(str, command))} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def step(text: str) -> None:
    print(f"--- {text}", flush=True)


def build_wheel(out: Path) -> Path:
    step("build the wheel")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", out, ROOT, cwd=out)
    (wheel,) = out.glob("qbtui-*.whl")
    return wheel


def venv_with(place: Path, requirement: str) -> Path:
    run(sys.executable, "-m", "venv", place, cwd=place.parent)
    run(place / "bin" / "python", "-m", "pip", "install", "--quiet", requirement, cwd=place.parent)
    return place / "bin"


def check_installed_package(bin_dir: Path, away: Path) -> None:
    step("the installed package is the wheel's, with its themes")
    where = run(
        bin_dir / "python",
        "-c",
        "import qbtui, importlib.resources as r; "
        "print(qbtui.__file__); print(sorted(p.name for p in (r.files('qbtui') / 'themes').iterdir()))",
        cwd=away,
    )
    if str(ROOT) in where.splitlines()[0]:
        raise Failed(f"qbtui was imported from the checkout, not the wheel: {where}")
    for theme in ("qbtui-16.toml", "qbtui-dark.toml", "qbtui-high-contrast.toml", "qbtui-light.toml"):
        if theme not in where:
            raise Failed(f"{theme} is not in the installed package: {where}")


def check_cli(qbtui: Path, away: Path) -> None:
    step("CLI commands against the demo server")
    version = run(qbtui, "--demo", "version", cwd=away)
    if "v4.0.4" not in version:
        raise Failed(f"qbtui --demo version said: {version}")
    listing = run(qbtui, "--demo", "list", "--columns", "name,state", cwd=away)
    if "ubuntu-18.04.1-desktop-amd64.iso" not in listing:
        raise Failed(f"qbtui --demo list said: {listing}")
    as_json = run(qbtui, "--demo", "--json", "list", cwd=away)
    if not as_json.lstrip().startswith("["):
        raise Failed(f"qbtui --demo --json list said: {as_json[:200]}")


def check_interface(qbtui: Path, away: Path) -> None:
    step("the full-screen interface in tmux, with a shipped theme")
    socket = f"qbtui-wheel-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", socket]
    env = {**os.environ, "TERM": "xterm-256color", "QBTUI_STATE_DIR": str(away / "state")}
    command = f"{qbtui} --demo --theme qbtui-light"
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", "140", "-y", "35", command], cwd=away, env=env, check=True
    )
    try:
        screen = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            screen = subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True, text=True).stdout
            if "qBittorrent v4.0.4" in screen and "ubuntu-18.04.1" in screen:
                break
            time.sleep(0.3)
        else:
            raise Failed(f"the interface never showed the demo's torrents:\n{screen}")
        if "not found" in screen or "Configuration" in screen:
            raise Failed(f"the interface complained about its themes:\n{screen}")
        subprocess.run([*tmux, "send-keys", "q"], check=True)
        deadline = time.monotonic() + 10
        while subprocess.run([*tmux, "has-session"], capture_output=True).returncode == 0:
            if time.monotonic() > deadline:
                raise Failed("q did not quit the interface")
            time.sleep(0.2)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def main() -> int:
    if shutil.which("tmux") is None:
        print("check_wheel: tmux is needed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="qbtui-wheel-") as temp:
        base = Path(temp)
        away = base / "elsewhere"  # never the checkout: `import qbtui` must find the installed one
        away.mkdir()
        try:
            wheel = build_wheel(base)
            step(f"pip install {wheel.name} in a clean virtualenv")
            plain = venv_with(base / "plain", str(wheel))
            check_installed_package(plain, away)
            check_cli(plain / "qbtui", away)
            check_interface(plain / "qbtui", away)

            step(f"pip install '{wheel.name}[web]'")
            web = venv_with(base / "web", f"{wheel}[web]")
            run(web / "python", "-c", "import textual_serve", cwd=away)
            if "--serve" not in run(web / "qbtui", "--help", cwd=away):
                raise Failed("qbtui --help does not offer --serve")

            step("pipx install . (the way the README says)")
            tools = venv_with(base / "tools", "pipx")
            pipx_env = {**os.environ, "PIPX_HOME": str(base / "pipx"), "PIPX_BIN_DIR": str(base / "bin")}
            run(tools / "pipx", "install", ROOT, cwd=away, env=pipx_env)
            check_cli(base / "bin" / "qbtui", away)
        except Failed as exc:
            print(f"check_wheel: {exc}", file=sys.stderr)
            return 1
    print("check_wheel: the wheel installs and runs (pip, pip [web], pipx)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
