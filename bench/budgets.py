"""Every budget of issue 6, in one place. A metric passes when its value is at most the limit.

Sizes are torrent counts; `None` applies a budget at every size where the metric was measured.
The regression check (`--quick`) fails only beyond `limit * (1 + REGRESSION_SLACK)` — the machine
has two cores shared with other work, so a budget met in the full run may wobble in a short one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bench.results import Metric, Run

REGRESSION_SLACK = 0.5

KEYS = ("cursor_down", "page_down", "sort_change", "filter_keystroke", "sidebar_toggle", "open_details")


@dataclass(frozen=True)
class _ForMetric:
    """Names a metric, at one size or (None) at every size it is measured at."""

    name: str
    size: int | None

    def applies(self, metric: Metric) -> bool:
        return metric.name == self.name and (self.size is None or metric.size == self.size)


@dataclass(frozen=True)
class Budget(_ForMetric):
    limit: float
    unit: str
    why: str


BUDGETS: tuple[Budget, ...] = (
    Budget("cpu_ratio_to_floor", 10_000, 2.0, "×", "steady-state CPU at most 2× the floor client"),
    Budget("cpu_s_per_min", 50_000, 30.0, "s/min", "well under one core at 50,000 (half a core)"),
    Budget("repaint_headless_ms", 10_000, 50.0, "ms", "a poll's data on screen within 50 ms (median)"),
    Budget("repaint_tmux_ms", 10_000, 50.0, "ms", "a poll's data on screen within 50 ms (median)"),
    Budget("first_paint_s", 10_000, 1.5, "s", "first paint under 1.5 s"),
    *(Budget(f"key_{key}_ms", 10_000, 50.0, "ms", "every key within 50 ms (p95)") for key in KEYS),
    *(
        Budget(f"key_{key}_ms", 50_000, 100.0, "ms", "every key within 100 ms at 50,000 (p95)")
        for key in KEYS
    ),
    Budget("rss_mb", 10_000, 250.0, "MB", "under 250 MB resident at 10,000"),
    Budget("rss_mb", 50_000, 600.0, "MB", "under 600 MB resident at 50,000"),
    Budget("full_updates_after_first", None, 0, "", "deltas only at steady state, never a full list"),
    Budget(
        "delta_bytes_per_changed_torrent",
        None,
        1000.0,
        "B",
        "bytes per poll proportional to what changed (under one full torrent object each)",
    ),
    Budget(
        "other_requests_per_min",
        None,
        0,
        "/min",
        "nothing but maindata (and a slow server's active-torrent refreshes) while only the table is visible",
    ),
    Budget("logins", None, 1, "", "one login per session"),
    # Several servers in one table (issue 20): 5 x 10,000; keys measured with the polls stopped and
    # the simulators paused, as one server's are (the `_polling` and `_blackholed` figures are
    # reported beside them). Met since 2026-12-06 15:04 (p95 10, 28 and 21 ms; the gaps that were
    # here are closed: kept orders caught up while someone is at the keys, names scanned side by
    # side, full collections at quiet moments).
    *(
        Budget(f"fleet_key_{key}_ms", 50_000, 50.0, "ms", "every key within 50 ms (p95), 5 x 10,000")
        for key in ("cursor_down", "filter_keystroke", "sort_change")
    ),
    Budget("fleet_rss_mb", 50_000, 600.0, "MB", "under 600 MB resident with 5 x 10,000"),
    # Fresher for the same server cost (bench.scenarios.fresh, real nox).
    Budget("refreshed_active_age_max_s", 10_000, 3.0, "s", "active torrents at most 3 s old"),
    Budget(
        "refreshed_server_cpu_ratio",
        10_000,
        1.1,
        "×",
        "the server's CPU with refreshes at most that of maindata alone (10 % for noise)",
    ),
    Budget("fleet_cpu_ratio_to_floors", 50_000, 2.0, "×", "at most 2x five floor clients"),
    Budget("fleet_repaint_ms", 50_000, 50.0, "ms", "a poll's data on screen within 50 ms (median)"),
    Budget(
        "fleet_blackhole_others_poll_loss_pct",
        50_000,
        10.0,
        "%",
        "one server black-holed costs the others' polls nothing (within noise)",
    ),
    # Issue 18: side by side with the floor and qbittorrentui on a real qbittorrent-nox.
    Budget("idle_ratio_to_floor", None, 2.0, "×", "an idle poll at most 2× the floor's CPU"),
    Budget("churn_ratio_to_floor", None, 2.0, "×", "a churn poll at most 2× the floor's CPU"),
    Budget("churn_share_of_qbittorrentui", None, 0.1, "×", "at least 10× less client CPU than qbittorrentui"),
    Budget(
        "detached_share_of_attached",
        None,
        0.05,
        "×",
        "qBittorrent's CPU for qbtui detached at most 5 % of attached (net of its idle CPU)",
    ),
    Budget("maindata_wait_share", None, 1 / 3, "", "at most a third of wall time waiting on maindata"),
    # Against a fast server both poll every 1.5 s and the ratio is 1 ± noise (10 % allowed); a slow
    # one gets 2.5× its answer time of rest from qbtui (sync.Poller.next_delay), so less than the floor.
    Budget(
        "server_cpu_ratio_to_floor", None, 1.1, "×", "the server spends no more CPU on us than on the floor"
    ),
    # `qbtui status` runs as a fresh process every status-interval (tmux: 15 s by default, 1 s at
    # the least). Measured on the 2-core machine: 360-465 ms wall (the simulator or nox answering
    # on the same two cores), 290-410 ms CPU depending on the other load, of which ~200 ms are the
    # interpreter and imports (`qbtui --help` costs as much). 500 ms is half of tmux's shortest
    # interval, so runs never pile up, and is exceeded if the command pulled in Textual (+200 ms).
    # 500 ms of CPU is ~3 % of one core at tmux's default interval and 10 % when run every 5 s.
    Budget("status_ms", None, 500.0, "ms", "`qbtui status` done within 500 ms (median of fresh processes)"),
    Budget("status_cpu_ms", None, 500.0, "ms", "`qbtui status` uses at most 500 ms of CPU per run"),
    Budget("status_requests", None, 1, "", "one request per `qbtui status` run with a saved session"),
)


@dataclass(frozen=True)
class Gap(_ForMetric):
    """A budget this machine does not meet, for a reason measured and written down (the closing note
    of issue 6 and bench/README.md). The verdict stays FAIL; the regression check then guards the
    level the last full run reached instead of the budget: beyond `reached` by more than the slack
    fails `--quick`, so the gap cannot quietly widen."""

    reached: float
    why: str


GAPS: tuple[Gap, ...] = (
    Gap(
        "cpu_ratio_to_floor",
        10_000,
        7.77,
        "a Textual app that only shows one line per poll already costs 2.5x the floor "
        "(textual_floor_cpu_s_per_min); qbtui is 3.3x that: Textual's compositor redrawing the rows, "
        "sidebar counts and status line that each poll changes",
    ),
    Gap(
        "fleet_cpu_ratio_to_floors",
        50_000,
        6.5,
        "the single server's gap (7.8x its floor at 10,000: Textual redrawing what each poll changes) "
        "five times, less the floor's own share",
    ),
    # Issue 18 (peers on real nox, 2026-12-06). In-process profile of a poll naming 1,000 changed
    # torrents (category and upload limit), 5,000-10,000 torrents: 11-14 ms, of which the store
    # 2-5 ms (the typed model of 1,000 torrents refreshed), the view 1.6-4.8 ms (sidebar counts and
    # sort keys), Textual's compositor 3-5.5 ms (the rows, sidebar counts and status line that
    # changed), JSON 0.5-1.6 ms (orjson would save ~0.3 ms). The floor merges dicts and draws nothing.
    *(
        Gap(
            "churn_ratio_to_floor",
            size,
            reached,
            "a churn poll redraws what changed and keeps the "
            "typed model, sidebar counts and order; the floor only merges dicts (profile above)",
        )
        for size, reached in ((5_000, 5.76), (10_000, 5.74))
    ),
    Gap(
        "idle_ratio_to_floor",
        5_000,
        5.7,
        "an idle poll redraws nothing (tests/ui/test_idle_redraw.py); what is left is the async "
        "client and Textual's event loop around one request (in-process idle poll ~1 ms)",
    ),
    Gap(
        "idle_ratio_to_floor",
        10_000,
        10.0,
        "per poll, with polls ~10 s apart (a 10,000-torrent maindata takes this machine ~2.5 s and "
        "qbtui rests 2.5x that) and the data's age repainted every 5 s between them; per minute "
        "qbtui spends 0.11 CPU-s, the floor 0.03 and qbittorrentui 0.14 (full run 2026-12-06)",
    ),
    Gap(
        "churn_share_of_qbittorrentui",
        5_000,
        0.147,
        "6.8x less CPU per churn poll than qbittorrentui, not 10x (per minute 0.42 against 5.38 CPU-s): "
        "qbtui's own cost over the floor is the gap above",
    ),
    Gap(
        "churn_share_of_qbittorrentui",
        10_000,
        0.112,
        "8.9x less CPU per churn poll than qbittorrentui, not 10x (per minute 0.17 against 6.03 CPU-s)",
    ),
)


@dataclass(frozen=True)
class Verdict:
    budget: Budget
    metric: Metric
    gap: Gap | None = None

    @property
    def passed(self) -> bool:
        return self.metric.value <= self.budget.limit

    @property
    def regressed(self) -> bool:
        """Beyond the budget by more than the slack (a zero budget: anything above zero); for an
        explained gap, beyond the level the last full run reached by more than the slack."""
        limit = self.gap.reached if self.gap is not None else self.budget.limit
        return self.metric.value > limit * (1 + REGRESSION_SLACK)


def judge(run: Run) -> list[Verdict]:
    """Budgets against what was measured; a metric with no value (nothing to divide by) is not judged."""
    return [
        Verdict(budget, metric, next((g for g in GAPS if g.applies(metric)), None))
        for metric in run.metrics
        if not math.isnan(metric.value)
        for budget in BUDGETS
        if budget.applies(metric)
    ]


def budget_for(metric: Metric) -> Budget | None:
    return next((b for b in BUDGETS if b.applies(metric)), None)
