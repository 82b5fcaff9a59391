"""Webhook deliveries get their retention schedule (ADR 0054), loaded as roll imports' is:
data_protection's 0002_retention_schedules reads the same data file on a new database, this adds
the row on one that has run it already."""

import json
from pathlib import Path

from django.db import migrations

DATA = (
    Path(__file__).resolve().parent.parent.parent
    / "data_protection"
    / "data"
    / "retention_schedules.json"
)
RECORD_TYPE = "webhooks.WebhookDelivery"


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
        ("webhooks", "0001_initial"),
        ("data_protection", "0002_retention_schedules"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
