"""Every write to plans, by concept."""

from stagewise.planning.services.common import PlanEditConflict, content_fingerprint
from stagewise.planning.services.content import (
    plan_details_current,
    plan_details_update,
    plan_section_update,
    plan_staff_notes_update,
    provision_add,
    provision_remove,
    section_text_current,
    target_add,
    target_current,
    target_remove,
    target_update,
    view_add,
    view_remove,
)
from stagewise.planning.services.plans import (
    plan_close,
    plan_create,
    plan_finalise,
    plan_review_begin,
    plan_revise,
    plan_support_in_place,
    sign_off_roles_text,
)
from stagewise.planning.services.reviews import TargetProgressEntry, plan_review_record
from stagewise.planning.services.sharing import (
    latest_version,
    plan_communication_record,
    plan_response_record,
    plan_responses_mark_read,
)

__all__ = [
    "PlanEditConflict",
    "TargetProgressEntry",
    "content_fingerprint",
    "latest_version",
    "plan_close",
    "plan_communication_record",
    "plan_create",
    "plan_details_current",
    "plan_details_update",
    "plan_finalise",
    "plan_response_record",
    "plan_responses_mark_read",
    "plan_review_begin",
    "plan_review_record",
    "plan_revise",
    "plan_section_update",
    "plan_staff_notes_update",
    "plan_support_in_place",
    "provision_add",
    "provision_remove",
    "section_text_current",
    "sign_off_roles_text",
    "target_add",
    "target_current",
    "target_remove",
    "target_update",
    "view_add",
    "view_remove",
]
