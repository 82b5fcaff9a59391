"""Decision support's rules (ADR 0047), as a professional would read them: what the record shows,
which descriptors that evidences, what stage or plan it suggests, and why. Pure: no database."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from stagewise.statutory.decision_facts import (
    AgencyFact,
    LearnerFacts,
    NeedFact,
    PlanFact,
    ReviewFact,
    StageFact,
    WellbeingFact,
)
from stagewise.statutory.decision_support import stage_suggest
from stagewise.statutory.decision_support_plans import (
    AUTHORITY_DEVELOPMENT_PLAN,
    COORDINATED_SUPPORT_PLAN,
    SCHOOL_DEVELOPMENT_PLAN,
    additional_learning_needs_test,
    coordinated_support_plan_test,
)

TODAY = date(2026, 3, 2)


@dataclass
class Descriptor:
    pk: int
    national_stage: str
    dimension: str
    display_wording: str = "wording"


@dataclass
class LocalDescriptor:
    national_descriptor_id: int
    local_stage_id: int
    display_wording: str = "local wording"


@dataclass
class Stage:
    pk: int
    order: int
    national_stage: str
    display_label: str


DIMENSIONS = [
    "needs",
    "tried_at_stage_below",
    "support_required",
    "agencies_involved",
    "expected_duration",
]
NATIONAL = [
    Descriptor(pk=10 * rank + column, national_stage=stage, dimension=dimension)
    for rank, stage in enumerate(["universal", "targeted", "specialist"], start=1)
    for column, dimension in enumerate(DIMENSIONS)
]
# Glasgow's shape: one universal stage, one targeted, two specialist.
STAGES = [
    Stage(1, 1, "universal", "Stage 1"),
    Stage(2, 2, "targeted", "Stage 2"),
    Stage(3, 3, "specialist", "Stage 3"),
    Stage(4, 4, "specialist", "Stage 4"),
]

NOTHING_RECORDED = LearnerFacts(
    today=TODAY,
    enrolled_at="Riverside Primary School",
    authority="Glasgow City",
    profile_url="/learners/x/",
    looked_after=False,
)
DYSLEXIA = NeedFact(11, "Dyslexia", ("learning_environment",), TODAY - timedelta(days=60), "", "/n")
IEP_WITH_SUPPORT = PlanFact(
    "individualised_educational_programme", "IEP", 2, (), TODAY + timedelta(days=90), "/p"
)
REVIEW_TARGETS_MISSED = ReviewFact("IEP", TODAY - timedelta(days=20), "change_support", 2, "/p")
TARGETED_RECORD = replace(
    NOTHING_RECORDED,
    needs=(DYSLEXIA,),
    plans=(IEP_WITH_SUPPORT,),
    reviews=(REVIEW_TARGETS_MISSED,),
    stages=(StageFact("universal", "Stage 1", TODAY - timedelta(days=200), "/s"),),
)
AUTISM_SINCE_LONG_AGO = NeedFact(
    25,
    "Autistic spectrum disorder",
    ("disability_or_health", "social_and_emotional"),
    TODAY - timedelta(days=800),
    "",
    "/n2",
)
SPECIALIST_RECORD = replace(
    TARGETED_RECORD,
    needs=(DYSLEXIA, AUTISM_SINCE_LONG_AGO),
    wellbeing=WellbeingFact(TODAY - timedelta(days=10), {"included": "significant_concern"}, "/w"),
    agencies=(AgencyFact("Glasgow CAMHS", "camhs", "Accepted", TODAY - timedelta(days=90), "/r"),),
    stages=(StageFact("targeted", "Stage 2", TODAY - timedelta(days=300), "/s"),),
)


# As statutory migration 0016 loads them for both nations (StageSuggestionRule).
RULES = {"targeted": 3, "specialist": 3}


def suggest(
    facts: LearnerFacts,
    local: list[LocalDescriptor] | None = None,
    rules: dict[str, int] | None = None,
):
    return stage_suggest(
        facts=facts,
        national_descriptors=NATIONAL,
        local_stages=STAGES,
        local_descriptors=local or [],
        descriptors_needed=RULES if rules is None else rules,
    )


def findings(suggestion, national_stage: str) -> dict[str, bool]:
    stage = next(s for s in suggestion.stages if s.national_stage == national_stage)
    return {row.descriptor.dimension: row.finding.evidenced for row in stage.descriptors}


def test_with_nothing_recorded_universal_is_suggested_and_each_targeted_descriptor_says_why_not():
    suggestion = suggest(NOTHING_RECORDED)

    assert suggestion.national_stage == "universal"
    assert suggestion.local_stage.display_label == "Stage 1"
    assert "universal is suggested" in suggestion.why
    targeted = next(s for s in suggestion.stages if s.national_stage == "targeted")
    assert not targeted.needs_evidenced
    assert "No active additional support need is recorded." in [
        row.finding.why for row in targeted.descriptors
    ]


def test_a_need_with_planned_support_that_a_review_found_not_enough_suggests_targeted():
    suggestion = suggest(TARGETED_RECORD)

    assert suggestion.national_stage == "targeted"
    assert suggestion.local_stage.display_label == "Stage 2"
    assert findings(suggestion, "targeted") == {
        "needs": True,
        "tried_at_stage_below": True,
        "support_required": True,
        "agencies_involved": False,
        "expected_duration": True,
    }
    assert "4 of its 5 descriptors evidenced" in suggestion.why


def test_each_finding_links_to_the_records_it_rests_on_and_says_for_how_long():
    targeted = next(s for s in suggest(TARGETED_RECORD).stages if s.national_stage == "targeted")
    tried = next(
        row for row in targeted.descriptors if row.descriptor.dimension == "tried_at_stage_below"
    )

    assert "for 28 weeks" in tried.finding.why
    assert [item.url for item in tried.finding.evidence] == ["/s", "/p"]


def test_needs_alone_never_suggest_a_stage():
    suggestion = suggest(replace(NOTHING_RECORDED, needs=(DYSLEXIA,)))

    assert suggestion.national_stage == "universal"


def test_how_many_descriptors_suggest_a_stage_is_the_nations_rule_not_a_constant():
    # The targeted record has 4 of targeted's 5 descriptors evidenced.
    stricter = suggest(TARGETED_RECORD, rules={"targeted": 5, "specialist": 5})
    unequal = suggest(NOTHING_RECORDED, rules={"targeted": 2, "specialist": 4})

    assert stricter.national_stage == "universal"
    assert "at least 5 of its descriptors evidenced" in stricter.why
    assert "targeted (at least 2 descriptors) nor specialist (at least 4)" in unequal.why


def test_a_stage_with_no_rule_is_never_suggested_and_the_page_says_why():
    suggestion = suggest(SPECIALIST_RECORD, rules={"targeted": 3})

    assert suggestion.national_stage == "targeted"
    assert "at least 3 are needed" in suggestion.why
    assert "no rule says how many descriptors" in suggest(TARGETED_RECORD, rules={}).why


def test_multiple_factors_a_significant_concern_and_a_partner_agency_suggest_specialist():
    suggestion = suggest(SPECIALIST_RECORD)

    assert suggestion.national_stage == "specialist"
    assert all(findings(suggestion, "specialist").values())
    # No local descriptors: the earlier of the two specialist stages.
    assert suggestion.local_stage.display_label == "Stage 3"


def test_locally_the_stage_whose_own_descriptors_are_most_evidenced_is_suggested():
    stage_four_describes_more = [
        LocalDescriptor(national_descriptor_id=30, local_stage_id=3),
        LocalDescriptor(national_descriptor_id=30, local_stage_id=4),
        LocalDescriptor(national_descriptor_id=33, local_stage_id=4),
    ]

    suggestion = suggest(SPECIALIST_RECORD, stage_four_describes_more)

    assert suggestion.local_stage.display_label == "Stage 4"


def test_educational_psychology_alone_is_not_support_from_another_function_or_agency():
    psychology_only = replace(
        SPECIALIST_RECORD,
        agencies=(
            AgencyFact("Psychological service", "educational_psychology", "Sent", None, "/r"),
        ),
    )

    specialist = findings(suggest(psychology_only), "specialist")

    assert specialist["agencies_involved"] is False
    assert findings(suggest(psychology_only), "targeted")["agencies_involved"] is True


def test_a_coordinated_support_plan_is_suggested_only_when_all_four_conditions_are_evidenced():
    met = coordinated_support_plan_test(SPECIALIST_RECORD)
    without_agency = coordinated_support_plan_test(replace(SPECIALIST_RECORD, agencies=()))

    assert met.suggested_type_key == COORDINATED_SUPPORT_PLAN
    assert [c.finding.evidenced for c in met.conditions] == [True, True, True, True]
    assert without_agency.suggested_type_key == ""
    assert [c.finding.evidenced for c in without_agency.conditions] == [True, True, True, False]
    assert not met.looked_after_consider_plan


def test_every_looked_after_child_is_flagged_for_consideration_of_a_coordinated_support_plan():
    test = coordinated_support_plan_test(replace(NOTHING_RECORDED, looked_after=True))

    assert test.looked_after_consider_plan
    assert test.suggested_type_key == ""


WELSH_RECORD = replace(
    NOTHING_RECORDED,
    enrolled_at="Bayside Primary School",
    authority="Cardiff",
    needs=(NeedFact(7, "Dyslexia", (), TODAY - timedelta(days=60), "", "/n"),),
    plans=(IEP_WITH_SUPPORT,),
)


def test_the_definition_of_additional_learning_needs_needs_a_difficulty_and_provision():
    no_provision = additional_learning_needs_test(replace(WELSH_RECORD, plans=()), {7: "Phonics"})

    assert no_provision.suggested_type_key == ""
    assert [c.finding.evidenced for c in no_provision.conditions] == [True, False]


def test_the_school_keeps_the_plan_when_its_stated_offer_covers_every_need():
    covered = additional_learning_needs_test(WELSH_RECORD, {7: "Structured phonics"})
    not_covered = additional_learning_needs_test(WELSH_RECORD, {})

    assert covered.suggested_type_key == SCHOOL_DEVELOPMENT_PLAN
    assert covered.offer == (("Dyslexia", "Structured phonics"),)
    assert not_covered.suggested_type_key == AUTHORITY_DEVELOPMENT_PLAN
    assert not_covered.offer == (("Dyslexia", ""),)


def test_the_local_authority_keeps_the_plan_of_a_looked_after_learner():
    test = additional_learning_needs_test(
        replace(WELSH_RECORD, looked_after=True), {7: "Structured phonics"}
    )

    assert test.suggested_type_key == AUTHORITY_DEVELOPMENT_PLAN
    assert test.looked_after_consider_plan
