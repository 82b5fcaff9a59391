"""Plausible values (docs/adr/0007): length limits on written text and ranges for dates.

Only Django's record of the fields changes. A TextField's max_length and a date's range are checked
by full_clean, not by the database, and no CharField gets shorter, so the columns stay as they are:
stored text longer than a new limit is kept, and SQLite does not rebuild each table.
"""

from django.db import migrations

import stagewise.plausible


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0003_plan_version_immutable"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="plan",
                    name="closed_on",
                    field=stagewise.plausible.DateField(
                        blank=True, null=True, verbose_name="closed on", within="planned"
                    ),
                ),
                migrations.AlterField(
                    model_name="plan",
                    name="closed_reason",
                    field=stagewise.plausible.TextField(
                        blank=True, max_length=10000, verbose_name="reason for closing"
                    ),
                ),
                migrations.AlterField(
                    model_name="plan",
                    name="lead_professional",
                    field=stagewise.plausible.CharField(
                        blank=True,
                        help_text="Name, role and organisation.",
                        max_length=300,
                        verbose_name="lead professional",
                    ),
                ),
                migrations.AlterField(
                    model_name="plan",
                    name="next_review_on",
                    field=stagewise.plausible.DateField(
                        blank=True, null=True, verbose_name="next review", within="planned"
                    ),
                ),
                migrations.AlterField(
                    model_name="plan",
                    name="staff_notes",
                    field=stagewise.plausible.TextField(
                        blank=True,
                        help_text="Never shown to the family and never printed in the plan.",
                        max_length=10000,
                        verbose_name="staff-only notes",
                    ),
                ),
                migrations.AlterField(
                    model_name="plan",
                    name="starts_on",
                    field=stagewise.plausible.DateField(
                        blank=True, null=True, verbose_name="plan starts", within="planned"
                    ),
                ),
                migrations.AlterField(
                    model_name="plan",
                    name="support_in_place_on",
                    field=stagewise.plausible.DateField(
                        blank=True,
                        null=True,
                        verbose_name="support in place from",
                        within="planned",
                    ),
                ),
                migrations.AlterField(
                    model_name="plancommunication",
                    name="language",
                    field=stagewise.plausible.CharField(
                        blank=True, max_length=60, verbose_name="language"
                    ),
                ),
                migrations.AlterField(
                    model_name="plancommunication",
                    name="recipient",
                    field=stagewise.plausible.CharField(
                        max_length=200, verbose_name="who received the plan"
                    ),
                ),
                migrations.AlterField(
                    model_name="plancommunication",
                    name="sent_on",
                    field=stagewise.plausible.DateField(
                        verbose_name="date shared", within="happened"
                    ),
                ),
                migrations.AlterField(
                    model_name="planresponse",
                    name="words",
                    field=stagewise.plausible.TextField(
                        blank=True, max_length=5000, verbose_name="in your own words"
                    ),
                ),
                migrations.AlterField(
                    model_name="planreview",
                    name="attendees",
                    field=stagewise.plausible.TextField(
                        max_length=2000, verbose_name="who attended"
                    ),
                ),
                migrations.AlterField(
                    model_name="planreview",
                    name="decision_notes",
                    field=stagewise.plausible.TextField(
                        blank=True, max_length=10000, verbose_name="what was agreed"
                    ),
                ),
                migrations.AlterField(
                    model_name="planreview",
                    name="held_on",
                    field=stagewise.plausible.DateField(
                        verbose_name="date of the review meeting", within="happened"
                    ),
                ),
                migrations.AlterField(
                    model_name="planreview",
                    name="next_review_on",
                    field=stagewise.plausible.DateField(
                        blank=True, null=True, verbose_name="next review", within="planned"
                    ),
                ),
                migrations.AlterField(
                    model_name="planreview",
                    name="views_beforehand",
                    field=stagewise.plausible.TextField(
                        blank=True,
                        max_length=10000,
                        verbose_name="views gathered before the meeting",
                    ),
                ),
                migrations.AlterField(
                    model_name="plansectiontext",
                    name="text",
                    field=stagewise.plausible.TextField(
                        blank=True, max_length=20000, verbose_name="text"
                    ),
                ),
                migrations.AlterField(
                    model_name="planview",
                    name="gathered_on",
                    field=stagewise.plausible.DateField(
                        verbose_name="date gathered", within="happened"
                    ),
                ),
                migrations.AlterField(
                    model_name="planview",
                    name="how_gathered",
                    field=stagewise.plausible.CharField(
                        blank=True, max_length=200, verbose_name="how the views were gathered"
                    ),
                ),
                migrations.AlterField(
                    model_name="planview",
                    name="speaker",
                    field=stagewise.plausible.CharField(
                        max_length=200, verbose_name="who gave these views"
                    ),
                ),
                migrations.AlterField(
                    model_name="planview",
                    name="words",
                    field=stagewise.plausible.TextField(
                        max_length=10000, verbose_name="their views, in their own words"
                    ),
                ),
                migrations.AlterField(
                    model_name="supportprovision",
                    name="description",
                    field=stagewise.plausible.TextField(
                        max_length=2000, verbose_name="what the support is"
                    ),
                ),
                migrations.AlterField(
                    model_name="supportprovision",
                    name="ends_on",
                    field=stagewise.plausible.DateField(
                        blank=True, null=True, verbose_name="to", within="planned"
                    ),
                ),
                migrations.AlterField(
                    model_name="supportprovision",
                    name="frequency",
                    field=stagewise.plausible.CharField(max_length=200, verbose_name="how often"),
                ),
                migrations.AlterField(
                    model_name="supportprovision",
                    name="location",
                    field=stagewise.plausible.CharField(
                        blank=True, max_length=200, verbose_name="where"
                    ),
                ),
                migrations.AlterField(
                    model_name="supportprovision",
                    name="provider_label",
                    field=stagewise.plausible.CharField(max_length=300, verbose_name="provided by"),
                ),
                migrations.AlterField(
                    model_name="supportprovision",
                    name="rationale",
                    field=stagewise.plausible.TextField(
                        blank=True, max_length=2000, verbose_name="why this provision"
                    ),
                ),
                migrations.AlterField(
                    model_name="supportprovision",
                    name="starts_on",
                    field=stagewise.plausible.DateField(verbose_name="from", within="planned"),
                ),
                migrations.AlterField(
                    model_name="target",
                    name="achieve_by",
                    field=stagewise.plausible.DateField(
                        blank=True, null=True, verbose_name="to be achieved by", within="planned"
                    ),
                ),
                migrations.AlterField(
                    model_name="target",
                    name="baseline",
                    field=stagewise.plausible.TextField(
                        blank=True,
                        max_length=2000,
                        verbose_name="baseline: where the learner is now",
                    ),
                ),
                migrations.AlterField(
                    model_name="target",
                    name="measure",
                    field=stagewise.plausible.TextField(
                        blank=True, max_length=2000, verbose_name="how progress will be measured"
                    ),
                ),
                migrations.AlterField(
                    model_name="target",
                    name="outcome",
                    field=stagewise.plausible.TextField(max_length=2000, verbose_name="outcome"),
                ),
                migrations.AlterField(
                    model_name="target",
                    name="success_criteria",
                    field=stagewise.plausible.TextField(
                        blank=True, max_length=2000, verbose_name="success criteria"
                    ),
                ),
                migrations.AlterField(
                    model_name="targetreview",
                    name="evidence",
                    field=stagewise.plausible.TextField(max_length=10000, verbose_name="evidence"),
                ),
            ],
        ),
    ]
