"""Loads the reason-for-support code lists and the staged intervention models from data/."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Nation = apps.get_model("organisations", "Nation")
    LocalAuthority = apps.get_model("organisations", "LocalAuthority")
    ReasonForSupport = apps.get_model("statutory", "ReasonForSupport")
    StageModel = apps.get_model("statutory", "StageModel")
    LocalStage = apps.get_model("statutory", "LocalStage")
    AuthorityStageModel = apps.get_model("statutory", "AuthorityStageModel")

    reasons = json.loads((DATA / "reasons_for_support.json").read_text(encoding="utf-8"))
    for nation_code, code_list in reasons.items():
        nation = Nation.objects.get(code=nation_code)
        for code, label, label_cy in code_list["codes"]:
            ReasonForSupport.objects.update_or_create(
                nation=nation,
                code=code,
                defaults={
                    "label": label,
                    "label_cy": label_cy,
                    "source": code_list["source"],
                    "version": code_list["version"],
                },
            )

    models = json.loads((DATA / "stage_models.json").read_text(encoding="utf-8"))
    for entry in models["models"]:
        nation = Nation.objects.get(code=entry["nation"])
        stage_model, _created = StageModel.objects.update_or_create(
            key=entry["key"],
            defaults={
                "name": entry["name"],
                "name_cy": entry["name_cy"],
                "nation": nation,
                "source": entry["source"],
                "version": models["version"],
                "is_default": entry["authorities"] in ("default", "all"),
            },
        )
        for order, (label, label_cy, national_stage, description) in enumerate(
            entry["stages"], start=1
        ):
            LocalStage.objects.update_or_create(
                stage_model=stage_model,
                order=order,
                defaults={
                    "label": label,
                    "label_cy": label_cy,
                    "national_stage": national_stage,
                    "description": description,
                },
            )
        if isinstance(entry["authorities"], list):
            for name in entry["authorities"]:
                AuthorityStageModel.objects.update_or_create(
                    authority=LocalAuthority.objects.get(name=name),
                    defaults={"stage_model": stage_model},
                )


class Migration(migrations.Migration):
    dependencies = [
        ("statutory", "0001_initial"),
        ("organisations", "0002_nations_and_local_authorities"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
