"""The filter sidebar: status filters, categories, tags and trackers, each with a live count."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from qbtui.ui.text import safe
from qbtui.view import STATUS_FILTERS, UNCATEGORIZED, UNTAGGED, Counts

#: Option ids are "<kind>:<value>"; kinds are status, category, tag, tracker.
ANY = "\x00any"


@dataclass(frozen=True, slots=True)
class FilterChoice:
    kind: str  # "status", "category", "tag" or "tracker"
    value: str | None  # None = any


def _option_id(kind: str, value: str | None) -> str:
    return f"{kind}:{ANY if value is None else value}"


def parse_option_id(option_id: str) -> FilterChoice:
    kind, _, value = option_id.partition(":")
    return FilterChoice(kind, None if value == ANY else value)


class Sidebar(OptionList):
    """Choosing an entry posts `Sidebar.FilterChosen`."""

    DEFAULT_CSS = """
    Sidebar {
        width: 30;
        height: 1fr;
        border: none;
        border-right: vkey $foreground 20%;
        background: $surface;
        padding: 0;
        & > .option-list--option-disabled { color: $text-accent; text-style: bold; }
    }
    """

    @dataclass
    class FilterChosen(Message):
        sidebar: Sidebar
        choice: FilterChoice

        @property
        def control(self) -> Sidebar:
            return self.sidebar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._layout_key: tuple[object, ...] = ()
        #: What each option shows now, so a poll that changes no count repaints nothing.
        self._shown: dict[str, str] = {}
        self.show_v2_sections = True
        self.selected: dict[str, str | None] = {
            "status": "all",
            "category": None,
            "tag": None,
            "tracker": None,
        }

    def update_counts(
        self, counts: Counts, categories: list[str], tags: list[str], trackers: list[str]
    ) -> None:
        entries = self._entries(counts, categories, tags, trackers)
        layout_key = tuple(option_id for option_id, _ in entries)
        if layout_key != self._layout_key:
            highlighted = self.highlighted
            self.clear_options()
            self.add_options(
                [
                    None
                    if option_id == "-"
                    else Option(prompt, id=option_id, disabled=option_id.startswith("head:"))
                    for option_id, prompt in entries
                ]
            )
            self._layout_key = layout_key
            self._shown = {option_id: prompt.plain for option_id, prompt in entries}
            if highlighted is not None and highlighted < self.option_count:
                self.highlighted = highlighted
            return
        for option_id, prompt in entries:
            if option_id != "-" and self._shown.get(option_id) != prompt.plain:
                self.replace_option_prompt(option_id, prompt)
                self._shown[option_id] = prompt.plain

    def _entries(
        self, counts: Counts, categories: list[str], tags: list[str], trackers: list[str]
    ) -> list[tuple[str, Text]]:
        entries: list[tuple[str, Text]] = [("head:status", Text("Status"))]
        for name in STATUS_FILTERS:
            entries.append(
                (_option_id("status", name), self._line("status", name, name.title(), counts.status[name]))
            )
        entries += [("-", Text()), ("head:category", Text("Categories"))]
        total = sum(counts.categories.values())
        entries.append((_option_id("category", None), self._line("category", None, "All", total)))
        entries.append(
            (
                _option_id("category", UNCATEGORIZED),
                self._line("category", UNCATEGORIZED, "Uncategorized", counts.categories[UNCATEGORIZED]),
            )
        )
        for name in sorted(set(categories) | {c for c in counts.categories if c}, key=str.casefold):
            entries.append(
                (_option_id("category", name), self._line("category", name, name, counts.categories[name]))
            )
        if self.show_v2_sections:
            entries += [("-", Text()), ("head:tag", Text("Tags"))]
            entries.append((_option_id("tag", None), self._line("tag", None, "All", total)))
            entries.append(
                (_option_id("tag", UNTAGGED), self._line("tag", UNTAGGED, "Untagged", counts.tags[UNTAGGED]))
            )
            for name in sorted(set(tags) | {t for t in counts.tags if t}, key=str.casefold):
                entries.append((_option_id("tag", name), self._line("tag", name, name, counts.tags[name])))
            if trackers:
                entries += [("-", Text()), ("head:tracker", Text("Trackers"))]
                entries.append((_option_id("tracker", None), self._line("tracker", None, "All", total)))
                for url in sorted(trackers):
                    host = urlsplit(url).hostname or url
                    entries.append(
                        (_option_id("tracker", url), self._line("tracker", url, host, counts.trackers[url]))
                    )
        return entries

    def _line(self, kind: str, value: str | None, label: str, count: int) -> Text:
        chosen = self.selected.get(kind) == value
        text = Text("● " if chosen else "  ", style="bold" if chosen else "")
        width = 22
        label = safe(label)
        if len(label) > width - 6:
            label = label[: width - 7] + "…"
        text.append(label, style="bold" if chosen else "")
        text.append(f"{count:>{max(width - len(label), 1)}}", style="dim")
        return text

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        choice = parse_option_id(event.option.id)
        self.selected[choice.kind] = choice.value
        self._layout_key = ()  # redraw the markers
        self.post_message(self.FilterChosen(self, choice))
