"""A plan as a document: built from the live plan, frozen into each finalised version, and read
back for the plan page, the family view, the printed plan and version comparison.

One structure serves all four so that what a family sees, what is printed and what was signed off
cannot drift apart.
"""

import dataclasses
from datetime import date
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stagewise.learners.models import CarerRelationship, Learner
from stagewise.learners.services import learner_current_enrolment
from stagewise.organisations.models import Role, role_label
from stagewise.planning.models import (
    LocalPlanTypeName,
    Plan,
    PlanSection,
    SectionKind,
    ViewKind,
)
from stagewise.policy import nation_policy


def _welsh() -> bool:
    return (get_language() or "").startswith("cy")


@dataclasses.dataclass
class ProvisionItem:
    provision_id: int
    description: str
    provider: str
    frequency: str
    minutes_per_week: int | None
    location: str
    starts_on: date
    ends_on: date | None
    delivered_in_welsh: bool | None
    rationale: str


@dataclasses.dataclass
class TargetItem:
    number: int
    target_id: int
    outcome: str
    measure: str
    baseline: str
    success_criteria: str
    achieve_by: date | None
    provision: list[ProvisionItem]


@dataclasses.dataclass
class ViewItem:
    view_id: int
    kind: str
    speaker: str
    words: str
    gathered_on: date
    how_gathered: str


@dataclasses.dataclass
class SectionItem:
    key: str
    number: str
    title: str
    title_cy: str
    kind: str
    required: bool
    text: str = ""

    @property
    def display_title(self) -> str:
        return self.title_cy if self.title_cy and _welsh() else self.title

    @property
    def heading(self) -> str:
        return f"{self.number} {self.display_title}" if self.number else self.display_title


@dataclasses.dataclass
class LearnerDetails:
    name: str
    date_of_birth: date
    # None in a family's copy: the identifier is for the school's and authority's records.
    candidate_number: str | None
    home_language: str
    preferred_language: str
    setting_name: str
    year_group: str
    authority_name: str


@dataclasses.dataclass
class CarerItem:
    name: str
    relationship: str
    telephone: str
    email: str
    address: str
    preferred_language: str
    # False in a family's copy: no carer sees another carer's contact details through a plan.
    has_contact_details: bool = True

    @property
    def relationship_label(self) -> str:
        try:
            return str(CarerRelationship(self.relationship).label)
        except ValueError:
            return self.relationship


@dataclasses.dataclass
class SignOff:
    name: str
    role: str
    signed_on: date

    @property
    def role_label(self) -> str:
        try:
            return str(Role(self.role).label)
        except ValueError:
            return self.role


@dataclasses.dataclass
class PlanDocument:
    plan_type_key: str
    type_name: str
    type_name_cy: str
    local_name: str
    local_name_cy: str
    nation: str
    version_number: int
    learner: LearnerDetails
    carers: list[CarerItem]
    sections: list[SectionItem]
    targets: list[TargetItem]
    views: list[ViewItem]
    starts_on: date | None
    next_review_on: date | None
    multi_agency: bool
    lead_professional: str
    sign_off: SignOff | None = None

    @property
    def display_type_name(self) -> str:
        """The authority's own name if it has one, in the language of the page."""
        if self.local_name:
            return self.local_name_cy if self.local_name_cy and _welsh() else self.local_name
        return self.type_name_cy if self.type_name_cy and _welsh() else self.type_name

    @property
    def sign_off_role_label(self) -> str:
        """The signer's role as people in the plan's nation say it (the ALNCo in Wales)."""
        if self.sign_off is None:
            return ""
        try:
            return role_label(self.sign_off.role, self.nation)
        except ValueError:
            return self.sign_off.role

    @property
    def learner_views(self) -> list[ViewItem]:
        return [view for view in self.views if view.kind == ViewKind.LEARNER]

    @property
    def parent_views(self) -> list[ViewItem]:
        return [view for view in self.views if view.kind == ViewKind.PARENT]

    @property
    def all_provision(self) -> list[tuple[TargetItem, ProvisionItem]]:
        return [(target, item) for target in self.targets for item in target.provision]

    @property
    def states_language_of_provision(self) -> bool:
        """Whether each provision says if it is delivered in Welsh (the nation's rule)."""
        return nation_policy(self.nation).provision_language_required

    @property
    def learner_identifier_label(self) -> str:
        return str(nation_policy(self.nation).learner_identifier)

    def for_family(self) -> "PlanDocument":
        """The family's projection of the document: everything the plan says about the child
        and their support, without the learner's candidate number or any carer's contact
        details (a family never sees another carer's address through a plan)."""
        return dataclasses.replace(
            self,
            learner=dataclasses.replace(self.learner, candidate_number=None),
            carers=[
                dataclasses.replace(
                    carer,
                    telephone="",
                    email="",
                    address="",
                    preferred_language="",
                    has_contact_details=False,
                )
                for carer in self.carers
            ],
        )

    def for_school_left(self) -> "PlanDocument":
        """What the school a learner has left reads of a plan it agreed (ADR 0020): what it
        wrote (its written sections, targets, support, dates and sign-off). Not the details
        the plan takes from the record (the learner's, the carers' contact details, the
        nominated school), the family's own words or the lead professional named."""
        return dataclasses.replace(
            self,
            learner=_NO_LEARNER_DETAILS,
            carers=[],
            views=[],
            lead_professional="",
            sections=[section for section in self.sections if section.kind in _SCHOOL_LEFT_READS],
        )

    def section(self, key: str) -> SectionItem | None:
        return next((section for section in self.sections if section.key == key), None)


