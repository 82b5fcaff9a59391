"""Decision support's suggestion on the synthetic population's stage decisions (ADR 0047; issue 16
item 4): each decision was made with a suggestion shown, and some depart from it, at a rate that
varies between authorities (calibration.PRACTICE_SPREADS["departure"]), one national stage away
or to another local stage of the same national stage, each with a kind of reason and a sentence.
Drawn from a random stream of the authority's own, so adding it shifts no other draw.

Made up: no published figure says how often professionals depart from a suggestion of this kind.
The national share is a modest one (about one decision in seven), higher decisions than
suggested commoner than lower (the record misses what the team knows more often than it shows
more than there is), and "evidence held outside Stagewise" the commonest kind.

Plans of a type a statutory test applies to (statutory/decision_support_plans.py) were opened with
the test's suggestion kept, as plan_create keeps it: at the same authority-varying share, opening
departs from it, the test having suggested no statutory plan ("none") or, for an individual
development plan, more often the plan kept by the other body (school or local authority).
Drawn by a second AuthorityDepartures on a stream of its own, so the stage decisions' draws stay
as they were. Made up too."""

import random
from itertools import accumulate

from stagewise.statutory.decision_support_plans import (
    AUTHORITY_DEVELOPMENT_PLAN,
    SCHOOL_DEVELOPMENT_PLAN,
    TESTED_PLAN_TYPES,
)
from stagewise.statutory.models import NATIONAL_STAGE_ORDER, DepartureKind, NationalStage
from stagewise.synthetic.plan import AuthorityPlan

# The national share of decisions that depart from the suggestion (before the authority's factor)
# and the most any authority departs, whatever its factor.
DEPARTURE_SHARE = 0.15
HIGHEST_DEPARTURE_SHARE = 0.5
# Of departures from a stage with a stage above and one below: the suggestion was the stage below
# (the decision is higher), above (lower), or another local stage of the same national stage.
HIGHER_SHARE = 0.65
SAME_NATIONAL_STAGE_SHARE = 0.1
# Of departures on opening an individual development plan: the test suggested the plan kept by the
# other body rather than none at all.
OTHER_KEEPER_SHARE = 0.7
OTHER_KEEPER = {
    SCHOOL_DEVELOPMENT_PLAN: AUTHORITY_DEVELOPMENT_PLAN,
    AUTHORITY_DEVELOPMENT_PLAN: SCHOOL_DEVELOPMENT_PLAN,
}
# What plan_create keeps when the test suggested no statutory plan
# (decision_support_selectors.plan_suggestion_for).
NO_STATUTORY_PLAN = "none"
KIND_WEIGHTS = {
    DepartureKind.EVIDENCE_OUTSIDE: 0.3,
    DepartureKind.PROFESSIONAL_JUDGEMENT: 0.25,
    DepartureKind.VIEWS: 0.14,
    DepartureKind.CHANGE_IN_CIRCUMSTANCES: 0.12,
    DepartureKind.SUPPORT_ELSEWHERE: 0.11,
    DepartureKind.OTHER: 0.08,
}
KIND_REASONS = {
    DepartureKind.EVIDENCE_OUTSIDE: "Synthetic record: a report from outwith the school weighed.",
    DepartureKind.PROFESSIONAL_JUDGEMENT: (
        "Synthetic record: the team judged how her needs affect her learning in class."
    ),
    DepartureKind.VIEWS: "Synthetic record: the family's and the learner's views weighed.",
    DepartureKind.CHANGE_IN_CIRCUMSTANCES: "Synthetic record: circumstances changed this term.",
    DepartureKind.SUPPORT_ELSEWHERE: "Synthetic record: support is already in place elsewhere.",
    DepartureKind.OTHER: "Synthetic record: agreed at the planning meeting.",
}
# A decision that follows the suggestion: no departure, no kind, no reason.
FOLLOWED = (False, "", "")
COLUMNS = (
    "suggested_national_stage",
    "suggested_stage_id",
    "departs_from_suggestion",
    "departure_kind",
    "departure_reason",
)
PLAN_COLUMNS = (
    "suggested_plan_type",
    "departs_from_suggestion",
    "departure_kind",
    "departure_reason",
)


class AuthorityDepartures:
    """The suggestion each of an authority's synthetic stage decisions was made with."""

    def __init__(self, authority: AuthorityPlan, rng: random.Random) -> None:
        self.random = rng.random
        self.choice = rng.choice
        self.choices = rng.choices
        self.share = min(
            HIGHEST_DEPARTURE_SHARE, DEPARTURE_SHARE * authority.practice.get("departure", 1.0)
        )
        self.national_of = dict(authority.stages)
        self.by_rank: dict[int, list[int]] = {}
        for stage, national in authority.stages:
            self.by_rank.setdefault(NATIONAL_STAGE_ORDER[NationalStage(national)], []).append(stage)
        self.kinds = list(KIND_WEIGHTS)
        self.kind_cumulative = list(accumulate(KIND_WEIGHTS.values()))

    def suggestion(self, stage: int) -> tuple[str, int, bool, str, str]:
        """The columns COLUMNS name for a decision placing the learner at `stage`."""
        national = self.national_of[stage]
        if self.random() >= self.share:
            return (national, stage, *FOLLOWED)
        rank = NATIONAL_STAGE_ORDER[NationalStage(national)]
        others = [other for other in self.by_rank[rank] if other != stage]
        if others and self.random() < SAME_NATIONAL_STAGE_SHARE:
            suggested = self.choice(others)
        else:
            below, above = self.by_rank.get(rank - 1), self.by_rank.get(rank + 1)
            if below and (not above or self.random() < HIGHER_SHARE):
                suggested = below[-1]
            elif above:
                suggested = above[0]
            else:
                return (national, stage, *FOLLOWED)
        return (self.national_of[suggested], suggested, True, *self.departure())

    def departure(self) -> tuple[str, str]:
        """A departure's kind and its sentence."""
        kind = self.choices(self.kinds, cum_weights=self.kind_cumulative)[0]
        return kind.value, KIND_REASONS[kind]

    def plan_suggestion(self, type_key: str) -> tuple[str, bool, str, str]:
        """The columns PLAN_COLUMNS name for opening a plan of the type `type_key`: blank and
        followed when no statutory test applies to the type."""
        if type_key not in TESTED_PLAN_TYPES:
            return ("", *FOLLOWED)
        if self.random() >= self.share:
            return (type_key, *FOLLOWED)
        other = OTHER_KEEPER.get(type_key)
        suggested = other if other and self.random() < OTHER_KEEPER_SHARE else NO_STATUTORY_PLAN
        return (suggested, True, *self.departure())
