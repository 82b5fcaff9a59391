import logging
import smtplib
import time
from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.http import HttpRequest
from django.utils import translation

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts are made by administrators, never by sign-up."""
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A sign-in a moment ago counts as recent, so staff made to set up two-factor
        authentication straight after signing in are not asked for their password again."""
        request = context.request
        records = get_authentication_records(request, request.user)
        if records and time.time() - records[-1]["at"] < app_settings.REAUTHENTICATION_TIMEOUT:
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Mail goes out in the account holder's language, whatever the page was shown in.

        A mail server that cannot be reached is logged, not shown: the person sees the same page
        either way, so a failure (which only happens for addresses with an account) cannot tell
        anyone whether an account exists. The log names the kind of mail, never the address.
        """
        user = context.get("user")
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            try:
                super().send_mail(template_prefix, email, context)
            except (smtplib.SMTPException, OSError) as error:
                logger.error(
                    "Could not send the %s email: %s", template_prefix, type(error).__name__
                )
