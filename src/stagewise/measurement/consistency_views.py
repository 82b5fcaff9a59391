"""The consistency report (ADR 0048): the national analyst's nation (authorities compared, through
disclosure control) or the authority officer's authority (its schools compared); 404 for anyone
else. Thin: access and figures from measurement/consistency.py, charts from charts.py. The same
address with `format=csv` downloads what the page shows."""

import csv
import io
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.disclosure import DISCLOSURE_STATEMENT, WITHHELD_MARK, WITHHELD_MEANING, Figure
from stagewise.measurement.charts import stacked_share_chart
from stagewise.measurement.consistency import (
    BAND_CHOICES,
    CACHED_FOR,
    ConsistencyAccess,
    ConsistencyReport,
    Distribution,
    Profile,
    column_labels,
    consistency_access,
    consistency_report_get,
    profile_choices_cached,
    refreshed,
    report_cache_key,
)
from stagewise.measurement.consistency_departures_views import (
    departures_charts,
    departures_csv,
    departures_shown,
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


HEADER = '<th scope="row" class="govuk-table__header{}">{}</th>'
CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
REGULAR = " govuk-!-font-weight-regular"


def _count_and_share(count: str, share: str) -> str:
    return count if share == NOT_APPLICABLE else f"{count} ({share})"


def _table(distribution: Distribution, headings: list[str]) -> dict[str, Any]:
    rows = [
        {
            "name": row.name,
            "cells": [
                (_text(cell), _text(share, "%"))
                for cell, share in zip(row.cells, row.shares, strict=True)
            ],
            "total": _text(row.total),
        }
        for row in distribution.rows
    ]
    return {
        "headings": headings,
        "rows": rows,
        # Written here in one pass, not by template loops: an authority has a hundred schools
        # (ADR 0044).
        "body": format_html_join(
            "",
            '<tr class="govuk-table__row">{}{}{}</tr>',
            (
                (
                    format_html(HEADER, REGULAR, row["name"]),
                    format_html_join(
                        "", CELL, ((_count_and_share(c, p),) for c, p in row["cells"])
                    ),
                    format_html(CELL, row["total"]),
                )
                for row in rows
            ),
        ),
        "totals": [_text(total) for total in distribution.totals],
        "grand_total": _text(distribution.grand_total),
    }


PLAN_COLUMNS = {
    "all": ["learners", "with_needs", "needs_share"],
    "coordinated": [
        "coordinated",
        "coordinated_per_thousand",
        "looked_after",
        "coordinated_looked_after",
    ],
    "kept": ["with_kept_plan"],
}


def _plans_body(rows: list[dict[str, Any]], report: ConsistencyReport) -> str:
    """The statutory plans table's rows, the columns the nation has (policy.NationPolicy)."""
    lines = []
    for row in rows:
        cells = [row[name] for name in PLAN_COLUMNS["all"]]
        if report.nation.coordinated_plan_type:
            cells += [row[name] for name in PLAN_COLUMNS["coordinated"][:3]]
            cells.append(
                _count_and_share(row["coordinated_looked_after"], row["looked_after_share"])
            )
        if report.nation.kept_plan_types:
            cells.append(_count_and_share(row["with_kept_plan"], row["kept_plan_share"]))
            cells += [_count_and_share(count, share) for count, share in row["keepers"]]
        lines.append(
            format_html(
                '<tr class="govuk-table__row">{}{}</tr>',
                format_html(HEADER, "" if row["total"] else REGULAR, row["name"]),
                format_html_join("", CELL, ((cell,) for cell in cells)),
            )
        )
    return mark_safe("".join(lines))  # noqa: S308  (each line escaped by format_html)


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
    refresh = refreshed()
    school_years = refresh.school_years
    year = _year_asked(request, school_years)
    reasons = (
        profile_choices_cached(access, year, labels, refresh.stamp) if year is not None else []
    )
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
        csv_asked = request.GET.get("format") == "csv"
        _seen(request, access, year, profile, csv=csv_asked)
        # The rendered figures when a reader of this scope has had them since the refresh:
        # then the report itself is not even read back (ADR 0048).
        key = report_cache_key(access, refresh.stamp, year, profile)
        if csv_asked:
            # The CSV too is written once per refresh for each scope, profile and language.
            written = cache.get(f"{key}:csv")
            if written is None:
                report = consistency_report_get(
                    access=access,
                    school_year=year,
                    profile=profile,
                    labels=labels,
                    stamp=refresh.stamp,
                )
                written = _csv_written(report, _shown(report, labels))
                cache.set(f"{key}:csv", written, CACHED_FOR)
            return _csv_response(written)
        rendered = cache.get(f"{key}:html")
        if rendered is None:
            report = consistency_report_get(
                access=access, school_year=year, profile=profile, labels=labels, stamp=refresh.stamp
            )
            context["report"] = report
            rendered = _figures_rendered(request, report, labels, context)
            cache.set(f"{key}:html", rendered, CACHED_FOR)
        context["shown"] = True
        context["figures"] = mark_safe(rendered)  # noqa: S308  (rendered by the template engine)
    return render(request, "measurement/consistency/report.html", context)


def _shown(report: ConsistencyReport, labels: BreakdownLabels) -> dict[str, Any]:
    """Every figure of the report as a reader sees it (withheld ones as their mark)."""
    stage_headings = column_labels(report.stages.columns, Breakdown.NATIONAL_STAGE, labels)
    plan_headings = column_labels(report.plan_types.columns, Breakdown.PLAN_TYPE, labels)
    plans = [_plan_row(row) for row in report.plans]
    if report.plans_total:
        plans.append(_plan_row(report.plans_total, total=True))
    return {
        "stages": _table(report.stages, stage_headings),
        "plan_types": _table(report.plan_types, plan_headings),
        "plan_rows": plans,
        "plans_body": _plans_body(plans, report),
        "departures": departures_shown(report),
        "consideration_rows": _consideration_rows(report),
        "consideration_headings": consideration_headings(),
    }


def _figures_rendered(
    request: HttpRequest,
    report: ConsistencyReport,
    labels: BreakdownLabels,
    context: dict[str, Any],
) -> str:
    """The charts and tables: the same for every reader of the scope until the figures change,
    so the view keeps them per refresh, profile and language (ADR 0048)."""
    access = report.access
    shown = _shown(report, labels)
    shown.update(
        report=report,
        stages_chart=_chart(
            _("Stage of the national frame, by %(level)s") % {"level": _level(access)},
            report.stages,
            shown["stages"]["headings"],
        ),
        plans_chart=_chart(
            _("Type of plan, by %(level)s") % {"level": _level(access)},
            report.plan_types,
            shown["plan_types"]["headings"],
        ),
    )
    shown.update(departures_charts(report, shown["departures"]))
    return render_to_string("measurement/consistency/figures.html", {**context, **shown}, request)


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
    request: HttpRequest, access: ConsistencyAccess, year: int, profile: Profile, *, csv: bool
) -> None:
    audit_record(
        actor=request.actor,  # type: ignore[attr-defined]
        action=AuditAction.EXPORT if csv else AuditAction.VIEW,
        object_type="consistency_report",
        object_id=access.scope.key,
        purpose="consistency of stages and plans" + (" (CSV)" if csv else ""),
        detail={
            "school_year": year,
            "reasons": profile.reasons,
            "wellbeing": profile.wellbeing_band,
            "attendance": profile.attendance_band,
        },
    )


