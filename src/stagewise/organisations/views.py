"""Administration of organisations, people and memberships, for system administrators only.

Nothing here reads learner data: administrators manage who works where, not the record itself.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stagewise.accounts.models import User
from stagewise.keyset import capped_count, keyset_page
from stagewise.organisations.forms import (
    AgencyForm,
    CalendarPeriodForm,
    CalendarUploadForm,
    MembershipEndForm,
    MembershipFilterForm,
    MembershipForm,
    PersonForm,
    PersonSearchForm,
    SettingForm,
)
from stagewise.organisations.models import Agency, LocalAuthority, Membership, Setting
from stagewise.organisations.selectors import (
    MEMBERSHIP_LIST_ORDER,
    PERSON_LIST_ORDER,
    agency_list,
    membership_detail_queryset,
    membership_list,
    nation_list_with_authorities,
    person_list,
    person_membership_list,
    setting_list,
)
from stagewise.organisations.services import (
    agency_create,
    agency_update,
    membership_create,
    membership_end,
    person_create,
    setting_create,
    setting_update,
)
from stagewise.policy import Capability, may
from stagewise.statutory.calendar import academic_year_label
from stagewise.statutory.calendar_edit import (
    calendar_period_create,
    calendar_period_delete,
    calendar_period_update,
    calendar_upload,
)
from stagewise.statutory.calendar_import import CalendarImportRefused
from stagewise.statutory.models import SchoolCalendarPeriod
from stagewise.statutory.selectors import calendar_years

if TYPE_CHECKING:
    from stagewise.accounts.actors import Actor

PEOPLE_PAGE_SIZE = 50
MEMBERSHIPS_PAGE_SIZE = 50
# The people and membership lists count exactly up to this many, and say "more than" beyond.
ADMINISTRATION_COUNT_CAP = 1_000


def _require_administrator(request: HttpRequest) -> "Actor":
    actor = request.actor  # type: ignore[attr-defined]
    if not may(actor, Capability.ADMINISTER_ORGANISATIONS):
        raise PermissionDenied
    return actor


def _show_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors against the fields they are about, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("cursor", None)
    return query.urlencode()


# Organisations --------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    return render(request, "organisations/index.html", {"nations": nation_list_with_authorities()})


@login_required
def authority_detail(request: HttpRequest, authority_id: int) -> HttpResponse:
    _require_administrator(request)
    authority = get_object_or_404(LocalAuthority.objects.select_related("nation"), pk=authority_id)
    return render(
        request,
        "organisations/authority_detail.html",
        {
            "authority": authority,
            "settings": setting_list(authority=authority),
            "agencies": agency_list(authority=authority),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def setting_create_view(request: HttpRequest, authority_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    authority = get_object_or_404(LocalAuthority, pk=authority_id)
    return _organisation_create(
        request,
        authority=authority,
        form_class=SettingForm,
        create=lambda data: setting_create(actor=actor, authority=authority, **data),
        heading=_("Add a school, nursery or college"),
        button=_("Add school, nursery or college"),
    )


def _organisation_create(
    request: HttpRequest,
    *,
    authority: LocalAuthority,
    form_class: type[forms.Form],
    create: Callable[[dict[str, Any]], Setting | Agency],
    heading: str,
    button: str,
) -> HttpResponse:
    """The add page shared by settings and agencies within an authority."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = create(form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s has been added.") % {"name": organisation.display_name}
            )
            return redirect("organisations:authority_detail", authority_id=authority.pk)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "authority": authority, "heading": heading, "button": button},
    )


