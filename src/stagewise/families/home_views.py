"""The family's home page and "who has looked at this record" (ADR 0019). Thin: what each shows
is cut in families/home_selectors.py and families/who_has_looked.py."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.families.home_selectors import family_home_get
from stagewise.families.who_has_looked import who_has_looked_page
from stagewise.keyset import query_without_cursor
from stagewise.learners.access import get_learner_for
from stagewise.policy import Capability


def family_home_view(request: HttpRequest) -> HttpResponse:
    """The home page of a parent or carer, or of a young person (accounts.views.home sends the
    family roles here; staff home pages are unchanged)."""
    actor = request.actor  # type: ignore[attr-defined]
    home = family_home_get(actor=actor)
    if home.children:
        # The page names the children and what is planned for them: who was shown whom is
        # recorded, as for a member of staff's work queue.
        audit_record(
            actor=actor,
            action=AuditAction.LIST,
            object_type="family_home",
            purpose="family home page",
            learners_shown=[child.learner.pk for child in home.children],
        )
    return render(request, "families/home/home.html", {"home": home})


@login_required
def who_has_looked_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="view who has looked at the record",
        capability=Capability.VIEW_WHO_HAS_LOOKED,
    )
    looked = who_has_looked_page(actor=actor, learner=learner, cursor=request.GET.get("cursor"))
    return render(
        request,
        "families/home/who_has_looked.html",
        {
            "learner": learner,
            "looked": looked,
            "page": looked.page,
            "query_without_page": query_without_cursor(request.GET),
        },
    )
