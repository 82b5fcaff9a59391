"""Loads the plan types and their sections from data/plan_types.json."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "plan_types.json"


def load(apps, schema_editor):
    Nation = apps.get_model("organisations", "Nation")
    PlanType = apps.get_model("planning", "PlanType")
    PlanSection = apps.get_model("planning", "PlanSection")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for order, entry in enumerate(data["types"], start=1):
        plan_type, _created = PlanType.objects.update_or_create(
            key=entry["key"],
            defaults={
                "nation": Nation.objects.get(code=entry["nation"]),
                "name": entry["name"],
                "name_cy": entry["name_cy"],
                "short_name": entry["short_name"],
                "statutory": entry["statutory"],
                "sign_off_roles": entry["sign_off_roles"],
                "review_interval_months": entry["review_interval_months"],
                "has_lead_professional": entry["has_lead_professional"],
                "source": entry["source"],
                "version": data["version"],
                "order": order,
            },
        )
        for section_order, (key, number, title, title_cy, kind, required) in enumerate(
            entry["sections"], start=1
        ):
            PlanSection.objects.update_or_create(
                plan_type=plan_type,
                key=key,
                defaults={
                    "number": number,
                    "title": title,
                    "title_cy": title_cy,
                    "kind": kind,
                    "required": required,
                    "order": section_order,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("organisations", "0002_nations_and_local_authorities"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
