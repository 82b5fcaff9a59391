"""Plans in the demo world, written through the planning services like any user's.

The demo parent's first child has an IEP on its second version (so versions can be compared), a
review, the parent's agreement to the first version and the second version shared with her, and a
co-ordinated support plan drafted and waiting for the authority officer's sign-off. The young
person has an IEP of his own, finalised and shared with him and waiting for his response. A pupil
at the Welsh-medium school has an IDP written in Welsh.
"""

from datetime import date, timedelta
from typing import Any

from stagewise.accounts.actors import Actor, actors_for
from stagewise.accounts.models import User
from stagewise.learners.models import Learner, Need
from stagewise.learners.services import need_record
from stagewise.organisations.models import Nation, Setting
from stagewise.planning.models import (
    CommunicationFormat,
    Plan,
    PlanSection,
    PlanType,
    RecipientKind,
    ResponseKind,
    ReviewDecision,
    TargetProgress,
    ViewKind,
)
from stagewise.planning.services import (
    TargetProgressEntry,
    content_fingerprint,
    plan_communication_record,
    plan_create,
    plan_finalise,
    plan_response_record,
    plan_review_record,
    plan_section_update,
    plan_support_in_place,
    provision_add,
    section_text_current,
    target_add,
    target_current,
    target_update,
    view_add,
)
from stagewise.statutory.models import ReasonForSupport
from stagewise.synthetic.demo_decisions import DEMO_DEPARTURE_KIND, DEMO_DEPARTURE_REASON


def _write(actor: Actor, plan: Plan, texts: dict[str, str]) -> None:
    for key, text in texts.items():
        section = PlanSection.objects.get(plan_type=plan.plan_type, key=key)
        plan_section_update(
            actor=actor,
            plan=plan,
            section=section,
            text=text,
            based_on=content_fingerprint(section_text_current(plan, section)),
        )


def _finalise(actor: Actor, plan: Plan) -> None:
    plan.refresh_from_db()
    plan_finalise(actor=actor, plan=plan, based_on_revision=plan.edit_revision)
    plan.refresh_from_db()


def add_demo_plans(
    *,
    staff: dict[str, tuple[User, str, dict[str, Any], str]],
    story_learner: Learner,
    welsh_school: Setting,
    young_person: Learner,
    young_persons_teacher: User,
    today: date,
) -> None:
    teacher = actors_for(staff["teacher"][0])[0]
    lead = actors_for(staff["support_lead"][0])[0]
    alnco = actors_for(staff["alnco"][0])[0]
    parent_user = User.objects.get(email__startswith="parent@")
    parent = actors_for(parent_user)[0]
    _individualised_educational_programme(teacher, parent, story_learner, today)
    _coordinated_support_plan_draft(lead, story_learner, today)
    welsh_learner = Learner.objects.filter(enrolments__setting=welsh_school).order_by("pk").first()
    if welsh_learner is not None:
        # The plan is for her dyslexia, so the need it describes is recorded first: the PLASC
        # return reports each IDP with the need types it is for (measurement/census.py).
        if not welsh_learner.needs.filter(reason__code="DYSL", resolved_on__isnull=True).exists():
            need_record(
                actor=alnco,
                learner=welsh_learner,
                reason=ReasonForSupport.objects.get(nation__code=Nation.WALES, code="DYSL"),
                identified_on=today - timedelta(days=60),
                factor_groups=["disability_or_health"],
                evidence="Made-up demo evidence: reading and spelling assessment.",
            )
        _individual_development_plan(alnco, welsh_learner, today)
    # A school that decides a learner has additional learning needs must prepare an IDP (ALNET
    # Act s11): every other learner at the Welsh school with needs recorded has one kept by the
    # school, so the school's PLASC return passes its own checks.
    with_needs_and_no_plan = (
        Learner.objects.filter(
            enrolments__setting=welsh_school,
            pk__in=Need.objects.filter(resolved_on__isnull=True).values("learner_id"),
        )
        .exclude(plans__plan_type__key__startswith="individual_development_plan")
        .distinct()
        .order_by("pk")
    )
    for learner in with_needs_and_no_plan:
        needs = ", ".join(need.reason.display_label for need in learner.needs.all())
        _individual_development_plan(alnco, learner, today, description_of_needs=needs)
    _young_persons_programme(actors_for(young_persons_teacher)[0], young_person, today)


