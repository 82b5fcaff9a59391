"""Every write to the action plans: loading the published plans (Stagewise itself), and a policy
officer's tracking of the actions they track (actionplans/selectors.trackable_actions): progress
updates, status changes with a reason, evidence, linked measures. A local authority officer adds
their own authority's local actions (ADR 0043), and tracks them through the same services: each
takes a national or a local action, and guards, stores and audits it as its kind needs. Each
guards itself, validates before it writes, writes in one transaction and is audited."""

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagewise.actionplans.models import (
    Action,
    ActionMeasure,
    ActionPlan,
    ActionStatus,
    Evidence,
    LocalAction,
    LocalEvidence,
    LocalProgressUpdate,
    LocalStatusChange,
    ProgressReport,
    ProgressUpdate,
    ReportState,
    ReviewRecommendation,
    StatusChange,
    Theme,
)
from stagewise.actionplans.progress_reports import plans_for_period, report_contents
from stagewise.actionplans.selectors import (
    authority_of,
    body_of,
    makes_progress_reports,
    tracks_action,
)
from stagewise.actionplans.timeframes import timeframe_range
from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.coordination.services.attachments import attachment_check
from stagewise.measurement.models import Measure
from stagewise.organisations.models import LocalAuthority, Nation, NationalBody
from stagewise.policy import Capability, CapabilityRequired, SystemProcess, require

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

# A national action or a local authority's own: tracked by the same services.
type Tracked = Action | LocalAction

PUBLISHED_PLANS = Path(__file__).parent / "data" / "published_plans.json"
WEB_SCHEMES = ("http", "https")


def _require_stagewise_itself(actor: object) -> None:
    """The published plans are loaded from the data file by Stagewise's own commands only."""
    if not isinstance(actor, SystemProcess):
        raise PermissionDenied("Only Stagewise itself loads the published action plans.")


def _require_tracks(actor: "Actor | SystemProcess | None", action: "Tracked") -> None:
    """A national action: a policy officer whose body tracks it. A local action: an officer of
    its own authority."""
    if isinstance(action, LocalAction):
        _require_keeps_local_plan(actor, action.authority)
        return
    require(actor, Capability.TRACK_ACTION_PLANS)
    if isinstance(actor, SystemProcess):
        return
    if not tracks_action(actor, action):
        raise CapabilityRequired(Capability.TRACK_ACTION_PLANS)


def _require_keeps_local_plan(
    actor: "Actor | SystemProcess | None", authority: LocalAuthority
) -> None:
    require(actor, Capability.KEEP_LOCAL_ACTION_PLAN)
    if isinstance(actor, SystemProcess):
        return
    kept = authority_of(actor)
    if kept is None or kept.pk != authority.pk:
        raise CapabilityRequired(Capability.KEEP_LOCAL_ACTION_PLAN)


def _who(actor: "Actor | SystemProcess | None") -> dict[str, Any]:
    """The person who acted and how the history names them: their name and role at their body."""
    if isinstance(actor, SystemProcess) or actor is None:
        return {"recorded_by": None, "recorded_by_label": "Stagewise"}
    return {
        "recorded_by": actor.user,
        "recorded_by_label": f"{actor.user.full_name}, {actor.label}",
    }


def _audit(actor: Any, action: "Tracked", what: str, changes: dict[str, Any]) -> None:
    if isinstance(action, LocalAction):
        object_type, purpose = "local_action", f"keep local action plan: {what}"
        detail = {"authority": action.authority.code, "reference": action.reference}
    else:
        object_type, purpose = "action_plan_action", f"track action plan: {what}"
        detail = {"plan": action.plan.code, "number": action.number}
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if what not in ("status",) else AuditAction.UPDATE,
        object_type=object_type,
        object_id=str(action.pk),
        purpose=purpose,
        changes=changes,
        detail=detail,
    )


# Loading the published plans --------------------------------------------------------------------


@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, was_created: bool) -> None:
        self.created[kind] = self.created.get(kind, 0) + int(was_created)

    def describe(self) -> str:
        made = ", ".join(f"{count} {kind}" for kind, count in self.created.items() if count)
        return f"Published action plans loaded: {made or 'nothing new'}."


