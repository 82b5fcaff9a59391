"""Learner lists: scoped, filtered, paginated, and a fixed number of queries however long."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stagewise.testing.factories import enrolled_learner, link_staff


def test_a_support_lead_filters_their_school_by_name_and_year_group(signed_in, world, learner):
    # A hyphenated surname: no security token on the page (letters and digits) can contain it.
    enrolled_learner(
        world.school, year_group="P3", legal_first_name="Zed", legal_last_name="Ng-Oduya"
    )
    client = signed_in("support_lead")

    by_name = client.get(reverse("learners:list"), {"name": "ailsa"}).content.decode()
    by_year = client.get(reverse("learners:list"), {"year_group": "P3"}).content.decode()

    assert "Campbell" in by_name and "Ng-Oduya" not in by_name
    assert "Ng-Oduya" in by_year and "Campbell" not in by_year


def test_an_authority_officer_filters_by_setting(signed_in, world, learner):
    enrolled_learner(world.other_school, legal_last_name="Hillhead-Pupil")
    client = signed_in("authority_officer")

    content = client.get(
        reverse("learners:list"), {"setting": world.other_school.pk}
    ).content.decode()

    assert "Hillhead-Pupil" in content and "Campbell" not in content


def test_a_setting_outside_the_authority_is_an_invalid_choice_not_a_leak(signed_in, world):
    response = signed_in("authority_officer").get(
        reverse("learners:list"), {"setting": world.fife_school.pk}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_my_learners_shows_only_those_linked_to_me(signed_in, world, learner, head):
    enrolled_learner(world.school, legal_last_name="Unlinked")
    client = signed_in("head")

    mine = client.get(reverse("learners:list"), {"scope": "mine"}).content.decode()
    school = client.get(reverse("learners:list"), {"scope": "setting"}).content.decode()

    assert "Campbell" in mine and "Unlinked" not in mine
    assert "Campbell" in school and "Unlinked" in school


def test_an_htmx_search_returns_only_the_results_fragment(signed_in, learner):
    response = signed_in("support_lead").get(
        reverse("learners:list"), {"name": "Ailsa"}, headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="results"')
    assert "<html" not in content


def test_a_page_number_from_an_old_link_shows_the_first_page(signed_in, learner):
    """The list pages by cursor (test_keyset_lists.py); a page number is no longer read."""
    response = signed_in("support_lead").get(reverse("learners:list"), {"page": "999"})

    assert response.status_code == 200
    assert "Campbell" in response.content.decode()


LIST_READERS = ["teacher", "support_lead", "authority_officer"]


def test_the_list_issues_the_same_queries_for_10_and_for_500_learners(
    world, teacher, request, settings
):
    """For the teacher linked to them, the school's lead and the authority's officer alike."""
    settings.LEARNER_LIST_PAGE_SIZE = 600
    clients = {}
    for actor in LIST_READERS:
        clients[actor] = Client()
        clients[actor].force_login(request.getfixturevalue(actor))

    def queries_for_the_list() -> dict[str, int]:
        counts = {}
        for actor, client in clients.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("learners:list"))
            assert response.status_code == 200
            counts[actor] = len(queries)
        return counts

    add_learners(world, teacher, 10)
    queries_for_the_list()  # the first request fills the filters' cache (test_list_filters.py)
    few = queries_for_the_list()
    add_learners(world, teacher, 490)

    many = queries_for_the_list()

    for client in clients.values():
        content = client.get(reverse("learners:list")).content.decode()
        assert content.count("/learners/") >= 500
    assert many == few


def add_learners(world, teacher, count: int) -> None:
    for _ in range(count):
        link_staff(enrolled_learner(world.school), teacher)


def test_the_year_group_filter_offers_the_actors_own_nations_year_groups(signed_in):
    content = signed_in("support_lead").get(reverse("learners:list")).content.decode()

    assert '<option value="P3">Primary 3</option>' in content
    assert 'value="Y6"' not in content
