"""The search column folds accents ("o suilleabhain" finds Ó Súilleabháin): learners/name_folding.py.

A generated column cannot be altered in place, so it is dropped and added again with the new
definition; adding it computes it for every existing learner (the data migration is the
database's own). The trigram index on it goes with the column and is built again after."""

import django.db.models.functions.text
from django.db import migrations, models

import stagewise.learners.name_folding

TRIGRAM_INDEX = "learner_search_name_trgm_idx"


def trigram_index_create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON learners_learner "
            "USING gin (search_name gin_trgm_ops)"
        )


def trigram_index_drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0009_learner_search_name"),
    ]

    operations = [
        migrations.RunPython(trigram_index_drop, trigram_index_create),
        migrations.RemoveField(model_name="learner", name="search_name"),
        migrations.AddField(
            model_name="learner",
            name="search_name",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Lower(
                    stagewise.learners.name_folding.FoldAccents(
                        django.db.models.functions.text.Concat(
                            "legal_first_name",
                            models.Value(" "),
                            "preferred_name",
                            models.Value(" "),
                            "legal_last_name",
                            output_field=models.TextField(),
                        ),
                        "ÁÀÂÄÃÅĀĂĄáàâäãåāăąÇĆČçćčĎĐďđÉÈÊËĒĖĘĚéèêëēėęěĞĢğģÍÌÎÏĪĮíìîïīįıĶķĹĻĽŁĺļľł"
                        "ÑŃŅŇñńņňÓÒÔÖÕØŌŐóòôöõøōőŔŘŕřŚŞŠȘśşšșŢŤȚţťțÚÙÛÜŪŮŰŲúùûüūůűų"
                        "ŴŵÝŸŶýÿŷŹŻŽźżž",
                        "AAAAAAAAAaaaaaaaaaCCCcccDDddEEEEEEEEeeeeeeeeGGggIIIIIIiiiiiiiKkLLLLllll"
                        "NNNNnnnnOOOOOOOOooooooooRRrrSSSSssssTTTtttUUUUUUUUuuuuuuuu"
                        "WwYYYyyyZZZzzz",
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(trigram_index_create, trigram_index_drop),
    ]
