"""Loads the timescales added to data/statutory_timescales.json for families' requests (ADR
0016): a specific type of assessment (Scotland) and an authority taking over an IDP (Wales). Only
rules not loaded yet are added: a rule an administrator has corrected keeps its versions."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Nation = apps.get_model("organisations", "Nation")
    StatutoryTimescale = apps.get_model("statutory", "StatutoryTimescale")
    timescales = json.loads((DATA / "statutory_timescales.json").read_text(encoding="utf-8"))
    known = {field.name for field in StatutoryTimescale._meta.get_fields()}
    loaded = set(StatutoryTimescale.objects.values_list("key", flat=True))
    for rule in timescales["rules"]:
        if rule["key"] in loaded:
            continue
        fields = {name: value for name, value in rule.items() if name in known}
        fields["nation"] = Nation.objects.get(code=fields["nation"])
        StatutoryTimescale.objects.create(version=timescales["version"], **fields)


class Migration(migrations.Migration):
    dependencies = [("statutory", "0011_more_published_calendars")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
