"""Existing statutory plans' review dates become clocks: a signed-off co-ordinated support plan or
IDP gets a review clock from its last review or, if none, from the day its first version was
signed off, on the rule version in force that day. Months need no school calendar."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

from stagewise.statutory.calendar import add_months

REVIEW_RULES = {
    "coordinated_support_plan": "scotland.coordinated_support_plan_review",
    "individual_development_plan_school": "wales.individual_development_plan_review",
    "individual_development_plan_local_authority": "wales.individual_development_plan_review",
}
SIGNED_OFF = ["finalised", "active", "under_review", "revision"]


def backfill(apps, schema_editor):
    Plan = apps.get_model("planning", "Plan")
    Enrolment = apps.get_model("learners", "Enrolment")
    StatutoryTimescale = apps.get_model("statutory", "StatutoryTimescale")
    StatutoryProcess = apps.get_model("statutory", "StatutoryProcess")
    ProcessEvent = apps.get_model("statutory", "ProcessEvent")
    today = timezone.localdate()
    plans = Plan.objects.filter(
        plan_type__key__in=REVIEW_RULES, status__in=SIGNED_OFF
    ).select_related("plan_type")
    for plan in plans:
        rule_key = REVIEW_RULES[plan.plan_type.key]
        if StatutoryProcess.objects.filter(plan=plan, rule_key=rule_key).exists():
            continue
        last_review = plan.reviews.order_by("-held_on").first()
        first_version = plan.versions.order_by("number").first()
        if last_review is not None:
            started_on = last_review.held_on
        elif first_version is not None:
            started_on = timezone.localdate(first_version.finalised_at)
        else:
            continue
        versions = [
            rule
            for rule in StatutoryTimescale.objects.filter(key=rule_key)
            if rule.effective_from is None or rule.effective_from <= started_on
        ]
        if not versions:
            continue
        rule = max(versions, key=lambda version: version.effective_from or started_on.min)
        enrolment = (
            Enrolment.objects.filter(learner_id=plan.learner_id, started_on__lte=today)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
            .first()
        )
        authority_only = set(plan.plan_type.sign_off_roles) <= {"local_authority_officer"}
        due_on = add_months(started_on, rule.amount)
        process = StatutoryProcess.objects.create(
            learner_id=plan.learner_id,
            timescale=rule,
            rule_key=rule_key,
            authority_id=plan.authority_id,
            setting_id=enrolment.setting_id if enrolment else None,
            responsible="authority" if authority_only else rule.responsible,
            plan=plan,
            started_on=started_on,
            first_due_on=due_on,
            due_on=due_on,
        )
        ProcessEvent.objects.create(
            process=process,
            kind="started",
            happened_on=started_on,
            reason="Review clock set from the plan's existing review history.",
            due_after=due_on,
            recorded_by_label="Stagewise",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("statutory", "0007_who_acts_and_reminders"),
        ("planning", "0005_rule_history"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
