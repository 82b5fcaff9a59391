"""Error pages that need more than Django's defaults: they render in the service's layout and the
person's language, and say what to do next."""

import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from stagewise.accounts.sessions import SessionNotSaved
from stagewise.submissions.middleware import ANSWER_GIVEN, COMMIT_UNCONFIRMED, COMMITTED, READS

logger = logging.getLogger(__name__)
# How long to suggest waiting before trying again when the database cannot be reached.
RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid security token: usually a page left open past the session, or
    a second tab. The reason is for developers and is not shown."""
    return render(request, "403_csrf.html", status=403)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Malformed requests get the 400 page; a form too big to accept gets a page of its own, so
    that the person knows to shorten what they wrote rather than try the same thing again."""
    if isinstance(exception, RequestDataTooBig):
        return render(request, "413.html", status=413)
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, except when the database could not be reached or the connection dropped:
    then 503 and what happened to what was sent, for the form's own transaction was rolled back
    (or, if the commit's result never came back, the form can be sent again without a second
    save). If the request's writes had committed, or it had completed (its audit written) and only
    the session could not be written after it, its answer stands: never a page whose audit
    was not written.

    Rendered with no request context, like Django's own 500 page: the database may be why it is
    shown."""
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return HttpResponse(loader.get_template("500.html").render(), status=500)
    answer = getattr(request, ANSWER_GIVEN, None)
    completed = isinstance(error, SessionNotSaved) or getattr(request, COMMITTED, False)
    if answer is not None and answer.status_code < 500 and completed:
        logger.warning("The database went away after the request completed; its answer kept.")
        return answer
    context = {
        "sent_something": request.method not in READS,
        "commit_unconfirmed": getattr(request, COMMIT_UNCONFIRMED, False),
    }
    response = HttpResponse(loader.get_template("503.html").render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
