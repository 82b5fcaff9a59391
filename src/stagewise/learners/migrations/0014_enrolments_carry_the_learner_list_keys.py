"""Each enrolment carries its setting's authority and its learner's sort keys and search name, kept
by database triggers, so that a school's or an authority's learner list and name search start
from its enrolments in name order (docs/adr/0050-learner-lists-read-from-the-scopes-enrolments.md).

The triggers are the one place the copies are worked out, on both databases:

- an enrolment written in any way (insert or update, whatever columns) takes them from its setting
  and its learner, replacing whatever the writer sent;
- a learner inserted, or renamed, and a setting moved to another authority, touch their
  enrolments (`SET learner_id = learner_id`), which runs the first trigger on each.

The existing enrolments are filled the same way, by touching them, before the indexes are built.
On PostgreSQL a GIN index over (authority, search name) serves an authority's name search
(btree_gin for the authority, pg_trgm for the name); SQLite scans the authority's enrolments.

SQLite drops a table's triggers when a migration rebuilds the table: a later migration that
rebuilds learners_enrolment, learners_learner or organisations_setting on SQLite must create them
again (test_list_keys.py fails on SQLite if it does not).
"""

import django.db.models.deletion
from django.db import migrations, models

SEARCH_INDEX = "enrolment_authority_search_trgm"
NAMES_CHANGED = " OR ".join(
    f"OLD.{column} IS DISTINCT FROM NEW.{column}"
    for column in ("legal_first_name", "preferred_name", "legal_last_name")
)
TOUCH_LEARNERS_ENROLMENTS = (
    "UPDATE learners_enrolment SET learner_id = learner_id WHERE learner_id = NEW.id;"
)
TOUCH_SETTINGS_ENROLMENTS = (
    "UPDATE learners_enrolment SET setting_id = setting_id WHERE setting_id = NEW.id;"
)

