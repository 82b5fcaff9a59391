"""Sessions in the database, saying so when the database cannot be reached (ADR 0041).

Django turns any database error while saving an existing session into "the session was deleted
before the request completed" (SessionInterrupted, answered 400). When the database is down or
the connection dropped, that answer is wrong, and it was given to people whose form had been
saved just before: the error is raised as what it is, and the error handler answers it
(accounts/error_views.server_error).
"""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import InterfaceError, OperationalError

UNREACHABLE = (OperationalError, InterfaceError)


class SessionNotSaved(OperationalError):
    """The database could not be reached to write the session. Raised after the response was
    made and the audit written, so the error handler may keep a completed request's answer."""


class SessionStore(DatabaseSessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            if isinstance(error.__context__, UNREACHABLE):
                raise SessionNotSaved(*error.__context__.args) from error.__context__
            raise
        except UNREACHABLE as error:
            raise SessionNotSaved(*error.args) from error
