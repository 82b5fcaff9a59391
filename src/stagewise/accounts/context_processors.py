from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from stagewise.policy import policy_for


def stagewise(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    policy = policy_for(actor)
    return {
        "demo_mode": settings.DEMO_MODE,
        "actor": actor,
        "available_actors": getattr(request, "available_actors", []),
        # What the actor's role may do, from the policy table, so that pages offer only those
        # actions: `{% if can.record_support %}`.
        "can": {capability.value: True for capability in policy.capabilities},
        "lists_learners": bool(policy.list_scopes),
        # Counted only when a page shows the header link.
        "unread_notifications": SimpleLazyObject(lambda: _unread(request)),
    }


def _unread(request: HttpRequest) -> int:
    from stagewise.notifications.selectors import notification_unread_count

    if not request.user.is_authenticated:
        return 0
    return notification_unread_count(user=request.user, is_carer=getattr(request, "is_carer", True))
