"""The run as a console table, a JSON file and a markdown page (bench/results/latest.md)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from bench.budgets import REGRESSION_SLACK, Verdict, budget_for, judge
from bench.results import Metric, Run


def _number(value: float) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _verdict(metric: Metric, verdicts: dict[int, Verdict]) -> tuple[str, str]:
    verdict = verdicts.get(id(metric))
    if verdict is None:
        return "", ""
    budget = verdict.budget
    limit = f"≤ {_number(budget.limit)} {budget.unit}".rstrip()
    if verdict.passed:
        return limit, "pass"
    if verdict.regressed:
        return limit, "FAIL (regression)"
    return limit, "FAIL (explained gap)" if verdict.gap is not None else "FAIL"


def rows(run: Run) -> list[list[str]]:
    verdicts = {id(v.metric): v for v in judge(run)}
    out = []
    for metric in run.metrics:
        limit, verdict = _verdict(metric, verdicts)
        value = f"{_number(metric.value)} {metric.unit}".rstrip()
        out.append(
            [
                metric.scenario,
                metric.name,
                f"{metric.size:,}",
                value,
                metric.stat,
                limit,
                verdict,
                metric.note,
            ]
        )
    return out


HEADER = ["scenario", "metric", "torrents", "value", "stat", "budget", "verdict", "note"]


def console_table(run: Run) -> str:
    table = [HEADER, *rows(run)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def markdown(run: Run, soak: Run | None = None) -> str:
    machine = run.machine
    out = [
        "# qbtui benchmark results",
        "",
        f"Run `{run.options.get('command', 'python3 -m bench')}` on {run.options.get('started', '?')} "
        f"({run.options.get('elapsed_s', 0):.0f} s).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    for key in ("host", "nproc", "cpu", "memory_gib", "kernel", "python", "textual", "httpx", "orjson"):
        out.append(f"| {key} | {machine.get(key, '?')} |")
    for key in ("qbittorrent_nox", "tmux", "load_avg_at_start", "load_avg_at_end"):
        out.append(f"| {key} | {machine.get(key, '?')} |")
    out += ["", "## Results", "", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for row in rows(run):
        out.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    verdicts = judge(run)
    failed = [v for v in verdicts if not v.passed]
    out += [
        "",
        f"{len(verdicts) - len(failed)} of {len(verdicts)} budget checks pass. The regression check "
        f"(`--quick`) fails only beyond a budget by more than {REGRESSION_SLACK:.0%}.",
    ]
    if soak is not None:
        out += [
            "",
            "## Soak: qbittorrent-nox while qbtui watches it",
            "",
            f"`{soak.options.get('command', 'python3 -m bench soak')}`, "
            f"started {soak.options.get('started', '?')}.",
            "",
            "| " + " | ".join(HEADER) + " |",
            "|" + "---|" * len(HEADER),
        ]
        out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows(soak)]
    if run.notes:
        out += ["", "## Notes", ""] + [f"- {note}" for note in run.notes]
    if run.errors:
        out += ["", "## Errors", ""] + [f"- {error}" for error in run.errors]
    return "\n".join(out) + "\n"


def write_json(run: Run, path: Path) -> None:
    verdicts = {id(v.metric): v for v in judge(run)}
    payload = {
        "machine": run.machine,
        "options": run.options,
        "metrics": [
            {
                **metric.as_json(),
                "budget": (b.limit if (b := budget_for(metric)) else None),
                "passed": (verdicts[id(metric)].passed if id(metric) in verdicts else None),
            }
            for metric in run.metrics
        ],
        "notes": run.notes,
        "errors": run.errors,
    }
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
