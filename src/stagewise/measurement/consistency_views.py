"""The consistency report (ADR 0046): the national analyst's nation (authorities compared, through
disclosure control) or the authority officer's authority (its schools compared); 404 for anyone
else. Thin: access and figures from measurement/consistency.py, charts from charts.py. The same
address with `format=csv` downloads what the page shows."""

import csv
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.disclosure import DISCLOSURE_STATEMENT, WITHHELD_MARK, WITHHELD_MEANING, Figure
from stagewise.measurement.charts import stacked_share_chart
from stagewise.measurement.consistency import (
    BAND_CHOICES,
    ConsistencyAccess,
    ConsistencyReport,
    Distribution,
    Profile,
    column_labels,
    consistency_access,
    consistency_report_get,
    profile_choices,
    school_years_of,
)
from stagewise.measurement.dashboard_forms import ReportYearForm
from stagewise.measurement.dashboards import BreakdownLabels
from stagewise.measurement.models import Breakdown
from stagewise.measurement.profile_bands import (
    ALL_ATTENDANCE_BANDS,
    ALL_WELLBEING_BANDS,
    PROFILE_BANDS_VERSION,
)

ANY_BAND = ""
# Printed where a figure has no value (a share of nobody).
NOT_APPLICABLE = "\N{EN DASH}"