@transaction.atomic
def published_plans_load(*, actor: SystemProcess, path: Path = PUBLISHED_PLANS) -> LoadResult:
    """Create whatever of the published plans (bodies, plans, themes, recommendations, actions and
    their published updates) is not there yet; change nothing that is, so that loading twice
    creates nothing twice and never undoes a policy officer's tracking."""
    _require_stagewise_itself(actor)
    data = json.loads(path.read_text(encoding="utf-8"))
    scotland = Nation.objects.get(code=Nation.SCOTLAND)
    result = LoadResult()
    bodies = {}
    for spec in data["bodies"]:
        bodies[spec["code"]], made = NationalBody.objects.get_or_create(
            code=spec["code"],
            defaults={
                "nation": scotland,
                "name": spec["name"],
                "name_cy": spec["name_cy"],
                "kind": spec["kind"],
            },
        )
        result.count("bodies", made)
    recommendations = {}
    for spec in data["recommendations"]:
        recommendations[spec["number"]], made = ReviewRecommendation.objects.get_or_create(
            nation=scotland, number=spec["number"], defaults={"title": spec["title"]}
        )
        result.count("recommendations", made)
    for spec in data["plans"]:
        _load_plan(spec, scotland, bodies, recommendations, result)
    if any(result.created.values()):
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="action_plans",
            purpose="load the published action plans",
            detail={"created": result.created, "version": data["version"]},
        )
    return result


def _load_plan(
    spec: dict[str, Any],
    nation: Nation,
    bodies: dict[str, NationalBody],
    recommendations: dict[str, ReviewRecommendation],
    result: LoadResult,
) -> None:
    published_on = date.fromisoformat(spec["published_on"])
    plan, made = ActionPlan.objects.get_or_create(
        code=spec["code"],
        defaults={
            "nation": nation,
            "title": spec["title"],
            "summary": spec["summary"],
            "publisher": spec["publisher"],
            "source_url": spec["source_url"],
            "published_as": spec["published_as"],
            "published_on": published_on,
            "publication_date_basis": spec["publication_date_basis"],
        },
    )
    result.count("plans", made)
    themes = {}
    for position, theme_spec in enumerate(spec["themes"]):
        themes[theme_spec["title"]], made = Theme.objects.get_or_create(
            plan=plan,
            title=theme_spec["title"],
            defaults={
                "number": theme_spec["number"],
                "introduction": theme_spec["introduction"],
                "position": position,
            },
        )
        result.count("themes", made)
    for position, action_spec in enumerate(spec["actions"]):
        starts_on, ends_on = timeframe_range(action_spec["timeframe"], published_on=published_on)
        action, made = Action.objects.get_or_create(
            plan=plan,
            number=action_spec["number"],
            defaults={
                "theme": themes[action_spec["theme"]],
                "text": action_spec["text"],
                "recommendation": recommendations.get(action_spec["recommendation"] or ""),
                "bodies_named_in": action_spec["bodies_named_in"],
                "timeframe": action_spec["timeframe"],
                "timeframe_starts_on": starts_on,
                "timeframe_ends_on": ends_on,
                "status": action_spec["status"],
                "position": position,
            },
        )
        result.count("actions", made)
        if made:
            action.full_clean()
            action.responsible_bodies.set(
                [bodies[code] for code in action_spec["responsible_bodies"]]
            )
        if action_spec["progress_update"]:
            _update, made = ProgressUpdate.objects.get_or_create(
                action=action,
                published_in=plan,
                defaults={
                    "written_on": published_on,
                    "text": action_spec["progress_update"],
                    "recorded_by_label": plan.publisher,
                },
            )
            result.count("published updates", made)


# A policy officer's tracking, and a local authority officer's ------------------------------------


@transaction.atomic
def progress_update_add(
    *, actor: "Actor | SystemProcess | None", action: "Tracked", written_on: date, text: str
) -> ProgressUpdate | LocalProgressUpdate:
    _require_tracks(actor, action)
    fields = {"written_on": written_on, "text": text.strip(), **_who(actor)}
    update = (
        LocalProgressUpdate(action=action, **fields)
        if isinstance(action, LocalAction)
        else ProgressUpdate(action=action, **fields)
    )
    update.full_clean()
    update.save()
    _audit(actor, action, "progress update", {"written_on": [None, written_on.isoformat()]})
    return update


