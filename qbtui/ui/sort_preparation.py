"""Sorting by the table's other columns, prepared while the app has nothing else to do.

At 50,000 torrents a sort by a column never sorted by costs ~70 ms (a sort value per torrent, then
the sort), which a key should not wait for. The columns `>` and `<` step to next are computed ahead,
nearest first, a slice of torrents per timer tick, so keys and polls get the loop in between;
sorting by one of them then only merges in what changed since (qbtui.model.sort_values).

Polls keep moving the kept columns' values (speeds, ETAs, progress). While someone is at the keys
(`wake`), the columns that fell behind are caught up ahead too, a column per tick, so that the
next sort by one of them finds nothing left to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from textual.timer import Timer
from textual.widget import Widget

from qbtui.model.view import TorrentView

#: Below this many torrents a sort takes a few milliseconds: nothing to prepare.
MIN_TORRENTS = 5_000
#: After a full list, a sort change or a column change, wait this long before starting (the app is
#: busy then, and the user may go on pressing keys).
START_DELAY = 1.0
#: Between two slices (each ~5 ms at 5,000 torrents a slice).
STEP_PAUSE = 0.02

_DONE = object()


def stepping_order(columns: Sequence[str], current: str) -> list[str]:
    """The other columns, in the order `>`/`<` reach them: next, previous, the one after next..."""
    if current not in columns:
        return list(columns)
    index = columns.index(current)
    order: list[str] = []
    for distance in range(1, len(columns)):
        for column in (
            columns[(index + distance) % len(columns)],
            columns[(index - distance) % len(columns)],
        ):
            if column != current and column not in order:
                order.append(column)
    return order


class SortPreparation:
    def __init__(
        self, owner: Widget, view: Callable[[], TorrentView], columns: Callable[[], Sequence[str]]
    ) -> None:
        self.owner = owner
        #: Called each time: switching servers puts another view in place.
        self.view = view
        self.columns = columns
        self._timer: Timer | None = None
        self._job: Iterator[None] | None = None

    def restart(self) -> None:
        """Start over after a while: the data, the sort or the columns changed."""
        self.stop()
        self._timer = self.owner.set_timer(START_DELAY, self._step)

    def wake(self) -> None:
        """Someone pressed a key: if nothing is prepared or waiting, look again after a while for
        columns to prepare or to catch up (what is under way or waiting is left as it is)."""
        if self.idle:
            self._timer = self.owner.set_timer(START_DELAY, self._step)

    @property
    def idle(self) -> bool:
        """Nothing prepared now or waiting to start."""
        return self._timer is None and self._job is None

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = None
        self._job = None

    def _next_job(self) -> Iterator[None] | None:
        view = self.view()
        if len(view.store.torrents) < MIN_TORRENTS:
            return None
        columns = stepping_order(self.columns(), view.sort_column)
        for column in columns:
            if view.sort_prepared(column):
                continue
            job = view.prepare_sort(column)
            # The first step registers the column; a job that ends there found no room left (it
            # would push out a column sorted by): nothing more to prepare.
            return None if next(job, _DONE) is _DONE else job
        for column in columns:
            if view.sort_behind(column):
                return view.catch_up_sort(column)  # its first step at the next tick
        return None

    def _step(self) -> None:
        self._timer = None
        if self._job is None:
            self._job = self._next_job()
            if self._job is None:
                return
        elif next(self._job, _DONE) is _DONE:
            self._job = None
        self._timer = self.owner.set_timer(STEP_PAUSE, self._step)