class ConsistencyForm(ReportYearForm):
    reasons = forms.ChoiceField(
        label=gettext_lazy("Reasons for support"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Choose reasons for support from the list.")
        },
    )
    wellbeing = forms.ChoiceField(
        label=gettext_lazy("Wellbeing"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a wellbeing band from the list.")},
    )
    attendance = forms.ChoiceField(
        label=gettext_lazy("Attendance"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose an attendance band from the list.")},
    )

    def __init__(self, data: object, *, school_years: list[int], reasons: list[tuple[str, str]]):
        super().__init__(data, school_years=school_years)
        self.fields["reasons"].choices = reasons  # type: ignore[attr-defined]
        for name in ("wellbeing", "attendance"):
            self.fields[name].choices = [  # type: ignore[attr-defined]
                (ANY_BAND, _("Any")),
                *BAND_CHOICES[name],
            ]


def _text(figure: Figure, suffix: str = "") -> str:
    if not figure.shown:
        return str(WITHHELD_MARK)
    if figure.value is None:
        return NOT_APPLICABLE
    return f"{figure.value:,}{suffix}"


def _year_asked(request: HttpRequest, school_years: list[int]) -> int | None:
    """The school year asked for if it is one with figures, else the latest (the profile
    choices depend on the year, so it is read before the form is built)."""
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in school_years:
        return int(asked)
    return school_years[-1] if school_years else None


def _table(distribution: Distribution, headings: list[str]) -> dict[str, Any]:
    return {
        "headings": headings,
        "rows": [
            {
                "name": row.name,
                "cells": [
                    (_text(cell), _text(share, "%"))
                    for cell, share in zip(row.cells, row.shares, strict=True)
                ],
                "total": _text(row.total),
            }
            for row in distribution.rows
        ],
        "totals": [_text(total) for total in distribution.totals],
        "grand_total": _text(distribution.grand_total),
    }


def _chart(title: str, distribution: Distribution, headings: list[str]) -> Any:
    rows = [
        (row.name, [cell.value if cell.shown else None for cell in row.cells])
        for row in distribution.rows
    ]
    return stacked_share_chart(title=title, rows=rows, parts=headings) if rows else None


@login_required
def consistency_view(request: HttpRequest) -> HttpResponse:
    access = consistency_access(request.actor)  # type: ignore[attr-defined]
    labels = BreakdownLabels(access.scope)
    school_years = school_years_of(access)
    year = _year_asked(request, school_years)
    reasons = profile_choices(access, year, labels) if year is not None else []
    data = request.GET.copy()
    data.setdefault("year", str(year or ""))
    if reasons:
        data.setdefault("reasons", reasons[0][0])
    form = ConsistencyForm(data, school_years=school_years, reasons=reasons)
    context: dict[str, Any] = {
        "access": access,
        "form": form,
        "report": None,
        "disclosure_statement": DISCLOSURE_STATEMENT,
        "withheld_meaning": WITHHELD_MEANING,
        "wellbeing_bands": ALL_WELLBEING_BANDS,
        "attendance_bands": ALL_ATTENDANCE_BANDS,
        "bands_version": PROFILE_BANDS_VERSION,
    }
    if year is not None and reasons and form.is_valid():
        profile = Profile(
            form.cleaned_data["reasons"],
            form.cleaned_data.get("wellbeing") or ANY_BAND,
            form.cleaned_data.get("attendance") or ANY_BAND,
        )
        report = consistency_report_get(
            access=access, school_year=year, profile=profile, labels=labels
        )
        _seen(request, access, report, csv=request.GET.get("format") == "csv")
        stage_headings = column_labels(report.stages.columns, Breakdown.NATIONAL_STAGE, labels)
        plan_headings = column_labels(report.plan_types.columns, Breakdown.PLAN_TYPE, labels)
        context.update(
            report=report,
            stages=_table(report.stages, stage_headings),
            plan_types=_table(report.plan_types, plan_headings),
            plans=[_plan_row(row) for row in report.plans],
            plans_total=_plan_row(report.plans_total, total=True) if report.plans_total else None,
        )
        context["plan_rows"] = [*context["plans"], *filter(None, [context["plans_total"]])]
        if request.GET.get("format") == "csv":
            return _csv(report, context)
        context.update(
            stages_chart=_chart(
                _("Stage of the national frame, by %(level)s") % {"level": _level(access)},
                report.stages,
                stage_headings,
            ),
            plans_chart=_chart(
                _("Type of plan, by %(level)s") % {"level": _level(access)},
                report.plan_types,
                plan_headings,
            ),
        )
    return render(request, "measurement/consistency/report.html", context)


def _level(access: ConsistencyAccess) -> str:
    return _("local authority") if access.compared == "authority" else _("school")


def _plan_row(row: Any, *, total: bool = False) -> dict[str, Any]:
    return {
        "name": row.name,
        "total": total,
        "learners": _text(row.learners),
        "with_needs": _text(row.with_needs),
        "needs_share": _text(row.needs_share, "%"),
        "coordinated": _text(row.coordinated),
        "coordinated_per_thousand": _text(row.coordinated_per_thousand),
        "looked_after": _text(row.looked_after),
        "coordinated_looked_after": _text(row.coordinated_looked_after),
        "looked_after_share": _text(row.looked_after_share, "%"),
        "with_kept_plan": _text(row.with_kept_plan),
        "kept_plan_share": _text(row.kept_plan_share, "%"),
        "keepers": [(_text(count), _text(share, "%")) for count, share in row.keepers],
    }


def _seen(
    request: HttpRequest, access: ConsistencyAccess, report: ConsistencyReport, *, csv: bool
) -> None:
    audit_record(
        actor=request.actor,  # type: ignore[attr-defined]
        action=AuditAction.EXPORT if csv else AuditAction.VIEW,
        object_type="consistency_report",
        object_id=access.scope.key,
        purpose="consistency of stages and plans" + (" (CSV)" if csv else ""),
        detail={
            "school_year": report.school_year,
            "reasons": report.profile.reasons,
            "wellbeing": report.profile.wellbeing_band,
            "attendance": report.profile.attendance_band,
        },
    )


def _csv(report: ConsistencyReport, context: dict[str, Any]) -> HttpResponse:
    """Every figure the page shows, as shown (withheld figures as their mark)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    key = report.access.scope.address_key
    response["Content-Disposition"] = (
        f'attachment; filename="consistency-{key}-{report.school_year}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    place = _("Local authority") if report.access.compared == "authority" else _("School")
    profile = report.reasons_label
    for title, table in (
        (_("Stage of the national frame"), context["stages"]),
        (_("Type of plan"), context["plan_types"]),
    ):
        writer.writerow([title, report.school_year_label, profile])
        writer.writerow([place, *table["headings"], _("Total")])
        for row in table["rows"]:
            writer.writerow([row["name"], *(count for count, _share in row["cells"]), row["total"]])
        writer.writerow([_("Total"), *table["totals"], table["grand_total"]])
        writer.writerow([])
    writer.writerow([_("Statutory plans, all learners"), report.school_year_label])
    coordinated = bool(report.nation.coordinated_plan_type)
    kept = bool(report.nation.kept_plan_types)
    heading = [place, _("Learners"), _("With needs"), _("Share with needs")]
    if coordinated:
        heading += [
            _("Co-ordinated support plans"),
            _("Per 1,000 learners with needs"),
            _("Looked after"),
            _("Looked after with a co-ordinated support plan"),
            _("Share of looked-after children"),
        ]
    if kept:
        heading += [
            _("With an individual development plan"),
            _("Share of learners with needs"),
            *report.keeper_labels,
        ]
    writer.writerow(heading)
    for row in context["plan_rows"]:
        line = [row["name"], row["learners"], row["with_needs"], row["needs_share"]]
        if coordinated:
            line += [
                row["coordinated"],
                row["coordinated_per_thousand"],
                row["looked_after"],
                row["coordinated_looked_after"],
                row["looked_after_share"],
            ]
        if kept:
            line += [
                row["with_kept_plan"],
                row["kept_plan_share"],
                *(count for count, _share in row["keepers"]),
            ]
        writer.writerow(line)
    return response
