"""What a plan document says of each target and each row of support, written in one pass.

`planning/includes/document.html` repeats a target's heading, outcome and four rows, and a row
of support's seven cells, for every target: written by the template engine that was half of the
plan page's rendering for a plan with 20 targets (each value resolved, filtered, localised and
escaped node by node). These filters write the same markup in Python, the labels translated once
a document (ADR 0044); the template keeps each target's and each row's actions (links, forms),
which differ by page (docs/adr/0044, amended).
"""

import functools
from datetime import date

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from stagewise.planning.documents import PlanDocument, ProvisionItem, TargetItem

register = template.Library()

NO_ANSWER = "\N{EM DASH}"
EN_DASH = "\N{EN DASH}"
ROW_INDENT = "\n          "


def _text(value: object) -> str:
    """`{{ value }}`: localised, then escaped. (Translations are printed as they are, as the
    template's `{% translate %}` and `{% blocktranslate %}` print them.)"""
    if isinstance(value, str):
        return str(conditional_escape(value))  # localising text leaves it as it is
    return str(conditional_escape(str(localize(value))))


@functools.lru_cache(maxsize=1024)
def _date_in(value: date, format_string: str, language: str | None) -> str:
    # A plan's rows mostly share their dates; the language is part of the key because the
    # month's name is written in the page's language.
    return str(conditional_escape(date_format(value, format_string)))


def _date(value: date | None, format_string: str) -> str:
    """`{{ value|date:format_string }}`, escaped ("" for no date)."""
    return _date_in(value, format_string, get_language()) if value else ""


def _lines(value: str) -> str:
    """`{{ value|linebreaksbr }}`."""
    return str(linebreaksbr(value, autoescape=True))


@register.filter
def targets_written(document: PlanDocument, not_set: str) -> list[tuple[TargetItem, SafeString]]:
    """Each target with its heading, outcome and the summary list of how it is measured, as
    the template wrote them; `not_set` (as the template translated it) for a value
    left empty."""
    labels = (
        gettext("How progress will be measured"),
        gettext("Baseline"),
        gettext("Success criteria"),
        gettext("To be achieved by"),
    )
    heading = gettext("Target %(number)s")
    written = []
    for target in document.targets:
        values = (
            _lines(target.measure),
            _lines(target.baseline),
            _lines(target.success_criteria),
            _date(target.achieve_by, "j F Y"),
        )
        rows = "\n".join(
            f'          <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">'
            f'{label}</dt><dd class="govuk-summary-list__value">{value or not_set}</dd></div>'
            for label, value in zip(labels, values, strict=True)
        )
        written.append(
            (
                target,
                SafeString(
                    f'<h3 class="govuk-heading-s">'
                    f"{heading % {'number': _text(target.number)}}</h3>\n"
                    f'        <div class="govuk-body stagewise-words">'
                    f"{linebreaks_filter(target.outcome, autoescape=True)}</div>\n"
                    f'        <dl class="govuk-summary-list">\n{rows}\n        </dl>'
                ),
            )
        )
    return written


@register.filter
def provision_written(
    document: PlanDocument,
) -> list[tuple[TargetItem, ProvisionItem, SafeString]]:
    """Each row of support with its target, and its cells (all but the page's actions) as the
    template wrote them: the language it is delivered in only where the nation asks for it."""
    why = gettext("Why:")
    ongoing = gettext("ongoing")
    # Whether each row is delivered in Welsh, only where the nation asks for it.
    in_welsh = (
        {True: gettext("Yes"), False: gettext("No"), None: NO_ANSWER}
        if document.states_language_of_provision
        else None
    )
    rows = []
    for target, item in document.all_provision:
        rationale = (
            f'<br><span class="govuk-body-s">{why} {_text(item.rationale)}</span>'
            if item.rationale
            else ""
        )
        minutes = ""
        if item.minutes_per_week is not None:
            minutes = "<br>" + ngettext(
                "%(minutes)s minute a week", "%(minutes)s minutes a week", item.minutes_per_week
            ) % {"minutes": _text(item.minutes_per_week)}
        ends = _date(item.ends_on, "j M Y") if item.ends_on else ongoing
        cells = [
            _text(target.number),
            _lines(item.description) + rationale,
            _text(item.provider),
            _text(item.frequency) + minutes,
            _text(item.location or NO_ANSWER),
            f"{_date(item.starts_on, 'j M Y')} {EN_DASH} {ends}",
        ]
        if in_welsh is not None:
            cells.append(in_welsh[item.delivered_in_welsh])
        written = ROW_INDENT.join(f'<td class="govuk-table__cell">{cell}</td>' for cell in cells)
        rows.append((target, item, SafeString(written)))
    return rows
