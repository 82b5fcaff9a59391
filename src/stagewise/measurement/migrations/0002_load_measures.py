"""Loads the measurement framework (measurement/data/measures.json) on the data file's version."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "measures.json"


def load(apps, schema_editor):
    Nation = apps.get_model("organisations", "Nation")
    Measure = apps.get_model("measurement", "Measure")
    framework = json.loads(DATA.read_text(encoding="utf-8"))
    nations = {nation.code: nation for nation in Nation.objects.all()}
    for position, row in enumerate(framework["measures"], start=1):
        fields = dict(row)
        code = fields.pop("code")
        fields["nation"] = nations[fields["nation"]] if fields["nation"] else None
        Measure.objects.update_or_create(
            code=code,
            defaults={
                **fields,
                "source": f"{fields['source']}. {framework['source']}"[:400],
                "version": framework["version"],
                "position": position,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("measurement", "Measure").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0001_outcomes_framework_and_summaries"),
        ("organisations", "0002_nations_and_local_authorities"),
    ]

    operations = [migrations.RunPython(load, unload)]
