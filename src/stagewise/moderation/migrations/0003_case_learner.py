"""Each case names its learner (ADR 0046, amended), copied from its stage decision for the cases
drawn before; 0004 makes it required, in a transaction of its own (PostgreSQL will not alter a
table with updates still to check)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def learner_of_each_case(apps, schema_editor):
    ModerationCase = apps.get_model("moderation", "ModerationCase")
    StageDecision = apps.get_model("learners", "StageDecision")
    ModerationCase.objects.filter(learner__isnull=True).update(
        learner_id=Subquery(
            StageDecision.objects.filter(pk=OuterRef("decision_id")).values("learner_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0011_stage_decision_suggestion"),
        ("moderation", "0002_retention_schedule"),
        ("organisations", "0008_national_bodies_and_policy_officers"),
        ("planning", "0013_plan_opened_for_setting"),
        ("statutory", "0015_additional_learning_provision_offer"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="moderationcase",
            name="learner",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="learners.learner",
            ),
        ),
        migrations.RunPython(learner_of_each_case, migrations.RunPython.noop),
    ]
