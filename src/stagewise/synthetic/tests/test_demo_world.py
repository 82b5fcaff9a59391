"""The demo world: the sign-ins the README lists, the same world on every machine, and a world that
tells the truth about the people in it. The world is built once for the module (it takes about
ten seconds); each test runs inside it and its changes are rolled back."""

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from stagewise.accounts.actors import actors_for
from stagewise.accounts.models import User
from stagewise.actionplans.models import Action, ProgressReport
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.coordination.models import Meeting, RequestForAssistance, ServicePathway
from stagewise.learners.access import visible_learners
from stagewise.learners.models import Learner, StageDecision
from stagewise.measurement.census import census_return_get, census_scope, default_census_day
from stagewise.measurement.models import (
    AttendanceRecord,
    CurriculumJudgement,
    Exclusion,
    MainstreamTime,
    Qualification,
)
from stagewise.organisations.models import Agency, AgencyType, Role, Setting
from stagewise.organisations.public_information_models import AuthorityStatement, SchoolOffer
from stagewise.planning.models import (
    PlanResponse,
    PlanStatus,
    PlanType,
    RecipientKind,
    ResponseKind,
)
from stagewise.statutory.models import LocalThresholdDescriptor, NationalStage
from stagewise.synthetic.demo import (
    CONFIGURATION_APPS,
    DEMO_DOMAIN,
    build_demo_world,
    configuration_administrators_group,
)
from stagewise.synthetic.demo_local_actions import add_demo_local_actions
from stagewise.testing.plans import acting
from stagewise.testing.transfers import held_elsewhere
from stagewise.transfers.models import TrustedKey
from stagewise.transfers.services import (
    record_transfer_check,
    record_transfer_export,
    record_transfer_import,
    transfer_document_file,
)

README = Path(__file__).resolve().parents[4] / "README.md"
TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "teacher"}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo_world(seed=2026)
        transaction.set_rollback(True)


@pytest.fixture
def demo_mode(settings):
    """`make demo` runs in demo mode, where staff sign in without an authenticator app."""
    settings.STAFF_TWO_FACTOR_REQUIRED = False


def account(name: str) -> User:
    return User.objects.get(email=f"{name}@{DEMO_DOMAIN}")


def the_parents_first_child() -> Learner:
    return visible_learners(actors_for(account("parent"))[0]).order_by("pk")[0]


def the_young_person() -> tuple[User, Learner]:
    user = account("young-person")
    return user, Learner.objects.get(young_person_account=user)


def test_every_sign_in_in_the_readme_exists_and_has_a_role(world):
    listed = set(re.findall(r"`([a-z-]+@demo\.stagewise\.test)`", README.read_text()))

    assert listed == {sign_in.email for sign_in in world.sign_ins}
    for email in listed:
        assert actors_for(User.objects.get(email=email)), email


def test_the_demo_has_about_two_hundred_learners_with_families(world):
    assert 180 <= Learner.objects.count() <= 220
    assert not Learner.objects.filter(carer_links__isnull=True).exists()


def test_each_staff_sign_in_sees_learners_and_the_analyst_and_administrator_see_none(world):
    counts = {
        sign_in.email.split("@")[0]: visible_learners(
            actors_for(User.objects.get(email=sign_in.email))[0]
        ).count()
        for sign_in in world.sign_ins
    }

    assert counts["analyst"] == 0 and counts["administrator"] == 0
    # The data protection officer reads no record page: they export, through their own door.
    assert counts["data-protection"] == 0
    # Policy officers track the national action plans and see no learner at all.
    assert counts["policy-officer"] == 0 and counts["project-board"] == 0
    assert counts["parent"] == 2 and counts["young-person"] == 1
    for name in [
        "teacher",
        "support-lead",
        "head",
        "authority-officer",
        "psychologist",
        "speech-therapist",
        "alnco",
    ]:
        assert counts[name] > 0, name


def test_the_parents_child_has_a_stage_history_to_show(world):
    child = the_parents_first_child()

    assert StageDecision.objects.filter(learner=child).count() >= 3


def test_the_readme_names_the_parents_first_child_and_the_young_person(world):
    child = the_parents_first_child()
    readme = README.read_text()

    assert f"({child.display_name}, Riverside)" in readme
    assert f"({account('young-person').full_name}, Northfield Academy)" in readme