@dataclass(frozen=True)
class CsvWritten:
    filename: str
    text: str


def _csv_response(written: CsvWritten) -> HttpResponse:
    response = HttpResponse(written.text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{written.filename}"'
    return response


def _csv_written(report: ConsistencyReport, context: dict[str, Any]) -> CsvWritten:
    """Every figure the page shows, as shown (withheld figures as their mark)."""
    key = report.access.scope.address_key
    response = io.StringIO()
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
    departures_csv(writer, report, context["departures"])
    _considerations_csv(writer, report, context["consideration_rows"], place)
    return CsvWritten(f"consistency-{key}-{report.school_year}.csv", response.getvalue())


# Looked-after children considered for a co-ordinated support plan (ADR 0049) -----------------


def _consideration_rows(report: ConsistencyReport) -> list[dict[str, Any]]:
    return [
        {
            "name": row.name,
            "total": row.total,
            "looked_after": _text(row.looked_after),
            "considered": _text(row.considered),
            "considered_share": _text(row.considered_share, "%"),
            "with_plan": _text(row.with_plan),
            "with_plan_per_hundred": _text(row.with_plan_per_hundred),
        }
        for row in report.considerations
    ]


CONSIDERATION_COLUMNS = [
    "looked_after",
    "considered",
    "considered_share",
    "with_plan",
    "with_plan_per_hundred",
]


def consideration_headings() -> list[str]:
    return [
        _("Looked-after children"),
        _("Considered for a co-ordinated support plan"),
        _("Share considered"),
        _("Considered, with a co-ordinated support plan"),
        _("Co-ordinated support plans per 100 considered"),
    ]


def _considerations_csv(
    writer: Any, report: ConsistencyReport, rows: list[dict[str, Any]], place: str
) -> None:
    if not rows:
        return
    writer.writerow([])
    writer.writerow(
        [
            _("Looked-after children considered for a co-ordinated support plan"),
            report.school_year_label,
        ]
    )
    writer.writerow([place, *consideration_headings()])
    for row in rows:
        writer.writerow([row["name"], *(row[name] for name in CONSIDERATION_COLUMNS)])
