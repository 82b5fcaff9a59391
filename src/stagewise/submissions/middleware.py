"""A form's writes are saved once, and the answer says whether they were (ADR 0041)."""

from collections.abc import Callable

from django.contrib import messages
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from stagewise.submissions.keys import saved_submission_get, submission_key_sent
from stagewise.submissions.models import SavedSubmission

READS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Set on the request when its commit was sent but its result never came back (the connection
# dropped): the writes may or may not be saved, so the error page asks for the form again, which
# the key makes safe.
COMMIT_UNCONFIRMED = "stagewise_commit_unconfirmed"
# The answer a request completed with: if the session cannot be written afterwards because the
# database went away, this answer still says what happened.
ANSWER_GIVEN = "stagewise_answer_given"
# Set when the request's writes committed: whatever fails after that, the answer is the saved one.
COMMITTED = "stagewise_committed"


class OneSavePerSubmissionMiddleware:
    """Each request that may write (POST, PUT, PATCH, DELETE) runs in one transaction, committed
    only if its answer is not an error, so that nothing is half-saved and an error page means
    nothing was. A signed-in person's form carries a one-time key ({% submission_key %}); when its
    answer is a redirect (the form was saved: the post/redirect/get every form here follows), the
    key and the answer are recorded in that same transaction. The same key sent again gets the
    recorded answer, with a message that it was already sent, instead of a second save. A form
    shown again with its errors (200) records nothing, so the corrected form can be sent. Reads
    cost nothing here.

    Two requests with one key at the same time: on PostgreSQL the second's insert waits for the
    first to commit, fails on the primary key, and the second's writes are rolled back; on SQLite
    the second waits for the write lock and then finds the key. Either way one save, two answers
    that agree.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in READS:
            response = self.get_response(request)
            setattr(request, ANSWER_GIVEN, response)
            return response
        user = getattr(request, "user", None)
        user_id: int | None = user.pk if user is not None and user.is_authenticated else None
        key = submission_key_sent(request) if user_id is not None else None
        committing = False
        try:
            with transaction.atomic():
                if user_id is not None and key is not None:
                    saved = saved_submission_get(user_id=user_id, key=key)
                    if saved is not None:
                        return self.answer_again(request, saved)
                response = self.get_response(request)
                if response.status_code >= 400:
                    transaction.set_rollback(True)
                    return response
                location = response.get("Location", "")
                if (
                    user_id is not None
                    and key is not None
                    and 300 <= response.status_code < 400
                    and location
                ):
                    SavedSubmission.objects.create(
                        user_id=user_id,
                        key=key,
                        path=request.path[:500],
                        status_code=response.status_code,
                        location=location[:2000],
                    )
                committing = True
        except IntegrityError:
            # The same form, sent again before the first finished, was saved by the other
            # request; this one's writes went with the rollback.
            saved = (
                saved_submission_get(user_id=user_id, key=key)
                if user_id is not None and key is not None
                else None
            )
            if saved is None:
                raise
            return self.answer_again(request, saved)
        except DatabaseError:
            if committing:
                setattr(request, COMMIT_UNCONFIRMED, True)
            raise
        setattr(request, ANSWER_GIVEN, response)
        setattr(request, COMMITTED, True)
        return response

    @staticmethod
    def answer_again(request: HttpRequest, saved: SavedSubmission) -> HttpResponse:
        messages.info(request, _("You had already sent this form, so it was not sent again."))
        response = HttpResponseRedirect(saved.location, status=saved.status_code)
        setattr(request, ANSWER_GIVEN, response)
        return response
