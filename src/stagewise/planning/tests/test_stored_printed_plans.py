"""Printed plans are rendered once: finalising queues a task that stores the version's PDF in
English and Welsh, for staff and for the family; a download serves the stored copy, and renders
and stores one when it is missing or was made by an older layout; a draft is never stored.

Rendering is slow, so the module's one real rendering is the task's, in the module's world; the
tests after it swap the renderer for one that fails (to show it is not called) or that counts.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from stagewise import printing
from stagewise.accounts.models import User
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.conftest import ACTOR_MAKERS, build_world
from stagewise.learners.models import Learner
from stagewise.planning import printed
from stagewise.planning.models import (
    Plan,
    PlanVersion,
    PrintedAudience,
    PrintedPlan,
    printed_copies_storage,
)
from stagewise.planning.services import plan_finalise, plan_revise
from stagewise.planning.tasks import store_printed_plans
from stagewise.testing.pdf import pdf_metadata, pdf_text
from stagewise.testing.plans import acting, complete_plan, finalised_plan
from stagewise.testing.worlds import built_once_per_module

PLAN_TYPE = "individualised_educational_programme"
QUEUE_ONLY = {
    alias: {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    for alias in ("default", "printing")
}


@dataclass
class PrintedWorld:
    learner: Learner
    users: dict[str, User]
    plan: Plan
    version: PlanVersion
    draft: Plan
    task_result: dict[str, Any]


def _build() -> PrintedWorld:
    world = build_world()
    users = {
        name: ACTOR_MAKERS[name](world)
        for name in ("teacher", "parent", "outsider_teacher", "other_parent")
    }
    teacher = acting(users["teacher"])
    plan = finalised_plan(teacher, world.learner, PLAN_TYPE)
    version = plan.versions.get()
    # The module is one transaction, so finalising queued nothing: run the task as the worker would.
    task_result = store_printed_plans.call(version.pk)
    draft = complete_plan(teacher, world.learner, "personal_learning_plan")
    return PrintedWorld(world.learner, users, plan, version, draft, task_result)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[PrintedWorld]:
    with built_once_per_module(_build, django_db_blocker) as built:
        yield built


@pytest.fixture
def printed_world(module_world: PrintedWorld, db: None) -> PrintedWorld:
    return module_world


def client_for(world: PrintedWorld, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def pdf_url(plan: Plan) -> str:
    return reverse("planning:pdf", args=[plan.learner.public_id, plan.public_id])


def stored(version: PlanVersion, language: str, audience: str) -> PrintedPlan:
    return PrintedPlan.objects.get(version=version, language=language, audience=audience)


def stored_bytes(copy: PrintedPlan) -> bytes:
    with copy.file.open("rb") as file:
        return file.read()


@pytest.fixture
def rendering_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**_: object) -> bytes:
        raise AssertionError("rendered, when the stored copy should have been served")

    monkeypatch.setattr(printed, "render_pdf", refuse)


@pytest.fixture
def renderings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A quick stand-in renderer: the titles of the documents it was asked to render."""
    titles: list[str] = []

    def render(*, html: str, base_url: str | None = None, title: str = "") -> bytes:
        titles.append(title)
        return f"%PDF-1.7 stand-in {len(titles)}".encode()

    monkeypatch.setattr(printed, "render_pdf", render)
    return titles


def test_finalising_queues_the_task_once_the_version_is_saved(
    printed_world, django_capture_on_commit_callbacks
):
    teacher = acting(printed_world.users["teacher"])
    plan = printed_world.draft
    with override_settings(TASKS=QUEUE_ONLY):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            version = plan_finalise(actor=teacher, plan=plan, based_on_revision=plan.edit_revision)
        # Nothing is queued until the version is saved for good.
        assert store_printed_plans.get_backend().results == []  # type: ignore[attr-defined]
        for callback in callbacks:
            callback()
        queued = store_printed_plans.get_backend().results  # type: ignore[attr-defined]

    assert [(result.task.name, result.args) for result in queued] == [
        (store_printed_plans.name, [version.pk])
    ]
    assert not PrintedPlan.objects.filter(version=version).exists()


