"""What a young person's parents and carers see (ADR 0021), in plain words: for the young person
deciding it, and for the staff who record a decision the young person made known to them."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.learners.models import Learner, ParentPart, ParentSharing, ParentSharingDecision
from stagewise.learners.services.record import learner_current_enrolment
from stagewise.policy import nation_policy


def young_person_from_age(learner: Learner) -> int:
    """The age from which the learner's nation makes them a young person holding the rights."""
    enrolment = learner_current_enrolment(learner)
    return nation_policy(
        enrolment.setting.authority.nation.code if enrolment else None
    ).young_person_from_age


def decision_refusal(learner: Learner, on: date) -> str:
    """Why the learner cannot have a decision on that day, or "" if they can."""
    from_age = young_person_from_age(learner)
    if learner.age_on() < from_age:
        return _(
            "Only a young person aged %(age)s or over decides what their parents and carers see."
            " %(name)s is under %(age)s, so their parents and carers see what the family sees."
        ) % {"age": from_age, "name": learner.display_name}
    if learner.age_on(on) < from_age:
        return _(
            "The date of the decision must be on or after the day %(name)s turned %(age)s:"
            " before then, the decision was not theirs to make."
        ) % {"age": from_age, "name": learner.display_name}
    return ""


@dataclass(frozen=True)
class ParentSharingView:
    current: ParentSharingDecision | None
    # The parts (labels) parents see now, and those they do not: all of them without a decision.
    parents_see: list[str]
    parents_do_not_see: list[str]
    sees_nothing: bool
    # Why no decision can be made today ("" when one can), and from when one can.
    refusal: str
    from_birthday: date
    history: list[ParentSharingDecision]


def parent_sharing_get(*, learner: Learner, with_history: bool = False) -> ParentSharingView:
    """The decision in force and what it leaves parents, for a learner the caller already reached
    through the one door; with the earlier decisions for the staff who keep the record."""
    decisions = ParentSharingDecision.objects.filter(learner=learner).select_related("recorded_by")
    history = list(decisions) if with_history else list(decisions[:1])
    current = history[0] if history else None
    seen = current.shared_parts if current is not None else None
    labels = dict(ParentPart.choices)
    sees = [part for part in ParentPart.values if seen is None or part in seen]
    from_age = young_person_from_age(learner)
    birthday = learner.date_of_birth
    return ParentSharingView(
        current=current,
        parents_see=[str(labels[part]) for part in sees],
        parents_do_not_see=[str(labels[part]) for part in ParentPart.values if part not in sees],
        sees_nothing=current is not None and current.sharing == ParentSharing.NOTHING,
        refusal=decision_refusal(learner, timezone.localdate()),
        from_birthday=_birthday_at(birthday, birthday.year + from_age),
        history=history if with_history else [],
    )


def _birthday_at(born: date, year: int) -> date:
    try:
        return born.replace(year=year)
    except ValueError:  # born on 29 February: the birthday counts from 1 March
        return date(year, 3, 1)
