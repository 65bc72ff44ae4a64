"""The services qbtui's screens reach through `qbtui.ui.services.services()`, for the tests' small
harness apps that run one screen: neutral defaults, which a harness overrides where it needs to
(`api`, `store`, `poke`, ...)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qbtui.api import ConnectionSettings, QbtApi
from qbtui.model.history import SpeedHistory
from qbtui.model.store import Store
from qbtui.model.undo import UndoStack
from qbtui.model.wording import Wording, wording
from qbtui.settings.saved_views import SavedViews


class HarnessServices:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.api: QbtApi | None = None
        self.store = Store()
        self.undo: UndoStack | None = None
        self.history: SpeedHistory | None = None
        self.saved_views: SavedViews | None = None
        self.settings: ConnectionSettings | None = None
        self.read_only = False
        self.fleet_server: str | None = None
        super().__init__(*args, **kwargs)

    @property
    def words(self) -> Wording:
        return wording(self.api.info if self.api is not None else None)

    def poke(self) -> None:
        pass

    def stop_polling(self) -> bool:
        return False

    def reconnect(
        self,
        *,
        before: Mapping[str, Any] | None = None,
        changed: Mapping[str, Any] | None = None,
        settings: ConnectionSettings | None = None,
    ) -> None:
        pass
