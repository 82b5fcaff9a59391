"""Pages for record transfer (ADR 0053): download a learner's transfer document; check and import
one sent by another organisation; read what was received."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stagewise.form_errors import refusal_on_form
from stagewise.learners.access import get_learner_for
from stagewise.organisations.models import LocalAuthority, Setting
from stagewise.policy import Capability, require
from stagewise.transfers.forms import (
    SigningKeyReplaceForm,
    TransferConfirmForm,
    TransferUploadForm,
)
from stagewise.transfers.models import SigningKey
from stagewise.transfers.selectors import import_settings_for, received_transfer_list
from stagewise.transfers.services import (
    MAX_DOCUMENT_BYTES,
    TransferCheck,
    record_transfer_check,
    record_transfer_export,
    record_transfer_import,
    signing_key_replace,
    transfer_document_file,
)


@login_required
def transfer_export_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor, learner_id, purpose="export record transfer", capability=Capability.MOVE_LEARNERS
    )
    try:
        envelope = record_transfer_export(actor=actor, learner=learner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("learners:profile", learner_id=learner.public_id)
    response = HttpResponse(transfer_document_file(envelope), content_type="application/json")
    name = f"record-transfer-{envelope['document']['transfer_id']}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def transfers_received_view(request: HttpRequest, learner_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    learner = get_learner_for(
        actor,
        learner_id,
        purpose="view received record transfers",
        capability=Capability.VIEW_PROFESSIONAL_RECORD,
    )
    return render(
        request,
        "transfers/received.html",
        {"learner": learner, "received": received_transfer_list(learner=learner)},
    )


@login_required
def transfer_import_view(request: HttpRequest) -> HttpResponse:
    """Upload, then confirm: the first post checks the document and shows what importing it
    would do; the second (the confirmation form, carrying the document again) imports it."""
    actor = request.actor  # type: ignore[attr-defined]
    offered = import_settings_for(actor)
    if not offered.exists():
        raise Http404
    if request.method == "POST" and "match" in request.POST:
        return _confirm(request, offered)
    form = TransferUploadForm(request.POST or None, request.FILES or None, settings_offered=offered)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        setting = form.cleaned_data["setting"]
        content = upload.read(MAX_DOCUMENT_BYTES + 1)
        try:
            check = record_transfer_check(actor=actor, setting=setting, content=content)
        except ValidationError as error:
            form.add_error("document", error.messages)
        else:
            confirm = _confirm_form(check, content, setting, offered)
            return _check_page(request, check, confirm, setting)
    return render(request, "transfers/import.html", {"form": form})


def _confirm_form(
    check: TransferCheck, content: bytes, setting: Setting, offered: object
) -> TransferConfirmForm:
    """The confirmation of what the check shows, unbound: the match (or that a number is
    needed before there can be one) and the number entered so far."""
    return TransferConfirmForm(
        initial={
            # URL-safe: a form field's "+" and "/" would be sent as three bytes each.
            "content": base64.urlsafe_b64encode(content).decode("ascii"),
            "setting": setting.pk,
            "match": check.match_value,
            "candidate_number": check.candidate_number if check.renumbered else "",
            "year_group": check.record["learner"]["year_group"] or "",
        },
        settings_offered=offered,
        nation=setting.authority.nation.code,
    )


def _check_page(
    request: HttpRequest, check: TransferCheck, form: TransferConfirmForm, setting: object
) -> HttpResponse:
    return render(
        request,
        "transfers/import_check.html",
        {"check": check, "form": form, "setting": setting, "record": check.record},
    )


def _confirm(request: HttpRequest, offered: object) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    setting = None
    setting_id = request.POST.get("setting", "")
    if setting_id.isdigit():
        setting = offered.filter(pk=setting_id).select_related("authority__nation").first()  # type: ignore[attr-defined]
    if setting is None:
        raise Http404
    form = TransferConfirmForm(
        request.POST, settings_offered=offered, nation=setting.authority.nation.code
    )
    valid = form.is_valid()  # and cleaned_data, which add_error below needs
    number = form.cleaned_data.get("candidate_number", "")
    try:
        content = base64.b64decode(request.POST.get("content", ""), altchars=b"-_", validate=True)
    except ValueError:  # not base64, or not even ASCII (binascii.Error is a ValueError)
        content = b""
    try:
        check = record_transfer_check(
            actor=actor, setting=setting, content=content, candidate_number=number
        )
    except ValidationError as error:
        if _about_the_number(error):
            # Only the number entered is wrong: the same page, saying what to fix there.
            check = record_transfer_check(actor=actor, setting=setting, content=content)
            form.add_error("candidate_number", error.message_dict["candidate_number"])
            return _check_page(request, check, form, setting)
        # Unbound, so the file is asked for again, yet saying why: add_error needs cleaned_data
        # (without it a refusal here, such as a document imported meanwhile, was a 500).
        upload = TransferUploadForm(settings_offered=offered)
        upload.cleaned_data = {}
        upload.add_error(None, error.messages)
        return render(request, "transfers/import.html", {"form": upload})
    if (
        valid
        and check.renumbered
        and not check.number_needed
        and form.cleaned_data["match"] != check.match_value
    ):
        # The number was just entered (or changed): the page shows who the document matches
        # with it, and nothing is imported until the lead confirms that match.
        confirm = _confirm_form(check, content, setting, offered)
        return _check_page(request, check, confirm, setting)
    if valid:
        try:
            imported = record_transfer_import(
                actor=actor,
                setting=setting,
                content=content,
                confirmed_match=form.cleaned_data["match"],
                year_group=form.cleaned_data["year_group"],
                candidate_number=number,
            )
        except ValidationError as error:
            if _about_the_number(error):
                form.add_error("candidate_number", error.message_dict["candidate_number"])
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("The record sent by %(sender)s has been imported for %(learner)s.")
                % {
                    "sender": imported.transfer.sending_organisation,
                    "learner": imported.learner.display_name,
                },
            )
            return redirect("transfers:received", learner_id=imported.learner.public_id)
    return _check_page(request, check, form, setting)


def _about_the_number(error: ValidationError) -> bool:
    """Whether the refusal is of the number entered for the receiving nation alone."""
    return hasattr(error, "error_dict") and set(error.error_dict) == {"candidate_number"}


@login_required
@require_http_methods(["GET"])
def signing_keys_view(request: HttpRequest) -> HttpResponse:
    """Every authority's signing keys, the one in use and those retired, with their public halves:
    what an administrator gives receivers to register (ADR 0053)."""
    require(request.actor, Capability.ADMINISTER_ORGANISATIONS)  # type: ignore[attr-defined]
    keys = SigningKey.objects.select_related("authority").order_by("authority__name", "-created_at")
    return render(
        request,
        "transfers/signing_keys.html",
        {"keys": keys, "replaced": request.GET.get("replaced") == "1"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def signing_key_replace_view(request: HttpRequest, authority_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, Capability.ADMINISTER_ORGANISATIONS)
    authority = get_object_or_404(LocalAuthority, pk=authority_id)
    form = SigningKeyReplaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signing_key_replace(actor=actor, authority=authority)
        except ValidationError as error:
            refusal_on_form(form, error)
        else:
            return redirect(f"{reverse('transfers:signing_keys')}?replaced=1")
    in_use = SigningKey.objects.filter(authority=authority, retired_at__isnull=True).first()
    return render(
        request,
        "transfers/signing_key_replace.html",
        {"form": form, "authority": authority, "in_use": in_use},
    )