def test_the_task_stores_both_languages_for_staff_and_for_the_family(printed_world):
    version = printed_world.version
    copies = PrintedPlan.objects.filter(version=version)

    assert printed_world.task_result == {"version": version.pk, "stored": 4}
    assert sorted((copy.language, copy.audience) for copy in copies) == [
        ("cy", "family"),
        ("cy", "staff"),
        ("en", "family"),
        ("en", "staff"),
    ]
    for copy in copies:
        pdf = stored_bytes(copy)
        assert pdf.startswith(b"%PDF")
        assert copy.size == len(pdf)
        assert copy.rendering == printed.printed_plan_rendering()
        assert str(copy.file.name).startswith("printed-plans/")
        assert pdf_metadata(pdf)["language"] == copy.language
    # The family's copy is their projection: no candidate number, as on their page.
    learner = printed_world.learner
    staff_text = pdf_text(stored_bytes(stored(version, "en", PrintedAudience.STAFF)))
    family_text = pdf_text(stored_bytes(stored(version, "en", PrintedAudience.FAMILY)))
    assert learner.candidate_number and learner.candidate_number in staff_text
    assert learner.candidate_number not in family_text


def test_running_the_task_again_renders_nothing(printed_world, rendering_fails):
    assert store_printed_plans.call(printed_world.version.pk) == {
        "version": printed_world.version.pk,
        "stored": 0,
    }


@pytest.mark.parametrize(
    ("who", "audience"), [("teacher", PrintedAudience.STAFF), ("parent", PrintedAudience.FAMILY)]
)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_download_serves_the_stored_copy_without_rendering(
    printed_world, rendering_fails, who, audience, language
):
    plan = printed_world.plan
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = client_for(printed_world, who).get(pdf_url(plan), {"language": language})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="plan-{PLAN_TYPE}-v1-{language}.pdf"'
    )
    assert response.content == stored_bytes(stored(printed_world.version, language, audience))
    exports = AuditEvent.objects.filter(pk__gt=before, action=AuditAction.EXPORT)
    assert [event.purpose for event in exports] == ["download plan as PDF"]


@pytest.mark.parametrize("who", ["outsider_teacher", "other_parent"])
def test_a_stored_copy_is_never_served_to_someone_who_cannot_see_the_plan(
    printed_world, rendering_fails, who
):
    response = client_for(printed_world, who).get(pdf_url(printed_world.plan))

    assert response.status_code == 404
    assert not response.content.startswith(b"%PDF")


def test_a_missing_file_is_rendered_again_stored_and_served(printed_world, renderings):
    copy = stored(printed_world.version, "en", PrintedAudience.STAFF)
    copy.file.name = "printed-plans/gone.pdf"
    copy.save()

    response = client_for(printed_world, "teacher").get(pdf_url(printed_world.plan))

    assert response.status_code == 200
    assert len(renderings) == 1
    copy.refresh_from_db()
    assert copy.file.name != "printed-plans/gone.pdf"
    assert response.content == stored_bytes(copy) == b"%PDF-1.7 stand-in 1"
    assert copy.size == len(response.content)
    # The next download is served from the new copy.
    client_for(printed_world, "teacher").get(pdf_url(printed_world.plan))
    assert len(renderings) == 1


def test_a_damaged_file_is_rendered_again(printed_world, renderings):
    copy = stored(printed_world.version, "cy", PrintedAudience.FAMILY)
    copy.checksum = "0" * 64
    copy.save()

    response = client_for(printed_world, "parent").get(
        pdf_url(printed_world.plan), {"language": "cy"}
    )

    assert response.content == b"%PDF-1.7 stand-in 1"
    assert len(renderings) == 1


