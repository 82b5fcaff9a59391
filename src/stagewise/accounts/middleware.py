"""Middleware that sets the acting role, the person's language and the two-factor requirement,
keeps signed-in pages out of caches, and gives every record one address."""

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from stagewise.accounts.actors import Actor, keep_roles_in_session, roles_for_session

ACTOR_SESSION_KEY = "stagewise_actor"

Handler = Callable[[HttpRequest], HttpResponse]


SESSION_REFRESHED_KEY = "stagewise_session_refreshed_at"
# How often a signed-in person's session is written again to push its expiry on: once a minute
# rather than on every request, which would be a database write per page seen.
SESSION_REFRESH_SECONDS = 60


class SlidingSessionExpiryMiddleware:
    """A session expires SESSION_IDLE_MINUTES after the person's last request, give or take the
    minute between refreshes: a request that finds the session last written a minute ago or more
    writes it again (with a new expiry); others leave it be. A session with nothing in it (a
    visitor's, or one just signed out) is never written for this."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            last_written = session.get(SESSION_REFRESHED_KEY, 0)
            # A session written anyway (a sign-in, a change of role) starts its minute now.
            if session.modified or now - last_written >= SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED_KEY] = now
        return response


def session_written_at_sign_in(
    sender: object, request: HttpRequest | None, user: Any = None, **kwargs: object
) -> None:
    """Signing in writes the session, so its first minute starts then, and it keeps the person's
    roles from the start rather than writing the session again on their first page."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REFRESHED_KEY] = int(time.time())
        if user is not None:
            # The account may have been read before a role of it changed.
            user.refresh_from_db(fields=["roles_version"])
            keep_roles_in_session(user, request.session)


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
    """Puts `request.actor` (or None) and `request.available_actors` on every request, from the
    roles the session keeps (no query unless they changed: accounts/actors.py)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        request.available_actors = []  # type: ignore[attr-defined]
        request.has_authenticator_app = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            roles = roles_for_session(user, request.session)
            actors = roles.actors
            request.available_actors = actors  # type: ignore[attr-defined]
            request.has_authenticator_app = roles.has_authenticator_app  # type: ignore[attr-defined]
            request.is_carer = roles.is_carer  # type: ignore[attr-defined]
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
        known = getattr(request, "has_authenticator_app", None)
        if known is not None:
            return not known
        return not Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists()


class NoStoreForSignedInMiddleware:
    """Nothing a signed-in person receives (pages, HTMX fragments, PDFs) is kept by the browser or
    a shared cache, so it cannot be read back from a shared computer after signing out."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # no-store and private, with no-cache, must-revalidate and max-age=0 for older caches.
            add_never_cache_headers(response)
        return response


CANONICAL_ID_KWARGS = ("learner_id", "plan_id", "process_id")


def canonical_public_id(value: str) -> str | None:
    """The one spelling of a record id in addresses: lower case, hyphenated. None if no id."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


class CanonicalRecordIdMiddleware:
    """A learner or plan has one address. Another spelling of its id (upper case, no hyphens) is
    sent permanently to the canonical address when it is a page being read, and is not found
    otherwise, so bookmarks, the audit's paths and the browser history agree."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        corrected = dict(view_kwargs)
        for name in CANONICAL_ID_KWARGS:
            value = view_kwargs.get(name)
            if isinstance(value, str):
                canonical = canonical_public_id(value)
                if canonical is not None:
                    corrected[name] = canonical
        if corrected == view_kwargs:
            return None
        if request.method not in ("GET", "HEAD") or request.resolver_match is None:
            raise Http404
        location = reverse(request.resolver_match.view_name, args=view_args, kwargs=corrected)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{location}?{query}" if query else location)
