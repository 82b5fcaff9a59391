"""Every role against every learner-facing URL, for their own learner and for someone else's.

`learner` is in Glasgow, linked to `teacher`, `head`, `parent`, `young_person` and the agency of
`agency_practitioner`. `other_learner` is in Fife, known only to `other_authority_officer` and
`other_parent`. Anyone without a right to a learner gets 404: never a hint the record exists.
"""

import pytest
from django.urls import reverse

from stagewise.audit.models import AuditAction, AuditEvent

# Who may open each learner's profile.
SEES_LEARNER = {
    "teacher",
    "support_lead",
    "head",
    "authority_officer",
    "psychologist",
    "agency_practitioner",
    "parent",
    "young_person",
}
SEES_OTHER_LEARNER = {"other_authority_officer", "other_parent"}
# Of those who see a learner, who may see the access history and change details.
MANAGES_RECORD = {"support_lead", "head", "authority_officer", "other_authority_officer"}
# Staff who work with the learner's support; families see needs and stage on the profile only.
RECORDS_SUPPORT = {
    "teacher",
    "support_lead",
    "head",
    "authority_officer",
    "other_authority_officer",
    "psychologist",
    "agency_practitioner",
}
DECIDES_STAGE = RECORDS_SUPPORT - {"agency_practitioner"}

ALL_ACTORS = [
    "teacher",
    "colleague",
    "support_lead",
    "head",
    "authority_officer",
    "other_authority_officer",
    "psychologist",
    "agency_practitioner",
    "other_agency",
    "parent",
    "other_parent",
    "young_person",
    "analyst",
    "administrator",
    "outsider_teacher",
]
# Each learner-facing page, and who among those who see the learner may use it.
PAGE_RULES: dict[str, set[str] | None] = {
    "learners:profile": None,
    "learners:access_history": MANAGES_RECORD,
    "learners:edit": MANAGES_RECORD,
    "learners:need_add": RECORDS_SUPPORT,
    "learners:need_resolve": RECORDS_SUPPORT,
    "learners:stage_timeline": RECORDS_SUPPORT,
    "learners:stage_decision_add": DECIDES_STAGE,
    "learners:wellbeing_add": RECORDS_SUPPORT,
    "learners:wellbeing": RECORDS_SUPPORT,
    "learners:chronology": RECORDS_SUPPORT,
    "learners:chronology_add": RECORDS_SUPPORT,
}
LEARNER_PAGES = list(PAGE_RULES)
STAFF_WITH_LISTS = [
    "teacher",
    "colleague",
    "support_lead",
    "head",
    "authority_officer",
    "other_authority_officer",
    "psychologist",
    "agency_practitioner",
    "other_agency",
    "outsider_teacher",
]


def expected_status(actor: str, url_name: str, whose: str) -> int:
    sees = SEES_LEARNER if whose == "learner" else SEES_OTHER_LEARNER
    if actor not in sees:
        return 404
    allowed = PAGE_RULES.get(url_name)
    if allowed is None or actor in allowed:
        return 200
    return 403


@pytest.fixture
def records(learner, other_learner):
    """A need and a wellbeing assessment for each learner, for the pages about one record."""
    from stagewise.testing.factories import add_need, add_wellbeing_assessment

    return {
        "learner": (add_need(learner), add_wellbeing_assessment(learner)),
        "other_learner": (add_need(other_learner), add_wellbeing_assessment(other_learner)),
    }


def page_url(url_name: str, target, records, whose: str) -> str:
    need, assessment = records[whose]
    if url_name == "learners:need_resolve":
        return reverse(url_name, args=[target.public_id, need.pk])
    if url_name == "learners:wellbeing":
        return reverse(url_name, args=[target.public_id, assessment.pk])
    return reverse(url_name, args=[target.public_id])


@pytest.mark.parametrize("whose", ["learner", "other_learner"])
@pytest.mark.parametrize("url_name", LEARNER_PAGES)
@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_each_role_reaches_only_the_learners_its_relationship_justifies(
    signed_in, request, records, actor, url_name, whose
):
    target = request.getfixturevalue(whose)
    client = signed_in(actor)

    response = client.get(page_url(url_name, target, records, whose))

    assert response.status_code == expected_status(actor, url_name, whose)


@pytest.mark.parametrize("url_name", ["learners:need_resolve", "learners:wellbeing"])
def test_a_record_of_another_learner_cannot_be_reached_through_a_visible_one(
    signed_in, learner, records, url_name
):
    other_need, other_assessment = records["other_learner"]
    record_id = other_need.pk if url_name == "learners:need_resolve" else other_assessment.pk

    response = signed_in("support_lead").get(reverse(url_name, args=[learner.public_id, record_id]))

    assert response.status_code == 404


