"""Error pages that need more than Django's defaults: they render in the service's layout and the
person's language, and say what to do next."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


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
