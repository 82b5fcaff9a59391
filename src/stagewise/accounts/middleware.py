"""Middleware that sets the acting role, the person's language and the two-factor requirement."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from stagewise.accounts.actors import Actor, actors_for

ACTOR_SESSION_KEY = "stagewise_actor"

Handler = Callable[[HttpRequest], HttpResponse]


class PreferredLanguageMiddleware:
    """A signed-in person's language comes from their account, on every device."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.preferred_language
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class ActorMiddleware:
    """Puts `request.actor` (or None) and `request.available_actors` on every request."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        request.available_actors = []  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actors = actors_for(user)
            request.available_actors = actors  # type: ignore[attr-defined]
            request.actor = choose_actor(actors, request.session.get(ACTOR_SESSION_KEY))  # type: ignore[attr-defined]
        return self.get_response(request)


def choose_actor(actors: list[Actor], key: str | None) -> Actor | None:
    for actor in actors:
        if actor.key == key:
            return actor
    return actors[0] if actors else None


class StaffTwoFactorMiddleware:
    """Staff who have not set up an authenticator app are sent to set one up before anything else.

    Parents and young people are offered two-factor authentication but not made to use it.
    """

    allowed_prefixes = ("/accounts/", "/static/", "/me/language/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.STAFF_TWO_FACTOR_REQUIRED
            and request.user.is_authenticated
            and self.needs_two_factor(request)
            and not request.path.startswith(self.allowed_prefixes)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def needs_two_factor(request: HttpRequest) -> bool:
        from allauth.mfa.models import Authenticator

        # Anyone who may use the configuration admin site needs it too, with or without a role.
        is_staff = (
            request.user.is_staff
            or request.user.is_superuser
            or any(
                actor.is_staff_role
                for actor in request.available_actors  # type: ignore[attr-defined]
            )
        )
        if not is_staff:
            return False
        return not Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists()
