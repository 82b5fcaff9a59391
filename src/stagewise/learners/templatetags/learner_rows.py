"""`{{ page.object_list|learner_rows }}`: the learner list's table rows written in one pass.

The template loop resolved some twenty variables, filters and tags per row (a URL reversed, two
dates formatted, the language compared three times, a translation looked up): for a page of 25
that was most of the results' rendering. Here each row is one `format_html`, the labels are
translated once a page, and the markup is the loop's, cell for cell (ADR 0044, amended: the
learner list)."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stagewise.statutory.models import NationalStage

register = template.Library()

ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    "</tr>\n"
)


@register.filter
def learner_rows(learners: Iterable[Any]) -> SafeString:
    """The rows of a page of `learner_list`: name (linked to the record), date of birth,
    candidate number, school, year group, local and national stage, next review."""
    welsh = get_language() == "cy"
    national = {
        NationalStage.SPECIALIST: _("Specialist"),
        NationalStage.TARGETED: _("Targeted"),
    }
    universal = _("Universal")

    def stage(learner: Any) -> SafeString:
        if not learner.current_stage_label:
            return format_html('<span class="govuk-body-s">{}</span>', universal)
        local = (welsh and learner.current_stage_label_cy) or learner.current_stage_label
        return format_html(
            '{}<br><span class="govuk-body-s">{}</span>',
            local,
            national.get(learner.current_national_stage, universal),
        )

    return format_html_join(
        "",
        ROW,
        (
            (
                reverse("learners:profile", args=[learner.public_id]),
                learner.display_name,
                date_format(learner.date_of_birth, "j F Y"),
                learner.candidate_number,
                (welsh and learner.current_setting_name_cy) or learner.current_setting_name or "",
                learner.current_year_group or "",
                stage(learner),
                date_format(learner.current_review_on, "j M Y")
                if learner.current_review_on
                else "",
            )
            for learner in learners
        ),
    )
