from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from stagewise.audit.services import audit_session

# A page that was refused or not found showed nothing: its views are not views.
_NOTHING_SHOWN = frozenset({403, 404})


class AuditContextMiddleware:
    """Records the path and client address of each request for the audit events it causes, and
    writes the views the request collected once its response shows they took place (a refusal
    is always written, even when the service that refused rolled its transaction back).

    REMOTE_ADDR is the client as the app server sees it; behind a proxy, the proxy must set it
    (gunicorn's --forwarded-allow-ips) so that a forged header cannot choose what is recorded.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_session(
            path=request.get_full_path()[:500],
            ip_address=request.META.get("REMOTE_ADDR") or None,
        ) as origin:
            response = self.get_response(request)
            if response.status_code in _NOTHING_SHOWN and origin.pending_views is not None:
                origin.pending_views.clear()
            return response
