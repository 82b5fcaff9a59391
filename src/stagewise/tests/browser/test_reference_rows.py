"""After a journey's flush, the reference rows the migrations loaded come back exactly."""

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

from stagewise.learners.models import Learner
from stagewise.organisations.models import LocalAuthority


@pytest.mark.browser
def test_the_rows_put_back_in_bulk_are_the_rows_the_migrations_loaded(
    _migrated_rows: str | None, transactional_db: None, playwright: object
) -> None:
    assert _migrated_rows, "the test database was not serialised"
    connection = connections[DEFAULT_DB_ALIAS]
    # As a journey's own flush: the sequences carry on, so rows put back keep clear of new ones.
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        database=DEFAULT_DB_ALIAS,
        inhibit_post_migrate=True,
        reset_sequences=False,
    )
    assert not LocalAuthority.objects.exists()

    # `playwright` is the fixture that makes every restore a bulk one.
    connection.creation.deserialize_db_from_string(_migrated_rows)

    assert connection.creation.serialize_db_to_string() == _migrated_rows
    assert LocalAuthority.objects.count() == 32 + 22
    assert not Learner.objects.exists()