_SCHOOL_LEFT_READS = frozenset(
    {
        SectionKind.TEXT,
        SectionKind.TARGETS,
        SectionKind.PROVISION,
        SectionKind.PROVIDERS,
        SectionKind.REVIEW_TIMETABLE,
        SectionKind.SIGN_OFF,
    }
)
# In a projection that shows no details of the learner: none are carried.
_NO_LEARNER_DETAILS = LearnerDetails(
    name="",
    date_of_birth=date.min,
    candidate_number=None,
    home_language="",
    preferred_language="",
    setting_name="",
    year_group="",
    authority_name="",
)


# ---------------------------------------------------------------------------------------------
# Building, freezing and reading back


def _learner_details(learner: Learner, plan: Plan) -> LearnerDetails:
    enrolment = learner_current_enrolment(learner)
    return LearnerDetails(
        name=learner.display_name,
        date_of_birth=learner.date_of_birth,
        candidate_number=learner.candidate_number,
        home_language=learner.home_language,
        preferred_language=learner.preferred_language,
        setting_name=enrolment.setting.name if enrolment else "",
        year_group=enrolment.year_group if enrolment else "",
        authority_name=plan.authority.name,
    )


def plan_document_build(plan: Plan) -> PlanDocument:
    """The plan's current content as a document (a few queries, however long the plan)."""
    learner = plan.learner
    plan_type = plan.plan_type
    local_name = LocalPlanTypeName.objects.filter(
        authority_id=plan.authority_id, plan_type=plan_type
    ).first()
    texts = {row.section_id: row.text for row in plan.section_texts.all()}
    sections = [
        SectionItem(
            key=section.key,
            number=section.number,
            title=section.title,
            title_cy=section.title_cy,
            kind=section.kind,
            required=section.required,
            text=texts.get(section.pk, ""),
        )
        for section in PlanSection.objects.filter(plan_type=plan_type).order_by("order")
    ]
    targets = [
        TargetItem(
            number=number,
            target_id=target.pk,
            outcome=target.outcome,
            measure=target.measure,
            baseline=target.baseline,
            success_criteria=target.success_criteria,
            achieve_by=target.achieve_by,
            provision=[
                ProvisionItem(
                    provision_id=item.pk,
                    description=item.description,
                    provider=item.provider_label,
                    frequency=item.frequency,
                    minutes_per_week=item.minutes_per_week,
                    location=item.location,
                    starts_on=item.starts_on,
                    ends_on=item.ends_on,
                    delivered_in_welsh=item.delivered_in_welsh,
                    rationale=item.rationale,
                )
                for item in target.provision.all()
            ],
        )
        for number, target in enumerate(
            plan.targets.prefetch_related("provision").order_by("created_at", "pk"), start=1
        )
    ]
    views = [
        ViewItem(
            view_id=view.pk,
            kind=view.kind,
            speaker=view.speaker,
            words=view.words,
            gathered_on=view.gathered_on,
            how_gathered=view.how_gathered,
        )
        for view in plan.views.all()
    ]
    carers = [
        CarerItem(
            name=link.carer.full_name,
            relationship=link.relationship,
            telephone=link.carer.telephone,
            email=link.carer.email,
            address=link.carer.address,
            preferred_language=link.carer.preferred_language,
        )
        for link in learner.carer_links.select_related("carer").order_by("pk")
    ]
    return PlanDocument(
        plan_type_key=plan_type.key,
        type_name=plan_type.name,
        type_name_cy=plan_type.name_cy,
        local_name=local_name.name if local_name else "",
        local_name_cy=local_name.name_cy if local_name else "",
        nation=plan.authority.nation.code,
        version_number=plan.version_number,
        learner=_learner_details(learner, plan),
        carers=carers,
        sections=sections,
        targets=targets,
        views=views,
        starts_on=plan.starts_on,
        next_review_on=plan.next_review_on,
        multi_agency=plan.multi_agency,
        lead_professional=plan.lead_professional,
    )


