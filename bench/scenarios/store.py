"""Store and view costs, in-process on recorded payloads: full sync, churn deltas, per changed torrent."""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable
from typing import Any

from bench.payloads import Recording, record
from bench.results import Metric, Run
from bench.stats import median
from qbtui.model.store import Store
from qbtui.model.view import TorrentView

now = time.perf_counter


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = now()
    result = fn()
    return now() - started, result


def run(out: Run, size: int, *, polls: int, repeats: int) -> None:
    recording = record(size, polls)
    measure(out, recording, repeats)


def measure(out: Run, recording: Recording, repeats: int) -> None:
    size = recording.size
    json_full, store_full, view_full = [], [], []
    json_delta, store_delta, view_delta, per_changed = [], [], [], []
    changed_counts: list[int] = []
    for _ in range(repeats):
        gc.collect()
        t, payload = _timed(lambda: json.loads(recording.full))
        json_full.append(t)
        store = Store()
        view = TorrentView(store)
        t, changes = _timed(lambda: store.apply(payload))  # noqa: B023 - called at once
        store_full.append(t)
        t, _ = _timed(lambda: view.apply(changes))  # noqa: B023
        view_full.append(t)
        for body in recording.deltas:
            t, delta = _timed(lambda: json.loads(body))  # noqa: B023
            json_delta.append(t)
            t, changes = _timed(lambda: store.apply(delta))  # noqa: B023
            store_delta.append(t)
            touched = len(changes.added) + len(changes.removed) + len(changes.changed)
            per_changed.append(t / max(touched, 1))
            changed_counts.append(touched)
            t, _ = _timed(lambda: view.apply(changes))  # noqa: B023
            view_delta.append(t)
    ms = 1000.0
    add = out.add
    add(
        Metric(
            "store", "json_full_ms", size, median(json_full) * ms, "ms", samples=[x * ms for x in json_full]
        )
    )
    add(
        Metric(
            "store",
            "store_full_ms",
            size,
            median(store_full) * ms,
            "ms",
            samples=[x * ms for x in store_full],
        )
    )
    add(
        Metric(
            "store", "view_full_ms", size, median(view_full) * ms, "ms", samples=[x * ms for x in view_full]
        )
    )
    add(
        Metric(
            "store",
            "json_delta_ms",
            size,
            median(json_delta) * ms,
            "ms",
            samples=[x * ms for x in json_delta],
        )
    )
    add(
        Metric(
            "store",
            "store_delta_ms",
            size,
            median(store_delta) * ms,
            "ms",
            samples=[x * ms for x in store_delta],
            note=f"{median(changed_counts):.0f} torrents changed per delta",
        )
    )
    add(
        Metric(
            "store",
            "store_per_changed_us",
            size,
            median(per_changed) * 1e6,
            "µs",
            samples=[x * 1e6 for x in per_changed],
        )
    )
    add(
        Metric(
            "store",
            "view_delta_ms",
            size,
            median(view_delta) * ms,
            "ms",
            samples=[x * ms for x in view_delta],
        )
    )
    add(
        Metric(
            "store",
            "full_body_mb",
            size,
            len(recording.full) / 1e6,
            "MB",
            stat="once",
            note="uncompressed JSON of the full update",
        )
    )
    _orjson(out, recording, repeats)


def _orjson(out: Run, recording: Recording, repeats: int) -> None:
    """The same decoding with orjson, only when it is installed: the case for adding it or not."""
    try:
        import orjson  # type: ignore[import-not-found]
    except ImportError:
        return
    full = [_timed(lambda: orjson.loads(recording.full))[0] for _ in range(repeats)]
    delta = [_timed(lambda: orjson.loads(body))[0] for body in recording.deltas for _ in range(repeats)]  # noqa: B023
    out.add(Metric("store", "orjson_full_ms", recording.size, median(full) * 1000, "ms"))
    out.add(Metric("store", "orjson_delta_ms", recording.size, median(delta) * 1000, "ms"))
