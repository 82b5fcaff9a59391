from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from stagewise.audit.context import RequestOrigin, current_origin


class AuditContextMiddleware:
    """Records the path and client address of each request for the audit events it causes.

    REMOTE_ADDR is the client as the app server sees it; behind a proxy, the proxy must set it
    (gunicorn's --forwarded-allow-ips) so that a forged header cannot choose what is recorded.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = RequestOrigin(
            path=request.get_full_path()[:500], ip_address=request.META.get("REMOTE_ADDR") or None
        )
        token = current_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
