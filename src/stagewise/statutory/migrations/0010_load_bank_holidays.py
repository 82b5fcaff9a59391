"""Loads the bank holidays of Scotland and of England and Wales (for Wales) from
data/bank_holidays.json, GOV.UK's published list, with its source."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Nation = apps.get_model("organisations", "Nation")
    BankHoliday = apps.get_model("statutory", "BankHoliday")
    data = json.loads((DATA / "bank_holidays.json").read_text(encoding="utf-8"))
    for code, days in data["nations"].items():
        nation = Nation.objects.get(code=code)
        for day, title in days:
            BankHoliday.objects.update_or_create(
                nation=nation, day=day, defaults={"title": title, "source": data["source"]}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_nations_and_local_authorities"),
        ("statutory", "0009_bank_holidays"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
