"""A scrolling list of rows drawn on demand (Line API), for long outputs: logs, piece hashes.

Subclasses say how many rows there are and draw one; only the visible ones are ever drawn.
With `follow`, new rows keep the end in view unless the user has scrolled up; scrolling back
to the end resumes following.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

_CACHE_LIMIT = 2000


class LinesView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    LinesView { height: 1fr; background: $surface; scrollbar-gutter: stable; }
    """

    def __init__(self, *, follow: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.follow = follow
        #: At the end (or nothing to scroll): new rows keep it there. Only scrolling changes it,
        #: so a scrollbar appearing (which moves the end by a line) does not unpin the view.
        self._pinned = True
        self._widest = 0
        self._cache: dict[int, Strip] = {}

    # -- for subclasses -------------------------------------------------------------------------

    def row_count(self) -> int:
        raise NotImplementedError

    def render_row(self, index: int) -> Strip:
        """Row `index` at its natural width; the view crops it to the window."""
        raise NotImplementedError

    # -- updates --------------------------------------------------------------------------------

    def rows_changed(self, *, widest: int = 0, appended: bool = False, dropped: int = 0) -> None:
        """Rows were appended (`appended`) and maybe `dropped` from the top (a capped log), or else
        replaced wholesale; `widest` is the widest new row. A reader scrolled up keeps their place."""
        if not appended:
            self._cache.clear()
            self._widest = widest
        else:
            self._widest = max(self._widest, widest)
            if dropped:
                self._cache.clear()
        if dropped and not self._pinned:
            self.scroll_to(y=max(self.scroll_y - dropped, 0), animate=False, immediate=True)
        self.virtual_size = Size(self._widest, self.row_count())
        if self.follow and (self._pinned or not appended):
            self._pinned = True
            # After the next layout, which may add a horizontal scrollbar and move the end.
            self.scroll_end(animate=False, x_axis=False)
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._pinned = new_value >= self.max_scroll_y

    def clear_cache(self) -> None:
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    # -- rendering ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        if index >= self.row_count():
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(index)
        if strip is None:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            strip = self._cache[index] = self.render_row(index)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)
