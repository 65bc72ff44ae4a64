"""The General tab measures its height only when a field's width changed, and is right either way."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from qbtui.api.models import TorrentProperties
from qbtui.ui.widgets.details.general import GeneralData, GeneralView


class Host(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield GeneralView()


def data(save_path: str, uploaded: int = 1100) -> GeneralData:
    return GeneralData(TorrentProperties(save_path=save_path, total_uploaded=uploaded), None)


def rendered(view: GeneralView) -> str:
    return "\n".join(strip.text for strip in view.render_lines(view.region.reset_offset))


async def test_height_follows_a_wrapping_value_and_values_update_without_a_relayout() -> None:
    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(GeneralView)
        view.show(data("/srv/short/"), "a" * 40)
        await pilot.pause()
        short = view.size.height
        assert "/srv/short/" in rendered(view)

        measured = 0
        original = GeneralView.get_content_height

        def counting(self, *args):  # type: ignore[no-untyped-def]
            nonlocal measured
            measured += 1
            return original(self, *args)

        GeneralView.get_content_height = counting  # type: ignore[method-assign]
        try:
            # Same widths, other characters: repainted, not measured again.
            view.show(data("/srv/other/", uploaded=1200), "a" * 40)
            await pilot.pause()
            assert measured == 0
            assert "/srv/other/" in rendered(view) and view.size.height == short

            # A save path too long for one line wraps: measured, and taller.
            long_path = "/srv/" + "very-long-directory-name/" * 12
            view.show(data(long_path), "a" * 40)
            await pilot.pause()
            assert measured > 0
            assert view.size.height > short
            assert "very-long-directory-name" in rendered(view)

            # And back: shorter again.
            view.show(replace(data("/srv/short/")), "a" * 40)
            await pilot.pause()
            assert view.size.height == short
        finally:
            GeneralView.get_content_height = original  # type: ignore[method-assign]
