"""The daily deadline sweep: sets dates that were waiting for a calendar, reminds the people who
must act before a statutory date at each of the rule's lead times and once when it has passed,
tells an authority once per academic year which calendar it must load, tells families when a
date moved, and emails each person one digest.

It runs over both nations at once (tens of thousands of open clocks), so it reads clocks in
chunks by primary key with their rule, learner and organisations joined, looks up everyone to
tell for a whole chunk in one query, and writes a chunk's notices in one insert: the number of
queries grows with the number of chunks, never with the number of clocks.

Nothing is ever sent twice: each notice carries a key naming its occasion (the clock, its due
date and the lead time; the event; the authority and year) and its recipient, and the database
refuses a second row with the same key. A new due date after an extension is a new occasion, so
its reminders come again.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagewise.disagreements.reminders import route_deadline_remind
from stagewise.families.review_views_services import review_views_invite_due
from stagewise.learners.models import Learner, ParentPart
from stagewise.notifications.models import NotificationKind
from stagewise.notifications.services import (
    Notice,
    already_sent,
    notifications_create,
    notifications_email_pending,
)
from stagewise.notifications.sweeping import (
    Person,
    by_language,
    chunks,
    family_with_portal_access,
)
from stagewise.organisations.models import LocalAuthority, Membership
from stagewise.policy import (
    Capability,
    SystemProcess,
    roles_reminded_of_deadlines,
    roles_with,
)
from stagewise.statutory.calendar import academic_year_label
from stagewise.statutory.models import (
    OPEN_PROCESS_STATUSES,
    ProcessEvent,
    ProcessEventKind,
    ProcessStatus,
    Responsible,
    SchoolCalendarPeriod,
    StatutoryProcess,
)
from stagewise.statutory.services import format_day, process_dates_refresh

# The longest lead time a rule may have (validate_lead_days): clocks due later need no reminder.
LONGEST_LEAD = timedelta(days=366)
# Changes to a clock are told to the family if recorded this recently: a sweep that did not run
# for a while still catches up, and the events read each day stay few.
EVENT_LOOKBACK = timedelta(days=30)
FAMILY_EVENT_KINDS = (ProcessEventKind.EXTENDED, ProcessEventKind.PAUSED, ProcessEventKind.RESUMED)


@dataclass
class SweepResult:
    dates_set: int = 0
    reminders: int = 0
    overdue: int = 0
    calendars_needed: int = 0
    date_changes: int = 0
    review_views_invited: int = 0
    route_deadlines: int = 0
    emails: int = 0

    def describe(self) -> str:
        return (
            f"Dates set once a calendar was loaded: {self.dates_set}. "
            f"Reminders: {self.reminders}. Overdue notices: {self.overdue}. "
            f"Calendar-needed notices: {self.calendars_needed}. "
            f"Families told of a changed date: {self.date_changes}. "
            f"Families asked for views before a review: {self.review_views_invited}. "
            f"Families reminded of a disagreement's time limit: {self.route_deadlines}. "
            f"Emails sent: {self.emails}."
        )


def deadline_sweep_run(
    *, actor: SystemProcess, today: date | None = None, site_url: str = ""
) -> SweepResult:
    """One sweep. Only Stagewise itself runs it (the daily task or `stagewise deadline_sweep`):
    it writes to everyone's notifications, which no person may do."""
    if not isinstance(actor, SystemProcess):
        raise PermissionDenied("Only Stagewise's own scheduled task runs the deadline sweep.")
    today = today or timezone.localdate()
    result = SweepResult()
    result.dates_set = _set_dates_now_calendars_are_loaded(actor)
    result.calendars_needed = _tell_authorities_which_calendars_are_needed()
    result.reminders, result.overdue = _remind_people_who_must_act(today)
    result.date_changes = _tell_families_of_changed_dates()
    result.review_views_invited = review_views_invite_due(actor=actor, today=today)
    result.route_deadlines = route_deadline_remind(actor=actor, today=today)
    result.emails = notifications_email_pending(site_url=site_url)
    return result


def _waiting_for_a_calendar() -> QuerySet[StatutoryProcess]:
    return StatutoryProcess.objects.filter(
        status__in=OPEN_PROCESS_STATUSES, due_on__isnull=True
    ).exclude(calendar_year_needed="")


