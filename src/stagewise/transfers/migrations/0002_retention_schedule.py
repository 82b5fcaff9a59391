"""The default retention schedule for received transfers (ADR 0053), as data_protection's
0002_retention_schedules loads the others (its data file names this one too, for new
databases; on one that has run 0002 already, this adds it)."""

import json
from pathlib import Path

from django.db import migrations

DATA = (
    Path(__file__).resolve().parent.parent.parent
    / "data_protection"
    / "data"
    / "retention_schedules.json"
)
RECORD_TYPE = "transfers.ReceivedTransfer"


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
        ("transfers", "0001_record_transfers"),
        ("data_protection", "0002_retention_schedules"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
