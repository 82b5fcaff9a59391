"""Audit events name the learner by their audit key, not by a foreign key (ADR 0033).

The append-only trigger is dropped for the length of this migration, because the events are
updated once, here and never again: each event about a learner is given the learner's key, and its
`changes` keep which fields changed but not their values (the learner's data, which erasure must
remove). Then the foreign key, and its index, go; the index on (learner_key, occurred_at) takes
its place; and the trigger is re-created: on PostgreSQL on the partitioned table, which clones it
to every partition (ADR 0038), on SQLite on the plain table (its rebuild by RemoveField would have
lost it anyway). One transaction: all or nothing.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "audit_auditevent"
POSTGRES_DROP_TRIGGER = f"DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE}"
POSTGRES_CREATE_TRIGGER = f"""
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()
"""
SQLITE_DROP_TRIGGER = "DROP TRIGGER IF EXISTS audit_event_append_only"
SQLITE_CREATE_TRIGGER = f"""
CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON {TABLE}
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END
"""
POSTGRES_KEYS_AND_FIELDS = f"""
UPDATE {TABLE} AS event
SET learner_key = audit_key.key,
    changes = CASE
        WHEN event.changes IS NULL OR jsonb_typeof(event.changes) <> 'object' THEN event.changes
        ELSE (
            SELECT COALESCE(jsonb_object_agg(field, to_jsonb('changed'::text)), '{{}}'::jsonb)
            FROM jsonb_object_keys(event.changes) AS field
        )
    END
FROM audit_learnerauditkey AS audit_key
WHERE audit_key.learner_id = event.learner_id
"""  # noqa: S608 (a fixed table name)
SQLITE_KEYS_AND_FIELDS = f"""
UPDATE {TABLE}
SET learner_key = (
        SELECT audit_key.key FROM audit_learnerauditkey AS audit_key
        WHERE audit_key.learner_id = {TABLE}.learner_id
    ),
    changes = CASE
        WHEN changes IS NULL OR json_type(changes) <> 'object' THEN changes
        ELSE (SELECT json_group_object(key, 'changed') FROM json_each({TABLE}.changes))
    END
WHERE learner_id IS NOT NULL
"""  # noqa: S608 (a fixed table name)
# Going back: the learner of each event whose key still leads to one (an erased learner's events
# keep no learner); the values of changed fields are gone for good.
POSTGRES_LEARNERS_BACK = f"""
UPDATE {TABLE} AS event SET learner_id = audit_key.learner_id
FROM audit_learnerauditkey AS audit_key WHERE audit_key.key = event.learner_key
"""  # noqa: S608 (a fixed table name)
SQLITE_LEARNERS_BACK = f"""
UPDATE {TABLE} SET learner_id = (
    SELECT audit_key.learner_id FROM audit_learnerauditkey AS audit_key
    WHERE audit_key.key = {TABLE}.learner_key
)
"""  # noqa: S608 (a fixed table name)


def _run(schema_editor, postgres: str, sqlite: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres)
    elif vendor == "sqlite":
        schema_editor.execute(sqlite)


def drop_trigger(apps, schema_editor):
    _run(schema_editor, POSTGRES_DROP_TRIGGER, SQLITE_DROP_TRIGGER)


def create_trigger(apps, schema_editor):
    _run(schema_editor, POSTGRES_CREATE_TRIGGER, SQLITE_CREATE_TRIGGER)


def keys_and_fields(apps, schema_editor):
    _run(schema_editor, POSTGRES_KEYS_AND_FIELDS, SQLITE_KEYS_AND_FIELDS)


def learners_back(apps, schema_editor):
    _run(schema_editor, POSTGRES_LEARNERS_BACK, SQLITE_LEARNERS_BACK)


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("audit", "0006_learner_audit_keys"),
        ("learners", "0010_search_name_folds_accents"),
    ]

    operations = [
        migrations.RunPython(drop_trigger, create_trigger),
        migrations.AddField(
            model_name="auditevent",
            name="learner_key",
            field=models.ForeignKey(
                blank=True,
                db_column="learner_key",
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="audit.learnerauditkey",
                to_field="key",
                verbose_name="learner's audit key",
            ),
        ),
        migrations.RunPython(keys_and_fields, learners_back),
        migrations.RemoveIndex(model_name="auditevent", name="audit_audit_learner_1479f5_idx"),
        migrations.RemoveField(model_name="auditevent", name="learner"),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["learner_key", "-occurred_at"], name="audit_learner_key_idx"
            ),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