def _to_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_to_json(item) for item in value]
    return value


def plan_document_dump(document: PlanDocument) -> dict[str, Any]:
    return _to_json(dataclasses.asdict(document))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def plan_document_load(data: dict[str, Any]) -> PlanDocument:
    """Reads a frozen version back into a document."""
    learner = dict(data["learner"])
    learner["date_of_birth"] = date.fromisoformat(learner["date_of_birth"])
    targets = []
    for target in data["targets"]:
        provision = [
            ProvisionItem(
                **{
                    **item,
                    "starts_on": date.fromisoformat(item["starts_on"]),
                    "ends_on": _date(item["ends_on"]),
                }
            )
            for item in target["provision"]
        ]
        targets.append(
            TargetItem(
                **{**target, "achieve_by": _date(target["achieve_by"]), "provision": provision}
            )
        )
    sign_off = data.get("sign_off")
    return PlanDocument(
        **{
            **data,
            "learner": LearnerDetails(**learner),
            "carers": [CarerItem(**carer) for carer in data["carers"]],
            "sections": [SectionItem(**section) for section in data["sections"]],
            "targets": targets,
            "views": [
                ViewItem(**{**view, "gathered_on": date.fromisoformat(view["gathered_on"])})
                for view in data["views"]
            ],
            "starts_on": _date(data["starts_on"]),
            "next_review_on": _date(data["next_review_on"]),
            "sign_off": (
                SignOff(**{**sign_off, "signed_on": date.fromisoformat(sign_off["signed_on"])})
                if sign_off
                else None
            ),
        }
    )


# ---------------------------------------------------------------------------------------------
# Completeness: what stops a plan being finalised, each problem naming its section


def _section_name(section: SectionItem) -> str:
    if section.number:
        return _("section %(number)s, “%(title)s”") % {
            "number": section.number,
            "title": section.display_title,
        }
    return _("“%(title)s”") % {"title": section.display_title}


TARGET_MEASURE = "target_measure"
TARGET_DATE = "target_date"


def finalise_problems_by_kind(document: PlanDocument) -> list[tuple[str, str]]:
    """(what is missing, message) for every reason the plan cannot yet be finalised.

    What is missing is a section kind, or TARGET_MEASURE / TARGET_DATE, so the cycle can tell
    which step the work belongs to without reading the (translated) message.
    """
    problems: list[tuple[str, str]] = []
    for target in document.targets:
        if not target.measure.strip():
            problems.append(
                (
                    TARGET_MEASURE,
                    _("Target %(number)s has no measure: say how progress will be measured.")
                    % {"number": target.number},
                )
            )
        if target.achieve_by is None:
            problems.append(
                (
                    TARGET_DATE,
                    _("Target %(number)s has no date: say when it should be achieved by.")
                    % {"number": target.number},
                )
            )
    for section in document.sections:
        if not section.required:
            continue
        message = _section_problem(document, section)
        if message:
            problems.append((section.kind, message))
    return problems


def finalise_problems(document: PlanDocument) -> list[str]:
    """Every reason the plan cannot yet be finalised, in the order of the plan."""
    return [message for _kind, message in finalise_problems_by_kind(document)]


