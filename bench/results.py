"""What a run measured: named metrics per torrent count, with their samples."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Metric:
    scenario: str  # store, headless, tmux, nox
    name: str  # e.g. repaint_ms; budgets refer to it by this name
    size: int  # torrents on the server
    value: float
    unit: str
    stat: str = "median"  # how `value` summarises `samples`: median, p95, total, ratio, max ...
    samples: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.name}@{self.size}"

    def as_json(self) -> dict[str, Any]:
        out = dict(vars(self))
        out["samples"] = [round(s, 6) for s in self.samples]
        if self.value != self.value:  # NaN (nothing to divide by) is not JSON: null
            out["value"] = None
        return out


@dataclass
class Run:
    machine: dict[str, Any]
    options: dict[str, Any]
    metrics: list[Metric] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, metric: Metric) -> Metric:
        self.metrics.append(metric)
        return metric

    def get(self, name: str, size: int) -> Metric | None:
        for metric in self.metrics:
            if metric.name == name and metric.size == size:
                return metric
        return None


def load(path: Path) -> Run:
    """A run back from its JSON file (`report.write_json`)."""
    data = json.loads(path.read_text())
    fields = {"scenario", "name", "size", "value", "unit", "stat", "samples", "note"}
    run = Run(data["machine"], data["options"], notes=data.get("notes", []), errors=data.get("errors", []))
    for item in data["metrics"]:
        value = item["value"]
        item = {k: v for k, v in item.items() if k in fields}
        item["value"] = float("nan") if value is None else value
        run.add(Metric(**item))
    return run
