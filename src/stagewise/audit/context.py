"""Where the current request comes from, for audit events written deep inside services.

A request also collects the views it would record: they are written when the response is known,
so that a request that ends in a refusal or "not found" is recorded as what it was (the refusal,
against the record actually asked for) and never as a view of the learner in its address.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stagewise.audit.models import AuditEvent


@dataclass(frozen=True)
class RequestOrigin:
    path: str = ""
    ip_address: str | None = None
    # Views recorded during this request, written once the response shows they happened.
    pending_views: "list[AuditEvent] | None" = field(default=None, compare=False)
    # Refusals, written at the end of the request whatever happened: a service refuses inside
    # its transaction, and the refusal must outlive that transaction's rollback.
    pending_refusals: "list[AuditEvent] | None" = field(default=None, compare=False)


current_origin: ContextVar[RequestOrigin | None] = ContextVar("current_origin", default=None)
