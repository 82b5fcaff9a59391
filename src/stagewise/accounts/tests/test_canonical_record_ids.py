"""Each learner and plan has one address: other spellings of its id are redirected permanently
to it when read, and not found when written to."""

import pytest

from stagewise.audit.models import AuditEvent
from stagewise.testing.plans import acting, finalised_plan


def spellings(public_id) -> dict[str, str]:
    return {"upper case": str(public_id).upper(), "without hyphens": public_id.hex}


@pytest.mark.parametrize("spelling", ["upper case", "without hyphens"])
def test_another_spelling_of_a_learner_id_redirects_permanently_to_the_canonical_address(
    signed_in, learner, spelling
):
    typed = spellings(learner.public_id)[spelling]

    response = signed_in("support_lead").get(f"/learners/{typed}/chronology/?page=2")

    assert response.status_code == 301
    assert response["Location"] == f"/learners/{learner.public_id}/chronology/?page=2"


def test_the_redirect_records_no_access_and_says_nothing_about_whether_the_learner_exists(
    signed_in, learner
):
    client = signed_in("teacher")
    unknown = "0123456789ABCDEF0123456789ABCDEF"
    before = AuditEvent.objects.count()

    response = client.get(f"/learners/{unknown}/")

    assert response.status_code == 301
    assert response["Location"] == "/learners/01234567-89ab-cdef-0123-456789abcdef/"
    assert AuditEvent.objects.count() == before


def test_another_spelling_of_a_plan_id_redirects_to_the_canonical_address(
    signed_in, teacher, learner
):
    plan = finalised_plan(acting(teacher), learner, "individualised_educational_programme")
    typed_learner = str(learner.public_id).upper()
    typed_plan = plan.public_id.hex

    response = signed_in("teacher").get(f"/learners/{typed_learner}/plans/{typed_plan}/print/")

    assert response.status_code == 301
    assert response["Location"] == f"/learners/{learner.public_id}/plans/{plan.public_id}/print/"


def test_a_form_sent_to_another_spelling_is_not_found_and_changes_nothing(signed_in, learner):
    entry = {
        "entry_type": "health",
        "summary": "Hearing test",
        "source": "School nurse",
        "occurred_on_0": "3",
        "occurred_on_1": "11",
        "occurred_on_2": "2025",
    }
    client = signed_in("support_lead")

    refused = client.post(f"/learners/{str(learner.public_id).upper()}/chronology/add/", entry)
    assert refused.status_code == 404
    assert not learner.chronology.exists()

    # The same entry at the canonical address is recorded: the refusal was the address alone.
    accepted = client.post(f"/learners/{learner.public_id}/chronology/add/", entry)
    assert accepted.status_code == 302
    assert learner.chronology.count() == 1


@pytest.mark.parametrize(
    "address",
    [
        "/learners/not-a-learner/",
        "/learners/{{01234567-89ab-cdef-0123-456789abcdef}}/",
        "/learners/urn:uuid:01234567-89ab-cdef-0123-456789abcdef/",
    ],
)
def test_something_that_is_not_a_learner_id_is_not_found(signed_in, learner, address):
    assert signed_in("support_lead").get(address).status_code == 404


def test_the_canonical_address_opens_the_page(signed_in, learner):
    assert signed_in("support_lead").get(f"/learners/{learner.public_id}/").status_code == 200
