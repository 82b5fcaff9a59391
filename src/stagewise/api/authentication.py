"""Who an API request acts as: the integration its bearer token belongs to, in its role
(ADR 0051). A token that is missing, unknown, revoked or whose integration's role has ended
authenticates nobody (401); one over its rate limit is answered 429 with Retry-After."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from stagewise.accounts.actors import MEMBERSHIP_RELATED_PATHS, Actor
from stagewise.api.models import ApiToken, Integration
from stagewise.api.services import TOKEN_START, digest_matches
from stagewise.organisations.models import Membership

WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class Caller:
    token: ApiToken
    actor: Actor


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


def token_for(secret: str) -> ApiToken | None:
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_START:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("integration__service_user", "integration__membership")
        .filter(prefix=parts[1])
        .first()
    )
    if token is None or not digest_matches(token, secret):
        return None
    return token


def _actor_for(token: ApiToken) -> Actor | None:
    """The integration as an actor in its role, while its membership is current."""
    membership = (
        Membership.objects.current()
        .select_related(*MEMBERSHIP_RELATED_PATHS)
        .filter(pk=token.integration.membership_id)
        .first()
    )
    if membership is None:
        return None
    return integration_actor(token.integration, membership)


def integration_actor(integration: Integration, membership: Membership) -> Actor:
    """The integration acting in its role at its organisation, as a person in it would."""
    return Actor(
        user=integration.service_user,
        role=membership.role,
        key=f"membership:{membership.pk}",
        membership=membership,
    )


def count_request(token: ApiToken) -> None:
    """A fixed window a minute long, counted on the token's own row by single UPDATEs, so that
    every app server counts the same requests. Over the limit: RateLimited. Called by the
    middleware, outside the transaction a write runs in, so that a refused write counts too."""
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    tokens = ApiToken.objects.filter(pk=token.pk)
    counted = tokens.filter(window_started_at=window).update(
        window_requests=F("window_requests") + 1, last_used_at=now
    )
    if not counted:
        # The first request of a new minute; another server may have started it meanwhile.
        started = tokens.exclude(window_started_at=window).update(
            window_started_at=window, window_requests=1, last_used_at=now
        )
        if not started:
            tokens.update(window_requests=F("window_requests") + 1, last_used_at=now)
    requests = tokens.values_list("window_requests", flat=True).first() or 0
    if requests > settings.API_REQUESTS_PER_MINUTE:
        raise RateLimited(retry_after=max(1, int((window + WINDOW - now).total_seconds()) + 1))


def bearer_secret(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _space, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


# Where the middleware leaves the token it found, so that it is looked up once a request.
TOKEN_ATTRIBUTE = "stagewise_api_token"  # noqa: S105 (an attribute name)


class TokenAuthentication(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = getattr(request, TOKEN_ATTRIBUTE, None)
        if found is None:
            found = token_for(token.strip())
        if found is None:
            return None
        actor = _actor_for(found)
        if actor is None:
            return None
        # The audit and anything else that reads the request's actor see the integration.
        request.actor = actor  # type: ignore[attr-defined]
        return Caller(token=found, actor=actor)