def _section_problem(document: PlanDocument, section: SectionItem) -> str:
    name = _section_name(section)
    kind = section.kind
    if kind == SectionKind.TEXT and not section.text.strip():
        return _("Complete %(section)s.") % {"section": name}
    if kind == SectionKind.SETTING and not document.learner.setting_name:
        return _("%(section)s needs the learner to be enrolled at a school.") % {"section": name}
    if kind == SectionKind.TARGETS and not document.targets:
        return _("Add at least one target to %(section)s.") % {"section": name}
    if kind == SectionKind.PROVISION:
        for target in document.targets:
            if not target.provision:
                return _("Add the support for target %(number)s in %(section)s.") % {
                    "number": target.number,
                    "section": name,
                }
    if kind == SectionKind.PROVIDERS and document.targets and not document.all_provision:
        return _("Add support provision so that %(section)s names who provides it.") % {
            "section": name
        }
    if kind == SectionKind.LEARNER_VIEWS and not document.learner_views:
        return _("Record the child's or young person's views in %(section)s.") % {"section": name}
    if kind == SectionKind.PARENT_VIEWS and not document.parent_views:
        return _("Record the parents' or carers' views in %(section)s.") % {"section": name}
    if (
        kind == SectionKind.LEAD_PROFESSIONAL
        and document.multi_agency
        and not document.lead_professional.strip()
    ):
        return _("Name the lead professional for this multi-agency plan in %(section)s.") % {
            "section": name
        }
    if kind == SectionKind.REVIEW_TIMETABLE and (
        document.starts_on is None or document.next_review_on is None
    ):
        return _("Set the start date and the next review date in %(section)s.") % {"section": name}
    return ""


# ---------------------------------------------------------------------------------------------
# Comparison of two versions, section by section


def _lines(document: PlanDocument, section: SectionItem) -> list[str]:
    kind = section.kind
    if kind == SectionKind.TEXT:
        return [line for line in section.text.splitlines() if line.strip()]
    if kind == SectionKind.TARGETS:
        lines = []
        for target in document.targets:
            lines.append(f"{target.number}. {target.outcome}")
            lines.append(_("Measure: %(text)s") % {"text": target.measure})
            lines.append(_("Baseline: %(text)s") % {"text": target.baseline})
            lines.append(_("Success criteria: %(text)s") % {"text": target.success_criteria})
            lines.append(
                _("By: %(date)s")
                % {"date": target.achieve_by.isoformat() if target.achieve_by else "—"}
            )
        return lines
    if kind in (SectionKind.PROVISION, SectionKind.PROVIDERS):
        return [
            _(
                "Target %(number)s: %(what)s — %(who)s, %(often)s, %(minutes)s minutes a week,"
                " from %(start)s"
            )
            % {
                "number": target.number,
                "what": item.description,
                "who": item.provider,
                "often": item.frequency,
                "minutes": item.minutes_per_week if item.minutes_per_week is not None else "—",
                "start": item.starts_on.isoformat(),
            }
            for target, item in document.all_provision
        ]
    if kind in (SectionKind.LEARNER_VIEWS, SectionKind.PARENT_VIEWS):
        views = (
            document.learner_views if kind == SectionKind.LEARNER_VIEWS else document.parent_views
        )
        return [f"{view.speaker}: {view.words}" for view in views]
    if kind == SectionKind.LEAD_PROFESSIONAL:
        return [document.lead_professional] if document.lead_professional else []
    if kind == SectionKind.REVIEW_TIMETABLE:
        return [
            _("Starts: %(date)s")
            % {"date": document.starts_on.isoformat() if document.starts_on else "—"},
            _("Next review: %(date)s")
            % {"date": document.next_review_on.isoformat() if document.next_review_on else "—"},
        ]
    if kind == SectionKind.SIGN_OFF and document.sign_off:
        return [
            f"{document.sign_off.name}, {document.sign_off_role_label}, "
            f"{document.sign_off.signed_on.isoformat()}"
        ]
    if kind == SectionKind.SETTING:
        return [document.learner.setting_name]
    if kind == SectionKind.LEARNER_DETAILS:
        return [document.learner.name, document.learner.preferred_language]
    if kind == SectionKind.CARER_DETAILS:
        return [f"{carer.name} ({carer.relationship_label})" for carer in document.carers]
    return []


@dataclasses.dataclass
class ComparedSection:
    heading: str
    left: list[str]
    right: list[str]

    @property
    def changed(self) -> bool:
        return self.left != self.right


def plan_documents_compare(left: PlanDocument, right: PlanDocument) -> list[ComparedSection]:
    """Each section of the later document beside the same section of the earlier one."""
    compared = []
    for section in right.sections:
        earlier = left.section(section.key)
        compared.append(
            ComparedSection(
                heading=section.heading,
                left=_lines(left, earlier) if earlier else [],
                right=_lines(right, section),
            )
        )
    return compared
