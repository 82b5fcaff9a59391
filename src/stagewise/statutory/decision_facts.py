"""What decision support reads about one learner (ADR 0047), as plain values: gathered once by
`decision_support_selectors`, reasoned about by `decision_support` and `decision_support_plans`.
A finding says whether a rule holds, why, and the records it rests on."""

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class Evidence:
    """One recorded fact a finding rests on, with the page that shows it."""

    label: str
    url: str
    on: date | None = None


@dataclass(frozen=True)
class NeedFact:
    reason_id: int
    label: str
    factor_groups: tuple[str, ...]
    identified_on: date
    disability: str
    url: str


@dataclass(frozen=True)
class WellbeingFact:
    assessed_on: date
    levels: dict[str, str]
    url: str


@dataclass(frozen=True)
class StageFact:
    national_stage: str
    label: str
    decided_on: date
    url: str


@dataclass(frozen=True)
class PlanFact:
    type_key: str
    label: str
    provision_count: int
    agency_provision: tuple[tuple[str, str], ...]  # (agency name, agency type)
    next_review_on: date | None
    url: str


@dataclass(frozen=True)
class ReviewFact:
    plan_label: str
    held_on: date
    decision: str
    targets_not_met: int
    url: str


@dataclass(frozen=True)
class AgencyFact:
    service: str
    agency_type: str
    status_label: str
    on: date | None
    url: str


@dataclass(frozen=True)
class LearnerFacts:
    """Everything decision support reads about one learner, gathered once."""

    today: date
    enrolled_at: str
    authority: str
    profile_url: str
    looked_after: bool
    needs: tuple[NeedFact, ...] = ()
    wellbeing: WellbeingFact | None = None
    stages: tuple[StageFact, ...] = ()  # latest first
    plans: tuple[PlanFact, ...] = ()  # open plans
    reviews: tuple[ReviewFact, ...] = ()  # the last review of each plan
    agencies: tuple[AgencyFact, ...] = ()  # services involved or asked to be

    @property
    def factor_groups(self) -> set[str]:
        return {group for need in self.needs for group in need.factor_groups}


class DescriptorLike(Protocol):
    @property
    def pk(self) -> int: ...
    @property
    def national_stage(self) -> str: ...
    @property
    def dimension(self) -> str: ...


class LocalDescriptorLike(Protocol):
    @property
    def national_descriptor_id(self) -> int: ...
    @property
    def local_stage_id(self) -> int: ...


class LocalStageLike(Protocol):
    @property
    def pk(self) -> int: ...
    @property
    def order(self) -> int: ...
    @property
    def national_stage(self) -> str: ...


@dataclass(frozen=True)
class Finding:
    """Whether a rule holds, why (one sentence), and the records it rests on."""

    evidenced: bool
    why: str
    evidence: tuple[Evidence, ...] = ()
