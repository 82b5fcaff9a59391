"""The refresh's working tables unlogged on PostgreSQL (ADR 0024, third amendment): their rows
live only inside one refresh's transaction, so writing them to the write-ahead log (millions of
rows a full refresh, and full pages of them after each checkpoint) protected nothing a crash
would not lose anyway. After a crash PostgreSQL empties an unlogged table, which they are
between refreshes. Nothing on SQLite."""

from django.db import migrations

WORKING_TABLES = (
    "measurement_learneryear",
    "measurement_learneryearreason",
    "measurement_learneryearcontribution",
)


def _set(persistence: str):
    def change(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.connection.ops.quote_name
        for table in WORKING_TABLES:
            schema_editor.execute(f"ALTER TABLE {quote(table)} SET {persistence}")

    return change


class Migration(migrations.Migration):
    dependencies = [("measurement", "0015_learner_year_reasons_key_and_wellbeing")]

    operations = [migrations.RunPython(_set("UNLOGGED"), _set("LOGGED"), elidable=False)]
