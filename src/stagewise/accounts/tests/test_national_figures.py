"""The national analyst's home page: learners per authority leave the authority, so they pass
through `stagewise.disclosure` like every other figure that does."""

import pytest
from django.test import Client
from django.urls import reverse

from stagewise.accounts.models import User
from stagewise.accounts.selectors import HomeKind, home_summary_get
from stagewise.disclosure import DISCLOSURE_STATEMENT, Figure, Withheld
from stagewise.learners.models import Learner
from stagewise.testing.plans import acting

pytestmark = pytest.mark.django_db


def test_an_authority_with_1_to_4_learners_is_withheld_and_0_and_exact_counts_are_shown(
    learner: Learner, analyst: User
) -> None:
    summary = home_summary_get(actor=acting(analyst))

    assert summary.kind == HomeKind.NATIONAL_FIGURES
    assert summary.authority_figures
    by_authority = {figure.authority.pk: figure.learners for figure in summary.authority_figures}
    home = learner.enrolments.get().setting.authority_id
    assert by_authority[home] == Figure(None, Withheld.SMALL)
    assert all(
        figure in (Figure(0), Figure(None, Withheld.SMALL)) for figure in by_authority.values()
    )
    assert summary.disclosure_statement == str(DISCLOSURE_STATEMENT)


def test_the_home_page_marks_a_withheld_count_and_says_how_figures_are_protected(
    learner: Learner, analyst: User, client: Client
) -> None:
    client.force_login(analyst)

    page = client.get(reverse("home")).content.decode()

    assert '<span aria-label="fewer than 5">[c]</span>' in page
    assert (
        "Counts of 1 to 4 are not shown, nor any figure from which one could be worked out." in page
    )
    assert "rounded to the nearest 5" not in page
