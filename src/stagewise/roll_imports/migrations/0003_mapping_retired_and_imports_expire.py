"""Column mappings can be retired; an import left unused is abandoned and its file deleted; and
roll imports get their retention schedule (ADR 0052, amended), loaded as moderation's is:
data_protection's 0002_retention_schedules reads the same data file on a new database, this adds
the row on one that has run it already."""

import json
from pathlib import Path

from django.db import migrations, models

DATA = (
    Path(__file__).resolve().parent.parent.parent
    / "data_protection"
    / "data"
    / "retention_schedules.json"
)
RECORD_TYPE = "roll_imports.RollImport"


def load(apps, schema_editor):
    schedule = apps.get_model("data_protection", "RetentionSchedule")
    rows = json.loads(DATA.read_text(encoding="utf-8"))["schedules"]
    row = next(row for row in rows if row["record_type"] == RECORD_TYPE)
    schedule.objects.get_or_create(
        record_type=RECORD_TYPE,
        defaults={
            "kept_for_years": row["kept_for_years"],
            "counted_from": row["counted_from"],
            "basis": row["basis"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("roll_imports", "0002_generic_census_export"),
        ("data_protection", "0002_retention_schedules"),
    ]

    operations = [
        migrations.AddField(
            model_name="columnmapping",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="retired at"),
        ),
        migrations.AlterField(
            model_name="rollimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("checked", "Checked, not yet imported"),
                    ("rejected", "Rejected: the file has problems"),
                    ("queued", "Waiting to start"),
                    ("running", "Importing"),
                    ("done", "Imported"),
                    ("failed", "Stopped: nothing was saved"),
                    ("abandoned", "Not imported: the file was deleted unused"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