@login_required
@require_http_methods(["GET", "POST"])
def setting_update_view(request: HttpRequest, setting_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    setting = get_object_or_404(Setting.objects.select_related("authority"), pk=setting_id)
    return _organisation_update(
        request,
        actor=actor,
        organisation=setting,
        form_class=SettingForm,
        fields=("name", "name_cy", "setting_type", "language_medium", "reference_number"),
        update=lambda actor, data: setting_update(actor=actor, setting=setting, **data),
    )


def _organisation_update(
    request: HttpRequest,
    *,
    actor: "Actor",
    organisation: Setting | Agency,
    form_class: type[forms.Form],
    fields: tuple[str, ...],
    update: Callable[[Any, dict[str, Any]], dict[str, Any]],
) -> HttpResponse:
    """The change page shared by settings and agencies: same form, same messages, same return."""
    initial = {field: getattr(organisation, field) for field in fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changes = update(actor, form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            if changes:
                messages.success(request, _("The changes have been saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(
                "organisations:authority_detail", authority_id=organisation.authority_id
            )
    return render(
        request,
        "organisations/organisation_form.html",
        {
            "form": form,
            "authority": organisation.authority,
            "heading": _("Change %(name)s") % {"name": organisation.display_name},
            "button": _("Save changes"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_create_view(request: HttpRequest, authority_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    authority = get_object_or_404(LocalAuthority, pk=authority_id)
    return _organisation_create(
        request,
        authority=authority,
        form_class=AgencyForm,
        create=lambda data: agency_create(actor=actor, authority=authority, **data),
        heading=_("Add an agency"),
        button=_("Add agency"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_update_view(request: HttpRequest, agency_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    agency = get_object_or_404(Agency.objects.select_related("authority"), pk=agency_id)
    return _organisation_update(
        request,
        actor=actor,
        organisation=agency,
        form_class=AgencyForm,
        fields=("name", "name_cy", "agency_type"),
        update=lambda actor, data: agency_update(actor=actor, agency=agency, **data),
    )


# People ---------------------------------------------------------------------------------------


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    form = PersonSearchForm(request.GET or None)
    search = form.cleaned_data["search"] if form.is_bound and form.is_valid() else ""
    people = person_list(search=search)
    page = keyset_page(
        people,
        order=PERSON_LIST_ORDER,
        cursor=request.GET.get("cursor"),
        per_page=PEOPLE_PAGE_SIZE,
        salt="organisations:person_list",
    )
    return render(
        request,
        "organisations/person_list.html",
        {
            "form": form,
            "page": page,
            "found": capped_count(people, ADMINISTRATION_COUNT_CAP),
            "search": search,
            "query_without_page": _query_without_page(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create_view(request: HttpRequest) -> HttpResponse:
    actor = _require_administrator(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(
                request,
                _("An account has been created for %(name)s. Add a membership to give them a role.")
                % {"name": person.full_name},
            )
            return redirect("organisations:person_detail", person_id=person.pk)
    return render(request, "organisations/person_form.html", {"form": form})


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    _require_administrator(request)
    person = get_object_or_404(User, pk=person_id)
    return render(
        request,
        "organisations/person_detail.html",
        {"person": person, "memberships": person_membership_list(person=person)},
    )


# Memberships ----------------------------------------------------------------------------------


@login_required
def membership_list_view(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    form = MembershipFilterForm(request.GET or None)
    role = form.cleaned_data["role"] if form.is_bound and form.is_valid() else ""
    memberships = membership_list(role=role)
    page = keyset_page(
        memberships,
        order=MEMBERSHIP_LIST_ORDER,
        cursor=request.GET.get("cursor"),
        per_page=MEMBERSHIPS_PAGE_SIZE,
        salt="organisations:membership_list",
    )
    return render(
        request,
        "organisations/membership_list.html",
        {
            "form": form,
            "page": page,
            "found": capped_count(memberships, ADMINISTRATION_COUNT_CAP),
            "query_without_page": _query_without_page(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_create_view(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    person = get_object_or_404(User, pk=person_id)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = membership_create(actor=actor, user=person, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s now has the role: %(membership)s.")
                % {"name": person.full_name, "membership": membership},
            )
            return redirect("organisations:person_detail", person_id=person.pk)
    return render(request, "organisations/membership_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def membership_end_view(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    membership: Membership = get_object_or_404(membership_detail_queryset(), pk=membership_id)
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_end(
                actor=actor, membership=membership, ended_on=form.cleaned_data["ended_on"]
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(
                request,
                _("The membership of %(name)s as %(membership)s ends on %(date)s.")
                % {
                    "name": membership.user.full_name,
                    "membership": membership,
                    "date": date_format(form.cleaned_data["ended_on"], "j F Y"),
                },
            )
            return redirect("organisations:person_detail", person_id=membership.user_id)
    return render(
        request, "organisations/membership_end.html", {"form": form, "membership": membership}
    )


# School calendars -------------------------------------------------------------------------------


@login_required
def calendar_detail(request: HttpRequest, authority_id: int) -> HttpResponse:
    _require_administrator(request)
    authority = get_object_or_404(LocalAuthority.objects.select_related("nation"), pk=authority_id)
    years = [
        (year, academic_year_label(year), periods) for year, periods in calendar_years(authority)
    ]
    return render(
        request, "organisations/calendar_detail.html", {"authority": authority, "years": years}
    )


def _period_data(form: CalendarPeriodForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "academic_year": data["academic_year"],
        "kind": data["kind"],
        "first_day": data["first_day"],
        "last_day": data["last_day"],
        "setting": data["setting"],
        "description": data["description"],
    }


def _period_form_page(
    request: HttpRequest,
    *,
    authority: LocalAuthority,
    form: CalendarPeriodForm,
    save: Callable[[dict[str, Any]], SchoolCalendarPeriod],
    heading: str,
    button: str,
    done: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(_period_data(form))
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("organisations:calendar_detail", authority_id=authority.pk)
    return render(
        request,
        "organisations/calendar_period_form.html",
        {"form": form, "authority": authority, "heading": heading, "button": button},
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_period_create_view(request: HttpRequest, authority_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    authority = get_object_or_404(LocalAuthority, pk=authority_id)
    return _period_form_page(
        request,
        authority=authority,
        form=CalendarPeriodForm(request.POST or None, authority=authority),
        save=lambda data: calendar_period_create(actor=actor, authority=authority, **data),
        heading=_("Add a term or closure"),
        button=_("Add term or closure"),
        done=_("The term or closure has been added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_period_update_view(request: HttpRequest, period_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    period = get_object_or_404(
        SchoolCalendarPeriod.objects.select_related("authority", "setting"), pk=period_id
    )
    initial = {
        "kind": period.kind,
        "setting": str(period.setting_id or ""),
        "academic_year": period.academic_year,
        "first_day": period.first_day,
        "last_day": period.last_day,
        "description": period.description,
    }
    return _period_form_page(
        request,
        authority=period.authority,
        form=CalendarPeriodForm(request.POST or None, initial=initial, authority=period.authority),
        save=lambda data: calendar_period_update(actor=actor, period=period, **data),
        heading=_("Change a term or closure"),
        button=_("Save changes"),
        done=_("The changes have been saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_period_delete_view(request: HttpRequest, period_id: int) -> HttpResponse:
    actor = _require_administrator(request)
    period = get_object_or_404(
        SchoolCalendarPeriod.objects.select_related("authority", "setting"), pk=period_id
    )
    problems: list[str] = []
    if request.method == "POST":
        try:
            calendar_period_delete(actor=actor, period=period)
        except ValidationError as error:
            problems = list(error.messages)
        else:
            messages.success(request, _("The term or closure has been deleted."))
            return redirect("organisations:calendar_detail", authority_id=period.authority_id)
    return render(
        request,
        "organisations/calendar_period_delete.html",
        {"period": period, "authority": period.authority, "problems": problems},
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_upload_view(request: HttpRequest) -> HttpResponse:
    actor = _require_administrator(request)
    form = CalendarUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = calendar_upload(actor=actor, lines=form.cleaned_data["file"])
        except CalendarImportRefused as refused:
            for line, message in refused.problems:
                form.add_error(
                    "file", _("Line %(line)s: %(message)s") % {"line": line, "message": message}
                )
        else:
            messages.success(
                request,
                _("The calendar file has been loaded: %(periods)s terms and closures.")
                % {"periods": result.periods},
            )
            return redirect("organisations:index")
    return render(request, "organisations/calendar_upload.html", {"form": form})
