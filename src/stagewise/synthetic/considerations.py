"""Synthetic considerations of looked-after children for a co-ordinated support plan (ASL Act
2004 s6(1A); ADR 0049), written in bulk with the learners. Scotland only: the plan is Scottish.

Every looked-after child with a co-ordinated support plan was considered (the plan followed a
consideration that found it required); of the others, each authority considered its own share
(calibration.CONSIDERED_SHARE times the authority's practice factor), so the consistency report
finds authorities that consider nearly every looked-after child and some that miss more. Drawn
from a stream of its own per authority: adding it shifts no other draw."""

import random
import uuid
from datetime import date, timedelta

from stagewise.synthetic.calibration import CONSIDERED_SHARE, HIGHEST_CONSIDERED_SHARE
from stagewise.synthetic.plan import AuthorityPlan
from stagewise.synthetic.writers import Batch

REQUIRED_REASONS = (
    "Health, social work and the school all give significant support that will last for years;"
    " a co-ordinated support plan will hold it together.",
    "Complex needs with a significant effect on learning, and support from the NHS board and"
    " social work that will continue for more than a year.",
)
NOT_REQUIRED_REASONS = (
    "The school's own support meets the child's needs; no other agency's significant support is"
    " needed.",
    "Needs are not likely to last more than a year: reviewed at the next child's plan meeting.",
    "Support from other agencies is light-touch; the child's plan co-ordinates it well.",
)


class AuthorityConsiderations:
    def __init__(
        self, authority: AuthorityPlan, rng: random.Random, first_id: int, as_of: date
    ) -> None:
        self.authority = authority
        self.rng = rng
        self.next_id = first_id
        self.as_of = as_of
        self.share = min(
            HIGHEST_CONSIDERED_SHARE,
            CONSIDERED_SHARE * authority.practice.get("considered_looked_after", 1.0),
        )

    def learner(self, batch: Batch, *, learner_id: int, with_plan: bool) -> None:
        """One looked-after learner: a consideration, if their authority considered them."""
        rng = self.rng
        if not with_plan and rng.random() >= self.share:
            return
        if with_plan:
            conditions = [1, 1, 1, 1]
            conclusion, reason = "required", rng.choice(REQUIRED_REASONS)
        else:
            conditions = [1, *(1 if rng.random() < 0.5 else 0 for _ in range(3))]
            if all(conditions):
                conditions[3] = 0
            conclusion, reason = "not_required", rng.choice(NOT_REQUIRED_REASONS)
        considered_on = self.as_of - timedelta(days=30 + rng.randrange(670))
        batch["considerations"].append(
            (
                self.next_id,
                uuid.UUID(int=rng.getrandbits(128), version=4).hex,
                learner_id,
                self.authority.authority_id,
                considered_on.isoformat(),
                "Education authority officer",
                f"{considered_on.isoformat()} 10:00:00",
                *conditions,
                # What decision support found: as judged (the population departs from nothing).
                *conditions,
                conclusion,
                conclusion,
                reason,
            )
        )
        self.next_id += 1
