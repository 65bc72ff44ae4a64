"""Commands about the server as a whole: preferences, speed limits, categories, tags, shutdown."""

from __future__ import annotations

from argparse import Namespace
from typing import Any

from qbtui.api import QbtApi
from qbtui.api.models import SECRET_PREFERENCES
from qbtui.cli import format as fmt
from qbtui.cli import records
from qbtui.cli.errors import CliError
from qbtui.cli.output import Output
from qbtui.cli.targets import confirm, plural, select

# --------------------------------------------------------------------------------------------- preferences


async def prefs_get(api: QbtApi, args: Namespace, out: Output) -> None:
    prefs = await api.preferences()
    values = dict(prefs.values) if args.show_secrets else prefs.redacted()
    if args.keys:
        unknown = [key for key in args.keys if key not in values]
        if unknown:
            raise CliError(
                f"the server has no preference {unknown[0]!r} (see `qbtui prefs get` for all keys)"
            )
        values = {key: values[key] for key in args.keys}
    out.emit(values, lambda: _render_prefs(values, bare=len(args.keys) == 1))


def _render_prefs(values: dict[str, Any], bare: bool) -> str:
    if bare:
        # One key asked for: just its value, handy in $(qbtui prefs get save_path).
        return _pref_text(next(iter(values.values())))
    return "\n".join(f"{key} = {_pref_text(value)}" for key, value in sorted(values.items()))


def _pref_text(value: Any) -> str:
    if isinstance(value, str):
        return fmt.clean(value)
    return fmt.clean(fmt.dumps(value).replace("\n", " ").replace("  ", ""))


async def prefs_set(api: QbtApi, args: Namespace, out: Output) -> None:
    changes = dict(args.assignments)
    # qBittorrent silently ignores keys it does not know; a typo must not look like success.
    known = (await api.preferences()).values
    # Secrets such as web_ui_password are write-only: the server never lists them.
    unknown = [key for key in changes if key not in known and key not in SECRET_PREFERENCES]
    if unknown:
        raise CliError(f"the server has no preference {unknown[0]!r}; nothing was changed")
    await api.set_preferences(changes)
    shown = {key: "********" if key in SECRET_PREFERENCES else value for key, value in changes.items()}
    out.done(f"set {', '.join(sorted(shown))}", changed=shown)


# --------------------------------------------------------------------------------------------- speed limits


def _given(args: Namespace, name: str) -> bool:
    # The rate options default to "not given" (absent), since None already means "unlimited".
    return name in vars(args)


async def limit_global(api: QbtApi, args: Namespace, out: Output) -> None:
    changed = []
    if _given(args, "down"):
        await api.set_global_download_limit(args.down)
        changed.append(f"download limit {fmt.limit(args.down)}")
    if _given(args, "up"):
        await api.set_global_upload_limit(args.up)
        changed.append(f"upload limit {fmt.limit(args.up)}")
    if changed:
        out.done("global " + ", ".join(changed))
        return
    down, up = await api.global_download_limit(), await api.global_upload_limit()
    data = {"download_limit": down, "upload_limit": up}
    out.emit(data, lambda: fmt.pairs([("download limit", fmt.limit(down)), ("upload limit", fmt.limit(up))]))


async def limit_torrent(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    changed = []
    if _given(args, "down"):
        await api.set_torrent_download_limit(selection.hashes, args.down)
        changed.append(f"download limit {fmt.limit(args.down)}")
    if _given(args, "up"):
        await api.set_torrent_upload_limit(selection.hashes, args.up)
        changed.append(f"upload limit {fmt.limit(args.up)}")
    if changed:
        out.done(f"{', '.join(changed)} for {selection.describe()}")
        return
    torrents = selection.torrents or await api.torrents()
    # Explicit hashes even for --all: qBittorrent 4.5 answers a literal "all" with {"all": -1}.
    hashes = [t.hash for t in torrents]
    downs = await api.torrent_download_limits(hashes) if hashes else {}
    ups = await api.torrent_upload_limits(hashes) if hashes else {}
    rows = [(t, downs.get(t.hash), ups.get(t.hash)) for t in torrents]
    data = {t.hash: {"download_limit": down, "upload_limit": up} for t, down, up in rows}
    out.emit(data, lambda: records.torrent_limits(rows, out.width))


async def alt_speed(api: QbtApi, args: Namespace, out: Output) -> None:
    enabled = await api.alternative_speed_limits_enabled()
    wanted = {"toggle": not enabled, "on": True, "off": False}.get(args.action, enabled)
    if wanted != enabled:
        await api.toggle_alternative_speed_limits()
    message = f"alternative speed limits {'on' if wanted else 'off'}"
    if args.action == "get":
        out.emit({"enabled": wanted}, lambda: message)
    else:
        out.done(message, enabled=wanted)


# --------------------------------------------------------------------------------------------- categories


async def category_list(api: QbtApi, args: Namespace, out: Output) -> None:
    items = sorted((await api.categories()).values(), key=lambda c: c.name.lower())
    out.emit(items, lambda: records.categories(items, out.width))


async def category_set(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.set_category(selection.hashes, args.name)
    target = f"category {args.name}" if args.name else "no category"
    out.done(f"set {selection.describe()} to {target}")


async def category_add(api: QbtApi, args: Namespace, out: Output) -> None:
    await api.create_category(args.name, args.save_path)
    out.done(f"created category {args.name}")


async def category_edit(api: QbtApi, args: Namespace, out: Output) -> None:
    await api.edit_category(args.name, args.save_path)
    out.done(f"category {args.name} now saves to {args.save_path or 'the default path'}")


async def category_remove(api: QbtApi, args: Namespace, out: Output) -> None:
    await api.remove_categories(args.names)
    out.done(f"removed {plural(len(args.names), 'category', 'categories')}")


# --------------------------------------------------------------------------------------------- tags


async def tags_list(api: QbtApi, args: Namespace, out: Output) -> None:
    items = sorted(await api.tags(), key=str.lower)
    out.emit(items, lambda: "\n".join(fmt.clean(tag) for tag in items) if items else "no tags")


async def tags_create(api: QbtApi, args: Namespace, out: Output) -> None:
    await api.create_tags(args.tags)
    out.done(f"created {plural(len(args.tags), 'tag')}")


async def tags_delete(api: QbtApi, args: Namespace, out: Output) -> None:
    await api.delete_tags(args.tags)
    out.done(f"deleted {plural(len(args.tags), 'tag')}")


async def tags_add(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.add_tags(selection.hashes, args.tags)
    out.done(f"tagged {selection.describe()} with {', '.join(args.tags)}")


async def tags_remove(api: QbtApi, args: Namespace, out: Output) -> None:
    selection = await select(api, args.refs, args.all)
    await api.remove_tags(selection.hashes, args.tags)
    out.done(f"removed {', '.join(args.tags)} from {selection.describe()}")


# ----------------------------------------------------------------------------------------- peers, shutdown


async def ban_peers(api: QbtApi, args: Namespace, out: Output) -> None:
    await api.ban_peers(args.peers)
    out.done(f"banned {plural(len(args.peers), 'peer')}")


async def shutdown(api: QbtApi, args: Namespace, out: Output) -> None:
    confirm(f"Shut down {api.info.describe()} at {api.session.settings.base_url.rstrip('/')}?", [], args.yes)
    await api.shutdown()
    out.done("the server is shutting down")
