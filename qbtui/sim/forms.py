"""Reading request targets, query strings, bodies and cookies the way 4.0.4's RequestParser does.

Quirks kept on purpose (facts §0.5, §1.6):
- urlencoded bodies: keys are lower-cased and `+` stays `+` (only `%20` is a space);
- multipart bodies keep field names as sent; parts with a filename are files;
- a body of any other content type is a parse error (400 from the HTTP layer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit


class FormError(ValueError):
    """The body cannot be parsed: the HTTP layer answers 400."""


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Form:
    posts: dict[str, str] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)


def _decode(component: str) -> str:
    # QUrl decoding: percent escapes only, never `+`.
    return unquote(component, encoding="utf-8", errors="replace")


def split_target(target: str) -> tuple[str, str]:
    """(decoded path, raw query) of a request target, origin-form or absolute-form."""
    if "://" in target.split("?", 1)[0]:
        parts = urlsplit(target)
        return _decode(parts.path or "/"), parts.query
    path, _, query = target.partition("?")
    return _decode(path), query


def path_segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def parse_pairs(query: str, *, lower_keys: bool = False) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in query.split("&"):
        if not item:
            continue
        key, _, value = item.partition("=")
        key = _decode(key)
        result[key.lower() if lower_keys else key] = _decode(value)
    return result


def parse_query(query: str) -> dict[str, str]:
    return parse_pairs(query)


_BOUNDARY = re.compile(r"""boundary=(?:"([ \w'()+,\-./:=?]+)"|([\w'()+,\-./:=?]+))""")


def parse_body(content_type: str | None, body: bytes) -> Form:
    if not body:
        return Form()
    kind = (content_type or "").strip()
    if kind.startswith("application/x-www-form-urlencoded"):
        return Form(posts=parse_pairs(body.decode("utf-8", errors="replace"), lower_keys=True))
    if kind.startswith("multipart/form-data"):
        return _parse_multipart(kind, body)
    raise FormError(f"unsupported content type {kind!r}")


def _parse_multipart(content_type: str, body: bytes) -> Form:
    match = _BOUNDARY.search(content_type)
    if not match:
        raise FormError("multipart body without a boundary")
    delimiter = b"--" + (match.group(1) or match.group(2)).encode("latin-1")
    form = Form()
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        raise FormError("multipart body without parts")
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        _parse_part(chunk.removeprefix(b"\r\n").removesuffix(b"\r\n"), form)
    return form


def _parse_part(part: bytes, form: Form) -> None:
    head, sep, payload = part.partition(b"\r\n\r\n")
    if not sep:
        raise FormError("multipart part without headers")
    headers: dict[str, str] = {}
    for line in head.decode("utf-8", errors="replace").split("\r\n"):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon:
            raise FormError(f"bad part header {line!r}")
        headers[name.strip().lower()] = value.strip()
    disposition = _disposition(headers.get("content-disposition", ""))
    if "name" not in disposition:
        raise FormError("multipart part without a name")
    if "filename" in disposition:
        form.files.append(UploadedFile(disposition["filename"], headers.get("content-type", ""), payload))
    else:
        form.posts[disposition["name"]] = payload.decode("utf-8", errors="replace")


_PARAM = re.compile(r';\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def _disposition(value: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, raw in _PARAM.findall(value):
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = raw[1:-1].replace('\\"', '"')
        params[key.lower()] = raw
    return params


def parse_cookies(header: str | None) -> dict[str, str]:
    """rfc6265 §4.2.1 pairs; a later cookie of the same name wins."""
    cookies: dict[str, str] = {}
    for item in (header or "").split(";"):
        name, eq, value = item.partition("=")
        if not eq:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        cookies[name.strip()] = value
    return cookies


def qt_int(text: str | None, *, bits: int = 32) -> int:
    """QString::toInt: 0 unless the whole (trimmed) text is a number in range."""
    if text is None:
        return 0
    text = text.strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        return 0
    value = int(text)
    limit = 1 << (bits - 1)
    return value if -limit <= value < limit else 0


def qt_int_ok(text: str | None) -> int | None:
    if text is None or not re.fullmatch(r"[+-]?\d+", text.strip()):
        return None
    value = int(text)
    return value if -(1 << 31) <= value < (1 << 31) else None


def parse_bool(text: str | None, default: bool) -> bool:
    """webapplication.cpp parseBool: `true` / `false` in any case, else the default."""
    if text is None:
        return default
    lowered = text.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    return default


def parse_tristate(text: str | None) -> bool | None:
    if text is None:
        return None
    lowered = text.lower()
    return True if lowered == "true" else False if lowered == "false" else None