def _individualised_educational_programme(
    teacher: Actor, parent: Actor, learner: Learner, today: date
) -> None:
    starts_on = today - timedelta(days=70)
    plan = plan_create(
        actor=teacher,
        learner=learner,
        plan_type=PlanType.objects.get(key="individualised_educational_programme"),
        starts_on=starts_on,
        departure_reason=DEMO_DEPARTURE_REASON,
        departure_kind=DEMO_DEPARTURE_KIND,
    )
    _write(
        teacher,
        plan,
        {
            "like_and_admire": "Kind to younger children; brilliant at building with Lego.",
            "important_to_me": "My dog Bruno, football on Saturdays, and my gran.",
            "how_best_to_support": "Give me a bit longer to answer. Show me pictures, not only"
            " words.",
            "additional_support_needs": "Language disorder: understanding and using longer"
            " sentences. Speech and language therapy involved.",
        },
    )
    view_add(
        actor=teacher,
        plan=plan,
        kind=ViewKind.LEARNER,
        speaker=learner.display_name,
        words="I like working with Mrs Campbell in the wee group. Sometimes the words go too fast.",
        gathered_on=starts_on,
        how_gathered="Talking mat with the class teacher",
    )
    view_add(
        actor=teacher,
        plan=plan,
        kind=ViewKind.PARENT,
        speaker="Claire MacDonald (mum)",
        words="She's much happier coming to school this year. I'd like her to read more at home.",
        gathered_on=starts_on,
        how_gathered="Phone call",
    )
    targets = []
    for outcome, measure, baseline, criteria in [
        (
            "Follow a two-step instruction in class without a reminder.",
            "Class teacher's observation record, weekly",
            "Follows one-step instructions; needs a reminder for two",
            "Four out of five two-step instructions followed, three weeks running",
        ),
        (
            "Retell a short story in order using first, next, last.",
            "Speech and language therapist's narrative assessment",
            "Names characters; events out of order",
            "Retells three events in order with a picture prompt",
        ),
    ]:
        target = target_add(
            actor=teacher,
            plan=plan,
            outcome=outcome,
            measure=measure,
            baseline=baseline,
            success_criteria=criteria,
            achieve_by=starts_on + timedelta(days=150),
        )
        targets.append(target)
        provision_add(
            actor=teacher,
            target=target,
            description="Small-group language work using visual supports",
            frequency="Three times a week",
            minutes_per_week=60,
            starts_on=starts_on,
            provider_staff=teacher.user,
            location="Classroom and support base",
        )
    _finalise(teacher, plan)
    plan_communication_record(
        actor=teacher,
        plan=plan,
        recipient="Claire MacDonald",
        recipient_kind=RecipientKind.PARENT,
        sent_on=today,
        format=CommunicationFormat.FAMILY_PORTAL,
    )
    plan_response_record(
        actor=parent,
        plan=plan,
        response=ResponseKind.AGREED,
        words="Thank you. The pictures idea is working at home too.",
    )
    plan_support_in_place(actor=teacher, plan=plan, in_place_on=starts_on)
    plan_review_record(
        actor=teacher,
        plan=plan,
        held_on=today,
        attendees="Morag Campbell (class teacher), Claire MacDonald (mum), the pupil",
        views_beforehand="The pupil said the group helps. Mum sees more talking at home.",
        progress=[
            TargetProgressEntry(
                target=targets[0],
                progress=TargetProgress.ACHIEVED,
                evidence="Observation record: five out of five, three weeks running.",
            ),
            TargetProgressEntry(
                target=targets[1],
                progress=TargetProgress.PARTLY_ACHIEVED,
                evidence="Retells two events in order with pictures.",
            ),
        ],
        decision=ReviewDecision.CHANGE_SUPPORT,
        decision_notes="Move on from instructions; keep working on retelling.",
        next_review_on=today + timedelta(days=120),
    )
    plan.refresh_from_db()
    target_update(
        actor=teacher,
        target=targets[0],
        outcome="Follow a three-step instruction in class without a reminder.",
        measure="Class teacher's observation record, weekly",
        baseline="Follows two-step instructions reliably",
        success_criteria="Four out of five three-step instructions followed",
        achieve_by=today + timedelta(days=110),
        based_on=content_fingerprint(target_current(targets[0])),
    )
    _finalise(teacher, plan)
    plan_communication_record(
        actor=teacher,
        plan=plan,
        recipient="Claire MacDonald",
        recipient_kind=RecipientKind.PARENT,
        sent_on=today,
        format=CommunicationFormat.FAMILY_PORTAL,
    )


def _coordinated_support_plan_draft(lead: Actor, learner: Learner, today: date) -> None:
    plan = plan_create(
        actor=lead,
        learner=learner,
        plan_type=PlanType.objects.get(key="coordinated_support_plan"),
        starts_on=today + timedelta(days=14),
        departure_reason=DEMO_DEPARTURE_REASON,
        departure_kind=DEMO_DEPARTURE_KIND,
    )
    _write(
        lead,
        plan,
        {
            "skills_and_capabilities": "Sociable, visual learner, strong at practical maths.",
            "factors": "Language disorder (complex factor) with significant adverse effect on"
            " school education; likely to last more than a year; needs speech and language"
            " therapy from the NHS board.",
            "coordinator": "Graham Paterson, Support-for-learning lead, Riverside Primary"
            " School, 0141 000 0000",
            "contact_officer": "Alan Kerr, Inclusion Officer, Glasgow City Council",
        },
    )
    view_add(
        actor=lead,
        plan=plan,
        kind=ViewKind.PARENT,
        speaker="Claire MacDonald (mum)",
        words="I want everyone to talk to each other so I don't have to repeat her story.",
        gathered_on=today,
        how_gathered="Meeting at school",
    )


