"""The thresholds page: an authority's stages and their descriptors beside the national ones, for
its staff (ADR 0045). Read-only; administrators change descriptors in the configuration admin."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stagewise.policy import nation_policy
from stagewise.statutory.threshold_selectors import authority_of, authority_thresholds_get


@login_required
def own_thresholds_view(request: HttpRequest) -> HttpResponse:
    """The thresholds of the authority the actor's role is held in."""
    authority = authority_of(request.actor)  # type: ignore[attr-defined]
    if authority is None:
        raise Http404("No authority to show thresholds for.")
    return redirect("thresholds:authority", authority_code=authority.code)


@login_required
def authority_thresholds_view(request: HttpRequest, authority_code: str) -> HttpResponse:
    thresholds = authority_thresholds_get(
        actor=request.actor,  # type: ignore[attr-defined]
        authority_code=authority_code,
    )
    return render(
        request,
        "statutory/thresholds.html",
        {
            "thresholds": thresholds,
            "authority": thresholds.authority,
            "nation": nation_policy(thresholds.authority.nation.code),
        },
    )
