"""How the API answers what it cannot do: JSON saying what to fix (ADR 0051). Nothing the
caller sends is answered with a 500; anything out of the integration's reach is a plain 404
that never hints the record exists."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid


class ScopeMissing(PermissionDenied):
    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class BadQuery(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def storable_query(**values: str) -> None:
    """A query parameter the database cannot compare (a NUL character) is refused, not sent."""
    for field, value in values.items():
        if "\x00" in value:
            raise BadQuery(
                field, _("Remove the NUL character (%%00) from %(field)s.") % {"field": field}
            )


def _answer(
    api: NinjaAPI, request: HttpRequest, status: int, message: str, errors: list[Any] | None = None
) -> HttpResponse:
    return api.create_response(request, {"message": message, "errors": errors or []}, status=status)


def _location(location: Any) -> str:
    """A pydantic error's location as a field name: ("body", "draft", "reason") -> "reason"."""
    parts = [str(part) for part in location if part not in ("body", "query", "path")]
    return ".".join(parts[1:] if len(parts) > 1 and parts[0] in _WRAPPERS else parts)


# The names the operations give their bodies, which the caller never sees.
_WRAPPERS = frozenset({"draft", "withdrawal", "record", "answer", "consent", "allocation"})


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, error: Exception) -> HttpResponse:
        response = _answer(
            api,
            request,
            401,
            _(
                'Send a current API token as "Authorization: Bearer <token>". Ask your'
                " administrator for one if yours was revoked."
            ),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(ScopeMissing)
    def scope_missing(request: HttpRequest, error: ScopeMissing) -> HttpResponse:
        return _answer(
            api,
            request,
            403,
            _(
                "This token does not carry the scope %(scope)s. Ask your administrator for a token"
                " that does."
            )
            % {"scope": error.scope},
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, error: Exception) -> HttpResponse:
        return _answer(
            api, request, 403, _("The integration's role may not do this for this learner.")
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Exception) -> HttpResponse:
        return _answer(
            api, request, 404, _("Nothing was found at this address for this integration.")
        )

    @api.exception_handler(HttpError)
    def unreadable(request: HttpRequest, error: HttpError) -> HttpResponse:
        """Ninja's own refusals: a body that is not JSON is the one a caller can cause."""
        message = (
            _("The body could not be read: send it as JSON, in UTF-8.")
            if error.status_code == 400
            else str(error)
        )
        return _answer(api, request, error.status_code, message)

    @api.exception_handler(RequestInvalid)
    def invalid(request: HttpRequest, error: RequestInvalid) -> HttpResponse:
        errors = [
            {"field": _location(each.get("loc", ())), "message": str(each.get("msg", ""))}
            for each in error.errors
        ]
        return _answer(
            api, request, 422, _("The request is not valid: fix the fields listed."), errors
        )

    @api.exception_handler(BadQuery)
    def bad_query(request: HttpRequest, error: BadQuery) -> HttpResponse:
        return _answer(
            api,
            request,
            422,
            _("The request is not valid: fix the fields listed."),
            [{"field": error.field, "message": str(error.message)}],
        )

    @api.exception_handler(ValidationError)
    def refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
        """A service's refusal, in the words the pages show on their forms."""
        if hasattr(error, "error_dict"):
            errors = [
                {"field": "" if field == "__all__" else field, "message": str(message)}
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": "", "message": str(message)} for message in error.messages]
        return _answer(
            api,
            request,
            422,
            errors[0]["message"] if errors else _("The request was refused."),
            errors,
        )
