"""Loads the national threshold descriptors from data/threshold_descriptors.json, each with its
source and version, and records each as the first version in its history (ADR 0008, ADR 0045)."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Nation = apps.get_model("organisations", "Nation")
    Descriptor = apps.get_model("statutory", "NationalThresholdDescriptor")
    Historical = apps.get_model("statutory", "HistoricalNationalThresholdDescriptor")

    data = json.loads((DATA / "threshold_descriptors.json").read_text(encoding="utf-8"))
    nations = {nation.code: nation for nation in Nation.objects.all()}
    loaded = []
    for entry in data["descriptors"]:
        descriptor, _created = Descriptor.objects.update_or_create(
            key=entry["key"],
            defaults={
                "nation": nations[entry["nation"]],
                "national_stage": entry["national_stage"],
                "dimension": entry["dimension"],
                "order": entry["order"],
                "wording": entry["wording"],
                "wording_cy": entry["wording_cy"],
                "source": entry["source"],
                "version": data["version"],
            },
        )
        loaded.append(descriptor)
    now = timezone.now()
    fields = [field.attname for field in Descriptor._meta.concrete_fields]
    Historical.objects.bulk_create(
        Historical(
            **{name: getattr(row, name) for name in fields},
            history_date=now,
            history_type="+",
            history_change_reason="loaded from threshold_descriptors.json",
        )
        for row in loaded
    )


class Migration(migrations.Migration):
    dependencies = [
        ("statutory", "0013_threshold_descriptors"),
        ("organisations", "0002_nations_and_local_authorities"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
