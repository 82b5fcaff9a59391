"""Load the default retention schedules (data_protection/data/retention_schedules.json), one per
record type of the registry; an authority's data protection officer confirms or changes them."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "retention_schedules.json"


def load(apps, schema_editor):
    schedule = apps.get_model("data_protection", "RetentionSchedule")
    for row in json.loads(DATA.read_text(encoding="utf-8"))["schedules"]:
        schedule.objects.update_or_create(
            record_type=row["record_type"],
            defaults={
                "kept_for_years": row["kept_for_years"],
                "counted_from": row["counted_from"],
                "basis": row["basis"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("data_protection", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
