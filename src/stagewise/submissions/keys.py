"""One-time submission keys: issued with each form, recorded when what the form sent is saved,
looked up when it is sent again, and forgotten after a while (ADR 0041)."""

import uuid
from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone

from stagewise.submissions.models import SavedSubmission

# The hidden input each POST form carries ({% submission_key %}), and the header a script's
# request may carry instead.
SUBMISSION_KEY_FIELD = "submission_key"
SUBMISSION_KEY_HEADER = "X-Submission-Key"
# How long a saved submission's key is remembered: far longer than anyone retries a form or
# leaves one open (a session ends after SESSION_IDLE_MINUTES without a request, and its forms'
# security tokens with it), short enough that the table holds about a week of saves.
KEYS_KEPT_FOR = timedelta(days=7)


def submission_key_new() -> str:
    return str(uuid.uuid4())


def submission_key_sent(request: HttpRequest) -> uuid.UUID | None:
    """The key the request carries, or None: without one (or with one that is not a key), the
    request is handled as before keys, once per request."""
    sent = request.headers.get(SUBMISSION_KEY_HEADER) or request.POST.get(SUBMISSION_KEY_FIELD)
    if not sent:
        return None
    try:
        return uuid.UUID(sent)
    except ValueError:
        return None


def saved_submission_get(*, user_id: int, key: uuid.UUID) -> SavedSubmission | None:
    return SavedSubmission.objects.filter(user_id=user_id, key=key).first()


def saved_submissions_purge(*, now: datetime | None = None) -> int:
    """Forget the keys of submissions saved more than KEYS_KEPT_FOR ago; how many."""
    cutoff = (now or timezone.now()) - KEYS_KEPT_FOR
    deleted, _by_model = SavedSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
