"""A learner moves to another school, in the same authority or another (ADR 0020).

The move is recorded by those who manage the record where the learner is now (the school's
support-for-learning lead or head, or the authority's officer): they know the learner is
leaving, and the receiving school cannot yet see the learner to enrol them. On the day of the
move the record changes hands through the ordinary scopes alone: the sending school's enrolment
and its staff's links end the day before, the receiving school's enrolment starts that day. The
sending school keeps only, for settings.SENDING_SCHOOL_ACCESS_DAYS, what its own staff wrote,
through the second door of learners/access.py (records_written_here_for).
"""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.learners.access import (
    learners_whose_parents_see,
    require_for_learner,
    sending_school_access_ends,
)
from stagewise.learners.models import (
    Enrolment,
    Learner,
    LearnerCarer,
    LearnerMove,
    StaffRelationship,
    Transition,
    TransitionKind,
)
from stagewise.notifications.models import NotificationKind
from stagewise.notifications.services import Notice, notifications_create
from stagewise.organisations.models import Nation, Setting
from stagewise.policy import Capability, SystemProcess

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor


def _day(day: date) -> str:
    return date_format(day, "j F Y")


@transaction.atomic
def learner_move(
    *,
    actor: "Actor | SystemProcess | None",
    learner: Learner,
    to_setting: Setting,
    moved_on: date,
    year_group: str,
    reason: str,
) -> LearnerMove:
    """End the learner's current enrolment the day before `moved_on` and enrol them at
    `to_setting` from that day; end the links of the staff around them; tell the family."""
    require_for_learner(actor, Capability.MOVE_LEARNERS, learner, "record move")
    # Locking the learner makes two moves recorded at the same moment queue, not overlap.
    Learner.objects.select_for_update().get(pk=learner.pk)
    current = (
        Enrolment.objects.current()
        .filter(learner=learner)
        .select_related("setting__authority")
        .order_by("-started_on", "-pk")
        .first()
    )
    if current is None:
        raise ValidationError(_("The learner has no current school to move from."))
    if Enrolment.objects.filter(learner=learner, started_on__gt=current.started_on).exists():
        raise ValidationError(
            _("A move to another school is already recorded for this learner."),
        )
    if to_setting.pk == current.setting_id:
        raise ValidationError(
            {"to_setting": _("Choose a school other than the one the learner attends now.")}
        )
    if moved_on <= current.started_on:
        raise ValidationError(
            {
                "moved_on": _(
                    "The date of the move must be after %(day)s, when the learner started at"
                    " %(school)s."
                )
                % {"day": _day(current.started_on), "school": current.setting.display_name}
            }
        )
    day_before = moved_on - timedelta(days=1)
    move = LearnerMove(
        learner=learner,
        from_setting=current.setting,
        to_setting=to_setting,
        moved_on=moved_on,
        reason=reason,
        recorded_by=getattr(actor, "user", None),
    )
    move.full_clean(exclude=["recorded_by", "acknowledged_by"])
    arriving = Enrolment(
        learner=learner, setting=to_setting, year_group=year_group, started_on=moved_on
    )
    arriving.full_clean()
    if current.ended_on is None or current.ended_on > day_before:
        current.ended_on = day_before
        current.save(update_fields=["ended_on"])
    arriving.save()
    move.save()
    # Every link in force when the learner leaves ends with the enrolment: the receiving school
    # names its own class teacher and named person.
    links_ended = (
        StaffRelationship.objects.filter(learner=learner, started_on__lte=day_before)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day_before))
        .update(ended_on=day_before)
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="learner_move",
        object_id=str(move.public_id),
        purpose="record move",
        changes={
            "setting": [current.setting.name, to_setting.name],
            "moved_on": [None, moved_on.isoformat()],
            "year_group": [current.year_group, year_group],
        },
        detail={"staff_links_ended": links_ended},
    )
    _tell_family(move)
    return move


def learner_arrival_acknowledge(
    *, actor: "Actor | SystemProcess | None", learner: Learner
) -> list[LearnerMove]:
    """A leader of the receiving school has opened the learner's moves: the arrivals into their
    school leave its leaders' work queue. Returns the moves acknowledged (often none)."""
    require_for_learner(actor, Capability.MOVE_LEARNERS, learner, "read new arrival")
    membership = getattr(actor, "membership", None)
    setting_id = membership.setting_id if membership is not None else None
    if setting_id is None:
        return []
    waiting = list(
        LearnerMove.objects.filter(
            learner=learner,
            to_setting_id=setting_id,
            acknowledged_at__isnull=True,
            moved_on__lte=timezone.localdate(),
        )
    )
    if not waiting:
        return []
    now = timezone.now()
    user = getattr(actor, "user", None)
    LearnerMove.objects.filter(pk__in=[move.pk for move in waiting]).update(
        acknowledged_at=now, acknowledged_by=user
    )
    for move in waiting:
        move.acknowledged_at = now
        move.acknowledged_by = user
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            learner=learner,
            object_type="learner_move",
            object_id=str(move.public_id),
            purpose="read new arrival",
            changes={"acknowledged": [False, True]},
        )
    return waiting


