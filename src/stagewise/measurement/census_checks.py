"""A census return's rows and the checks on each: what is missing or inconsistent about a
learner's items (or their school's reference), and what to put right (measurement/census.py)."""

from dataclasses import dataclass, field
from uuid import UUID

from django.utils.translation import gettext as _

from stagewise.learners.models import Enrolment, Learner, Need
from stagewise.measurement.census_codes import CensusCode, NationCensusCodes
from stagewise.organisations.models import Setting
from stagewise.planning.models import Plan


@dataclass(frozen=True)
class ReasonItem:
    code: str
    label: str
    # Scotland: the types of support for this reason.
    types_of_support: tuple[CensusCode, ...] = ()


@dataclass
class CensusRow:
    learner: Learner
    setting: Setting
    reasons: list[ReasonItem] = field(default_factory=list)
    # Wales: who keeps the individual development plan (None when none is in force).
    plan_keeper: CensusCode | None = None

    @property
    def public_id(self) -> UUID:
        return self.learner.public_id

    @property
    def name(self) -> str:
        return self.learner.display_name

    @property
    def identifier(self) -> str:
        return self.learner.candidate_number


@dataclass(frozen=True)
class Problem:
    """Something to put right before the return can be made: about a learner (linked to their
    record) or about a school."""

    what: str
    fix: str
    school: str
    learner_public_id: UUID | None = None
    learner_name: str = ""


def school_problems(codes: NationCensusCodes, rows: list[CensusRow]) -> list[Problem]:
    problems = []
    for setting in dict.fromkeys(row.setting for row in rows):
        reference = setting.reference_number.strip()
        if not codes.school_reference_pattern.match(reference):
            what = (
                _("The school has no %(reference)s.")
                if not reference
                else _("The school's %(reference)s, %(value)s, is not in the right form.")
            )
            problems.append(
                Problem(
                    what=what % {"reference": codes.school_reference_name, "value": reference},
                    fix=_("Ask an administrator to record the school's reference number."),
                    school=str(setting),
                )
            )
    return problems


class LearnerCheck:
    """One learner's row and what is missing or inconsistent in it."""

    def __init__(
        self,
        codes: NationCensusCodes,
        enrolment: Enrolment,
        needs: list[Need],
        plans: list[Plan],
        schools: list[Setting],
    ) -> None:
        self.codes = codes
        self.enrolment = enrolment
        self.learner = enrolment.learner
        self.nation = enrolment.setting.authority.nation
        self.needs = needs
        self.plans = plans
        self.schools = schools
        self.problems: list[Problem] = []

    def problem(self, what: str, fix: str) -> None:
        self.problems.append(
            Problem(
                what=what,
                fix=fix,
                school=str(self.enrolment.setting),
                learner_public_id=self.learner.public_id,
                learner_name=self.learner.display_name,
            )
        )

    def row(self) -> CensusRow:
        self._check_identifier()
        self._check_schools()
        plans = self._plans_of_this_nation()
        needs = self._needs_in_code_list()
        if plans and not self.needs:
            self.problem(
                _("%(plan)s is in force but no %(reason)s is recorded as its cause.")
                % {"plan": plans[0].plan_type.display_name, "reason": self._reason_word()},
                _("Record the need the plan is for, or close the plan if it has ended."),
            )
        row = CensusRow(learner=self.learner, setting=self.enrolment.setting)
        if self.codes.is_scottish:
            row.reasons = self._scottish_reasons(needs, plans)
        else:
            row.reasons = [ReasonItem(n.reason.code, n.reason.display_label) for n in needs]
            row.plan_keeper = self._welsh_plan_keeper(plans)
        return row

    def _reason_word(self) -> str:
        return _("reason for support") if self.codes.is_scottish else _("need type")

    def _check_identifier(self) -> None:
        number = (self.learner.candidate_number or "").strip()
        if not number:
            self.problem(
                _("No %(identifier)s is recorded.") % {"identifier": self.codes.identifier_name},
                _("Add it to the learner's details."),
            )
        elif not self.codes.identifier_pattern.match(number):
            self.problem(
                _("The %(identifier)s, %(number)s, is not in the right form.")
                % {"identifier": self.codes.identifier_name, "number": number},
                _("Correct it in the learner's details."),
            )

    def _check_schools(self) -> None:
        others = [school for school in self.schools if school != self.enrolment.setting]
        if others:
            self.problem(
                _("Enrolled at another school on the census day as well: %(schools)s.")
                % {"schools": ", ".join(str(school) for school in others)},
                _("End the enrolment that had ended by the census day, or record the move."),
            )

    def _plans_of_this_nation(self) -> list[Plan]:
        mapped = []
        for plan in self.plans:
            if plan.plan_type.nation_id != self.nation.pk:
                self.problem(
                    _("%(plan)s is a plan of another nation.")
                    % {"plan": plan.plan_type.display_name},
                    _("Close it and record the plan this nation's law provides for."),
                )
            else:
                mapped.append(plan)
        return mapped

    def _needs_in_code_list(self) -> list[Need]:
        listed = []
        for need in self.needs:
            if need.reason.nation_id != self.nation.pk or not need.reason.active:
                self.problem(
                    _("%(reason)s is not in %(nation)s's code list.")
                    % {"reason": need.reason, "nation": self.nation},
                    _("Record the need again with a code from the list, and resolve this one."),
                )
            else:
                listed.append(need)
        return listed

    def _scottish_reasons(self, needs: list[Need], plans: list[Plan]) -> list[ReasonItem]:
        by_plan = self.codes.type_for_plan_type or {}
        by_disability = self.codes.type_for_disability or {}
        plan_types = {by_plan[p.plan_type.key] for p in plans if p.plan_type.key in by_plan}
        reasons = []
        for need in needs:
            types = set(plan_types) or {self.codes.type_otherwise}
            if need.disability in by_disability:
                types.add(by_disability[need.disability])
            reasons.append(
                ReasonItem(
                    need.reason.code,
                    need.reason.display_label,
                    tuple(code for code in self.codes.types_of_support if code.code in types),
                )
            )
        return reasons

    def _welsh_plan_keeper(self, plans: list[Plan]) -> CensusCode | None:
        by_plan = self.codes.keeper_for_plan_type or {}
        keepers = sorted({by_plan[plan.plan_type.key] for plan in plans})
        if len(keepers) > 1:
            self.problem(
                _(
                    "Both the school and the local authority have an individual development plan "
                    "in force."
                ),
                _("Close the plan that is no longer kept, so that one body keeps it."),
            )
            return None
        if self.needs and not keepers:
            self.problem(
                _(
                    "Additional learning needs are recorded but no individual development plan "
                    "is in force."
                ),
                _("Finalise the plan, or record that the need is resolved."),
            )
            return None
        keeper = keepers[0] if keepers else ""
        required = self.codes.keeper_when_looked_after
        if keeper and self.learner.looked_after and keeper != required:
            self.problem(
                _(
                    "The learner is looked after, so the local authority must keep the "
                    "individual development plan, but the school keeps it."
                ),
                _("Ask the local authority to take the plan over."),
            )
        return next((code for code in self.codes.plan_keepers if code.code == keeper), None)