def test_a_draft_is_rendered_at_every_download_and_never_stored(printed_world, renderings):
    client = client_for(printed_world, "teacher")
    stored_before = PrintedPlan.objects.count()

    for _attempt in range(2):
        response = client.get(pdf_url(printed_world.draft))
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            'attachment; filename="plan-personal_learning_plan-v1-en.pdf"'
        )

    assert len(renderings) == 2
    assert PrintedPlan.objects.count() == stored_before


def test_a_revised_plan_prints_its_draft_and_its_signed_version_from_the_store(
    printed_world, renderings
):
    teacher = acting(printed_world.users["teacher"])
    plan_revise(actor=teacher, plan=printed_world.plan)
    client = client_for(printed_world, "teacher")

    draft = client.get(pdf_url(printed_world.plan))
    signed = client.get(pdf_url(printed_world.plan), {"version": 1})

    assert draft.content == b"%PDF-1.7 stand-in 1"
    assert signed.content == stored_bytes(
        stored(printed_world.version, "en", PrintedAudience.STAFF)
    )
    assert len(renderings) == 1


def test_a_copy_made_by_another_rendering_is_made_again(
    printed_world, renderings, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(printed, "printed_plan_rendering", lambda: "2/a new layout")

    response = client_for(printed_world, "teacher").get(pdf_url(printed_world.plan))

    assert response.content == b"%PDF-1.7 stand-in 1"
    copy = stored(printed_world.version, "en", PrintedAudience.STAFF)
    assert copy.rendering == "2/a new layout"
    assert stored_bytes(copy) == response.content


def test_the_rendering_changes_with_the_templates_and_the_stylesheet(
    monkeypatch: pytest.MonkeyPatch,
):
    today = printed.printed_plan_rendering.__wrapped__()
    assert today.startswith(f"{printed.PRINTED_PLAN_LAYOUT}/weasyprint-")

    monkeypatch.setattr(printed, "print_stylesheet", lambda: "h1 { color: red }")
    assert printed.printed_plan_rendering.__wrapped__() != today
    # The included templates count too: the document body is what most changes.
    sources = printed._template_sources(printed.PRINTED_PLAN_TEMPLATE, set())
    assert len(sources) >= 3


def test_the_backfill_stores_what_is_missing_and_can_queue_it(printed_world, renderings):
    teacher = acting(printed_world.users["teacher"])
    plan = printed_world.draft
    version = plan_finalise(actor=teacher, plan=plan, based_on_revision=plan.edit_revision)

    with override_settings(TASKS=QUEUE_ONLY):
        call_command("store_printed_plans", "--enqueue", stdout=StringIO())
        queued = store_printed_plans.get_backend().results  # type: ignore[attr-defined]
    assert [result.args for result in queued] == [[version.pk]]
    assert len(renderings) == 0

    call_command("store_printed_plans", stdout=StringIO())

    assert len(renderings) == 4
    assert PrintedPlan.objects.filter(version=version).count() == 4
    assert printed.printed_plans_missing() == []


def test_the_task_says_so_when_this_server_cannot_make_pdfs(
    printed_world, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(printing, "missing_pdf_library", lambda: "Pango")
    teacher = acting(printed_world.users["teacher"])
    plan = printed_world.draft
    version = plan_finalise(actor=teacher, plan=plan, based_on_revision=plan.edit_revision)

    result = store_printed_plans.call(version.pk)

    assert result["stored"] == 0
    assert "Pango" in str(result["unavailable"])


def test_a_deleted_copy_takes_its_file_with_it(printed_world, django_capture_on_commit_callbacks):
    teacher = acting(printed_world.users["teacher"])
    plan = printed_world.draft
    version = plan_finalise(actor=teacher, plan=plan, based_on_revision=plan.edit_revision)
    copy = printed.printed_plan_store(
        version=version, language="en", family=False, pdf=b"%PDF-1.7 stand-in"
    )
    name = str(copy.file.name)
    assert printed_copies_storage().exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        copy.delete()

    assert not printed_copies_storage().exists(name)
