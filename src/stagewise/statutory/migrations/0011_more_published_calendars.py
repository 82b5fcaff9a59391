"""Loads the 2025/26 calendars published in full since 0005 was written (Swansea, South
Lanarkshire, City of Edinburgh) from data/school_calendars.json. Each authority's year is
replaced whole, so running it over a database that already has them changes nothing."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    LocalAuthority = apps.get_model("organisations", "LocalAuthority")
    SchoolCalendarPeriod = apps.get_model("statutory", "SchoolCalendarPeriod")
    calendars = json.loads((DATA / "school_calendars.json").read_text(encoding="utf-8"))
    for entry in calendars["calendars"]:
        authority = LocalAuthority.objects.get(name=entry["authority"])
        SchoolCalendarPeriod.objects.filter(
            authority=authority, setting=None, academic_year=entry["academic_year"]
        ).delete()
        SchoolCalendarPeriod.objects.bulk_create(
            SchoolCalendarPeriod(
                authority=authority,
                academic_year=entry["academic_year"],
                kind=kind,
                first_day=first_day,
                last_day=last_day,
                description=description,
                source=entry["source"],
            )
            for kind, first_day, last_day, description in entry["periods"]
        )


class Migration(migrations.Migration):
    dependencies = [("statutory", "0010_load_bank_holidays")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
