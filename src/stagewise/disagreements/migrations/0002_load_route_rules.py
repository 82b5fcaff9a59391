"""Loads the statutory timescales the disagreement routes name that the statutory app's own
migrations did not (statutory/data/statutory_timescales.json: an authority's answer to a
complaint, a disability discrimination claim in Wales), on the data file's version. Kept in this
app so that the rules and the routes that need them arrive together."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[2] / "statutory" / "data" / "statutory_timescales.json"
ROUTE_RULES = ("scotland.authority_complaint_response", "wales.tribunal_disability_claim")


def load(apps, schema_editor):
    Nation = apps.get_model("organisations", "Nation")
    StatutoryTimescale = apps.get_model("statutory", "StatutoryTimescale")
    timescales = json.loads(DATA.read_text(encoding="utf-8"))
    known = {field.name for field in StatutoryTimescale._meta.get_fields()}
    for rule in timescales["rules"]:
        if rule["key"] not in ROUTE_RULES:
            continue
        fields = {name: value for name, value in rule.items() if name in known}
        key = fields.pop("key")
        fields["nation"] = Nation.objects.get(code=fields["nation"])
        StatutoryTimescale.objects.update_or_create(
            key=key, version=timescales["version"], defaults=fields
        )


def unload(apps, schema_editor):
    apps.get_model("statutory", "StatutoryTimescale").objects.filter(key__in=ROUTE_RULES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("disagreements", "0001_disagreements_and_steps"),
        ("statutory", "0011_more_published_calendars"),
    ]

    operations = [migrations.RunPython(load, unload)]
