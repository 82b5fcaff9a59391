"""The daily sweep's reminder to a family before the time limit to take their disagreement
further closes (ADR 0017): the tribunal's two months, say, counted from the day the current step
began. The date is the one the family's page shows (selectors.next_route_for), worked out when
read, never stored; so a disagreement that has moved on or closed since is never reminded of a
limit it no longer has.

Each carer with portal access and the young person's own account are told once per deadline,
`settings.DISAGREEMENT_ROUTE_LEAD_DAYS` before it, in their own language, in Stagewise and in
the sweep's email digest. The subject names no learner: it is emailed."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagewise.disagreements.models import Disagreement, DisagreementStep
from stagewise.disagreements.routes import Route, route_get, route_table, routes_after, subject_get
from stagewise.disagreements.selectors import next_route_for
from stagewise.learners.models import Enrolment, ParentPart
from stagewise.notifications.models import NotificationKind
from stagewise.notifications.services import Notice, notifications_create
from stagewise.notifications.sweeping import by_language, chunks, family_with_portal_access
from stagewise.policy import SystemProcess
from stagewise.statutory.selectors import timescale_in_force
from stagewise.statutory.services.processes import format_day

# The longest time limit a route gives (a disability claim's 6 months), with room: a step that
# began longer ago than this has no limit left to remind of, and is not read.
LONGEST_LIMIT = timedelta(days=400)


def _routes_with_a_time_limit() -> Q:
    """The (route it stands at, subject) pairs whose next routes have a time limit to ask: the
    only disagreements worth reading. Worked out from the route table, so the query stays one
    filter however many disagreements there are."""
    wanted = Q(pk__in=[])
    for route in route_table().routes:
        for subject in route_table().subjects:
            if subject.nation != route.nation:
                continue
            later = routes_after(route.key, subject.key)
            if any(other.apply_rule_for(subject.key) for other in later):
                wanted |= Q(current_route=route.key, subject=subject.key)
    return wanted


def route_deadline_remind(*, actor: SystemProcess, today: date) -> int:
    """Tells each family whose next time limit closes within the lead time, once per deadline.
    Returns how many notices were written."""
    if not isinstance(actor, SystemProcess):
        raise PermissionDenied("Only Stagewise's own scheduled task reminds every family.")
    lead = timedelta(days=settings.DISAGREEMENT_ROUTE_LEAD_DAYS)
    recent_step = DisagreementStep.objects.filter(
        disagreement=OuterRef("pk"), ended_on__isnull=True, entered_on__gte=today - LONGEST_LIMIT
    )
    candidates = (
        Disagreement.objects.filter(_routes_with_a_time_limit(), closed_on__isnull=True)
        .filter(Exists(recent_step))
        .select_related("learner", "nation")
        .prefetch_related(
            Prefetch("steps", queryset=DisagreementStep.objects.order_by("entered_on", "pk"))
        )
    )
    told = 0
    for chunk in chunks(candidates):
        learner_ids = {disagreement.learner_id for disagreement in chunk}
        # The school whose calendar counts school days, for the whole chunk in one query.
        settings_by_learner = {
            enrolment.learner_id: enrolment.setting
            for enrolment in Enrolment.objects.current(today)
            .filter(learner_id__in=learner_ids)
            .select_related("setting__authority")
            .order_by("started_on")
        }
        due: list[tuple[Disagreement, Route, date, date]] = []
        for disagreement in chunk:
            next_route = next_route_for(
                disagreement,
                list(disagreement.steps.all()),
                settings_by_learner.get(disagreement.learner_id),
                [],
            )
            limit = next_route.first_time_limit if next_route else None
            if next_route and limit is not None and limit[1] - lead <= today <= limit[1]:
                due.append((disagreement, *limit, next_route.counted_from))
        if not due:
            continue
        family = family_with_portal_access(
            {disagreement.learner_id for disagreement, *_ in due}, ParentPart.REQUESTS
        )
        notices: list[Notice] = []
        for disagreement, route, deadline, counted_from in due:
            link = reverse("disagreements:list", args=[disagreement.learner.public_id])
            for language, user_ids in by_language(family[disagreement.learner_id]).items():
                with translation.override(language):
                    subject, body = _reminder_text(
                        disagreement, route, deadline, counted_from, today
                    )
                notices.extend(
                    Notice(
                        recipient_id=user_id,
                        learner_id=disagreement.learner_id,
                        dedupe_key=(
                            f"route-deadline:{disagreement.pk}:{route.key}:{deadline}:{user_id}"
                        ),
                        kind=NotificationKind.ROUTE_DEADLINE,
                        subject=subject,
                        body=body,
                        link_url=link,
                    )
                    for user_id in user_ids
                )
        told += len(notifications_create(notices=notices))
    return told


def _reminder_text(
    disagreement: Disagreement, route: Route, deadline: date, counted_from: date, today: date
) -> tuple[str, str]:
    """Subject and body in the current language. The subject names no learner (it goes in the
    email); the body, read in Stagewise, does."""
    left = (deadline - today).days
    current = route_get(disagreement.current_route)
    about = subject_get(disagreement.nation.code, disagreement.subject)
    rule_key = route.apply_rule_for(disagreement.subject)
    # The version of the rule that set the date: the one in force when the count began.
    rule = timescale_in_force(rule_key, counted_from) if rule_key else None
    names = {
        "learner": disagreement.learner.display_name,
        "subject": about.label if about else disagreement.subject,
        "current": current.name if current else disagreement.current_route,
        "route": route.name,
        "day": format_day(deadline),
        "count": left,
        "rule": rule.display_label if rule else "",
        "citation": rule.citation if rule else "",
    }
    subject = (
        ngettext(
            "A disagreement: %(count)s day left to ask for %(route)s",
            "A disagreement: %(count)s days left to ask for %(route)s",
            left,
        )
        % names
    )
    lines = [
        _("%(learner)s: the disagreement about “%(subject)s” is at “%(current)s”.") % names,
        ngettext(
            "If you want to take it to %(route)s, ask by %(day)s, in %(count)s day. That is "
            "the time limit: %(rule)s (%(citation)s).",
            "If you want to take it to %(route)s, ask by %(day)s, in %(count)s days. That is "
            "the time limit: %(rule)s (%(citation)s).",
            left,
        )
        % names,
        _(
            "What you can do: the disagreement's page says how to ask and who can help, free "
            "and independent of the school. Once you have asked, record it there. If the "
            "disagreement is settled, you do not need to do anything."
        ),
    ]
    return subject, "\n\n".join(lines)