@pytest.mark.parametrize("whose", ["learner", "other_learner"])
@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_the_printable_chronology_follows_the_chronology_rules(signed_in, request, actor, whose):
    target = request.getfixturevalue(whose)

    response = signed_in(actor).get(
        reverse("learners:chronology", args=[target.public_id]), {"print": "1"}
    )

    assert response.status_code == expected_status(actor, "learners:chronology", whose)


@pytest.mark.parametrize("whose", ["learner", "other_learner"])
@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_changing_details_by_post_follows_the_same_rules(signed_in, request, actor, whose):
    target = request.getfixturevalue(whose)
    client = signed_in(actor)

    response = client.post(
        reverse("learners:edit", args=[target.public_id]), {"legal_first_name": "Changed"}
    )

    target.refresh_from_db()
    assert target.legal_first_name != "Changed"
    # Someone allowed gets the form back with errors (the post was incomplete); nobody else may.
    assert response.status_code == expected_status(actor, "learners:edit", whose)


@pytest.mark.parametrize("fragment", [False, True], ids=["page", "htmx-fragment"])
@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_learner_lists_and_their_fragments_show_only_visible_learners(
    signed_in, request, learner, other_learner, actor, fragment
):
    client = signed_in(actor)
    headers = {"HX-Request": "true"} if fragment else {}

    response = client.get(reverse("learners:list"), headers=headers)

    if actor in {"parent", "other_parent", "young_person", "analyst", "administrator"}:
        # Families reach their children from home; analysts and administrators see no one.
        assert response.status_code == 403
        return
    assert response.status_code == 200
    content = response.content.decode()
    assert (learner.candidate_number in content) == (actor in SEES_LEARNER)
    assert (other_learner.candidate_number in content) == (actor in SEES_OTHER_LEARNER)


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_home_pages_name_only_visible_learners(signed_in, learner, other_learner, actor):
    response = signed_in(actor).get(reverse("home"))

    assert response.status_code == 200
    content = response.content.decode()
    assert learner.legal_last_name not in content or actor in {"parent", "young_person"}
    assert other_learner.legal_last_name not in content or actor == "other_parent"


def test_signed_out_visitors_are_sent_to_sign_in(client, learner, records):
    for url_name in LEARNER_PAGES:
        response = client.get(page_url(url_name, learner, records, "learner"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "12345", "00000000-0000-0000-0000-000000000000"])
def test_malformed_or_unknown_learner_ids_give_404(signed_in, bad_id):
    response = signed_in("support_lead").get(f"/learners/{bad_id}/")

    assert response.status_code == 404


def test_a_refused_attempt_is_recorded_against_the_learner_without_telling_the_outsider(
    signed_in, learner, outsider_teacher
):
    response = signed_in("outsider_teacher").get(
        reverse("learners:profile", args=[learner.public_id])
    )

    assert response.status_code == 404
    assert learner.legal_last_name not in response.content.decode()
    refusal = AuditEvent.objects.get(action=AuditAction.REFUSED)
    assert refusal.learner == learner
    assert refusal.user == outsider_teacher


def test_the_family_view_hides_staff_notes_and_other_carers_details(signed_in, learner, parent):
    from stagewise.testing.factories import link_carer

    other_carer = link_carer(learner).carer
    other_carer.telephone = "07700 955555"
    other_carer.save()

    content = (
        signed_in("parent")
        .get(reverse("learners:profile", args=[learner.public_id]))
        .content.decode()
    )

    assert "visual timetable" not in content
    assert "07700 955555" not in content
    assert parent.full_name in content


def test_staff_see_staff_notes_and_every_carer(signed_in, learner, parent):
    content = (
        signed_in("support_lead")
        .get(reverse("learners:profile", args=[learner.public_id]))
        .content.decode()
    )

    assert "visual timetable" in content
    assert parent.full_name in content


def test_the_admin_site_registers_no_learner_data():
    from django.contrib import admin

    registered = {model._meta.app_label for model in admin.site._registry}

    assert "learners" not in registered
    assert "audit" not in registered


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_the_caseload_summary_counts_only_visible_learners(
    signed_in, learner, other_learner, actor
):
    response = signed_in(actor).get(reverse("learners:summary"))

    if actor not in STAFF_WITH_LISTS:
        assert response.status_code == 403
        return
    expected_total = int(actor in SEES_LEARNER) + int(actor in SEES_OTHER_LEARNER)
    assert response.context["summary"].total == expected_total
