"""The school whose staff opened each plan (ADR 0046, amended: plan decisions are moderated
between schools). Plans opened before it was kept get the school, among the learner's, at which
whoever opened the plan had a membership; an authority's or an agency's plans keep none."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def opening_school(apps, schema_editor):
    Plan = apps.get_model("planning", "Plan")
    Membership = apps.get_model("organisations", "Membership")
    Plan.objects.filter(opened_for_setting__isnull=True, created_by__isnull=False).update(
        opened_for_setting=Subquery(
            Membership.objects.filter(
                user_id=OuterRef("created_by_id"),
                setting__enrolments__learner_id=OuterRef("learner_id"),
            )
            .order_by("pk")
            .values("setting_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0008_national_bodies_and_policy_officers"),
        ("planning", "0012_departure_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="opened_for_setting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.setting",
                verbose_name="recorded for",
            ),
        ),
        migrations.RunPython(opening_school, migrations.RunPython.noop),
    ]
