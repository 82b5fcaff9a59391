"""Loads every statutory timescale of RULES.md sections 1 and 6 and the published school calendars
of the demo authorities from data/statutory_timescales.json and data/school_calendars.json."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Nation = apps.get_model("organisations", "Nation")
    LocalAuthority = apps.get_model("organisations", "LocalAuthority")
    StatutoryTimescale = apps.get_model("statutory", "StatutoryTimescale")
    SchoolCalendarPeriod = apps.get_model("statutory", "SchoolCalendarPeriod")

    timescales = json.loads((DATA / "statutory_timescales.json").read_text(encoding="utf-8"))
    # Fields added to the rule table later are loaded by the migration that adds them.
    known = {field.name for field in StatutoryTimescale._meta.get_fields()}
    for rule in timescales["rules"]:
        fields = {name: value for name, value in rule.items() if name in known}
        key = fields.pop("key")
        fields["nation"] = Nation.objects.get(code=fields["nation"])
        StatutoryTimescale.objects.update_or_create(
            key=key, version=timescales["version"], defaults=fields
        )

    calendars = json.loads((DATA / "school_calendars.json").read_text(encoding="utf-8"))
    for entry in calendars["calendars"]:
        authority = LocalAuthority.objects.get(name=entry["authority"])
        SchoolCalendarPeriod.objects.filter(
            authority=authority, setting=None, academic_year=entry["academic_year"]
        ).delete()
        for kind, first_day, last_day, description in entry["periods"]:
            SchoolCalendarPeriod.objects.create(
                authority=authority,
                academic_year=entry["academic_year"],
                kind=kind,
                first_day=first_day,
                last_day=last_day,
                description=description,
                source=entry["source"],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_nations_and_local_authorities"),
        ("statutory", "0004_timescales_and_school_calendars"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