def test_every_demo_service_publishes_a_pathway_in_english_and_welsh(world):
    assert not Agency.objects.filter(pathway__isnull=True).exists()
    assert set(Agency.objects.values_list("agency_type", flat=True)) == set(AgencyType.values)
    assert not ServicePathway.objects.filter(summary_cy="").exists()
    # The charity is contacted by families themselves; the others take requests.
    direct = ServicePathway.objects.filter(accepts_requests=False)
    assert set(direct.values_list("service__agency_type", flat=True)) == {AgencyType.THIRD_SECTOR}
    # Each request sent has its answer due by its service's published response time.
    sent = RequestForAssistance.objects.filter(sent_on__isnull=False, clock__isnull=True)
    assert sent.exists() and not sent.filter(due_on__isnull=True).exists()


def test_the_demo_authorities_publish_their_information_and_a_few_schools_their_offer(
    world, client
):
    statements = AuthorityStatement.objects.select_related("authority")
    assert {s.authority.code for s in statements} == {"glasgow-city", "fife", "cardiff"}
    # Fife's is left unfinished, so that the demo shows what a family reads in its place.
    assert statements.get(authority__code="fife").post_16 == ""
    offers = SchoolOffer.objects.select_related("setting__authority")
    assert {o.setting.authority.code for o in offers} == {"glasgow-city", "cardiff"}
    assert not offers.filter(items__isnull=True).exists()
    page = client.get(reverse("information:authority", args=["fife"]))
    assert "Fife has not written this section yet." in page.content.decode()


def test_the_demo_authorities_describe_each_national_stage_in_their_own_words(world):
    described = {
        (authority, national_stage)
        for authority, national_stage in LocalThresholdDescriptor.objects.values_list(
            "authority__code", "local_stage__national_stage"
        )
    }
    assert described == {
        (authority, national_stage)
        for authority in ("glasgow-city", "fife", "cardiff")
        for national_stage in NationalStage.values
    }


def test_every_demo_account_is_named_after_a_person(world):
    for user in User.objects.all():
        words = user.full_name.split()
        assert len(words) >= 2, user.email
        assert words[0].lower().rstrip(".") not in TITLES, user.email
        assert not re.search(r"\d", user.full_name), user.email


def test_the_home_page_greets_each_sign_in_by_their_first_name(world, client, demo_mode):
    for sign_in in world.sign_ins:
        user = User.objects.get(email=sign_in.email)
        client.force_login(user)

        heading = re.search(r"<h1[^>]*>(.*?)</h1>", client.get("/").content.decode(), re.S)

        assert heading is not None, sign_in.email
        assert user.full_name.split()[0] in heading.group(1), sign_in.email
    client.force_login(account("psychologist"))
    assert "Hello, Priya" in client.get("/").content.decode()


def test_the_young_person_is_the_learner_of_the_same_name_with_needs(world):
    user, learner = the_young_person()

    assert learner.display_name == user.full_name
    assert learner.legal_name == user.full_name
    assert learner.needs.exists()
    assert learner.enrolments.get().setting.name == "Northfield Academy"


def test_the_young_person_has_a_finalised_plan_shared_with_him(world):
    _user, learner = the_young_person()

    plan = learner.plans.get()

    assert plan.status == PlanStatus.FINALISED
    assert plan.communications.filter(
        version_number=1, recipient_kind=RecipientKind.LEARNER
    ).exists()
    assert not plan.responses.exists()


def test_the_young_person_reads_his_plan_and_may_disagree_with_it(world, client):
    user, learner = the_young_person()
    plan = learner.plans.get()
    client.force_login(user)

    page = client.get(reverse("planning:detail", args=[learner.public_id, plan.public_id]))
    sent = client.post(
        reverse("planning:respond", args=[learner.public_id, plan.public_id]),
        {"response": ResponseKind.DISAGREED, "words": "I want to sit exams in the main hall."},
    )

    assert page.status_code == 200
    text = page.content.decode()
    assert "This version of the plan was shared with you on" in text
    assert "Respond to the plan" in text
    assert sent.status_code == 302
    response = PlanResponse.objects.get(plan=plan)
    assert (response.responder, response.response) == (user, ResponseKind.DISAGREED)


def test_the_parent_sees_that_version_two_was_shared_after_she_agreed_to_version_one(world, client):
    parent = account("parent")
    child = the_parents_first_child()
    plan = child.plans.get(plan_type__key="individualised_educational_programme")

    assert plan.versions.count() == 2
    assert plan.communications.filter(
        version_number=2, recipient_kind=RecipientKind.PARENT
    ).exists()
    assert list(plan.responses.values_list("responder", "version_number")) == [(parent.pk, 1)]
    client.force_login(parent)
    page = client.get(reverse("planning:detail", args=[child.public_id, plan.public_id]))
    text = page.content.decode()
    assert "A new version of this plan was shared with you on" in text
    assert "You last responded to version 1." in text


