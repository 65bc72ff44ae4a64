"""Scaling a torrent's piece states to a bar of any size (no Textual here).

The server reports one state per piece (0 missing, 1 downloading, 2 have); a torrent can have a
million pieces and the bar a few hundred cells. Each cell summarises a contiguous run of pieces.
The states are packed into `bytes` once so every per-cell test runs in C: a million pieces
scale in a few milliseconds.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from qbtui.api.models import PieceState

_MISSING = bytes([PieceState.MISSING])
_DOWNLOADING = bytes([PieceState.DOWNLOADING])
_HAVE = bytes([PieceState.HAVE])


class Cell(enum.IntEnum):
    """What one cell of the bar shows for its run of pieces."""

    MISSING = 0  # none of them
    PARTIAL = 1  # some, not all (only when a cell covers several pieces)
    DOWNLOADING = 2  # at least one is being downloaded
    HAVE = 3  # all of them


@dataclass(frozen=True, slots=True)
class PieceSummary:
    missing: int = 0
    downloading: int = 0
    have: int = 0

    @property
    def total(self) -> int:
        return self.missing + self.downloading + self.have

    @property
    def fraction_have(self) -> float:
        return self.have / self.total if self.total else 0.0


def pack(states: Sequence[int] | bytes) -> bytes:
    """One byte per piece; a state the server should never send counts as missing."""
    if isinstance(states, bytes):
        return states
    try:
        packed = bytes(states)
    except (ValueError, TypeError):
        packed = bytes(s if isinstance(s, int) and 0 <= s <= 2 else 0 for s in states)
    if packed.translate(None, b"\x00\x01\x02"):
        # Rare: values 3..255 slipped through bytes(); map them to missing.
        packed = bytes(s if s <= 2 else 0 for s in packed)
    return packed


def summarise(states: Sequence[int] | bytes) -> PieceSummary:
    packed = pack(states)
    return PieceSummary(
        missing=packed.count(_MISSING),
        downloading=packed.count(_DOWNLOADING),
        have=packed.count(_HAVE),
    )


def scale(states: Sequence[int] | bytes, cells: int) -> list[Cell]:
    """One `Cell` per cell, `cells` of them, covering the pieces in order.

    With fewer pieces than cells a piece stretches over several cells, so the bar always fills
    its width; with more, cell i covers pieces [i*n/cells, (i+1)*n/cells).
    """
    return [cell for cell, _ in scale_with_share(states, cells)]


def scale_with_share(states: Sequence[int] | bytes, cells: int) -> list[tuple[Cell, float]]:
    """Like `scale`, with the share of each cell's pieces the client has (0.0 to 1.0).

    The share tells a PARTIAL cell that is nearly full from one that is nearly empty, which is
    what a bar of a million pieces fetched in rarest-first order mostly consists of.
    """
    packed = pack(states)
    count = len(packed)
    if cells <= 0 or count == 0:
        return []
    result: list[tuple[Cell, float]] = []
    append = result.append
    for cell in range(cells):
        start = cell * count // cells
        end = max((cell + 1) * count // cells, start + 1)
        chunk = packed[start:end]
        have = chunk.count(_HAVE)
        share = have / len(chunk)
        if _DOWNLOADING in chunk:
            append((Cell.DOWNLOADING, share))
        elif have == len(chunk):
            append((Cell.HAVE, 1.0))
        elif have:
            append((Cell.PARTIAL, share))
        else:
            append((Cell.MISSING, 0.0))
    return result


def rows_needed(pieces: int, width: int, max_rows: int) -> int:
    """How many rows of `width` cells the bar takes: enough for one cell per piece, at most max_rows."""
    if pieces <= 0 or width <= 0:
        return 1
    return max(1, min(max_rows, -(-pieces // width)))
