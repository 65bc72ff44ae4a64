"""Per-torrent edits and exports the later WebAPI versions added: the .torrent file (4.5+), web seeds
(5.1+) and the incomplete-download path (4.4+). The comment (5.2+) and share limits are in `v2`."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from qbtui.api import errors
from qbtui.api.gates import DOWNLOAD_PATH, EXPORT, WEB_SEEDS_EDIT, V2Calls
from qbtui.api.session import FormValue

#: What a URL keeps as it is when it goes in a `|`-separated list that the server percent-decodes.
_KEPT = "".join(chr(code) for code in range(33, 127) if chr(code) not in "%|")


def encoded_url(url: str) -> str:
    """A URL for parameters the server percent-decodes (web seeds; creator lists on 5.2+): `%`, `|`,
    spaces and non-ASCII characters are encoded, so the server gets back exactly `url`."""
    return quote(url, safe=_KEPT)


#: Characters with a meaning in a URL, kept when `web_seed_url` encodes the rest.
_URL_SYNTAX = ":/?#[]@!$&'()*+,;=%~"


def web_seed_url(url: str) -> str:
    """A web seed as `torrents/*WebSeed*` take it. The server percent-decodes the parameter and then
    parses it as a strict URL, and lists seeds decoded for reading ("a b" for "a%20b"): spaces,
    `|` and non-ASCII characters are encoded first, then the whole for the server's own decoding,
    so a seed can be given as typed or as the server lists it."""
    return encoded_url(quote(url.strip(), safe=_URL_SYNTAX))


class TorrentEditCalls(V2Calls):
    """Mixed into `QbtApi`."""

    async def _torrent_call(self, method: str, path: str, hash: str, form: dict[str, FormValue]) -> bytes:
        try:
            if method == "GET":
                return (await self.v2_get(path, {"hash": hash, **form})).content
            return (await self.v2_post(path, {"hash": hash, **form})).content
        except errors.NotFound:
            raise errors.TorrentNotFound(f"no torrent with hash {hash}") from None

    async def export_torrent(self, hash: str) -> bytes:
        """The torrent's .torrent file (409 while it has no metadata yet)."""
        self.gate(EXPORT)
        try:
            return await self._torrent_call("GET", "torrents/export", hash, {})
        except errors.Conflict as exc:
            raise errors.Conflict(
                f"cannot export the .torrent: {exc} (has it got its metadata yet?)"
            ) from None

    async def add_web_seeds(self, hash: str, urls: Sequence[str]) -> None:
        self.gate(WEB_SEEDS_EDIT)
        await self._torrent_call(
            "POST", "torrents/addWebSeeds", hash, {"urls": "|".join(map(web_seed_url, urls))}
        )

    async def edit_web_seed(self, hash: str, old_url: str, new_url: str) -> None:
        self.gate(WEB_SEEDS_EDIT)
        form: dict[str, FormValue] = {"origUrl": web_seed_url(old_url), "newUrl": web_seed_url(new_url)}
        await self._torrent_call("POST", "torrents/editWebSeed", hash, form)

    async def remove_web_seeds(self, hash: str, urls: Sequence[str]) -> None:
        self.gate(WEB_SEEDS_EDIT)
        await self._torrent_call(
            "POST", "torrents/removeWebSeeds", hash, {"urls": "|".join(map(web_seed_url, urls))}
        )

    async def set_download_path(self, hashes: Sequence[str], path: str) -> None:
        """Where incomplete data goes ("" = straight to the save path). The server skips torrents
        under automatic management without a word."""
        self.gate(DOWNLOAD_PATH)
        if not hashes:
            return
        await self.v2_post("torrents/setDownloadPath", {"id": "|".join(hashes), "path": path})