def test_the_administrator_is_staff_but_not_a_superuser(world):
    administrator = account("administrator")

    assert administrator.is_staff
    assert not administrator.is_superuser
    assert [actor.role for actor in actors_for(administrator)] == [Role.SYSTEM_ADMINISTRATOR]


def test_the_administrator_may_change_every_configuration_model_the_admin_registers(world):
    administrator = account("administrator")
    registered = [
        model for model in admin.site._registry if model._meta.app_label in CONFIGURATION_APPS
    ]

    assert registered
    for model in registered:
        label = f"{model._meta.app_label}.change_{model._meta.model_name}"
        assert administrator.has_perm(label), label
    assert not administrator.has_perm("accounts.change_user")
    assert not administrator.has_perm("auth.change_group")
    assert not administrator.has_perm("learners.view_learner")


def test_the_administrator_uses_the_configuration_admin_and_the_administration_pages(
    world, client, demo_mode
):
    client.force_login(account("administrator"))

    assert client.get("/django-admin/").status_code == 200
    assert client.get(reverse("admin:planning_plantype_changelist")).status_code == 200
    plan_type = PlanType.objects.order_by("pk")[0]
    change_page = client.get(reverse("admin:planning_plantype_change", args=[plan_type.pk]))
    # The plan type's sections are edited inline on its page, so they are granted with it.
    assert 'id="sections-group"' in change_page.content.decode()
    # Accounts are not configuration: refused, or not in the admin at all.
    assert client.get("/django-admin/accounts/user/").status_code in (403, 404)
    assert client.get(reverse("organisations:index")).status_code == 200
    assert client.get(reverse("organisations:person_list")).status_code == 200


def test_a_model_taken_out_of_the_admin_is_no_longer_granted(world):
    model, model_admin = next(
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in CONFIGURATION_APPS
    )
    admin.site.unregister(model)
    try:
        group = configuration_administrators_group()
    finally:
        admin.site.register(model, type(model_admin))

    assert not group.permissions.filter(
        content_type=ContentType.objects.get_for_model(model)
    ).exists()
    assert group.permissions.exists()


def test_a_second_build_into_a_database_with_learners_is_refused(world):
    with pytest.raises(RuntimeError, match="empty"):
        build_demo_world(seed=2026)


def _open_clocks(**filters):
    from stagewise.statutory.models import ProcessStatus, StatutoryProcess

    return StatutoryProcess.objects.filter(status=ProcessStatus.RUNNING, **filters)


def _due_spread(clocks) -> set[str]:
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    spread = set()
    for process in clocks:
        if process.due_on is None:
            continue
        if process.due_on < today:
            spread.add("overdue")
        elif process.due_on < today + timedelta(days=7):
            spread.add("this week")
        elif process.due_on <= today + timedelta(weeks=4):
            spread.add("within four weeks")
        else:
            spread.add("later")
    return spread


def test_the_support_lead_has_school_run_clocks_overdue_this_week_and_within_four_weeks(world):
    from stagewise.statutory.models import Responsible

    school_run = _open_clocks(
        setting__name="Riverside Primary School", responsible=Responsible.SETTING
    )
    assert _due_spread(school_run) == {"overdue", "this week", "within four weeks", "later"}


def test_the_authority_officer_has_glasgow_clocks_due_at_every_distance(world):
    from stagewise.statutory.models import Responsible

    authority_run = _open_clocks(authority__name="Glasgow City", responsible=Responsible.AUTHORITY)
    assert _due_spread(authority_run) >= {"overdue", "this week", "within four weeks", "later"}


def test_a_coordinated_support_plan_is_in_preparation_and_another_is_finalised_under_review(world):
    preparing = _open_clocks(
        rule_key="scotland.coordinated_support_plan_prepare", plan__status=PlanStatus.DRAFT
    ).get()
    assert preparing.plan.plan_type.key == "coordinated_support_plan"
    assert preparing.started_on < preparing.plan.created_at.date()
    review = _open_clocks(rule_key="scotland.coordinated_support_plan_review").get()
    assert review.plan.status == PlanStatus.FINALISED
    assert review.plan.versions.exists()