POSTGRES_CREATE = [
    """
CREATE OR REPLACE FUNCTION learners_enrolment_list_keys() RETURNS trigger AS $$
BEGIN
    NEW.authority_id := (SELECT authority_id FROM organisations_setting WHERE id = NEW.setting_id);
    SELECT lower(legal_last_name), lower(legal_first_name), search_name
        INTO NEW.learner_sort_last_name, NEW.learner_sort_first_name, NEW.learner_search_name
        FROM learners_learner WHERE id = NEW.learner_id;
    IF NOT FOUND THEN
        -- A learner written later in the same transaction (deferred foreign key) touches it.
        NEW.learner_sort_last_name := '';
        NEW.learner_sort_first_name := '';
        NEW.learner_search_name := '';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER enrolment_list_keys BEFORE INSERT OR UPDATE ON learners_enrolment
    FOR EACH ROW EXECUTE FUNCTION learners_enrolment_list_keys()
""",
    f"""
CREATE OR REPLACE FUNCTION learners_learner_touch_enrolments() RETURNS trigger AS $$
BEGIN
    {TOUCH_LEARNERS_ENROLMENTS}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER learner_list_keys_insert AFTER INSERT ON learners_learner
    FOR EACH ROW EXECUTE FUNCTION learners_learner_touch_enrolments()
""",
    f"""
CREATE TRIGGER learner_list_keys_rename
    AFTER UPDATE OF legal_first_name, preferred_name, legal_last_name ON learners_learner
    FOR EACH ROW WHEN ({NAMES_CHANGED})
    EXECUTE FUNCTION learners_learner_touch_enrolments()
""",
    f"""
CREATE OR REPLACE FUNCTION organisations_setting_touch_enrolments() RETURNS trigger AS $$
BEGIN
    {TOUCH_SETTINGS_ENROLMENTS}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER setting_list_keys AFTER UPDATE OF authority_id ON organisations_setting
    FOR EACH ROW WHEN (OLD.authority_id IS DISTINCT FROM NEW.authority_id)
    EXECUTE FUNCTION organisations_setting_touch_enrolments()
""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS enrolment_list_keys ON learners_enrolment",
    "DROP TRIGGER IF EXISTS learner_list_keys_insert ON learners_learner",
    "DROP TRIGGER IF EXISTS learner_list_keys_rename ON learners_learner",
    "DROP TRIGGER IF EXISTS setting_list_keys ON organisations_setting",
    "DROP FUNCTION IF EXISTS learners_enrolment_list_keys()",
    "DROP FUNCTION IF EXISTS learners_learner_touch_enrolments()",
    "DROP FUNCTION IF EXISTS organisations_setting_touch_enrolments()",
]

# SQLite's triggers cannot change the row being written (no BEFORE ... NEW assignment): the row
# is written again after. Recursive triggers are off (SQLite's default), so that second write
# does not run the trigger again.
SQLITE_SET_KEYS = """
UPDATE learners_enrolment SET
    authority_id = (SELECT authority_id FROM organisations_setting WHERE id = NEW.setting_id),
    learner_sort_last_name = coalesce(
        (SELECT lower(legal_last_name) FROM learners_learner WHERE id = NEW.learner_id), ''),
    learner_sort_first_name = coalesce(
        (SELECT lower(legal_first_name) FROM learners_learner WHERE id = NEW.learner_id), ''),
    learner_search_name = coalesce(
        (SELECT search_name FROM learners_learner WHERE id = NEW.learner_id), '')
WHERE id = NEW.id;
"""
SQLITE_NAMES_CHANGED = NAMES_CHANGED.replace("IS DISTINCT FROM", "IS NOT")
SQLITE_CREATE = [
    f"CREATE TRIGGER enrolment_list_keys_insert AFTER INSERT ON learners_enrolment "
    f"BEGIN {SQLITE_SET_KEYS} END",
    f"CREATE TRIGGER enrolment_list_keys_update AFTER UPDATE ON learners_enrolment "
    f"BEGIN {SQLITE_SET_KEYS} END",
    f"CREATE TRIGGER learner_list_keys_insert AFTER INSERT ON learners_learner "
    f"BEGIN {TOUCH_LEARNERS_ENROLMENTS} END",
    f"CREATE TRIGGER learner_list_keys_rename "
    f"AFTER UPDATE OF legal_first_name, preferred_name, legal_last_name ON learners_learner "
    f"WHEN {SQLITE_NAMES_CHANGED} BEGIN {TOUCH_LEARNERS_ENROLMENTS} END",
    f"CREATE TRIGGER setting_list_keys AFTER UPDATE OF authority_id ON organisations_setting "
    f"WHEN OLD.authority_id IS NOT NEW.authority_id BEGIN {TOUCH_SETTINGS_ENROLMENTS} END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "enrolment_list_keys_insert",
        "enrolment_list_keys_update",
        "learner_list_keys_insert",
        "learner_list_keys_rename",
        "setting_list_keys",
    )
]


def triggers_create(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)
    # Every existing enrolment takes its keys as a new one would.
    schema_editor.execute("UPDATE learners_enrolment SET learner_id = learner_id")


def triggers_drop(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(statement)


def search_index_create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON learners_enrolment "
        "USING gin (authority_id, learner_search_name gin_trgm_ops)"
    )


def search_index_drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0013_looked_after_since"),
        ("organisations", "0008_national_bodies_and_policy_officers"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="authority",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.localauthority",
                verbose_name="authority",
            ),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="learner_search_name",
            field=models.TextField(db_default="", editable=False),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="learner_sort_first_name",
            field=models.CharField(db_default="", editable=False, max_length=100),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="learner_sort_last_name",
            field=models.CharField(db_default="", editable=False, max_length=100),
        ),
        migrations.RunPython(triggers_create, triggers_drop),
        migrations.AddIndex(
            model_name="enrolment",
            index=models.Index(
                fields=["setting", "learner_sort_last_name", "learner_sort_first_name", "learner"],
                include=("started_on", "ended_on", "id", "learner_search_name"),
                name="enrolment_setting_roster",
            ),
        ),
        migrations.AddIndex(
            model_name="enrolment",
            index=models.Index(
                fields=[
                    "authority",
                    "learner_sort_last_name",
                    "learner_sort_first_name",
                    "learner",
                ],
                include=("started_on", "ended_on", "id"),
                name="enrolment_authority_roster",
            ),
        ),
        migrations.RunPython(search_index_create, search_index_drop),
    ]
