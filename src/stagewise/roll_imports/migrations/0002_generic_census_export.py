"""Ships the mapping for a generic census-style export (roll_imports/mappings.py)."""

from django.db import migrations

from stagewise.roll_imports.mappings import GENERIC_CENSUS_EXPORT


def add_mapping(apps, schema_editor):
    ColumnMapping = apps.get_model("roll_imports", "ColumnMapping")
    ColumnMapping.objects.update_or_create(
        name=GENERIC_CENSUS_EXPORT["name"],
        defaults={key: value for key, value in GENERIC_CENSUS_EXPORT.items() if key != "name"},
    )


def remove_mapping(apps, schema_editor):
    apps.get_model("roll_imports", "ColumnMapping").objects.filter(
        name=GENERIC_CENSUS_EXPORT["name"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("roll_imports", "0001_initial")]

    operations = [migrations.RunPython(add_mapping, remove_mapping)]
