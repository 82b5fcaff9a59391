from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stagewise.organisations.models import LocalAuthority, Role


def _require_administrator(request: HttpRequest) -> None:
    actor = request.actor  # type: ignore[attr-defined]
    if actor is None or actor.role != Role.SYSTEM_ADMINISTRATOR:
        raise PermissionDenied


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    authorities = LocalAuthority.objects.select_related("nation").order_by("nation__name", "name")
    return render(request, "organisations/index.html", {"authorities": authorities})
