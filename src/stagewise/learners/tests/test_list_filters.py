"""The learner list's filter choices come from the shared cache, and every change to a school,
a reason for support or a membership is seen on the next page (learners/selectors/
list_filters.py)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagewise.accounts.actors import actors_for
from stagewise.learners.selectors.list_filters import learner_list_filters_forget
from stagewise.organisations.models import Membership, Setting
from stagewise.organisations.services import setting_create, setting_update
from stagewise.statutory.models import ReasonForSupport
from stagewise.testing.factories import SettingFactory, authority


def options(content: str, field: str) -> dict[str, str]:
    """The options of the select named `field`, label by value."""
    select = re.search(rf'<select[^>]* name="{field}"[^>]*>(.*?)</select>', content, re.S)
    assert select is not None, f"no {field} select"
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)))


def school_options(client) -> dict[str, str]:
    return options(client.get(reverse("learners:list")).content.decode(), "setting")


@pytest.fixture
def officer(signed_in, world):
    client = signed_in("authority_officer")
    school_options(client)  # the cache is filled before each change
    return client


def test_a_school_added_is_offered_on_the_next_page(officer, administrator):
    added = setting_create(
        actor=actors_for(administrator)[0],
        authority=authority("Glasgow City"),
        name="Newbridge Primary School",
        setting_type="primary",
    )

    assert school_options(officer)[str(added.pk)] == "Newbridge Primary School"


def test_a_school_renamed_is_offered_by_its_new_name(officer, administrator, world):
    setting_update(
        actor=actors_for(administrator)[0],
        setting=world.other_school,
        name="St Mary's & St John's <Primary>",
        name_cy="",
        setting_type=world.other_school.setting_type,
        language_medium=world.other_school.language_medium,
        reference_number="",
    )

    # Escaped once, when cached, as `{{ }}` would have.
    offered = school_options(officer)[str(world.other_school.pk)]
    assert offered == "St Mary&#x27;s &amp; St John&#x27;s &lt;Primary&gt;"


def test_a_school_moved_to_another_authority_leaves_the_filter(officer, world):
    world.other_school.authority = authority("Fife")
    world.other_school.save()

    offered = school_options(officer)

    assert str(world.other_school.pk) not in offered
    assert str(world.school.pk) in offered


def test_a_school_removed_leaves_the_filter(officer):
    never_used = SettingFactory.create(name="Opened in Error Primary")
    offered_before = school_options(officer)
    never_used_pk = str(never_used.pk)
    never_used.delete()

    assert offered_before[never_used_pk] == "Opened in Error Primary"
    assert never_used_pk not in school_options(officer)


def test_a_school_written_without_signals_is_seen_once_its_writer_forgets(officer, world):
    """A queryset update sends no signal: its writer forgets the entries itself."""
    Setting.objects.filter(pk=world.school.pk).update(name="Riverside Academy")
    stale = school_options(officer)
    learner_list_filters_forget(authority_ids={world.school.authority_id})

    assert stale[str(world.school.pk)] == "Riverside Primary School"
    assert school_options(officer)[str(world.school.pk)] == "Riverside Academy"


def test_an_officer_moved_to_another_authority_is_offered_its_schools(
    officer, authority_officer, world
):
    membership = Membership.objects.get(user=authority_officer)
    membership.authority = authority("Fife")
    membership.save()

    offered = school_options(officer)

    assert str(world.fife_school.pk) in offered
    assert str(world.school.pk) not in offered


def test_reasons_retired_or_renamed_are_seen_on_the_next_page(officer, world):
    retired, renamed = ReasonForSupport.objects.filter(
        nation=world.school.authority.nation, active=True
    ).order_by("code")[:2]
    retired.active = False
    retired.save()
    renamed.label = "Renamed for the test"
    renamed.save()

    offered = options(officer.get(reverse("learners:list")).content.decode(), "reason")

    assert str(retired.pk) not in offered
    assert offered[str(renamed.pk)] == f"{renamed.code} Renamed for the test"


def test_one_entry_serves_english_and_welsh_readers(officer, authority_officer, world):
    Setting.objects.filter(pk=world.school.pk).update(name_cy="Ysgol Gynradd Glan yr Afon")
    learner_list_filters_forget(authority_ids={world.school.authority_id})
    english = school_options(officer)
    authority_officer.preferred_language = "cy"
    authority_officer.save(update_fields=["preferred_language"])

    with CaptureQueriesContext(connection) as queries:
        welsh = school_options(officer)

    assert english[str(world.school.pk)] == "Riverside Primary School"
    assert welsh[str(world.school.pk)] == "Ysgol Gynradd Glan yr Afon"
    assert welsh[str(world.other_school.pk)] == "Hillhead Primary School"
    assert not [q for q in queries if 'FROM "organisations_setting"' in q["sql"]]


def test_a_warm_page_reads_neither_schools_nor_reasons(officer, world):
    with CaptureQueriesContext(connection) as queries:
        content = officer.get(reverse("learners:list"), {"setting": world.school.pk}).content
    tables = " ".join(q["sql"] for q in queries)

    assert 'FROM "organisations_setting"' not in tables
    assert 'FROM "statutory_reasonforsupport"' not in tables
    assert options(content.decode(), "setting")[str(world.school.pk)] == "Riverside Primary School"
    assert f'<option value="{world.school.pk}" selected>' in content.decode()


def test_a_lead_has_no_school_filter_and_reads_no_schools(signed_in):
    client = signed_in("support_lead")
    client.get(reverse("learners:list"))

    with CaptureQueriesContext(connection) as queries:
        content = client.get(reverse("learners:list")).content.decode()

    assert 'name="setting"' not in content
    assert not [q for q in queries if 'FROM "organisations_setting"' in q["sql"]]
