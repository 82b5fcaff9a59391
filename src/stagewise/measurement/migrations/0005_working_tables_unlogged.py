"""The refresh's working tables are UNLOGGED on PostgreSQL: their rows live only inside the
refresh's transaction (ADR 0024), so writing them to the write-ahead log buys nothing and costs
the refresh most of its writing time. A crash empties them, which is their state between
refreshes anyway. Other databases keep them as they are."""

from django.db import migrations

TABLES = [
    "measurement_learneryear",
    "measurement_learneryearreason",
    "measurement_learneryearcontribution",
]


def _set(state: str):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} SET {state}")

    return alter


class Migration(migrations.Migration):
    dependencies = [("measurement", "0004_refresh_working_tables")]

    operations = [migrations.RunPython(_set("UNLOGGED"), _set("LOGGED"))]
