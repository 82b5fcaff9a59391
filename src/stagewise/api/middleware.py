from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from stagewise.api.authentication import (
    TOKEN_ATTRIBUTE,
    RateLimited,
    bearer_secret,
    count_request,
    token_for,
)

API_PATH = "/api/"


class ApiRateLimitMiddleware:
    """Counts each API request against its token's rate limit before the request's transaction
    starts (submissions/middleware.py rolls a refused write back, and the count must stay), and
    answers 429 with Retry-After once the token is over it. A request with no valid token is
    left to the API to refuse (401): it counts against no one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PATH):
            return self.get_response(request)
        secret = bearer_secret(request)
        token = token_for(secret) if secret else None
        if token is not None:
            try:
                count_request(token)
            except RateLimited as limited:
                response = JsonResponse(
                    {
                        "message": _(
                            "Too many requests with this token. Wait %(seconds)s seconds, then"
                            " try again."
                        )
                        % {"seconds": limited.retry_after},
                        "errors": [],
                    },
                    status=429,
                )
                response["Retry-After"] = str(limited.retry_after)
                return response
            setattr(request, TOKEN_ATTRIBUTE, token)
        return self.get_response(request)
