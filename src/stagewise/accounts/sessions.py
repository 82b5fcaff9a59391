"""Sessions in the database, saying so when the database cannot be reached (ADR 0039).

Django turns any database error while saving an existing session into "the session was deleted
before the request completed" (SessionInterrupted, answered 400). When the database is down or
the connection dropped, that answer is wrong, and it was given to people whose form had been
saved just before: the error is raised as what it is, and the error handler answers it
(accounts/error_views.server_error).
"""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import InterfaceError, OperationalError


class SessionStore(DatabaseSessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            cause = error.__context__
            if isinstance(cause, (OperationalError, InterfaceError)):
                raise cause from None
            raise
