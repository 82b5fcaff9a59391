"""Multi-agency coordination's services: requests for assistance (requests.py), the consent
that lets them travel (consents.py), the files sent with them (attachments.py), the services'
published pathways (pathways.py) and the practitioners' assessments and advice
(contributions.py)."""

from stagewise.coordination.services.attachments import attachment_add, attachment_remove
from stagewise.coordination.services.consents import (
    consent_record,
    consent_withdraw,
    consent_withdraw_capability,
)
from stagewise.coordination.services.contributions import (
    contribution_accept,
    contribution_add,
)
from stagewise.coordination.services.pathways import pathway_save
from stagewise.coordination.services.requests import (
    lawful_basis_record,
    request_accept,
    request_allocate,
    request_complete,
    request_decline,
    request_draft,
    request_send,
    request_start,
    request_update,
    request_waiting_list,
    request_withdraw,
)

__all__ = [
    "attachment_add",
    "attachment_remove",
    "consent_record",
    "consent_withdraw",
    "consent_withdraw_capability",
    "contribution_accept",
    "contribution_add",
    "lawful_basis_record",
    "pathway_save",
    "request_accept",
    "request_allocate",
    "request_complete",
    "request_decline",
    "request_draft",
    "request_send",
    "request_start",
    "request_update",
    "request_waiting_list",
    "request_withdraw",
]
