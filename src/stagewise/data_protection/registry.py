"""Every kind of record Stagewise holds about a learner, as one registry (ADR 0032).

The subject access export and the retention schedules (ADR 0033) both read it, so a record type
is exported and given a schedule by being named here once. A model that reaches a learner by a
foreign key (directly, or through another record of theirs) and is named neither here nor in
`NOT_EXPORTED` fails data_protection/tests/test_registry.py: a new model cannot be silently left
out of what a learner is told is held about them.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    """A part of the export: the records a reader would expect to find together."""

    key: str
    title: Promise


IDENTITY = Section("identity", _("Identity and family"))
ENROLMENTS = Section("enrolments", _("Schools, staff and moves"))
NEEDS = Section("needs", _("Needs, stages and wellbeing"))
PLANS = Section("plans", _("Plans, their versions, targets and reviews"))
VIEWS = Section("views", _("Views and meetings"))
REQUESTS = Section("requests", _("Requests for assistance and consents"))
RIGHTS = Section("rights", _("Rights requests and disagreements"))
OUTCOMES = Section("outcomes", _("Outcome records"))
NOTIFICATIONS = Section("notifications", _("Notifications about the learner"))
ACCESS = Section("access", _("Who accessed the record"))

SECTIONS = (
    IDENTITY,
    ENROLMENTS,
    NEEDS,
    PLANS,
    VIEWS,
    REQUESTS,
    RIGHTS,
    OUTCOMES,
    NOTIFICATIONS,
    ACCESS,
)


@dataclass(frozen=True)
class RecordType:
    """One model's records about a learner.

    `learner_path` is the lookup from the model to the learner ("" for the learner itself);
    `closed_field` the date (or time) a record of this type closes, where it has one, from which
    a retention schedule may count; `omitted` fields that are not about the learner (a member of
    staff's network address), each kept out of the export on purpose.
    """

    label: str  # "planning.Plan"
    section: Section
    learner_path: str
    closed_field: str = ""
    omitted: tuple[str, ...] = ()

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)

    @property
    def file_name(self) -> str:
        return f"{self.label.lower()}.json"

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name_plural).capitalize()

    def records_of(self, learner_ids: object) -> QuerySet:
        """Records of these learners (a list or a queryset of learner ids)."""
        lookup = f"{self.learner_path}__in" if self.learner_path else "pk__in"
        return self.model._default_manager.filter(**{lookup: learner_ids})

    @property
    def learner_id_lookup(self) -> str:
        """What `values()` names to give each record's learner id."""
        return self.learner_path or "pk"


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType("learners.Learner", IDENTITY, ""),
    RecordType("learners.LearnerCarer", IDENTITY, "learner"),
    RecordType("learners.Carer", IDENTITY, "learner_links__learner"),
    RecordType("learners.ParentSharingDecision", IDENTITY, "learner"),
    # An enrolment's copies of its setting's authority and its learner's names, kept for the
    # learner lists' indexes (ADR 0050), say nothing the setting and the identity do not.
    RecordType(
        "learners.Enrolment",
        ENROLMENTS,
        "learner",
        closed_field="ended_on",
        omitted=(
            "authority",
            "learner_sort_last_name",
            "learner_sort_first_name",
            "learner_search_name",
        ),
    ),
    RecordType("learners.StaffRelationship", ENROLMENTS, "learner", closed_field="ended_on"),
    RecordType("learners.LearnerMove", ENROLMENTS, "learner", closed_field="moved_on"),
    # A signed record received from another organisation, as it was sent (ADR 0053).
    RecordType("transfers.ReceivedTransfer", ENROLMENTS, "learner"),
    RecordType("learners.Transition", ENROLMENTS, "learner", closed_field="planned_on"),
    RecordType("families.TransitionFamilyPart", ENROLMENTS, "transition__learner"),
    RecordType("learners.Need", NEEDS, "learner", closed_field="resolved_on"),
    RecordType("learners.StageDecision", NEEDS, "learner"),
    # A moderator's view of a stage or plan decision (ADR 0046); who moderated is kept out, as
    # the deciding school is not told either.
    RecordType(
        "moderation.ModerationCase",
        NEEDS,
        "learner",
        omitted=("moderator", "considered_by", "considered_by_label"),
    ),
    RecordType("learners.WellbeingAssessment", NEEDS, "learner"),
    RecordType("learners.WellbeingRating", NEEDS, "assessment__learner"),
    RecordType("learners.ChronologyEntry", NEEDS, "learner"),
    RecordType("statutory.StatutoryProcess", NEEDS, "learner", closed_field="closed_on"),
    RecordType("statutory.ProcessEvent", NEEDS, "process__learner"),
    # The authority's consideration of a looked-after child for a co-ordinated support plan
    # (ADR 0049): who considered is the authority's officer, named as on the record's page.
    RecordType("statutory.CoordinatedSupportPlanConsideration", NEEDS, "learner"),
    RecordType("planning.Plan", PLANS, "learner", closed_field="closed_on"),
    RecordType("planning.PlanSectionText", PLANS, "plan__learner"),
    RecordType("planning.PlanVersion", PLANS, "plan__learner"),
    RecordType("planning.Target", PLANS, "plan__learner"),
    RecordType("planning.SupportProvision", PLANS, "target__plan__learner"),
    RecordType("planning.PlanReview", PLANS, "plan__learner"),
    RecordType("planning.TargetReview", PLANS, "review__plan__learner"),
    RecordType("planning.PlanCommunication", PLANS, "plan__learner"),
    RecordType("planning.PlanResponse", PLANS, "plan__learner"),
    RecordType("planning.PlanResponseRead", PLANS, "response__plan__learner"),
    RecordType("planning.PlanView", VIEWS, "plan__learner"),
    RecordType("families.ReviewViewsInvitation", VIEWS, "plan__learner"),
    RecordType("families.ReviewViewsInvitee", VIEWS, "invitation__plan__learner"),
    RecordType("families.ReviewViewsAnswer", VIEWS, "invitation__plan__learner"),
    RecordType("families.ReviewFeedback", VIEWS, "review__plan__learner"),
    RecordType("coordination.Meeting", VIEWS, "learner", closed_field="held_on"),
    RecordType("coordination.MeetingInvitee", VIEWS, "meeting__learner"),
    RecordType("coordination.MeetingViews", VIEWS, "meeting__learner"),
    RecordType("coordination.MeetingAction", VIEWS, "meeting__learner"),
    RecordType("coordination.MeetingEvent", VIEWS, "meeting__learner"),
    RecordType(
        "coordination.RequestForAssistance", REQUESTS, "learner", closed_field="completed_on"
    ),
    RecordType("coordination.SharingConsent", REQUESTS, "request__learner"),
    RecordType("coordination.RequestEvent", REQUESTS, "request__learner"),
    RecordType("coordination.RequestAttachment", REQUESTS, "request__learner"),
    RecordType("coordination.Contribution", REQUESTS, "learner"),
    RecordType("families.RightsRequest", RIGHTS, "learner", closed_field="decided_on"),
    RecordType("families.CapacityAssessment", RIGHTS, "learner"),
    RecordType("disagreements.Disagreement", RIGHTS, "learner", closed_field="closed_on"),
    RecordType("disagreements.DisagreementStep", RIGHTS, "disagreement__learner"),
    RecordType("measurement.AttendanceRecord", OUTCOMES, "learner"),
    RecordType("measurement.Exclusion", OUTCOMES, "learner"),
    RecordType("measurement.PartTimeTimetable", OUTCOMES, "learner"),
    RecordType("measurement.MainstreamTime", OUTCOMES, "learner"),
    RecordType("measurement.CurriculumJudgement", OUTCOMES, "learner"),
    RecordType("measurement.Qualification", OUTCOMES, "learner"),
    RecordType("measurement.LeaverDestination", OUTCOMES, "learner"),
    # The learner's row in the measures' working tables, as the last refresh derived it.
    RecordType("measurement.LearnerYear", OUTCOMES, "learner"),
    RecordType("measurement.LearnerYearReason", OUTCOMES, "learner_year__learner"),
    RecordType("measurement.LearnerYearContribution", OUTCOMES, "learner_year__learner"),
    RecordType("notifications.Notification", NOTIFICATIONS, "learner", closed_field="created_at"),
    # Who accessed the record: who, in what role and organisation, when and what. The member of
    # staff's network address is theirs, not the learner's; the audit key stays inside.
    RecordType(
        "audit.AuditEvent",
        ACCESS,
        # Through the learner's audit key (ADR 0033): erased with the learner, after which the
        # events lead to no one.
        "learner_key__learner",
        closed_field="occurred_at",
        omitted=("ip_address", "learner_key"),
    ),
)