def _moved_body() -> str:
    """What the family is told, in the language active: whether the school the learner leaves
    keeps, for a while, what its staff wrote (settings.SENDING_SCHOOL_ACCESS_DAYS)."""
    if settings.SENDING_SCHOOL_ACCESS_DAYS > 0:
        return _(
            "%(name)s moves from %(from)s to %(to)s on %(day)s.\n\nFrom that day %(to)s has"
            " the record and the current plans. Until %(until)s, staff at %(from)s can read"
            " only what they wrote about %(name)s while at %(from)s; after that they no longer"
            " see the record. Contact %(to)s if you have questions about the support there."
        )
    return _(
        "%(name)s moves from %(from)s to %(to)s on %(day)s.\n\nFrom that day"
        " %(to)s has the record and the current plans, and staff at %(from)s no"
        " longer see them. Contact %(to)s if you have questions about the"
        " support there."
    )


def _tell_family(move: LearnerMove) -> None:
    """A notice to each family member with an account, in their language: the new school and
    the date. The subject names no learner (it is what the email digest lists)."""
    learner = move.learner
    people: list[tuple[int, str]] = list(
        LearnerCarer.objects.filter(
            learner_id__in=learners_whose_parents_see([learner.pk]),
            portal_access=True,
            carer__user__isnull=False,
        ).values_list("carer__user_id", "carer__user__preferred_language")
    )
    account = learner.young_person_account
    if account is not None:
        people.append((account.pk, account.preferred_language))
    link = reverse("learners:profile", args=[learner.public_id])
    notices: list[Notice] = []
    for user_id, language in people:
        with translation.override(language or "en"):
            notices.append(
                Notice(
                    recipient_id=user_id,
                    dedupe_key=f"learner-moved:{move.public_id}:{user_id}",
                    kind=NotificationKind.LEARNER_MOVED,
                    subject=_("A move to a new school has been recorded"),
                    body=_moved_body()
                    % {
                        "name": learner.display_name,
                        "from": move.from_setting.display_name,
                        "to": move.to_setting.display_name,
                        "day": _day(move.moved_on),
                        "until": _day(sending_school_access_ends(move.moved_on)),
                    },
                    link_url=link,
                    learner_id=learner.pk,
                )
            )
    notifications_create(notices=notices)


# The clocks planning a Scottish learner's leaving school starts: both count back from the
# expected leaving date (statutory/data/statutory_timescales.json, direction "back").
LEAVING_SCHOOL_CLOCKS = {
    Nation.SCOTLAND: ("scotland.leaving_seek_views", "scotland.leaving_share_information"),
}


@transaction.atomic
def transition_plan(
    *,
    actor: "Actor | SystemProcess | None",
    learner: Learner,
    kind: str,
    planned_on: date,
    plan: str,
    family_part: str = "",
) -> Transition:
    """Record a planned transition. For leaving school, start the statutory clocks that count
    back from the leaving date, so that seeking views (12 months before) and sharing information
    (6 months before) reach the authority's work queue and reminders."""
    require_for_learner(actor, Capability.PLAN_TRANSITIONS, learner, "plan transition")
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": _("The planned date must be today or later.")})
    transition = Transition(
        learner=learner,
        kind=kind,
        planned_on=planned_on,
        plan=plan,
        family_part=family_part,
        recorded_by=getattr(actor, "user", None),
    )
    transition.full_clean(exclude=["recorded_by"])
    transition.save()
    clocks: list[str] = []
    if kind == TransitionKind.LEAVING_SCHOOL:
        assert actor is not None  # a missing actor was refused above
        clocks = _start_leaving_clocks(actor, learner, planned_on)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        learner=learner,
        object_type="transition",
        object_id=str(transition.public_id),
        purpose="plan transition",
        changes={"kind": [None, kind], "planned_on": [None, planned_on.isoformat()]},
        detail={"clocks_started": clocks},
    )
    return transition


def _start_leaving_clocks(
    actor: "Actor | SystemProcess", learner: Learner, leaving_on: date
) -> list[str]:
    # Imported here: the statutory services read the learner's enrolment through this package.
    from stagewise.statutory.services import process_start

    enrolment = (
        Enrolment.objects.current()
        .filter(learner=learner)
        .select_related("setting__authority__nation")
        .first()
    )
    nation_code = enrolment.setting.authority.nation.code if enrolment else ""
    started = []
    for rule_key in LEAVING_SCHOOL_CLOCKS.get(nation_code, ()):
        try:
            process_start(
                actor=actor,
                learner=learner,
                rule_key=rule_key,
                started_on=leaving_on,
                reason=_("Planned leaving school on %(day)s.") % {"day": _day(leaving_on)},
            )
        except ValidationError as refused:
            # The clock's own fields are not on the transition's form: say why as a whole.
            raise ValidationError(refused.messages) from None
        started.append(rule_key)
    return started
