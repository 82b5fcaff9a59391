"""Where the current request comes from, for audit events written deep inside services."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    path: str = ""
    ip_address: str | None = None


current_origin: ContextVar[RequestOrigin | None] = ContextVar("current_origin", default=None)
