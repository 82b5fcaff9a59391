"""Loads Scotland and Wales and all their local authorities from data/local_authorities.json."""

import json
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent.parent / "data" / "local_authorities.json"


def load(apps, schema_editor):
    Nation = apps.get_model("organisations", "Nation")
    LocalAuthority = apps.get_model("organisations", "LocalAuthority")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for entry in data["nations"]:
        nation, _created = Nation.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "name_cy": entry["name_cy"],
                "jurisdiction": entry["jurisdiction"],
                "jurisdiction_cy": entry["jurisdiction_cy"],
            },
        )
        for authority in entry["authorities"]:
            name, name_cy = (authority, "") if isinstance(authority, str) else authority
            LocalAuthority.objects.update_or_create(
                code=slugify(name),
                defaults={
                    "nation": nation,
                    "name": name,
                    "name_cy": "" if name_cy == name else name_cy,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
