"""Forgetting old submission keys, on Django's tasks framework (ADR 0041)."""

from django.tasks import task

from stagewise.submissions.keys import saved_submissions_purge


@task
def submission_keys_purge() -> int:
    """Forget the keys of forms saved more than a week ago; how many were forgotten."""
    return saved_submissions_purge()