@transaction.atomic
def action_status_change(
    *,
    actor: "Actor | SystemProcess | None",
    action: "Tracked",
    status: str,
    reason: str,
    changed_on: date | None = None,
) -> StatusChange | LocalStatusChange:
    _require_tracks(actor, action)
    local = isinstance(action, LocalAction)
    locked = (LocalAction if local else Action).objects.select_for_update().get(pk=action.pk)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose the action's new status.")})
    if status == locked.status:
        raise ValidationError(
            {"status": _("The action already has that status: choose a different one.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Enter the reason for changing the status.")})
    fields = {
        "changed_on": changed_on or timezone.localdate(),
        "from_status": locked.status,
        "to_status": status,
        "reason": reason.strip(),
        **_who(actor),
    }
    change = (
        LocalStatusChange(action=locked, **fields)
        if isinstance(locked, LocalAction)
        else StatusChange(action=locked, **fields)
    )
    change.full_clean()
    change.save()
    locked.status = status
    locked.save(update_fields=["status"])
    action.status = status
    _audit(actor, locked, "status", {"status": [change.from_status, status]})
    return change


def evidence_add(
    *,
    actor: "Actor | SystemProcess | None",
    action: "Tracked",
    title: str,
    web_address: str = "",
    upload: File | None = None,
) -> Evidence | LocalEvidence:
    """Link a web address (http or https only) or a file of a type Stagewise accepts, not both.
    A file is checked before anything is stored; if recording it then fails, the stored copy is
    deleted again (as coordination/services/attachments.py does)."""
    _require_tracks(actor, action)
    web_address = web_address.strip()
    if bool(web_address) == (upload is not None):
        raise ValidationError(
            _("Give either a web address or a file as the evidence, not both and not neither.")
        )
    fields = {"title": title.strip(), **_who(actor)}
    evidence = (
        LocalEvidence(action=action, **fields)
        if isinstance(action, LocalAction)
        else Evidence(action=action, **fields)
    )
    if upload is None:
        if urlsplit(web_address).scheme.lower() not in WEB_SCHEMES:
            raise ValidationError(
                {
                    "web_address": _(
                        "Enter a web address that starts with https:// or http://, like "
                        "https://www.gov.scot/publications/."
                    )
                }
            )
        evidence.web_address = web_address
        evidence.full_clean()
        with transaction.atomic():
            evidence.save()
            _audit(actor, action, "evidence", {"web_address": [None, web_address]})
        return evidence
    try:
        name, content_type, size = attachment_check(upload)
    except ValidationError as error:
        raise ValidationError({"upload": error.messages}) from None
    evidence.original_name, evidence.content_type, evidence.size = name, content_type, size
    evidence.clean_fields(exclude=["file"])
    stored = ""
    try:
        with transaction.atomic():
            # The name given here is ignored: evidence_path names the stored copy.
            evidence.file.save(name, upload, save=False)
            stored = evidence.file.name or ""
            evidence.save()
            _audit(actor, action, "evidence", {"file": [None, name]})
    except BaseException:
        if stored:
            evidence.file.storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def action_measure_link(
    *, actor: "Actor | SystemProcess | None", action: Action, measure: Measure
) -> ActionMeasure:
    _require_tracks(actor, action)
    if measure.nation_id not in (None, action.plan.nation_id):
        raise ValidationError({"measure": _("Choose a measure of this plan's nation.")})
    if ActionMeasure.objects.filter(action=action, measure=measure).exists():
        raise ValidationError({"measure": _("That measure is already linked to this action.")})
    link = ActionMeasure.objects.create(action=action, measure=measure, **_who(actor))
    _audit(actor, action, "measure", {"measure": [None, measure.code]})
    return link


# The 18-month progress report (ADR 0042) ---------------------------------------------------------


def _require_makes_reports(actor: "Actor | SystemProcess | None") -> "Actor":
    require(actor, Capability.TRACK_ACTION_PLANS)
    if isinstance(actor, SystemProcess) or not makes_progress_reports(actor):
        raise CapabilityRequired(Capability.TRACK_ACTION_PLANS)
    assert actor is not None
    return actor


def _audit_report(actor: Any, report: ProgressReport, action: str, purpose: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="action_plan_progress_report",
        object_id=str(report.pk),
        purpose=purpose,
        detail={"starts_on": report.starts_on.isoformat(), "ends_on": report.ends_on.isoformat()},
    )


@transaction.atomic
def progress_report_create(
    *, actor: "Actor | SystemProcess | None", title: str, starts_on: date, ends_on: date
) -> ProgressReport:
    """A draft report on the actor's nation's plans for the period: the plans published by its
    end. The period must have ended by today and run forwards."""
    officer = _require_makes_reports(actor)
    body = body_of(officer)
    assert body is not None
    today = timezone.localdate()
    if ends_on > today:
        raise ValidationError({"ends_on": _("The end of the period must be today or in the past.")})
    if ends_on < starts_on:
        raise ValidationError(
            {"ends_on": _("The end of the period must be the same as or after its start.")}
        )
    plans = plans_for_period(body.nation, ends_on)
    if not plans:
        raise ValidationError(
            {"ends_on": _("No action plan had been published by the end of the period.")}
        )
    report = ProgressReport(
        nation=body.nation,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=officer.user,
    )
    report.full_clean()
    report.save()
    report.plans.set(plans)
    _audit_report(officer, report, AuditAction.CREATE, "draft an action plan progress report")
    return report