def _set_dates_now_calendars_are_loaded(actor: SystemProcess) -> int:
    """Sets the date of each clock whose missing calendar has since been imported. Only clocks
    whose authority now has periods for the year they wait for are refreshed, so a day with no
    import costs two queries."""
    waiting = _waiting_for_a_calendar()
    wanted = set(waiting.order_by().values_list("authority_id", "calendar_year_needed").distinct())
    if not wanted:
        return 0
    loaded = set(
        SchoolCalendarPeriod.objects.filter(
            authority_id__in={authority for authority, _year in wanted},
            academic_year__in={year for _authority, year in wanted},
        )
        .order_by()
        .values_list("authority_id", "academic_year")
        .distinct()
    )
    ready = wanted & loaded
    if not ready:
        return 0
    in_ready_years = Q()
    for authority_id, year in ready:
        in_ready_years |= Q(authority_id=authority_id, calendar_year_needed=year)
    dates_set = 0
    for chunk in chunks(waiting.filter(in_ready_years)):
        for process in chunk:
            if process_dates_refresh(actor=actor, process=process).due_on is not None:
                dates_set += 1
    return dates_set


def _people_at(
    *,
    setting_ids: set[int] = frozenset(),  # type: ignore[assignment]
    authority_ids: set[int] = frozenset(),  # type: ignore[assignment]
    agency_ids: set[int] = frozenset(),  # type: ignore[assignment]
    administrators: bool = False,
) -> dict[tuple[str, int | None], list[Person]]:
    """Everyone to remind at each organisation, in one query: {("setting", id): [(user, lang)]};
    system administrators under ("administrators", None)."""
    wanted = Q(pk__in=[])
    if setting_ids:
        wanted |= Q(role__in=roles_reminded_of_deadlines("setting"), setting_id__in=setting_ids)
    if authority_ids:
        wanted |= Q(
            role__in=roles_reminded_of_deadlines("authority"), authority_id__in=authority_ids
        )
    if agency_ids:
        wanted |= Q(role__in=roles_reminded_of_deadlines("agency"), agency_id__in=agency_ids)
    admin_roles = roles_with(Capability.ADMINISTER_ORGANISATIONS)
    if administrators:
        wanted |= Q(role__in=admin_roles)
    people: dict[tuple[str, int | None], list[Person]] = defaultdict(list)
    seen: set[tuple[str, int | None, int]] = set()
    memberships = (
        Membership.objects.current()
        .filter(wanted, user__is_active=True)
        .values_list(
            "user_id", "user__preferred_language", "role", "setting_id", "authority_id", "agency_id"
        )
        .order_by("user_id")
    )
    for user_id, language, role, setting_id, authority_id, agency_id in memberships:
        if role in admin_roles:
            place: tuple[str, int | None] = ("administrators", None)
        elif setting_id is not None:
            place = ("setting", setting_id)
        elif authority_id is not None:
            place = ("authority", authority_id)
        else:
            place = ("agency", agency_id)
        if (*place, user_id) not in seen:
            seen.add((*place, user_id))
            people[place].append((user_id, language))
    return people


def _tell_authorities_which_calendars_are_needed() -> int:
    """Once per authority and academic year: which calendar to import, and how many dates wait."""
    groups = list(
        _waiting_for_a_calendar()
        .values("authority_id", "calendar_year_needed")
        .annotate(count=Count("pk"))
        .order_by("authority_id", "calendar_year_needed")
    )
    if not groups:
        return 0
    authority_ids = {group["authority_id"] for group in groups}
    authorities = LocalAuthority.objects.in_bulk(authority_ids)
    people = _people_at(authority_ids=authority_ids, administrators=True)
    notices: list[Notice] = []
    for group in groups:
        authority = authorities[group["authority_id"]]
        year = group["calendar_year_needed"]
        to_tell = people[("authority", authority.pk)] + people[("administrators", None)]
        for language, user_ids in by_language(to_tell).items():
            with translation.override(language):
                subject = _("The %(year)s calendar for %(authority)s is needed") % {
                    "year": academic_year_label(year),
                    "authority": authority.display_name,
                }
                body = "\n\n".join(
                    [
                        ngettext(
                            "The %(year)s calendar for %(authority)s is needed to set "
                            "%(count)s statutory date: it counts school days, and Stagewise "
                            "does not guess them.",
                            "The %(year)s calendar for %(authority)s is needed to set "
                            "%(count)s statutory dates: they count school days, and Stagewise "
                            "does not guess them.",
                            group["count"],
                        )
                        % {
                            "year": academic_year_label(year),
                            "authority": authority.display_name,
                            "count": group["count"],
                        },
                        _(
                            "What to do: import it with stagewise calendar import FILE (a CSV "
                            "with the columns authority, setting, academic_year, kind, "
                            "first_day, last_day, description). The dates are set on the next "
                            "daily sweep."
                        ),
                    ]
                )
            notices.extend(
                Notice(
                    recipient_id=user_id,
                    dedupe_key=f"calendar:{authority.pk}:{year}:{user_id}",
                    kind=NotificationKind.CALENDAR_NEEDED,
                    subject=subject,
                    body=body,
                )
                for user_id in user_ids
            )
    return len(notifications_create(notices=notices))


