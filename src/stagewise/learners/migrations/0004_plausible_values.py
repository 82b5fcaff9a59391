"""Plausible values (docs/adr/0007): length limits on written text and ranges for dates.

Only Django's record of the fields changes. A TextField's max_length and a date's range are checked
by full_clean, not by the database, and no CharField gets shorter, so the columns stay as they are:
stored text longer than a new limit is kept, and SQLite does not rebuild each table.
"""

import django.utils.timezone
from django.db import migrations

import stagewise.plausible


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0003_learner_name_order_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="agencyinvolvement",
                    name="ended_on",
                    field=stagewise.plausible.DateField(
                        blank=True, null=True, verbose_name="to", within="planned"
                    ),
                ),
                migrations.AlterField(
                    model_name="agencyinvolvement",
                    name="reason",
                    field=stagewise.plausible.CharField(
                        blank=True, max_length=300, verbose_name="reason"
                    ),
                ),
                migrations.AlterField(
                    model_name="agencyinvolvement",
                    name="started_on",
                    field=stagewise.plausible.DateField(
                        default=django.utils.timezone.localdate,
                        verbose_name="from",
                        within="planned",
                    ),
                ),
                migrations.AlterField(
                    model_name="carer",
                    name="address",
                    field=stagewise.plausible.TextField(
                        blank=True, max_length=500, verbose_name="address"
                    ),
                ),
                migrations.AlterField(
                    model_name="carer",
                    name="full_name",
                    field=stagewise.plausible.CharField(max_length=200, verbose_name="full name"),
                ),
                migrations.AlterField(
                    model_name="carer",
                    name="preferred_language",
                    field=stagewise.plausible.CharField(
                        default="English", max_length=60, verbose_name="preferred language"
                    ),
                ),
                migrations.AlterField(
                    model_name="carer",
                    name="telephone",
                    field=stagewise.plausible.CharField(
                        blank=True, max_length=40, verbose_name="telephone"
                    ),
                ),
                migrations.AlterField(
                    model_name="chronologyentry",
                    name="occurred_on",
                    field=stagewise.plausible.DateField(verbose_name="date", within="happened"),
                ),
                migrations.AlterField(
                    model_name="chronologyentry",
                    name="source",
                    field=stagewise.plausible.CharField(
                        help_text="Who told us, or where it is recorded.",
                        max_length=200,
                        verbose_name="source",
                    ),
                ),
                migrations.AlterField(
                    model_name="chronologyentry",
                    name="summary",
                    field=stagewise.plausible.TextField(
                        max_length=3000, verbose_name="what happened"
                    ),
                ),
                migrations.AlterField(
                    model_name="enrolment",
                    name="ended_on",
                    field=stagewise.plausible.DateField(
                        blank=True, null=True, verbose_name="to", within="planned"
                    ),
                ),
                migrations.AlterField(
                    model_name="enrolment",
                    name="started_on",
                    field=stagewise.plausible.DateField(
                        default=django.utils.timezone.localdate,
                        verbose_name="from",
                        within="planned",
                    ),
                ),
                migrations.AlterField(
                    model_name="learner",
                    name="date_of_birth",
                    field=stagewise.plausible.DateField(
                        verbose_name="date of birth", within="birth"
                    ),
                ),
                migrations.AlterField(
                    model_name="learner",
                    name="home_language",
                    field=stagewise.plausible.CharField(
                        default="English", max_length=60, verbose_name="home language"
                    ),
                ),
                migrations.AlterField(
                    model_name="learner",
                    name="legal_first_name",
                    field=stagewise.plausible.CharField(
                        max_length=100, verbose_name="legal first name"
                    ),
                ),
                migrations.AlterField(
                    model_name="learner",
                    name="legal_last_name",
                    field=stagewise.plausible.CharField(
                        max_length=100, verbose_name="legal last name"
                    ),
                ),
                migrations.AlterField(
                    model_name="learner",
                    name="preferred_language",
                    field=stagewise.plausible.CharField(
                        default="English",
                        help_text="The language the learner prefers to learn and be spoken to in.",
                        max_length=60,
                        verbose_name="preferred language",
                    ),
                ),
                migrations.AlterField(
                    model_name="learner",
                    name="preferred_name",
                    field=stagewise.plausible.CharField(
                        blank=True,
                        help_text="The name the learner likes to be called, if different.",
                        max_length=100,
                        verbose_name="preferred name",
                    ),
                ),
                migrations.AlterField(
                    model_name="learner",
                    name="staff_notes",
                    field=stagewise.plausible.TextField(
                        blank=True,
                        help_text="Seen by staff only, never in the family view.",
                        max_length=10000,
                        verbose_name="staff notes",
                    ),
                ),
                migrations.AlterField(
                    model_name="need",
                    name="evidence",
                    field=stagewise.plausible.TextField(
                        blank=True, max_length=10000, verbose_name="evidence"
                    ),
                ),
                migrations.AlterField(
                    model_name="need",
                    name="identified_on",
                    field=stagewise.plausible.DateField(
                        verbose_name="date identified", within="happened"
                    ),
                ),
                migrations.AlterField(
                    model_name="need",
                    name="notes",
                    field=stagewise.plausible.TextField(
                        blank=True, max_length=5000, verbose_name="notes"
                    ),
                ),
                migrations.AlterField(
                    model_name="need",
                    name="resolved_on",
                    field=stagewise.plausible.DateField(
                        blank=True, null=True, verbose_name="date resolved", within="happened"
                    ),
                ),
                migrations.AlterField(
                    model_name="staffrelationship",
                    name="ended_on",
                    field=stagewise.plausible.DateField(
                        blank=True, null=True, verbose_name="to", within="planned"
                    ),
                ),
                migrations.AlterField(
                    model_name="staffrelationship",
                    name="started_on",
                    field=stagewise.plausible.DateField(
                        default=django.utils.timezone.localdate,
                        verbose_name="from",
                        within="planned",
                    ),
                ),
                migrations.AlterField(
                    model_name="stagedecision",
                    name="decided_on",
                    field=stagewise.plausible.DateField(
                        verbose_name="date of decision", within="happened"
                    ),
                ),
                migrations.AlterField(
                    model_name="stagedecision",
                    name="next_review_on",
                    field=stagewise.plausible.DateField(
                        verbose_name="next review", within="planned"
                    ),
                ),
                migrations.AlterField(
                    model_name="stagedecision",
                    name="rationale",
                    field=stagewise.plausible.TextField(max_length=5000, verbose_name="rationale"),
                ),
                migrations.AlterField(
                    model_name="wellbeingassessment",
                    name="assessed_on",
                    field=stagewise.plausible.DateField(
                        verbose_name="date of assessment", within="happened"
                    ),
                ),
                migrations.AlterField(
                    model_name="wellbeingassessment",
                    name="summary",
                    field=stagewise.plausible.TextField(
                        blank=True, max_length=5000, verbose_name="summary"
                    ),
                ),
                migrations.AlterField(
                    model_name="wellbeingrating",
                    name="note",
                    field=stagewise.plausible.TextField(
                        blank=True, max_length=2000, verbose_name="note"
                    ),
                ),
            ],
        ),
    ]
