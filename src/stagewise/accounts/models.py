"""People who sign in: staff, parents and carers, and young people."""

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The domain of a closed account's stand-in address (`close_account`): `.invalid` is reserved and
# never delivers (RFC 2606), and the address stays unique as the email field requires.
CLOSED_ACCOUNT_DOMAIN = "closed.invalid"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("Every account needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    LANGUAGE_CHOICES: ClassVar = [("en", _("English")), ("cy", _("Welsh (Cymraeg)"))]

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=LANGUAGE_CHOICES, default="en"
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Only for Django's configuration admin site; it grants no access to learners.
    is_staff = models.BooleanField(_("may use the configuration admin site"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Moves on whenever a role of this person is created, changed or ended (accounts/signals.py),
    # so that the roles a session keeps (accounts/actors.py) are worked out again.
    roles_version = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        if self.is_closed:
            return gettext("A closed account")
        return self.full_name or self.email

    @property
    def is_closed(self) -> bool:
        """Closed when the learner it was for was erased (`close_account`): no name, no email."""
        return self.email.endswith("@" + CLOSED_ACCOUNT_DOMAIN)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A user read at the start of a request must not write back the roles version it read
        # after a service moved it on: only roles_changed() writes it.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "roles_version"
            ]
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


def close_account(user: User) -> None:
    """Close a family member's sign-in account whose every role went with an erased learner
    (ADR 0033): their name and email address go, and with them the addresses and authenticators
    allauth keeps; no password works and its sessions end (the session's password hash no longer
    matches). The row stays, nameless, because the access trail names it (a protected key)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = f"closed-{uuid.uuid4().hex}@{CLOSED_ACCOUNT_DOMAIN}"
    user.full_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
