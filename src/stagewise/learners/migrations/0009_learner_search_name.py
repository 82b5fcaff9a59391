"""Learners' names searchable through an index: a lower-cased search column kept by the database,
and on PostgreSQL a trigram (pg_trgm) GIN index on it, which serves `LIKE '%word%'`. SQLite has
no trigram index and searches the same column by scanning it."""

import django.db.models.functions.text
from django.db import migrations, models

TRIGRAM_INDEX = "learner_search_name_trgm_idx"


def trigram_index_create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON learners_learner "
        "USING gin (search_name gin_trgm_ops)"
    )


def trigram_index_drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # The extension stays: other tables may come to use it.
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0008_young_person_parent_sharing_decisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="learner",
            name="search_name",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Lower(
                    django.db.models.functions.text.Concat(
                        "legal_first_name",
                        models.Value(" "),
                        "preferred_name",
                        models.Value(" "),
                        "legal_last_name",
                        output_field=models.TextField(),
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(trigram_index_create, trigram_index_drop),
    ]
