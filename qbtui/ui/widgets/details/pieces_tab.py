"""Pieces: a bar of piece states scaled to the width, a legend with counts, and hashes on demand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from qbtui.api import QbtApi
from qbtui.api.models import ServerInfo
from qbtui.model import pieces
from qbtui.model.pieces import Cell, PieceSummary
from qbtui.ui.widgets.details.base import DetailTab
from qbtui.ui.widgets.details.lines import LinesView
from qbtui.ui.widgets.details.support import needs_legacy

#: Glyphs differ as well as colours, so the bar reads on a monochrome terminal too.
GLYPHS = {Cell.HAVE: "█", Cell.PARTIAL: "▄", Cell.DOWNLOADING: "▒", Cell.MISSING: "░"}
#: A partly-there cell rises with the share of its pieces the client has.
EIGHTHS = "▁▂▃▄▅▆▇"


def glyph(cell: Cell, share: float) -> str:
    if cell is Cell.PARTIAL:
        return EIGHTHS[min(int(share * len(EIGHTHS)), len(EIGHTHS) - 1)]
    return GLYPHS[cell]


_CLASSES = {
    Cell.HAVE: "piece-bar--have",
    Cell.PARTIAL: "piece-bar--partial",
    Cell.DOWNLOADING: "piece-bar--downloading",
    Cell.MISSING: "piece-bar--missing",
}
#: The bar wraps onto up to this many rows, so big torrents get more resolution.
MAX_ROWS = 6


class PieceBar(Widget, can_focus=True):
    """The piece states of a torrent, each cell summarising a run of pieces, in reading order.

    Focusable so the tab's keys (piece hashes) have somewhere to live.
    """

    COMPONENT_CLASSES = set(_CLASSES.values())
    DEFAULT_CSS = """
    PieceBar {
        height: auto;
        padding: 0 1;
        &:focus { background: $boost; }
        & > .piece-bar--have { color: $piece-have; }
        & > .piece-bar--partial { color: $piece-partial; }
        & > .piece-bar--downloading { color: $piece-downloading; }
        & > .piece-bar--missing { color: $piece-missing; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.states = b""
        self._cells: list[tuple[Cell, float]] = []
        self._cells_key: tuple[int, int, int] | None = None

    def set_states(self, states: bytes) -> None:
        resized = len(states) != len(self.states)
        self.states = states
        self._cells_key = None
        self.refresh(layout=resized)

    @property
    def rows(self) -> int:
        return pieces.rows_needed(len(self.states), self.content_size.width, MAX_ROWS)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return pieces.rows_needed(len(self.states), width, MAX_ROWS) if self.states else 0

    def cells(self) -> list[tuple[Cell, float]]:
        width = self.content_size.width
        key = (id(self.states), width, self.rows)
        if key != self._cells_key:
            self._cells = pieces.scale_with_share(self.states, width * self.rows)
            self._cells_key = key
        return self._cells

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cells_key = None

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        cells = self.cells()[y * width : (y + 1) * width]
        styles = {cell: self.get_component_rich_style(name) for cell, name in _CLASSES.items()}
        segments: list[Segment] = []
        run: list[str] = []
        run_cell: Cell | None = None
        # One segment per run of cells of a kind: a 200-cell row is usually a handful of segments.
        for cell, share in cells:
            if cell is not run_cell and run:
                segments.append(Segment("".join(run), styles[run_cell]))  # type: ignore[index]
                run = []
            run_cell = cell
            run.append(glyph(cell, share))
        if run:
            segments.append(Segment("".join(run), styles[run_cell]))  # type: ignore[index]
        return Strip(segments).adjust_cell_length(width, self.rich_style)


def legend(summary: PieceSummary, cells: int, styles: dict[Cell, Style]) -> Text:
    total = summary.total
    text = Text()
    for cell, label, count in (
        (Cell.HAVE, "have", summary.have),
        (Cell.DOWNLOADING, "downloading", summary.downloading),
        (Cell.MISSING, "missing", summary.missing),
    ):
        text.append(GLYPHS[cell], styles[cell])
        text.append(f" {label} {count:,}")
        if cell is Cell.HAVE and total:
            text.append(f" ({summary.have / total:.1%})")
        text.append("   ")
    if cells and total > cells:
        text.append(GLYPHS[Cell.PARTIAL], styles[Cell.PARTIAL])
        text.append(f" partly there (by share)   one cell ≈ {_pieces_per_cell(total / cells)}")
    text.append(f"\n{total:,} piece{'s' if total != 1 else ''}", style="dim")
    return text


class HashList(LinesView):
    """Piece hashes, one per row, with the piece's state."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.hashes: list[str] = []
        self.states = b""

    def set_hashes(self, hashes: list[str], states: bytes) -> None:
        self.hashes, self.states = hashes, states
        self.rows_changed(widest=len(self._row_text(len(hashes) - 1)) if hashes else 0)

    def set_states(self, states: bytes) -> None:
        self.states = states
        self.clear_cache()

    def row_count(self) -> int:
        return len(self.hashes)

    def _row_text(self, index: int) -> str:
        digits = len(f"{max(len(self.hashes) - 1, 0):,}")
        state = self.states[index] if index < len(self.states) else 0
        word = ("missing", "downloading", "have")[state] if state <= 2 else "missing"
        return f"{index:>{digits},}  {self.hashes[index]}  {word}"

    def render_row(self, index: int) -> Strip:
        return Strip([Segment(self._row_text(index), self.rich_style)])


@dataclass(frozen=True, slots=True)
class PiecesData:
    states: bytes
    hashes: list[str] | None


class PiecesTab(DetailTab):
    TITLE = "Pieces"
    PANE_ID = "pieces"

    DEFAULT_CSS = """
    PiecesTab #legend { padding: 0 1; height: auto; margin-bottom: 1; }
    PiecesTab HashList { display: none; }
    PiecesTab.-hashes HashList { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("H", "hashes", "Piece hashes", id="details.pieces-hashes"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.want_hashes = False
        self.summary = PieceSummary()

    def compose_body(self) -> ComposeResult:
        yield PieceBar(classes="body")
        yield Static(id="legend", classes="body")
        yield HashList(classes="body")

    def unsupported(self, info: ServerInfo) -> str | None:
        return needs_legacy(info, 14, "Piece states need")

    async def fetch(self, api: QbtApi, hash: str) -> PiecesData:
        states = pieces.pack(await api.piece_states(hash))
        hashes = None
        if self.want_hashes and not self.query_one(HashList).hashes:
            hashes = await api.piece_hashes(hash)
        return PiecesData(states, hashes)

    def show_data(self, data: PiecesData) -> None:
        bar = self.query_one(PieceBar)
        bar.set_states(data.states)
        hash_list = self.query_one(HashList)
        if data.hashes is not None:
            hash_list.set_hashes(data.hashes, data.states)
        elif hash_list.hashes:
            hash_list.set_states(data.states)
        self.summary = pieces.summarise(data.states)
        self._update_legend()
        self.data_shown()
        if not data.states:
            self.note.say("No pieces yet: the torrent's metadata has not arrived", "info")

    def _update_legend(self) -> None:
        bar = self.query_one(PieceBar)
        styles = {cell: bar.get_component_rich_style(name) for cell, name in _CLASSES.items()}
        cells = bar.content_size.width * bar.rows
        self.query_one("#legend", Static).update(
            legend(self.summary, cells, styles) if self.summary.total else ""
        )

    def on_resize(self) -> None:
        if self.summary.total:
            self.call_after_refresh(self._update_legend)

    def clear(self) -> None:
        self.want_hashes = False
        self.remove_class("-hashes")
        self.summary = PieceSummary()
        self.query_one(PieceBar).set_states(b"")
        self.query_one(HashList).set_hashes([], b"")
        self.query_one("#legend", Static).update("")

    def action_hashes(self) -> None:
        if self.want_hashes:
            self.want_hashes = False
            self.remove_class("-hashes")
            return
        self.want_hashes = True
        self.add_class("-hashes")
        self.post_message(self.RefreshWanted(self))


def _pieces_per_cell(share: float) -> str:
    """"1.3 pieces", "1 piece", "1,024 pieces": a decimal only where it tells something."""
    shown = f"{share:.1f}".removesuffix(".0") if share < 10 else f"{share:,.0f}"
    return f"{shown} {'piece' if shown == '1' else 'pieces'}"
