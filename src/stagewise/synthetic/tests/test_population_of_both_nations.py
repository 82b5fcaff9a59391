"""The synthetic population's tests that build populations of their own: both nations at small
scales, and Wales at the calibration scale (Scotland's are in test_population.py, on one
population built for that module)."""

from collections import Counter

import pytest

from stagewise.learners.models import Enrolment, Learner, Need
from stagewise.learners.validators import validate_candidate_number
from stagewise.organisations.models import LocalAuthority, Nation, Setting, SettingType
from stagewise.synthetic.plan import MINIMUM_LEARNERS_PER_AUTHORITY
from stagewise.synthetic.population import upn_check_letter
from stagewise.synthetic.services import PopulationReport, population_create
from stagewise.synthetic.tests.test_population import (
    AS_OF,
    CALIBRATION_SCALE,
    TINY_SCALE,
    current_learners,
)


@pytest.fixture
def wales(db: None) -> PopulationReport:
    return population_create(nation="wales", scale=CALIBRATION_SCALE, seed=7, as_of=AS_OF)


def test_every_authority_has_schools_and_learners(db: None) -> None:
    report = population_create(nation="both", scale=TINY_SCALE, seed=3, as_of=AS_OF)
    assert report.learners == Learner.objects.count()
    for authority in LocalAuthority.objects.all():
        types = set(
            Setting.objects.filter(authority=authority).values_list("setting_type", flat=True)
        )
        assert {SettingType.PRIMARY, SettingType.SECONDARY} <= types, authority.name
        enrolled = (
            Enrolment.objects.filter(setting__authority=authority, ended_on__isnull=True)
            .values("learner")
            .distinct()
            .count()
        )
        assert enrolled >= MINIMUM_LEARNERS_PER_AUTHORITY, authority.name
    references = list(Setting.objects.values_list("authority_id", "reference_number"))
    assert len(set(references)) == len(references)


def test_wales_is_calibrated_to_the_published_figures(wales: PopulationReport) -> None:
    learners = current_learners(Nation.WALES)
    with_needs = set(Need.objects.values_list("learner_id", flat=True))
    assert 0.075 <= len(with_needs) / len(learners) <= 0.115  # ~9.5%
    largest = Counter(Need.objects.values_list("reason__code", flat=True)).most_common(4)
    assert {code for code, _count in largest} == {"SLCD", "BESD", "ASD", "MLD"}
    assert Setting.objects.filter(language_medium="welsh").exists()


def test_candidate_numbers_are_valid_and_unique(db: None) -> None:
    population_create(nation="both", scale=0.003, seed=5, as_of=AS_OF)
    for nation_code in (Nation.SCOTLAND, Nation.WALES):
        numbers = [learner.candidate_number for learner in current_learners(nation_code)]
        assert numbers
        for number in numbers:
            validate_candidate_number(number, nation_code)
    assert Learner.objects.values("candidate_number").distinct().count() == Learner.objects.count()
    welsh = current_learners(Nation.WALES)[0].candidate_number
    assert welsh[0] == upn_check_letter(welsh[1:])
