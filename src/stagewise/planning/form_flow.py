"""How every plan form behaves: the editor check, calling the service, showing a refusal on
the form, and showing both versions when a colleague saved first."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stagewise.form_errors import refusal_on_form
from stagewise.learners.models import Learner
from stagewise.planning.models import Plan
from stagewise.planning.services import (
    PlanEditConflict,
    content_fingerprint,
)
from stagewise.planning.views import plan_for
from stagewise.policy import Capability


def editor_plan(request: HttpRequest, learner_id: str, plan_id: str, purpose: str) -> tuple:
    return plan_for(request, learner_id, plan_id, purpose, Capability.EDIT_PLANS)


def to_plan(plan: Plan, anchor: str = "") -> HttpResponse:
    response = redirect(
        "planning:detail", learner_id=plan.learner.public_id, plan_id=plan.public_id
    )
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def save_or_show_errors(
    form: Any, write: Callable[[], object]
) -> tuple[bool, PlanEditConflict | None]:
    """Calls the service; a refusal becomes form errors, a conflict is handed back to show."""
    try:
        write()
    except PlanEditConflict as conflict:
        form.add_error(None, conflict.messages[0])
        return False, conflict
    except ValidationError as error:
        refusal_on_form(form, error)
        return False, None
    return True, None


def form_page(
    request: HttpRequest,
    *,
    learner: Learner,
    plan: Plan | None,
    form: Any,
    title: str,
    submit: str,
    intro: str = "",
    conflict_rows: list[tuple[str, str, str]] | None = None,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "planning/form_page.html",
        {
            "learner": learner,
            "plan": plan,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "conflict_rows": conflict_rows,
            **extra,
        },
    )


def conflict_rows_for(
    form: Any, saved: dict[str, Any], fields: list[str]
) -> list[tuple[str, str, str]]:
    rows = []
    for name in fields:
        bound = form[name] if name in form.fields else None
        label = str(bound.label) if bound is not None else name
        yours = form.cleaned_data.get(name, "") if hasattr(form, "cleaned_data") else ""
        rows.append(
            (
                label,
                "" if yours is None else str(yours),
                "" if saved.get(name) is None else str(saved[name]),
            )
        )
    return rows


def rebase(form: Any, saved: dict[str, Any]) -> None:
    """After a conflict the form keeps the editor's words but is now based on the saved version,
    so saving again is a deliberate choice made with both versions in view."""
    data = form.data.copy()
    data["based_on"] = content_fingerprint(saved)
    form.data = data


def form_flow(
    request: HttpRequest,
    *,
    learner: Learner,
    plan: Plan | None,
    form: Any,
    write: Callable[[dict[str, Any]], object],
    success: str,
    anchor: str = "",
    done: Callable[[object], HttpResponse] | None = None,
    conflict_fields: list[str] | None = None,
    **page: Any,
) -> HttpResponse:
    """The life of a plan form: show it; on a valid post call the service; on success say so and
    go back to the plan (or to `done`); on refusal show the form again with the reason; on an
    edit conflict show both versions, with the form rebased on the saved one."""
    conflict_rows = None
    if request.method == "POST" and form.is_valid():
        results: list[object] = []
        saved, conflict = save_or_show_errors(
            form, lambda: results.append(write(form.cleaned_data))
        )
        if saved:
            messages.success(request, success)
            if done is not None:
                return done(results[0])
            assert plan is not None
            return to_plan(plan, anchor)
        if conflict is not None and conflict_fields is not None:
            conflict_rows = conflict_rows_for(form, conflict.saved, conflict_fields)
            rebase(form, conflict.saved)
    return form_page(
        request, learner=learner, plan=plan, form=form, conflict_rows=conflict_rows, **page
    )


def button_action(
    request: HttpRequest,
    *,
    plan: Plan,
    write: Callable[[], object],
    success: str | Callable[[object], str],
    anchor: str = "",
) -> HttpResponse:
    """A one-button action on the plan page: call the service, say what happened or why not, and
    go back to the plan."""
    try:
        result = write()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return to_plan(plan, anchor)
