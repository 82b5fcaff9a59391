"""Authorities and schools differ in the synthetic population as the published figures say they
do, so that the consistency report has variation to find: one population, built once."""

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from stagewise.learners.models import Enrolment, Need, StageDecision
from stagewise.planning.models import Plan
from stagewise.synthetic.calibration import CONSIDERED_SHARE, SCOTLAND
from stagewise.synthetic.considerations import AuthorityConsiderations
from stagewise.synthetic.plan import AuthorityPlan, authority_practices
from stagewise.synthetic.services import population_create
from stagewise.testing.worlds import built_once_per_module

# Calibration of the generated figures: CI runs it on PostgreSQL only (testing/database_passes.py).
pytestmark = [pytest.mark.django_db, pytest.mark.synthetic_calibration]

AS_OF = date(2026, 11, 20)
SCALE = 0.02
# Authorities with fewer secondary pupils than this are left out: their rates are mostly noise.
FEWEST_SECONDARY_PUPILS = 80


def _build() -> dict[str, Any]:
    population_create(nation="both", scale=SCALE, seed=16, as_of=AS_OF)
    current = Enrolment.objects.filter(ended_on__isnull=True).values_list(
        "learner_id", "setting_id", "setting__authority__name", "setting__authority__nation__code"
    )
    learners = {learner: (setting, name, nation) for learner, setting, name, nation in current}
    secondary = set(
        Enrolment.objects.filter(
            ended_on__isnull=True, year_group__in=[*SCOTLAND.secondary_years, "Y7", "Y8", "Y9"]
        ).values_list("learner_id", flat=True)
    )
    latest_stage: dict[int, str] = {}
    for learner, national in StageDecision.objects.order_by("decided_on", "pk").values_list(
        "learner_id", "stage__national_stage"
    ):
        latest_stage[learner] = national
    return {
        "learners": learners,
        "secondary": secondary,
        "with_needs": set(Need.objects.values_list("learner_id", flat=True)),
        "stage": latest_stage,
        "decisions": list(
            StageDecision.objects.values_list(
                "learner_id",
                "suggested_national_stage",
                "departs_from_suggestion",
                "departure_kind",
                "departure_reason",
            )
        ),
        "plans": list(
            Plan.objects.filter(versions__isnull=False)
            .distinct()
            .values_list("learner_id", "plan_type__key")
        ),
    }


@pytest.fixture(scope="module")
def population(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


def _share_by(
    population: dict[str, Any], group: int, members: set[int], of: set[int], smallest: int
) -> dict[Any, float]:
    """The share of `of` in `members`, per authority (group 1) or school (group 0), where at
    least `smallest` learners of `of` are counted."""
    counted: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    for learner, place in population["learners"].items():
        if learner in of:
            counted[place[group]][1] += 1
            counted[place[group]][0] += learner in members
    return {key: part / whole for key, (part, whole) in counted.items() if whole >= smallest}


def test_scottish_authorities_asn_rates_of_secondary_pupils_span_the_published_range(
    population,
):
    scottish = {
        learner for learner, place in population["learners"].items() if place[2] == "scotland"
    }
    rates = _share_by(
        population,
        1,
        population["with_needs"],
        population["secondary"] & scottish,
        FEWEST_SECONDARY_PUPILS,
    )

    assert len(rates) >= 10
    # Published: from about 8% to over 50% of secondary pupils (RULES.md section 7).
    assert min(rates.values()) < 0.13
    assert max(rates.values()) > 0.48


def test_stage_decisions_and_plans_differ_between_authorities_and_schools(population):
    above_universal = set(population["stage"])
    specialist = {
        learner for learner, stage in population["stage"].items() if stage == "specialist"
    }
    with_needs = population["with_needs"]

    by_authority = _share_by(population, 1, above_universal, with_needs, 100)
    by_school = _share_by(population, 0, above_universal, with_needs, 40)
    specialist_by_authority = _share_by(population, 1, specialist, above_universal, 100)
    assert max(by_authority.values()) - min(by_authority.values()) > 0.2
    assert max(by_school.values()) - min(by_school.values()) > 0.3
    assert max(specialist_by_authority.values()) > 2 * min(specialist_by_authority.values())

    kinds = defaultdict(set)
    for learner, key in population["plans"]:
        kinds[key].add(learner)
    programmes = _share_by(
        population, 1, kinds["individualised_educational_programme"], with_needs, 100
    )
    assert max(programmes.values()) > 2 * min(programmes.values())
    kept_by_authority = _share_by(
        population,
        1,
        kinds["individual_development_plan_local_authority"],
        kinds["individual_development_plan_local_authority"]
        | kinds["individual_development_plan_school"],
        60,
    )
    assert max(kept_by_authority.values()) > 2 * min(kept_by_authority.values())


def test_departures_from_the_suggestion_differ_between_authorities_each_with_a_kind(population):
    """Every synthetic stage decision was made with a suggestion shown; about one in seven
    departs from it, more in some authorities than others, each with a kind and a reason."""
    decided: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for learner, suggested, departs, kind, reason in population["decisions"]:
        assert suggested
        assert bool(kind) == bool(reason) == departs
        place = population["learners"].get(learner)
        if place:
            decided[place[1]][0] += departs
            decided[place[1]][1] += 1
    rates = {name: part / whole for name, (part, whole) in decided.items() if whole >= 100}
    departed = sum(part for part, _whole in decided.values())
    assert 0.08 < departed / sum(whole for _part, whole in decided.values()) < 0.25
    assert max(rates.values()) > 2 * min(rates.values())


def test_authority_practice_is_fixed_whatever_the_seed_and_centred_on_the_national_shares():
    practices = authority_practices(SCOTLAND)

    assert practices == authority_practices(SCOTLAND)
    for practice in practices["Glasgow City"]:
        factors = sorted(authority[practice] for authority in practices.values())
        assert factors[0] < 1 < factors[-1]
        assert factors[len(factors) // 2] == pytest.approx(1, abs=0.1)


def test_authorities_consider_different_shares_of_their_looked_after_children():
    """Most looked-after children without a co-ordinated support plan are considered for one,
    more in some authorities than others (ADR 0049), so the report has variation to find."""
    shares = sorted(
        AuthorityConsiderations(
            AuthorityPlan(
                authority_id=0,
                code="",
                name=name,
                name_cy="",
                index=0,
                figures=None,  # type: ignore[arg-type]
                learners=0,
                support_needs_rate=0.0,
                stages=[],
                practice=practice,
            ),
            random.Random(0),
            1,
            AS_OF,
        ).share
        for name, practice in authority_practices(SCOTLAND).items()
    )

    assert shares[0] < 0.65 and shares[-1] >= 0.95
    assert shares[len(shares) // 2] == pytest.approx(CONSIDERED_SHARE, abs=0.1)
