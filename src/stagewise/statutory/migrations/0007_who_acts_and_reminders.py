"""Sets who must act on each statutory timescale and when reminders go, from
data/statutory_timescales.json, on the rule versions 0005 loaded."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    StatutoryTimescale = apps.get_model("statutory", "StatutoryTimescale")
    timescales = json.loads((DATA / "statutory_timescales.json").read_text(encoding="utf-8"))
    for rule in timescales["rules"]:
        StatutoryTimescale.objects.filter(key=rule["key"]).update(
            responsible=rule["responsible"], reminder_lead_days=rule["reminder_lead_days"]
        )


class Migration(migrations.Migration):
    dependencies = [("statutory", "0006_statutory_processes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
