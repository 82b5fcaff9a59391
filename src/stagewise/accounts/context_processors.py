from typing import Any

from django.conf import settings
from django.http import HttpRequest


def stagewise(request: HttpRequest) -> dict[str, Any]:
    return {
        "demo_mode": settings.DEMO_MODE,
        "actor": getattr(request, "actor", None),
        "available_actors": getattr(request, "available_actors", []),
    }
