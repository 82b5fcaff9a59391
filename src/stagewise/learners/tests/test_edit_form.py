"""The change-details form: GOV.UK error summary, keeps what was typed, never a 500."""

from django.urls import reverse


def form_data(learner, **overrides):
    data = {
        "legal_first_name": learner.legal_first_name,
        "legal_last_name": learner.legal_last_name,
        "preferred_name": "",
        "date_of_birth_0": "17",
        "date_of_birth_1": "5",
        "date_of_birth_2": "2012",
        "sex": "female",
        "candidate_number": learner.candidate_number,
        "home_language": "English",
        "preferred_language": "English",
        "staff_notes": "",
    }
    return data | overrides


def test_an_impossible_date_is_explained_and_what_was_typed_is_kept(signed_in, learner):
    response = signed_in("support_lead").post(
        reverse("learners:edit", args=[learner.public_id]),
        form_data(learner, date_of_birth_0="31", date_of_birth_1="2", preferred_name="Ally"),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    assert "Enter a real date" in content
    assert 'value="Ally"' in content
    learner.refresh_from_db()
    assert learner.preferred_name == ""


def test_a_malformed_candidate_number_names_the_format(signed_in, learner):
    response = signed_in("support_lead").post(
        reverse("learners:edit", args=[learner.public_id]),
        form_data(learner, candidate_number="12AB"),
    )

    assert response.status_code == 200
    assert "9 digits" in response.content.decode()


def test_a_candidate_number_already_in_use_is_refused_clearly(signed_in, learner, other_learner):
    response = signed_in("support_lead").post(
        reverse("learners:edit", args=[learner.public_id]),
        form_data(learner, candidate_number=other_learner.candidate_number),
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_every_form_is_protected_against_cross_site_requests(learner, teacher):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)

    response = client.post(reverse("accounts:language"), {"language": "cy"})

    assert response.status_code == 403
