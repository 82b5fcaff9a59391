"""Departures from the suggestion in the consistency report (consistency_departures.py): the
tables, their charts and their lines of the CSV, worked out from the report's protected figures
(withheld ones as their mark). Called by consistency_views.py; the HTML is kept with the rest of
the report's figures until the next refresh."""

import dataclasses
from typing import TYPE_CHECKING, Any

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from stagewise.measurement.charts import stacked_share_chart
from stagewise.measurement.consistency_departures import FOLLOWED, Departures
from stagewise.measurement.models import DepartureDirection
from stagewise.statutory.models import DEPARTURE_KINDS_VERSION, DepartureKind

if TYPE_CHECKING:
    from _csv import Writer

    from stagewise.disclosure import Figure
    from stagewise.measurement.consistency import ConsistencyReport, Distribution


def _headings(columns: list[str]) -> list[str]:
    labels = {
        FOLLOWED: _("Followed the suggestion"),
        **{value: str(label) for value, label in DepartureDirection.choices},
        **{value: str(label) for value, label in DepartureKind.choices},
    }
    return [labels[column] for column in columns]


def _rows(table: "Distribution", rates: "list[Figure] | None") -> dict[str, Any]:
    """A table's rows as shown, the departure rate last when there is one; its HTML body
    written in one pass (an authority has a hundred schools, ADR 0044)."""
    from stagewise.measurement.consistency_views import (
        CELL,
        HEADER,
        REGULAR,
        _count_and_share,
        _text,
    )

    rows = []
    for index, row in enumerate(table.rows):
        cells = [
            _count_and_share(_text(cell), _text(share, "%"))
            for cell, share in zip(row.cells, row.shares, strict=True)
        ]
        rows.append(
            {
                "name": row.name,
                "counts": [_text(cell) for cell in row.cells],
                "cells": cells,
                "total": _text(row.total),
                "rate": _text(rates[index], "%") if rates else "",
            }
        )
    totals = [_text(total) for total in table.totals]
    total_rate = _text(rates[-1], "%") if rates else ""
    extra = [total_rate] if rates else []
    body = format_html_join(
        "",
        '<tr class="govuk-table__row">{}{}{}</tr>',
        (
            (
                format_html(HEADER, REGULAR, row["name"]),
                format_html_join("", CELL, ((cell,) for cell in row["cells"])),
                format_html_join(
                    "",
                    CELL,
                    ((cell,) for cell in [row["total"], *([row["rate"]] if rates else [])]),
                ),
            )
            for row in rows
        ),
    )
    return {
        "headings": _headings(table.columns),
        "rows": rows,
        "body": body,
        "totals": [*totals, _text(table.grand_total), *extra],
        "rate": bool(rates),
    }


def departures_shown(report: "ConsistencyReport") -> dict[str, Any] | None:
    departures: Departures | None = report.departures
    if departures is None:
        return None
    return {
        "any": departures.any,
        "stages": _rows(departures.stages, departures.stage_rates),
        "plans": _rows(departures.plans, departures.plan_rates),
        "kinds": _rows(departures.kinds, None),
        "kinds_version": DEPARTURE_KINDS_VERSION,
    }


def _chart(title: str, table: "Distribution", headings: list[str]) -> Any:
    rows = [
        (row.name, [cell.value if cell.shown else None for cell in row.cells]) for row in table.rows
    ]
    if not rows:
        return None
    chart = stacked_share_chart(title=title, rows=rows, parts=headings)
    return dataclasses.replace(
        chart,
        description=_(
            "Bar chart: for each row, one bar split into the share of its decisions in each "
            "column, in the order of the key, left to right. The table that follows gives every "
            "figure."
        ),
    )


def departures_charts(report: "ConsistencyReport", shown: dict[str, Any] | None) -> dict:
    departures = report.departures
    if departures is None or shown is None:
        return {}
    level = _("local authority") if report.access.compared == "authority" else _("school")
    return {
        "departures_stage_chart": _chart(
            _("Stage decisions and the suggestion, by %(level)s") % {"level": level},
            departures.stages,
            shown["stages"]["headings"],
        ),
        "departures_plan_chart": _chart(
            _("Plans opened and the suggestion, by %(level)s") % {"level": level},
            departures.plans,
            shown["plans"]["headings"],
        ),
        "departures_kind_chart": _chart(
            _("Kinds of reason for departing, by %(level)s") % {"level": level},
            departures.kinds,
            shown["kinds"]["headings"],
        ),
    }


def departures_csv(
    writer: "Writer", report: "ConsistencyReport", shown: dict[str, Any] | None
) -> None:
    """The departures tables, as the page shows them, after the report's other tables."""
    if shown is None:
        return
    place = _("Local authority") if report.access.compared == "authority" else _("School")
    for title, table in (
        (_("Stage decisions and the suggestion"), shown["stages"]),
        (_("Plans opened and the suggestion"), shown["plans"]),
        (_("Kinds of reason for departing"), shown["kinds"]),
    ):
        writer.writerow([])
        writer.writerow([title, report.school_year_label])
        rate = [_("Departed (share)")] if table["rate"] else []
        writer.writerow([place, *table["headings"], _("Total"), *rate])
        for row in table["rows"]:
            writer.writerow(
                [
                    row["name"],
                    *row["counts"],
                    row["total"],
                    *([row["rate"]] if table["rate"] else []),
                ]
            )
        writer.writerow([_("Total"), *table["totals"]])
