"""A journey's flush empties every table, and the reference rows the migrations loaded come back
exactly."""

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.audit.services import audit_record
from stagewise.learners.models import Learner
from stagewise.organisations.models import LocalAuthority
from stagewise.testing.factories import SettingFactory, authority, enrolled_learner
from stagewise.testing.flush import tables_holding_rows


def flush() -> None:
    """As a journey's own flush: the sequences carry on, so rows put back keep clear of new ones."""
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        database=DEFAULT_DB_ALIAS,
        inhibit_post_migrate=True,
        reset_sequences=False,
    )


@pytest.mark.browser
def test_the_rows_put_back_in_bulk_are_the_rows_the_migrations_loaded(
    _migrated_rows: str | None, transactional_db: None, playwright: object
) -> None:
    assert _migrated_rows, "the test database was not serialised"
    connection = connections[DEFAULT_DB_ALIAS]
    flush()
    assert not LocalAuthority.objects.exists()

    # `playwright` is the fixture that makes every restore a bulk one.
    connection.creation.deserialize_db_from_string(_migrated_rows)

    assert connection.creation.serialize_db_to_string() == _migrated_rows
    assert LocalAuthority.objects.count() == 32 + 22
    assert not Learner.objects.exists()


@pytest.mark.browser
def test_the_flush_empties_every_table_the_audit_log_and_the_learners_included(
    _migrated_rows: str | None, transactional_db: None, playwright: object
) -> None:
    """The flush skips tables that hold nothing (stagewise/testing/flush.py); whatever a journey
    wrote, including the append-only audit log, is gone after it."""
    assert _migrated_rows, "the test database was not serialised"
    connection = connections[DEFAULT_DB_ALIAS]
    learner = enrolled_learner(SettingFactory.create(authority=authority("Glasgow City")))
    audit_record(actor=None, action=AuditAction.VIEW, learner=learner, purpose="the flush test")
    tables = connection.introspection.django_table_names(only_existing=True)
    holding = tables_holding_rows(connection, tables)
    assert {
        AuditEvent._meta.db_table,
        Learner._meta.db_table,
        LocalAuthority._meta.db_table,
    } <= set(holding)

    flush()

    assert tables_holding_rows(connection, tables) == []
    connection.creation.deserialize_db_from_string(_migrated_rows)
