"""Every learner gets an audit key (ADR 0033): the pseudonym under which the audit log will name
them. Existing learners are given theirs here; new ones get theirs when they are saved."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

BATCH = 2000


def give_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "INSERT INTO audit_learnerauditkey (learner_id, key)"
            " SELECT id, gen_random_uuid() FROM learners_learner"
        )
        return
    learner_model = apps.get_model("learners", "Learner")
    key_model = apps.get_model("audit", "LearnerAuditKey")
    learner_ids = list(learner_model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(learner_ids), BATCH):
        key_model.objects.bulk_create(
            key_model(learner_id=learner_id, key=uuid.uuid4())
            for learner_id in learner_ids[start : start + BATCH]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_partition_by_month"),
        ("learners", "0010_search_name_folds_accents"),
    ]

    operations = [
        migrations.CreateModel(
            name="LearnerAuditKey",
            fields=[
                (
                    "learner",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="audit_key",
                        serialize=False,
                        to="learners.learner",
                    ),
                ),
                ("key", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
            ],
            options={
                "verbose_name": "learner's audit key",
                "verbose_name_plural": "learners' audit keys",
            },
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop),
    ]
