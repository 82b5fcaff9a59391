"""The published pathways and the public information for families, read by someone not signed
in, in English and Welsh, pass axe: the index of authorities and an authority's page listing its
services; the information index, an authority's information page and a school's offer."""

import pytest
from playwright.sync_api import Page, expect

from stagewise.conftest import World
from stagewise.coordination.services import pathway_save
from stagewise.organisations.public_information_services import school_offer_save
from stagewise.policy import SYSTEM
from stagewise.statutory.models import NationalStage

from .support import LANGUAGES, check_page, choose_language


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_published_pathways_are_accessible_signed_out(
    page: Page, world: World, language: str
) -> None:
    pathway_save(
        actor=SYSTEM,
        service=world.agency,
        summary="Speech and language therapists help children communicate.",
        summary_cy="Mae therapyddion lleferydd ac iaith yn helpu plant i gyfathrebu.",
        access_criteria="Children up to 18 who find it hard to talk or understand.",
        request_must_include="What has been tried, and the family's consent.",
        usual_stages=[NationalStage.TARGETED, NationalStage.SPECIALIST],
        response_weeks=8,
        telephone="0141 496 0110",
        email="speech@glasgow-city.example.org",
        website="https://www.glasgow-city.example.org/services/speech",
    )

    page.goto("/pathways/")
    choose_language(page, language)
    check_page(page, "pathways of every authority", language)

    page.goto("/pathways/glasgow-city/")
    expect(page.locator(".govuk-summary-list").first).to_be_visible()
    check_page(page, "pathways of one authority", language)

    # The public information: one authority's page (its statement not written yet, so each
    # section points to the advice services) and one school's offer.
    school_offer_save(
        actor=SYSTEM,
        setting=world.school,
        statement="Children who need more get the support below.",
        statement_cy="Mae plant sydd angen mwy yn cael y cymorth isod.",
        provision=[("Small-group reading sessions", "Sesiynau darllen grŵp bach")],
    )
    page.goto("/information/")
    check_page(page, "information of every authority", language)

    page.goto("/information/glasgow-city/")
    expect(page.locator("#advice-services")).to_be_visible()
    check_page(page, "information of one authority", language)

    page.goto(f"/information/glasgow-city/schools/{world.school.pk}/")
    expect(page.locator(".govuk-list--bullet")).to_be_visible()
    check_page(page, "a school's offer", language)