def _who_must_act(process: StatutoryProcess) -> str:
    """The school, authority or agency that must act, by name in the current language."""
    return (process.responsible_organisation or process.authority).display_name


def _learner_url(learner: Learner) -> str:
    """The family's way in: the record's first page shows the dates that must be met."""
    return reverse("learners:profile", args=[learner.public_id])


def _clock_url(process: StatutoryProcess) -> str:
    """Staff go straight to the clock's own page, where it is paused, given a new date or closed."""
    return reverse(
        "statutory:process_detail",
        kwargs={"learner_id": process.learner.public_id, "process_id": process.public_id},
    )


def _reminder_occasion(process: StatutoryProcess, today: date) -> tuple[str, int | None] | None:
    """What, if anything, is due today: ("overdue", None) once the date has passed, otherwise
    the reminder for the most recent lead time passed, so that a first sweep that starts late
    sends one reminder, not all of them at once."""
    due = process.due_on
    assert due is not None  # the query asks only for clocks with a date
    if today > due:
        return NotificationKind.OVERDUE, None
    passed = [
        lead for lead in process.timescale.reminder_lead_days if today >= due - timedelta(lead)
    ]
    if not passed:
        return None
    return NotificationKind.REMINDER, min(passed)


def _remind_people_who_must_act(today: date) -> tuple[int, int]:
    running = (
        StatutoryProcess.objects.filter(
            status=ProcessStatus.RUNNING, due_on__isnull=False, due_on__lte=today + LONGEST_LEAD
        )
        .select_related("timescale", "learner", "authority", "setting", "agency")
        .only(
            "pk",
            "public_id",
            "due_on",
            "responsible",
            "rule_key",
            "timescale__label",
            "timescale__label_cy",
            "timescale__citation",
            "timescale__reminder_lead_days",
            "learner__public_id",
            "learner__preferred_name",
            "learner__legal_first_name",
            "learner__legal_last_name",
            "authority__name",
            "authority__name_cy",
            "setting__name",
            "setting__name_cy",
            "agency__name",
            "agency__name_cy",
        )
    )
    reminders = overdue = 0
    for chunk in chunks(running):
        due_now = [
            (process, occasion)
            for process in chunk
            if (occasion := _reminder_occasion(process, today)) is not None
        ]
        if not due_now:
            continue
        people = _people_at(
            setting_ids={p.setting_id for p, _o in due_now if p.setting_id is not None},
            # Every clock's authority: it is told when nobody at the school or agency could be.
            authority_ids={p.authority_id for p, _o in due_now},
            agency_ids={p.agency_id for p, _o in due_now if p.agency_id is not None},
        )

        def key(process: StatutoryProcess, kind: str, lead: int | None, user_id: int) -> str:
            return f"{kind}:{process.pk}:{process.due_on}:{lead or 0}:{user_id}"

        wanted = [
            (process, kind, lead, _responsible_people(process, people))
            for process, (kind, lead) in due_now
        ]
        # Most days most occasions were told on an earlier day: find those in one query and
        # write nothing for them, rather than composing notices only to throw them away.
        sent = already_sent(
            key(process, kind, lead, user_id)
            for process, kind, lead, to_tell in wanted
            for user_id, _language in to_tell
        )
        notices: list[Notice] = []
        for process, kind, lead, to_tell in wanted:
            unsent = [
                person for person in to_tell if key(process, kind, lead, person[0]) not in sent
            ]
            for language, user_ids in by_language(unsent).items():
                with translation.override(language):
                    subject, body = _reminder_text(process, kind, today)
                notices.extend(
                    Notice(
                        recipient_id=user_id,
                        learner_id=process.learner_id,
                        dedupe_key=key(process, kind, lead, user_id),
                        kind=kind,
                        subject=subject,
                        body=body,
                        link_url=_clock_url(process),
                    )
                    for user_id in user_ids
                )
        created = notifications_create(notices=notices)
        reminders += sum(1 for notice in created if notice.kind == NotificationKind.REMINDER)
        overdue += sum(1 for notice in created if notice.kind == NotificationKind.OVERDUE)
    return reminders, overdue


def _responsible_people(
    process: StatutoryProcess, people: dict[tuple[str, int | None], list[Person]]
) -> list[Person]:
    if process.responsible == Responsible.SETTING and process.setting_id is not None:
        found = people[("setting", process.setting_id)]
    elif process.responsible == Responsible.AGENCY and process.agency_id is not None:
        found = people[("agency", process.agency_id)]
    else:
        found = []
    # A date nobody is reminded of is a date missed: with nobody in post at the school or
    # agency, the authority's officers are told instead.
    return found or people[("authority", process.authority_id)]


