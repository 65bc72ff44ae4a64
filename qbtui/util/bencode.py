"""Bencoding (BEP 3): the format of .torrent files.

Used by the simulator to parse uploaded .torrent files, by the CLI and UI to read a
.torrent locally before adding it, and by the tests to generate torrents.
"""

from __future__ import annotations

Bencodable = int | bytes | str | list["Bencodable"] | dict[bytes | str, "Bencodable"]


class BencodeError(ValueError):
    """The data is not valid bencoding."""


def decode(data: bytes) -> object:
    """Decode one complete bencoded value; trailing bytes are an error."""
    value, end = _decode_at(data, 0, depth=0)
    if end != len(data):
        raise BencodeError(f"trailing data after offset {end}")
    return value


def decode_prefix(data: bytes) -> tuple[object, int]:
    """Decode the first value and return it with the offset just past it."""
    return _decode_at(data, 0, depth=0)


_MAX_DEPTH = 200


def _decode_at(data: bytes, pos: int, depth: int) -> tuple[object, int]:
    if depth > _MAX_DEPTH:
        raise BencodeError("nesting too deep")
    if pos >= len(data):
        raise BencodeError("unexpected end of data")
    lead = data[pos : pos + 1]
    if lead == b"i":
        end = data.find(b"e", pos + 1)
        if end < 0:
            raise BencodeError("unterminated integer")
        digits = data[pos + 1 : end]
        if not digits or digits in (b"-", b"-0") or (digits.startswith(b"0") and len(digits) > 1):
            raise BencodeError(f"malformed integer at offset {pos}")
        try:
            return int(digits), end + 1
        except ValueError as exc:
            raise BencodeError(f"malformed integer at offset {pos}") from exc
    if lead == b"l":
        items: list[object] = []
        pos += 1
        while data[pos : pos + 1] != b"e":
            item, pos = _decode_at(data, pos, depth + 1)
            items.append(item)
        return items, pos + 1
    if lead == b"d":
        result: dict[bytes, object] = {}
        pos += 1
        while data[pos : pos + 1] != b"e":
            key, pos = _decode_at(data, pos, depth + 1)
            if not isinstance(key, bytes):
                raise BencodeError(f"dictionary key is not a string at offset {pos}")
            result[key], pos = _decode_at(data, pos, depth + 1)
        return result, pos + 1
    if lead.isdigit():
        colon = data.find(b":", pos)
        if colon < 0:
            raise BencodeError("unterminated string length")
        try:
            length = int(data[pos:colon])
        except ValueError as exc:
            raise BencodeError(f"malformed string length at offset {pos}") from exc
        start = colon + 1
        if start + length > len(data):
            raise BencodeError("string runs past the end of data")
        return data[start : start + length], start + length
    raise BencodeError(f"unexpected byte {lead!r} at offset {pos}")


def encode(value: object) -> bytes:
    """Encode ints, bytes, str (as UTF-8), lists and dicts (keys sorted as raw bytes)."""
    out: list[bytes] = []
    _encode_into(value, out)
    return b"".join(out)


def _encode_into(value: object, out: list[bytes]) -> None:
    if isinstance(value, bool):
        raise TypeError("bencode has no booleans")
    if isinstance(value, int):
        out.append(b"i%de" % value)
    elif isinstance(value, str):
        raw = value.encode()
        out.append(b"%d:" % len(raw))
        out.append(raw)
    elif isinstance(value, bytes | bytearray):
        out.append(b"%d:" % len(value))
        out.append(bytes(value))
    elif isinstance(value, list | tuple):
        out.append(b"l")
        for item in value:
            _encode_into(item, out)
        out.append(b"e")
    elif isinstance(value, dict):
        out.append(b"d")
        keyed = sorted(((k.encode() if isinstance(k, str) else bytes(k)), v) for k, v in value.items())
        for key, item in keyed:
            _encode_into(key, out)
            _encode_into(item, out)
        out.append(b"e")
    else:
        raise TypeError(f"cannot bencode {type(value).__name__}")
