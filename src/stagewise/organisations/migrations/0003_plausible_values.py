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
        ("organisations", "0002_nations_and_local_authorities"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="agency",
                    name="name",
                    field=stagewise.plausible.CharField(max_length=200, verbose_name="name"),
                ),
                migrations.AlterField(
                    model_name="agency",
                    name="name_cy",
                    field=stagewise.plausible.CharField(
                        blank=True,
                        help_text="Leave blank if the same.",
                        max_length=200,
                        verbose_name="name in Welsh",
                    ),
                ),
                migrations.AlterField(
                    model_name="localauthority",
                    name="name",
                    field=stagewise.plausible.CharField(max_length=200, verbose_name="name"),
                ),
                migrations.AlterField(
                    model_name="localauthority",
                    name="name_cy",
                    field=stagewise.plausible.CharField(
                        blank=True,
                        help_text="Leave blank if the same.",
                        max_length=200,
                        verbose_name="name in Welsh",
                    ),
                ),
                migrations.AlterField(
                    model_name="membership",
                    name="ended_on",
                    field=stagewise.plausible.DateField(
                        blank=True, null=True, verbose_name="ended on", within="staff_role"
                    ),
                ),
                migrations.AlterField(
                    model_name="membership",
                    name="started_on",
                    field=stagewise.plausible.DateField(
                        default=django.utils.timezone.localdate,
                        verbose_name="started on",
                        within="staff_role",
                    ),
                ),
                migrations.AlterField(
                    model_name="nation",
                    name="name",
                    field=stagewise.plausible.CharField(max_length=200, verbose_name="name"),
                ),
                migrations.AlterField(
                    model_name="nation",
                    name="name_cy",
                    field=stagewise.plausible.CharField(
                        blank=True,
                        help_text="Leave blank if the same.",
                        max_length=200,
                        verbose_name="name in Welsh",
                    ),
                ),
                migrations.AlterField(
                    model_name="setting",
                    name="name",
                    field=stagewise.plausible.CharField(max_length=200, verbose_name="name"),
                ),
                migrations.AlterField(
                    model_name="setting",
                    name="name_cy",
                    field=stagewise.plausible.CharField(
                        blank=True,
                        help_text="Leave blank if the same.",
                        max_length=200,
                        verbose_name="name in Welsh",
                    ),
                ),
                migrations.AlterField(
                    model_name="setting",
                    name="reference_number",
                    field=stagewise.plausible.CharField(
                        blank=True,
                        help_text="SEED code in Scotland, school number in Wales.",
                        max_length=20,
                        verbose_name="reference number",
                    ),
                ),
            ],
        ),
    ]