def test_the_alnco_has_a_school_decision_counted_on_cardiffs_calendar_and_one_waiting(world):
    from datetime import date

    decisions = _open_clocks(
        setting__name="Ysgol Gymraeg Glan Taf",
        rule_key="wales.individual_development_plan_school_decision",
    )
    assert decisions.filter(started_on=date(2026, 2, 2), due_on=date(2026, 4, 13)).exists()
    waiting = decisions.get(due_on__isnull=True)
    assert waiting.due_problem == "The 2026/27 calendar for Cardiff is needed to set this date."


def test_the_parents_first_child_has_a_meeting_held_with_actions_and_one_to_come(world, client):
    learner = the_parents_first_child()
    today = timezone.localdate()
    held = Meeting.objects.get(learner=learner, held_on__lt=today)
    upcoming = Meeting.objects.get(learner=learner, held_on__gt=today)

    assert held.minutes_agreed and held.shared_with_family
    assert sorted(action.is_done for action in held.actions.all()) == [False, False, True]
    assert held.actions.filter(done_at=None, due_on__lt=today).exists()
    assert upcoming.views.filter(on_their_behalf=False).exists()
    client.force_login(account("parent"))
    page = client.get(reverse("meetings:detail", args=[learner.public_id, held.public_id]))
    assert "Send sound practice cards home each week." in page.content.decode()
    assert "letters go by email" not in page.content.decode()


def test_the_parent_has_a_disagreement_at_mediation_with_its_provider_and_no_staff_note(
    world, client
):
    child = the_parents_first_child()
    disagreement = child.disagreements.get()
    client.force_login(account("parent"))

    text = client.get(reverse("disagreements:list", args=[child.public_id])).content.decode()

    assert disagreement.current_route == "scotland.mediation" and disagreement.is_open
    assert "Clyde Family Mediation" in text
    assert "pupil support assistant left" not in text


def test_the_named_learners_have_outcome_records_at_their_school(world):
    story_learner = the_parents_first_child()
    _user, young_person = the_young_person()
    for learner in (story_learner, young_person):
        school = learner.enrolments.get().setting
        terms = learner.attendance_records.all()
        # This term so far (and last school year's three terms for all but a P1 pupil), at the
        # school they have been at since starting there.
        assert terms.exists()
        assert {record.setting for record in terms} == {school}
        assert all(record.attended_sessions <= record.possible_sessions for record in terms)
    # The young person in S5 sat his S4 exams last year.
    assert young_person.qualifications.count() >= 4
    with_needs = Learner.objects.filter(needs__isnull=False).distinct()
    assert MainstreamTime.objects.filter(learner__in=with_needs).exists()
    assert not MainstreamTime.objects.exclude(learner__in=with_needs).exists()
    assert CurriculumJudgement.objects.exists()
    for model in (AttendanceRecord, Exclusion, CurriculumJudgement, Qualification, MainstreamTime):
        for record in model.objects.all()[:40]:
            record.full_clean()


@pytest.mark.parametrize("account_name", ["support-lead", "alnco", "authority-officer"])
def test_the_demo_schools_census_returns_pass_their_own_checks(world, account_name):
    """Riverside Primary's pupil census items (its support-for-learning lead's return), Glan
    Taf's PLASC items (the ALNCo's) and Glasgow City's (its officer's): nothing to put right, so
    the download is offered."""
    actor = actors_for(account(account_name))[0]
    scope = census_scope(actor)
    census_return = census_return_get(
        actor=actor, scope=scope, census_day=default_census_day(scope, timezone.localdate())
    )

    assert [(p.learner_name or p.school, p.what) for p in census_return.problems] == []
    assert census_return.rows
    assert census_return.ready


def test_the_subject_access_export_of_a_demo_learner_contains_their_audit_trail(
    world, client, demo_mode
):
    """The teacher opens a Glasgow learner's record; Glasgow's data protection officer exports
    it, and the export names the teacher, their role and when, and records itself."""
    teacher = account("teacher")
    learner = visible_learners(actors_for(teacher)[0]).order_by("pk")[0]
    client.force_login(teacher)
    client.get(reverse("learners:profile", args=[learner.public_id]))
    client.force_login(account("data-protection"))

    response = client.get(reverse("data_protection:download", args=[learner.public_id]))

    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        trail = json.loads(bundle.read("audit.auditevent.json"))
    opened = [e for e in trail if e["user"] and e["user"]["id"] == teacher.pk]
    assert opened and opened[0]["role"] == Role.CLASS_TEACHER and opened[0]["occurred_at"]
    assert trail[-1]["object_type"] == "subject_access"


