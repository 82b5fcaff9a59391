"""Each log line written while a request is handled names the request: an id (the proxy's
X-Request-ID when it sends a sensible one, else a new one, echoed in the response so a person's
report can be matched to the log) and the path, never the query string."""

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only if it is short and plain, so a client cannot write into the log.
_ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


@dataclass(frozen=True)
class RequestLogContext:
    request_id: str
    path: str


_current: ContextVar[RequestLogContext | None] = ContextVar("request_log_context", default=None)
# Django logs a 4xx or 5xx answer after the middleware has returned, from the record's request:
# the context rides in the request's environ too (extension keys there are dotted, like wsgi.*).
_ENVIRON_KEY = "stagewise.request_log_context"


def request_id_for(request: HttpRequest) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    if _ACCEPTABLE_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestLogContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestLogContext(request_id=request_id_for(request), path=request.path[:500])
        request.META[_ENVIRON_KEY] = context
        token = _current.set(context)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[REQUEST_ID_HEADER] = context.request_id
        return response


class AddRequestContext(logging.Filter):
    """Adds request_id and path to each record written during a request (None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        if context is None and isinstance(request := getattr(record, "request", None), HttpRequest):
            context = request.META.get(_ENVIRON_KEY)
        record.request_id = context.request_id if context else None
        record.path = context.path if context else None
        return True
