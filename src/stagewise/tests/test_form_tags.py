"""`{{ field|select_options }}` writes exactly the options the template loop wrote, reading a
model choice field's rows once and the field's value once (docs/adr/0044)."""

from unittest import mock

import pytest
from django import forms
from django.db import connection
from django.forms import BoundField
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from stagewise.organisations.models import Setting
from stagewise.testing.factories import SettingFactory

# The loop field.html carried before the filter: the filter must write the same HTML.
TEMPLATE_LOOP = Template(
    '{% for value, label in field.field.choices %}<option value="{{ value }}"'
    '{% if value|stringformat:"s" == field.value|stringformat:"s" %} selected{% endif %}>'
    "{{ label }}</option>{% endfor %}"
)
FILTER = Template("{{ field|select_options }}")


class SchoolForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=Setting.objects.order_by("name", "pk"), required=False, empty_label=_("Any")
    )
    version = forms.TypedChoiceField(
        choices=[(1, "Version 1"), (2, "Version 2"), (1200, "Version 1,200")], coerce=int
    )
    review = forms.ChoiceField(
        choices=[("", _("Any")), ("overdue", _("Overdue")), ("soon", "Soon & <b>later</b>")],
        required=False,
    )


def both(field: BoundField) -> tuple[str, str]:
    context = Context({"field": field})
    return TEMPLATE_LOOP.render(context), FILTER.render(context)


@pytest.fixture
def schools(world):
    SettingFactory(authority=world.school.authority, name="St Mary's & St Joseph's <Primary>")
    return list(Setting.objects.order_by("name", "pk"))


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(
    "form_of",
    [
        pytest.param(lambda schools: SchoolForm(), id="unbound"),
        pytest.param(
            lambda schools: SchoolForm(initial={"school": schools[1], "version": 2}),
            id="initial instance",
        ),
        pytest.param(
            lambda schools: SchoolForm({"school": str(schools[-1].pk), "version": "1200"}),
            id="bound, chosen",
        ),
        pytest.param(
            lambda schools: SchoolForm({"school": "", "version": "", "review": ""}),
            id="bound, nothing chosen",
        ),
        pytest.param(
            lambda schools: SchoolForm({"school": "999999", "version": "7", "review": "x"}),
            id="bound, invalid choices",
        ),
    ],
)
def test_the_options_are_those_the_template_loop_wrote(schools, form_of, language):
    form = form_of(schools)
    form.is_valid()
    with translation.override(language):
        for name in ("school", "version", "review"):
            loop, filtered = both(form[name])
            assert filtered == loop
            assert filtered.count("<option") == len(form.fields[name].choices)


def test_one_option_is_selected_and_names_are_escaped(schools):
    chosen = next(school for school in schools if school.name.startswith("St Mary"))
    _loop, filtered = both(SchoolForm({"school": str(chosen.pk)})["school"])

    assert filtered.count(" selected") == 1
    assert (
        f'<option value="{chosen.pk}" selected>St Mary&#x27;s &amp; St Joseph&#x27;s '
        "&lt;Primary&gt;</option>"
    ) in filtered


def test_a_model_choice_select_reads_its_rows_once_and_its_value_once(schools):
    field = SchoolForm({"school": str(schools[0].pk)})["school"]

    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(
            BoundField, "value", autospec=True, side_effect=BoundField.value
        ) as value,
    ):
        FILTER.render(Context({"field": field}))

    assert len(queries) == 1
    assert value.call_count == 1


def test_the_officers_list_reads_the_schools_for_its_filter_once(signed_in, world):
    """The list reads the officer's schools once, into the cache, and from the cache after:
    asking `{% if form.setting %}` built every option's widget, a second read on every page,
    and an `exists()` before it was a third (learners/selectors/list_filters.py)."""
    client = signed_in("authority_officer")

    def reads_of_schools() -> tuple[list[str], str]:
        with CaptureQueriesContext(connection) as queries:
            content = client.get(reverse("learners:list")).content.decode()
        return [q["sql"] for q in queries if 'FROM "organisations_setting"' in q["sql"]], content

    first, _ = reads_of_schools()
    later, content = reads_of_schools()

    assert len(first) == 1, first
    assert later == []
    assert f'<option value="{world.other_school.pk}">' in content
