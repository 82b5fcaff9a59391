"""The health endpoint a load balancer polls: GET /health/.

Answered by the first middleware, before host validation, the HTTPS redirect, sessions, sign-in
and the audit, so a probe by address over plain HTTP gets its answer and leaves nothing behind:
no session, no audit event, no learner data. One cheap query shows the database answers.
"""

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

HEALTH_PATH = "/health/"

logger = logging.getLogger(__name__)


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The reason goes to the log for operators; the probe learns only that it failed.
        logger.exception("Health check: the database did not answer")
        return False
    return True


def health_response() -> HttpResponse:
    healthy = database_answers()
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable"}, status=200 if healthy else 503
    )
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
