"""The national action plans for everyone, without signing in, in English and Welsh (the plans'
own words stay as published, in English, and say so): the plans with each action's current status
and last update, filterable by theme, responsible body and status; each action with its updates
and status changes, and the local authorities' actions serving it (each with its own page); an
Atom feed of progress updates. Who recorded an update is not shown."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from stagewise.actionplans.models import ProgressUpdate
from stagewise.actionplans.public_forms import ActionFilterForm
from stagewise.actionplans.report_views import report_context, report_csv, report_pdf
from stagewise.actionplans.selectors import (
    filter_choices,
    local_work_on,
    plans_with_actions,
    public_action_get,
    public_filter,
    public_local_action_get,
    published_progress_report,
    published_progress_reports,
    recent_updates,
)


def public_index_view(request: HttpRequest) -> HttpResponse:
    themes, bodies = filter_choices()
    form = ActionFilterForm(request.GET or None, themes=themes, bodies=bodies)
    wanted = None
    if form.is_valid():
        wanted = public_filter(
            theme=form.cleaned_data["theme"],
            body=form.cleaned_data["body"],
            status=form.cleaned_data["status"],
        )
    plans = plans_with_actions(wanted)
    return render(
        request,
        "actionplans/public/index.html",
        {
            "form": form,
            "plans": plans,
            "filtered": bool(request.GET) and form.is_valid(),
            "shown": sum(len(getattr(plan, "action_list", ())) for plan in plans),
        },
    )


def public_action_view(request: HttpRequest, action_id: int) -> HttpResponse:
    action, updates, changes = public_action_get(action_id)
    return render(
        request,
        "actionplans/public/action.html",
        {
            "action": action,
            "updates": updates,
            "changes": changes,
            "local_work": local_work_on(action),
        },
    )


def public_local_action_view(request: HttpRequest, local_action_id: int) -> HttpResponse:
    """A local authority's action, as public as its improvement plan: its status, updates and
    status changes with their reasons; never who recorded them, and no evidence (ADR 0043)."""
    local_action, updates, changes = public_local_action_get(local_action_id)
    return render(
        request,
        "actionplans/public/local_action.html",
        {"action": local_action, "updates": updates, "changes": changes},
    )


class ProgressUpdatesFeed(Feed):
    """The latest progress updates of every action, newest first, as an Atom feed."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("National action plans: progress updates")

    def subtitle(self) -> str:
        return _("The latest progress updates on the actions of the national action plans.")

    def link(self) -> str:
        return reverse("public_action_plans:index")

    def items(self) -> list[ProgressUpdate]:
        return recent_updates()

    def item_title(self, item: ProgressUpdate) -> str:
        return _("%(number)s: progress update of %(day)s") % {
            "number": item.action.number,
            "day": item.written_on.isoformat(),
        }

    def item_description(self, item: ProgressUpdate) -> str:
        return item.text

    def item_link(self, item: ProgressUpdate) -> str:
        url = reverse("public_action_plans:action", args=[item.action_id])
        return f"{url}#update-{item.pk}"

    def item_guid(self, item: ProgressUpdate) -> str:
        return f"stagewise:action-plan-update:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: ProgressUpdate) -> datetime:
        return timezone.make_aware(datetime.combine(item.written_on, time.min))

    def item_updateddate(self, item: ProgressUpdate) -> datetime:
        return item.recorded_at


progress_updates_feed = ProgressUpdatesFeed()


# The published progress reports (ADR 0042): never a draft.


def public_reports_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "actionplans/public/reports.html", {"reports": published_progress_reports()}
    )


def public_report_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report = published_progress_report(report_id)
    return render(request, "actionplans/reports/report.html", report_context(report, public=True))


def public_report_pdf_view(request: HttpRequest, report_id: int) -> HttpResponse:
    return report_pdf(request, published_progress_report(report_id), public=True)


def public_report_csv_view(request: HttpRequest, report_id: int) -> HttpResponse:
    return report_csv(published_progress_report(report_id))
