from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagewise.accounts.actors import describe_no_role
from stagewise.accounts.forms import PreferencesForm
from stagewise.accounts.middleware import ACTOR_SESSION_KEY
from stagewise.accounts.selectors import HomeKind, home_summary_get
from stagewise.accounts.work_queue import work_queue_get
from stagewise.audit.models import AuditAction
from stagewise.audit.services import audit_record
from stagewise.families.home_views import family_home_view
from stagewise.measurement.dashboard_views import dashboard_context
from stagewise.measurement.scopes import measures_access, own_measures_scope
from stagewise.policy import Audience, policy_for


def _safe_next(request: HttpRequest, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    if actor is not None and policy_for(actor).audience == Audience.FAMILY:
        # A parent or carer, or a young person: their children's (their own) support, and what
        # is waiting for them (families/home_selectors.py).
        return family_home_view(request)
    queue = work_queue_get(actor=actor, school_id=request.GET.get("school", ""))
    if queue is not None and queue.total:
        # The queue names learners: who was shown whom is recorded, as for a learner list.
        audit_record(
            actor=actor,
            action=AuditAction.LIST,
            object_type="work_queue",
            purpose="work queue",
            learners_shown=queue.learner_ids,
        )
    summary = home_summary_get(actor=actor)
    context = {
        "summary": summary,
        "queue": queue,
        "no_role_message": describe_no_role() if actor is None else "",
    }
    own_measures = own_measures_scope(actor)
    if summary.kind == HomeKind.NATIONAL_FIGURES and own_measures is not None:
        # The national analyst's home page is the nation's dashboard of the four principles.
        context |= dashboard_context(request, measures_access(actor, *own_measures))
    return render(request, "accounts/home.html", context)


@login_required
@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("actor", "")
    if wanted in {a.key for a in request.available_actors}:  # type: ignore[attr-defined]
        request.session[ACTOR_SESSION_KEY] = wanted
        messages.success(request, _("You have changed the role you are acting in."))
    # A page reached in one role may not exist in another, so start again from home.
    return redirect("home")


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    response = HttpResponseRedirect(_safe_next(request))
    if request.user.is_authenticated:
        request.user.preferred_language = code
        request.user.save(update_fields=["preferred_language"])
    translation.activate(code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    from allauth.mfa.models import Authenticator

    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(form.instance.preferred_language)
        messages.success(request, _("Your preferences have been saved."))
        return redirect("accounts:settings")
    authenticator_types = set(
        Authenticator.objects.filter(user=request.user).values_list("type", flat=True)
    )
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "has_totp": Authenticator.Type.TOTP in authenticator_types,
            "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in authenticator_types,
        },
    )
