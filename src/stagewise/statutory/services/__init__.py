"""Statutory processes' services: the clocks themselves (processes.py) and the clocks a statutory
plan's lifecycle runs (plan_clocks.py)."""

from stagewise.statutory.services.considerations import (
    ConditionsJudged,
    coordinated_support_plan_consider,
)
from stagewise.statutory.services.plan_clocks import (
    PLAN_CLOCKS,
    PlanClocks,
    plan_clocks_closed,
    plan_clocks_finalised,
    plan_clocks_opened,
    plan_clocks_reviewed,
)
from stagewise.statutory.services.processes import (
    ComputedDue,
    ceiling_message,
    compute_due,
    format_day,
    process_close,
    process_dates_refresh,
    process_extend,
    process_pause,
    process_resume,
    process_start,
)

__all__ = [
    "PLAN_CLOCKS",
    "ComputedDue",
    "ConditionsJudged",
    "PlanClocks",
    "ceiling_message",
    "compute_due",
    "coordinated_support_plan_consider",
    "format_day",
    "plan_clocks_closed",
    "plan_clocks_finalised",
    "plan_clocks_opened",
    "plan_clocks_reviewed",
    "process_close",
    "process_dates_refresh",
    "process_extend",
    "process_pause",
    "process_resume",
    "process_start",
]