# Models that reach a learner but are not exported, each with the reason.
NOT_EXPORTED: dict[str, str] = {
    "audit.LearnerAuditKey": (
        "The pseudonym under which the access trail exported here names the learner (ADR 0033); "
        "a copy outside Stagewise would tie the trail back to the learner once they are erased."
    ),
    "data_protection.RetentionDue": (
        "The daily retention report's own rows: which of the records exported here are due "
        "for review, rebuilt each day; it holds nothing about the learner beyond that."
    ),
    "planning.PrintedPlan": (
        "Stored PDF copies of finalised plan versions (ADR 0034), printed from the plan versions "
        "exported here, word for word; the copy itself adds nothing about the learner."
    ),
}


@dataclass(frozen=True)
class RecordTypeAboutNoOneLearner:
    """Records that hold personal data but reach no learner by a key, so they can be neither
    exported for one learner nor erased with them: a roll import's file and report hold pupils'
    details as a school's system wrote them (ADR 0052). Each has a retention schedule like every
    record type here, and Stagewise itself removes what has passed it: the daily retention review
    calls `expire` (a dotted path to a function taking `actor`, `kept_for_years` and `today`)."""

    label: str
    expire: str


ABOUT_NO_ONE_LEARNER: tuple[RecordTypeAboutNoOneLearner, ...] = (
    RecordTypeAboutNoOneLearner(
        "roll_imports.RollImport", "stagewise.roll_imports.services.roll_imports_expire"
    ),
    # The ids a webhook sent and how its receiver answered (ADR 0054), with their attempts.
    RecordTypeAboutNoOneLearner(
        "webhooks.WebhookDelivery", "stagewise.webhooks.services.webhook_deliveries_expire"
    ),
)

RECORD_TYPES_BY_LABEL = {record_type.label: record_type for record_type in RECORD_TYPES}


def record_type(label: str) -> RecordType:
    return RECORD_TYPES_BY_LABEL[label]
