"""Nothing a signed-in person receives is kept by the browser or a shared cache."""

from stagewise.testing.plans import acting, finalised_plan


def is_never_stored(response) -> bool:
    directives = {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_signed_in_pages_and_htmx_fragments_are_never_stored(signed_in, learner):
    client = signed_in("support_lead")

    for response in [
        client.get("/"),
        client.get(f"/learners/{learner.public_id}/"),
        client.get("/learners/?name=Ailsa", headers={"HX-Request": "true"}),
        client.get("/me/"),
    ]:
        assert response.status_code == 200
        assert is_never_stored(response), response.headers.get("Cache-Control")


def test_a_refusal_or_a_missing_page_for_a_signed_in_person_is_never_stored(
    signed_in, other_learner
):
    client = signed_in("teacher")

    assert is_never_stored(client.get(f"/learners/{other_learner.public_id}/"))
    assert is_never_stored(client.get("/no-such-page/"))


def test_a_downloaded_plan_pdf_is_never_stored(signed_in, teacher, learner):
    plan = finalised_plan(acting(teacher), learner, "individualised_educational_programme")

    response = signed_in("teacher").get(
        f"/learners/{learner.public_id}/plans/{plan.public_id}/pdf/"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert is_never_stored(response)


def test_static_files_stay_cacheable_for_signed_in_people(signed_in):
    response = signed_in("teacher").get("/static/stagewise/stagewise.css")

    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
