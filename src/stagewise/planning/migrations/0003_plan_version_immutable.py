"""A database trigger that refuses to change a finalised plan version, whatever the caller.

PlanVersion.save() already refuses; this also stops QuerySet.update() and raw SQL. Deleting stays
possible, because a version goes when its learner's record is deleted under retention rules.
"""

from django.db import migrations

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION planning_version_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a finalised plan version is never changed';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER planning_version_immutable
    BEFORE UPDATE ON planning_planversion
    FOR EACH ROW EXECUTE FUNCTION planning_version_refuse_change();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS planning_version_immutable ON planning_planversion;
DROP FUNCTION IF EXISTS planning_version_refuse_change();
"""
SQLITE_CREATE = """
CREATE TRIGGER planning_version_immutable BEFORE UPDATE ON planning_planversion
BEGIN
    SELECT RAISE(ABORT, 'a finalised plan version is never changed');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS planning_version_immutable;"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("planning", "0002_plan_types")]

    operations = [migrations.RunPython(create, drop)]