def _reminder_text(process: StatutoryProcess, kind: str, today: date) -> tuple[str, str]:
    """Subject and body in the current language. The subject names no learner (it goes in the
    email); the body, read in Stagewise, does."""
    assert process.due_on is not None
    names = {
        "rule": process.timescale.display_label,
        "place": _who_must_act(process),
        "learner": process.learner.display_name,
        "day": format_day(process.due_on),
        "citation": process.timescale.citation,
    }
    if kind == NotificationKind.OVERDUE:
        late = (today - process.due_on).days
        subject = _("Statutory date passed: %(rule)s (%(place)s)") % names
        body = [
            ngettext(
                "%(learner)s: “%(rule)s” was due on %(day)s, %(count)s day ago, and the clock "
                "is still open.",
                "%(learner)s: “%(rule)s” was due on %(day)s, %(count)s days ago, and the clock "
                "is still open.",
                late,
            )
            % {**names, "count": late},
            _(
                "What to do: finish the work as soon as you can and close the clock, saying why "
                "it was late. If the date should have moved, record the pause or the new date "
                "with the reason the rule allows (%(citation)s)."
            )
            % names,
        ]
    else:
        left = (process.due_on - today).days
        subject = ngettext(
            "Statutory date in %(count)s day: %(rule)s (%(place)s)",
            "Statutory date in %(count)s days: %(rule)s (%(place)s)",
            left,
        ) % {**names, "count": left}
        body = [
            ngettext(
                "%(learner)s: “%(rule)s” is due on %(day)s, in %(count)s day.",
                "%(learner)s: “%(rule)s” is due on %(day)s, in %(count)s days.",
                left,
            )
            % {**names, "count": left},
            _(
                "What to do: make sure the work is done by then and close the clock when it is. "
                "If the rule allows a pause or a later date (%(citation)s), record it with the "
                "reason: the family will be told."
            )
            % names,
        ]
    return subject, "\n\n".join(body)


def _tell_families_of_changed_dates() -> int:
    """Tells the learner's family with portal access (carers with an account, and the young
    person) when a clock's date moved, was paused or restarted: once per event."""
    events = ProcessEvent.objects.filter(
        kind__in=FAMILY_EVENT_KINDS, recorded_at__gte=timezone.now() - EVENT_LOOKBACK
    ).select_related(
        "process__timescale",
        "process__learner",
        "process__authority",
        "process__setting",
        "process__agency",
    )
    told = 0
    for chunk in chunks(events):
        learner_ids = {event.process.learner_id for event in chunk}
        # Statutory dates are among what a young person may keep from their parents.
        family = family_with_portal_access(learner_ids, ParentPart.REQUESTS)
        notices: list[Notice] = []
        for event in chunk:
            process = event.process
            for language, user_ids in by_language(family[process.learner_id]).items():
                with translation.override(language):
                    subject, body = _date_change_text(event)
                notices.extend(
                    Notice(
                        recipient_id=user_id,
                        learner_id=process.learner_id,
                        dedupe_key=f"event:{event.pk}:{user_id}",
                        kind=NotificationKind.DATE_CHANGED,
                        subject=subject,
                        body=body,
                        link_url=_learner_url(process.learner),
                    )
                    for user_id in user_ids
                )
        told += len(notifications_create(notices=notices))
    return told


def _date_change_text(event: ProcessEvent) -> tuple[str, str]:
    process = event.process
    names = {
        "rule": process.timescale.display_label,
        "who": _who_must_act(process),
        "learner": process.learner.display_name,
        "day": format_day(event.happened_on),
        "before": format_day(event.due_before) if event.due_before else "",
        "after": format_day(event.due_after) if event.due_after else "",
        "reason": event.reason,
    }
    if event.kind == ProcessEventKind.PAUSED:
        subject = _("A statutory clock has been paused: %(rule)s") % names
        lines = [
            _(
                "%(who)s has paused the clock for %(learner)s from %(day)s: %(rule)s. While it "
                "is paused the date does not run on; when it restarts, the date moves on by "
                "the time it stood still, and you will be told the new date."
            )
            % names
        ]
    elif event.due_after is None:
        subject = _("A statutory clock has restarted: %(rule)s") % names
        lines = [
            _(
                "The clock for %(learner)s restarted on %(day)s: %(rule)s. Its date will be "
                "set when the school calendar it needs is loaded."
            )
            % names
        ]
    else:
        subject = _("A statutory date has changed: %(rule)s") % names
        lines = [
            _(
                "The date by which %(who)s must do this for %(learner)s has changed to "
                "%(after)s: %(rule)s."
            )
            % names
        ]
        if event.due_before and event.due_before != event.due_after:
            lines.append(_("It was %(before)s.") % names)
    if event.reason:
        lines.append(_("Reason: %(reason)s") % names)
    lines.append(
        _("You do not need to do anything. If you have a question about the date, contact %(who)s.")
        % names
    )
    return subject, "\n\n".join(lines)