def _individual_development_plan(
    alnco: Actor,
    learner: Learner,
    today: date,
    description_of_needs: str = "Anawsterau dysgu penodol (dyslecsia): darllen a sillafu.",
) -> None:
    starts_on = today - timedelta(days=20)
    plan = plan_create(
        actor=alnco,
        learner=learner,
        plan_type=PlanType.objects.get(key="individual_development_plan_school"),
        starts_on=starts_on,
        departure_reason=DEMO_DEPARTURE_REASON,
        departure_kind=DEMO_DEPARTURE_KIND,
    )
    _write(
        alnco,
        plan,
        {
            "like_and_admire": "Caredig, doniol a pharod i helpu eraill.",
            "important_to_me": "Fy nheulu, nofio a fy nghath, Smwt.",
            "how_best_to_support": "Rhoi amser i mi feddwl, a dangos lluniau i mi.",
            "description_of_needs": description_of_needs,
        },
    )
    view_add(
        actor=alnco,
        plan=plan,
        kind=ViewKind.LEARNER,
        speaker=learner.display_name,
        words="Dw i'n hoffi darllen gyda Miss Pritchard. Mae'r llythrennau'n neidio weithiau.",
        gathered_on=starts_on,
        how_gathered="Sgwrs un-i-un",
    )
    target = target_add(
        actor=alnco,
        plan=plan,
        outcome="Darllen llyfr lefel 8 yn annibynnol gyda chywirdeb o 90%.",
        measure="Cofnod darllen wythnosol",
        baseline="Lefel 5, cywirdeb 80%",
        success_criteria="Lefel 8, cywirdeb 90%",
        achieve_by=starts_on + timedelta(days=180),
    )
    provision_add(
        actor=alnco,
        target=target,
        description="Rhaglen ddarllen strwythuredig mewn grŵp bach",
        frequency="Pedair gwaith yr wythnos",
        minutes_per_week=80,
        starts_on=starts_on,
        provider_staff=alnco.user,
        location="Ystafell ADY",
        delivered_in_welsh=True,
        rationale="Mae'r dysgwr yn dysgu drwy gyfrwng y Gymraeg.",
    )
    _finalise(alnco, plan)


def _young_persons_programme(teacher: Actor, learner: Learner, today: date) -> None:
    """Finalised and shared with the young person himself, with no response yet: signed in as
    him, the demo shows a plan to read and to agree or disagree with."""
    starts_on = today - timedelta(days=30)
    plan = plan_create(
        actor=teacher,
        learner=learner,
        plan_type=PlanType.objects.get(key="individualised_educational_programme"),
        starts_on=starts_on,
        departure_reason=DEMO_DEPARTURE_REASON,
        departure_kind=DEMO_DEPARTURE_KIND,
    )
    _write(
        teacher,
        plan,
        {
            "like_and_admire": "Thoughtful, funny, and the one who helps everyone with their"
            " computers.",
            "important_to_me": "Getting the grades for college, my part-time job at the bike shop,"
            " and my friends.",
            "how_best_to_support": "Give me reading in advance. Let me use a reader pen, and don't"
            " ask me to read aloud in class.",
            "additional_support_needs": "Dyslexia: reading speed and spelling. Exam anxiety, which"
            " is worse when time is short.",
        },
    )
    view_add(
        actor=teacher,
        plan=plan,
        kind=ViewKind.LEARNER,
        speaker=learner.display_name,
        words="Extra time and a quiet room would make the biggest difference in my exams.",
        gathered_on=starts_on,
        how_gathered="Meeting with his guidance teacher",
    )
    carer = learner.carer_links.select_related("carer").order_by("pk").first()
    assert carer is not None, "Every demo learner has a carer."
    view_add(
        actor=teacher,
        plan=plan,
        kind=ViewKind.PARENT,
        speaker=carer.carer.full_name,
        words="He works hard but gets overwhelmed before tests. We want him to feel prepared.",
        gathered_on=starts_on,
        how_gathered="Parents' evening",
    )
    target = target_add(
        actor=teacher,
        plan=plan,
        outcome="Use a reader pen and extra time confidently in the prelim exams.",
        measure="Practice papers under exam conditions, checked with the subject teachers",
        baseline="Has not yet used a reader pen in an exam",
        success_criteria="Completes two practice papers with the pen and extra time in the"
        " allowed time",
        achieve_by=starts_on + timedelta(days=120),
    )
    provision_add(
        actor=teacher,
        target=target,
        description="Assessment arrangements: 25% extra time, a reader pen and a separate room",
        frequency="Every exam and timed assessment",
        starts_on=starts_on,
        provider_staff=teacher.user,
        location="Support base",
    )
    _finalise(teacher, plan)
    plan_communication_record(
        actor=teacher,
        plan=plan,
        recipient=learner.display_name,
        recipient_kind=RecipientKind.LEARNER,
        sent_on=today,
        format=CommunicationFormat.FAMILY_PORTAL,
    )
