"""The learner list's rows, written by `learner_rows` in one pass, are the template loop's."""

from datetime import date

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import translation

from stagewise.accounts.actors import actors_for
from stagewise.keyset import keyset_page
from stagewise.learners.models import StageDecision
from stagewise.learners.selectors import LearnerFilters, learner_list, learner_list_order
from stagewise.organisations.models import Setting
from stagewise.statutory.models import LocalStage
from stagewise.testing.factories import enrolled_learner

# The loop the filter replaced, as it was in learners/list.html.
TEMPLATE_LOOP = Template(
    """{% load i18n %}{% get_current_language as LANGUAGE_CODE %}
{% for learner in learners %}
<tr class="govuk-table__row">
  <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'learners:profile' learner.public_id %}">{{ learner.display_name }}</a></td>
  <td class="govuk-table__cell">{{ learner.date_of_birth|date:"j F Y" }}</td>
  <td class="govuk-table__cell">{{ learner.candidate_number }}</td>
  <td class="govuk-table__cell">{% if LANGUAGE_CODE == "cy" and learner.current_setting_name_cy %}{{ learner.current_setting_name_cy }}{% else %}{{ learner.current_setting_name|default:"" }}{% endif %}</td>
  <td class="govuk-table__cell">{{ learner.current_year_group|default:"" }}</td>
  <td class="govuk-table__cell">{% if learner.current_stage_label %}{% if LANGUAGE_CODE == "cy" and learner.current_stage_label_cy %}{{ learner.current_stage_label_cy }}{% else %}{{ learner.current_stage_label }}{% endif %}<br><span class="govuk-body-s">{% if learner.current_national_stage == "specialist" %}{% translate "Specialist" %}{% elif learner.current_national_stage == "targeted" %}{% translate "Targeted" %}{% else %}{% translate "Universal" %}{% endif %}</span>{% else %}<span class="govuk-body-s">{% translate "Universal" %}</span>{% endif %}</td>
  <td class="govuk-table__cell">{% if learner.current_review_on %}{{ learner.current_review_on|date:"j M Y" }}{% endif %}</td>
</tr>
{% endfor %}"""  # noqa: E501
)


@pytest.fixture
def page(world, support_lead):
    """A page with every kind of row: a decision at each national stage (with and without a
    Welsh label), none, a school with a Welsh name, and markup in a name."""
    Setting.objects.filter(pk=world.school.pk).update(name_cy="Ysgol Glan yr Afon")
    stages = LocalStage.objects.filter(stage_model__key="glasgow").order_by("order")
    for number, stage in enumerate(stages):
        learner = enrolled_learner(world.school, legal_last_name=f"Staged{number}")
        if number == 0:
            stage.label_cy = "Cam cyntaf"
            stage.save()
        StageDecision.objects.create(
            learner=learner,
            stage=stage,
            decided_on=date(2025, 1, 1),
            rationale="r",
            next_review_on=date(2027, 3, 9 + number),
        )
    enrolled_learner(world.school, year_group="P1", legal_last_name="<b>O'Neill & Co</b>")
    actor = actors_for(support_lead)[0]
    filters = LearnerFilters(scope="setting")
    return keyset_page(
        learner_list(actor=actor, filters=filters),
        order=learner_list_order(filters),
        cursor=None,
        per_page=50,
        salt="learners:list",
    ).object_list


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_rows_are_those_the_template_loop_wrote(page, language):
    assert len(page) > 4
    with translation.override(language):
        loop = TEMPLATE_LOOP.render(Context({"learners": page}))
        written = Template("{% load learner_rows %}{{ learners|learner_rows }}").render(
            Context({"learners": page})
        )

    # The same elements, attributes and text (an apostrophe may be written as an entity).
    assert parse_html(written) == parse_html(loop)
    assert "&lt;b&gt;O&#x27;Neill &amp; Co&lt;/b&gt;" in written
    assert ("Ysgol Glan yr Afon" in written) == (language == "cy")
