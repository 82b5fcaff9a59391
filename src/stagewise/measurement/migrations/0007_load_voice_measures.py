"""Loads the measures added to measurement/data/measures.json since 0002: the families' and
learners' own say after each review (feel supported, listened to). 0002's loader updates every
measure in the file to the file's version, so it serves again here."""

from importlib import import_module

from django.db import migrations

load = import_module("stagewise.measurement.migrations.0002_load_measures").load


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0006_summary_figures_without_key_constraints"),
        ("families", "0004_family_say_on_reviews"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
