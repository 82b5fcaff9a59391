"""Loads the impact measures added to measurement/data/measures.json since 0007: the change in
attendance and the change in wellbeing since the plan. 0002's loader updates every measure in the
file to the file's version, so it serves again here."""

from importlib import import_module

from django.db import migrations

load = import_module("stagewise.measurement.migrations.0002_load_measures").load


class Migration(migrations.Migration):
    dependencies = [("measurement", "0008_measure_kind_impact")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
