"""`targets_written` and `provision_written` write what `planning/includes/document.html`'s
loops wrote for each target and each row of support (docs/adr/0044, amended): the same text in
English and Welsh, for values empty, written over several lines, holding markup, dated and not."""

import dataclasses
import re
from datetime import date
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from stagewise.planning.documents import (
    LearnerDetails,
    PlanDocument,
    ProvisionItem,
    TargetItem,
)

# The loops document.html carried before the filters (the parts the filters now write).
TARGET_LOOP = Template(
    '{% load i18n %}{% translate "Not set" as not_set %}'
    '{% translate "How progress will be measured" as measured_label %}'
    '{% translate "Baseline" as baseline_label %}'
    '{% translate "Success criteria" as criteria_label %}'
    '{% translate "To be achieved by" as achieve_by_label %}'
    "{% for target in document.targets %}"
    '<h3 class="govuk-heading-s">{% blocktranslate with number=target.number %}Target {{ number }}'
    "{% endblocktranslate %}</h3>"
    '<div class="govuk-body stagewise-words">{{ target.outcome|linebreaks }}</div>'
    '<dl class="govuk-summary-list">'
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{{ measured_label }}'
    '</dt><dd class="govuk-summary-list__value">{{ target.measure|linebreaksbr|default:not_set }}'
    "</dd></div>"
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{{ baseline_label }}'
    '</dt><dd class="govuk-summary-list__value">{{ target.baseline|linebreaksbr|default:not_set }}'
    "</dd></div>"
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{{ criteria_label }}'
    '</dt><dd class="govuk-summary-list__value">'
    "{{ target.success_criteria|linebreaksbr|default:not_set }}</dd></div>"
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">'
    '{{ achieve_by_label }}</dt><dd class="govuk-summary-list__value">'
    '{{ target.achieve_by|date:"j F Y"|default:not_set }}</dd></div>'
    "</dl>|{% endfor %}"
)
PROVISION_LOOP = Template(
    '{% load i18n %}{% translate "Why:" as why_label %}{% translate "ongoing" as ongoing_label %}'
    "{% for target, item in document.all_provision %}"
    '<td class="govuk-table__cell">{{ target.number }}</td>'
    '<td class="govuk-table__cell">{{ item.description|linebreaksbr }}{% if item.rationale %}'
    '<br><span class="govuk-body-s">{{ why_label }} {{ item.rationale }}</span>{% endif %}</td>'
    '<td class="govuk-table__cell">{{ item.provider }}</td>'
    '<td class="govuk-table__cell">{{ item.frequency }}{% if item.minutes_per_week is not None %}'
    "<br>{% blocktranslate count minutes=item.minutes_per_week %}{{ minutes }} minute a week"
    "{% plural %}{{ minutes }} minutes a week{% endblocktranslate %}{% endif %}</td>"
    '<td class="govuk-table__cell">{{ item.location|default:"—" }}</td>'
    '<td class="govuk-table__cell">{{ item.starts_on|date:"j M Y" }} \N{EN DASH} '
    "{% if item.ends_on %}{{ item.ends_on|date:'j M Y' }}{% else %}{{ ongoing_label }}{% endif %}"
    "</td>"
    '{% if document.states_language_of_provision %}<td class="govuk-table__cell">'
    '{% if item.delivered_in_welsh %}{% translate "Yes" %}'
    '{% elif item.delivered_in_welsh is False %}{% translate "No" %}{% else %}—{% endif %}</td>'
    "{% endif %}|{% endfor %}"
)
FILTERS = Template(
    '{% load i18n plan_document %}{% translate "Not set" as not_set %}'
    "{% for target, written in document|targets_written:not_set %}{{ written }}|{% endfor %}@split@"
    "{% for target, item, cells in document|provision_written %}{{ cells }}|{% endfor %}"
)


def support(number: int, **values: Any) -> ProvisionItem:
    return dataclasses.replace(
        ProvisionItem(
            provision_id=number,
            description="Reading support",
            provider="Pupil support assistant",
            frequency="Three times a week",
            minutes_per_week=90,
            location="Library",
            starts_on=date(2026, 8, 17),
            ends_on=None,
            delivered_in_welsh=None,
            rationale="",
        ),
        **values,
    )


def target(number: int, provision: list[ProvisionItem], **values: Any) -> TargetItem:
    return dataclasses.replace(
        TargetItem(
            number=number,
            target_id=number,
            outcome="Reads a short book aloud.",
            measure="Running records",
            baseline="Reads with support",
            success_criteria="Reads unaided",
            achieve_by=date(2027, 3, 5),
            provision=provision,
        ),
        **values,
    )


def document(nation: str) -> PlanDocument:
    return PlanDocument(
        plan_type_key="individual_development_plan",
        type_name="Plan",
        type_name_cy="Cynllun",
        local_name="",
        local_name_cy="",
        nation=nation,
        version_number=1,
        learner=LearnerDetails(
            name="A Learner",
            date_of_birth=date(2015, 1, 2),
            candidate_number="123",
            home_language="English",
            preferred_language="English",
            setting_name="A School",
            year_group="P5",
            authority_name="An Authority",
        ),
        carers=[],
        sections=[],
        targets=[
            target(1, [support(1), support(2, minutes_per_week=1, ends_on=date(2027, 7, 1))]),
            target(
                2,
                [
                    support(
                        3,
                        description="Line one\nLine <two> & more",
                        rationale="Because <it> helps & works",
                        minutes_per_week=None,
                        location="",
                        delivered_in_welsh=True,
                    ),
                    support(
                        4, minutes_per_week=0, provider="O'Brien & Co", delivered_in_welsh=False
                    ),
                ],
                outcome="First paragraph.\n\nSecond <b>paragraph</b> & more",
                measure="",
                baseline="One\ntwo",
                success_criteria="Fish & <chips>",
                achieve_by=None,
            ),
            target(12, [], measure="", baseline="", success_criteria="", outcome=""),
        ],
        views=[],
        starts_on=None,
        next_review_on=None,
        multi_agency=False,
        lead_professional="",
    )


def without_layout(html: str) -> str:
    """The markup with the whitespace between tags the template's indentation added dropped."""
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("nation", ["scotland", "wales"])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_filters_write_what_the_template_loops_wrote(nation, language):
    context = Context({"document": document(nation)})
    with translation.override(language):
        targets, provision = FILTERS.render(context).split("@split@")
        assert without_layout(targets) == without_layout(TARGET_LOOP.render(context))
        assert without_layout(provision) == without_layout(PROVISION_LOOP.render(context))
    # The specification can fail: the rows and the nation's language column are there.
    assert provision.count("|") == 4
    assert ("<td" in provision) and (provision.count("</td>") == (28 if nation == "wales" else 24))
