"""Plan decisions are sampled too (ADR 0046, amended): a sample says which kind of decision it
was drawn from; a case refers to exactly one decision, a stage decision (with its stage) or a plan
(with its type), and names its learner, copied from the decision for the cases drawn before."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0011_stage_decision_suggestion"),
        ("moderation", "0003_case_learner"),
        ("organisations", "0008_national_bodies_and_policy_officers"),
        ("planning", "0013_plan_opened_for_setting"),
        ("statutory", "0015_additional_learning_provision_offer"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="moderationcase",
            name="learner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="learners.learner"
            ),
        ),
        migrations.AddField(
            model_name="moderationcase",
            name="plan",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="planning.plan",
            ),
        ),
        migrations.AddField(
            model_name="moderationcase",
            name="plan_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="planning.plantype",
            ),
        ),
        migrations.AddField(
            model_name="moderationsample",
            name="kind",
            field=models.CharField(
                choices=[("stage", "Stage decisions"), ("plan", "Plan decisions")],
                db_default="stage",
                default="stage",
                max_length=10,
                verbose_name="decisions sampled",
            ),
        ),
        migrations.AlterField(
            model_name="moderationcase",
            name="decision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="learners.stagedecision",
            ),
        ),
        migrations.AlterField(
            model_name="moderationcase",
            name="stage",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="statutory.localstage",
            ),
        ),
        migrations.AddConstraint(
            model_name="moderationcase",
            constraint=models.UniqueConstraint(
                fields=("sample", "plan"), name="moderation_case_plan_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="moderationcase",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("decision__isnull", False),
                        ("plan__isnull", True),
                        ("plan_type__isnull", True),
                        ("stage__isnull", False),
                    ),
                    models.Q(
                        ("decision__isnull", True),
                        ("plan__isnull", False),
                        ("plan_type__isnull", False),
                        ("stage__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="moderation_case_one_decision",
            ),
        ),
    ]