def progress_report_contents(report: ProgressReport) -> dict[str, Any]:
    """What the report shows: frozen when it was published; for a draft, worked out now."""
    if report.is_published:
        return report.contents
    return report_contents(
        nation=report.nation,
        plans=list(report.plans.order_by("published_on", "code")),
        starts_on=report.starts_on,
        ends_on=report.ends_on,
    )


@transaction.atomic
def progress_report_publish(
    *, actor: "Actor | SystemProcess | None", report: ProgressReport
) -> ProgressReport:
    """Publish a draft: what it shows now is frozen into it, and it is public from now on.
    A published report is never published again, changed or deleted."""
    officer = _require_makes_reports(actor)
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_published:
        raise ValidationError(_("This report has already been published and cannot be changed."))
    body = body_of(officer)
    if body is None or body.nation_id != locked.nation_id:
        raise CapabilityRequired(Capability.TRACK_ACTION_PLANS)
    locked.contents = progress_report_contents(locked)
    locked.state = ReportState.PUBLISHED
    locked.published_by = officer.user
    locked.published_at = timezone.now()
    locked.save()
    _audit_report(officer, locked, AuditAction.UPDATE, "publish an action plan progress report")
    return locked


@transaction.atomic
def progress_report_delete(
    *, actor: "Actor | SystemProcess | None", report: ProgressReport
) -> None:
    """Delete a draft (one made for the wrong period, say); a published report never."""
    officer = _require_makes_reports(actor)
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_published:
        raise ValidationError(_("A published report cannot be deleted."))
    _audit_report(officer, locked, AuditAction.DELETE, "delete a draft action plan progress report")
    locked.delete()


# A local authority's own actions (ADR 0043) ---------------------------------------------------


@transaction.atomic
def local_action_add(
    *,
    actor: "Actor | SystemProcess | None",
    authority: LocalAuthority,
    reference: str,
    text: str,
    responsible_team: str,
    timeframe: str,
    national_actions: "list[Action]",
    status: str = ActionStatus.NOT_STARTED,
) -> LocalAction:
    """Add an improvement action to the authority's own plan, serving one or more national
    actions of the authority's nation. Its timeframe is kept as written and, where it is in a
    shape Stagewise reads ("By end 2025", "Spring 2026", "March 2026"), the range it means: "by
    end" runs from the day it is added."""
    _require_keeps_local_plan(actor, authority)
    reference, timeframe = " ".join(reference.split()), " ".join(timeframe.split())
    if not national_actions:
        raise ValidationError(
            {"national_actions": _("Choose at least one national action it serves.")}
        )
    if any(action.plan.nation_id != authority.nation_id for action in national_actions):
        raise ValidationError(
            {"national_actions": _("Choose national actions of your nation's plans.")}
        )
    if LocalAction.objects.filter(authority=authority, reference__iexact=reference).exists():
        raise ValidationError(
            {
                "reference": _(
                    "Your authority already has an action %(reference)s: choose another reference."
                )
                % {"reference": reference}
            }
        )
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose the action's status.")})
    added_on = timezone.localdate()
    starts_on, ends_on = timeframe_range(timeframe, published_on=added_on)
    if starts_on and ends_on and starts_on > ends_on:
        # "By end 2025" written after 2025 has ended: a range of no days, already past.
        starts_on = ends_on
    local_action = LocalAction(
        authority=authority,
        reference=reference,
        text=text.strip(),
        responsible_team=responsible_team.strip(),
        timeframe=timeframe,
        timeframe_starts_on=starts_on,
        timeframe_ends_on=ends_on,
        status=status,
        **_who(actor),
    )
    local_action.full_clean()
    local_action.save()
    local_action.national_actions.set(national_actions)
    _audit(
        actor,
        local_action,
        "add",
        {
            "text": [None, local_action.text],
            "timeframe": [None, timeframe],
            "status": [None, status],
            "national_actions": [None, sorted(action.number for action in national_actions)],
        },
    )
    return local_action