def test_the_demo_has_a_published_progress_report_a_visitor_reads(world, client):
    report = ProgressReport.objects.get()
    page = client.get(reverse("public_action_plans:report", args=[report.pk]))

    assert report.is_published and report.contents["actions"] == 36
    assert page.status_code == 200 and report.title in page.content.decode()


def test_glasgows_officer_keeps_a_local_action_plan_with_one_overdue_and_li_21_shows_it(
    world, client, demo_mode
):
    officer = account("authority-officer")
    client.force_login(officer)
    home = client.get(reverse("home")).content.decode()
    li_21 = Action.objects.get(number="LI 21")
    public = client.get(reverse("public_action_plans:action", args=[li_21.pk])).content.decode()

    assert ">GC 3.4</a>" in home and ">GC 2.1</a>" not in home
    assert "Glasgow City" in public and "Fife" in public and ">F-07</a>" in public
    assert add_demo_local_actions(today=timezone.localdate()) == 0


def test_glasgows_officer_has_a_looked_after_child_considered_and_one_waiting_in_the_queue(world):
    from stagewise.accounts.work_queue import ItemKind, work_queue_get
    from stagewise.statutory.models import CoordinatedSupportPlanConsideration

    officer = next(
        actor
        for actor in actors_for(User.objects.get(full_name="Alan Kerr"))
        if actor.role == Role.LOCAL_AUTHORITY_OFFICER
    )
    considered = CoordinatedSupportPlanConsideration.objects.filter(authority__name="Glasgow City")
    queue = work_queue_get(actor=officer)
    assert queue is not None
    waiting = [
        item
        for group in queue.groups
        for item in group.items
        if item.kind == ItemKind.CONSIDERATION
    ]

    assert considered.count() == 1
    assert waiting
    assert considered.get().learner.public_id not in {item.learner_id for item in waiting}
    assert all(Learner.objects.get(public_id=item.learner_id).looked_after for item in waiting)


def test_a_record_sent_by_one_demo_authority_is_imported_in_another(world):
    """Record transfer (ADR 0053, amended): the demo set every authority's signing key and the
    register of trusted keys up as its administrator (audited), so Glasgow's officer exports a
    learner's record and Fife's officer checks and imports it at Harbourside Primary School with
    nothing set up by hand. One database holds both authorities: as it is, the check says the
    record is already here; standing for two deployments (testing/transfers.py), it imports."""
    glasgow_officer = acting(account("authority-officer"), Role.LOCAL_AUTHORITY_OFFICER)
    fife_officer = acting(account("fife-officer"))
    harbourside = Setting.objects.get(name="Harbourside Primary School")
    learner = (
        Learner.objects.filter(
            enrolments__setting__name="Riverside Primary School", plans__versions__isnull=False
        )
        .order_by("pk")
        .first()
    )
    assert learner is not None
    open_entries = learner.chronology.filter(restricted=False).count()
    registered = AuditEvent.objects.filter(
        user=account("administrator"), object_type="trustedkey", action=AuditAction.CREATE
    )
    assert set(TrustedKey.objects.values_list("organisation_name", flat=True)) == {
        "Glasgow City",
        "Fife",
        "Cardiff",
    }
    assert registered.count() == 3

    content = transfer_document_file(record_transfer_export(actor=glasgow_officer, learner=learner))
    with pytest.raises(ValidationError, match="record the move"):
        record_transfer_check(actor=fife_officer, setting=harbourside, content=content)
    held_elsewhere(learner)
    sent = json.loads(content)["document"]
    check = record_transfer_check(actor=fife_officer, setting=harbourside, content=content)
    imported = record_transfer_import(
        actor=fife_officer,
        setting=harbourside,
        content=content,
        confirmed_match=check.match_value,
        year_group=sent["learner"]["year_group"],
    )

    assert check.trusted_key.organisation_name == "Glasgow City"
    assert imported.created and imported.learner.legal_name == learner.legal_name
    assert imported.learner in visible_learners(fife_officer)
    assert sent["sender"]["name"] == "Glasgow City" and sent["plans"]
    assert imported.learner.chronology.count() == open_entries
    assert imported.transfer.record["plans"] == sent["plans"]
    assert list(imported.learner.received_transfers.all()) == [imported.transfer]
