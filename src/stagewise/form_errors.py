"""How a page shows a service's refusal: on the form, each message by the field it names (or at
the top), in the GOV.UK error summary, so nothing ever reaches the reader as a 500."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest


def refusal_on_form(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def save_or_show_errors(form: Any, write: Callable[[], object]) -> object | None:
    """Call the service; its refusal goes on the form and None is returned."""
    try:
        return write()
    except ValidationError as error:
        refusal_on_form(form, error)
        return None


def posted(request: HttpRequest) -> Any:
    """The posted form, even an empty one (so that it is checked and the errors shown)."""
    return request.POST if request.method == "POST" else None
