"""Accounts in the configuration admin site: shown, never changed here.

An account's email address is how its holder signs in and resets a password, and "active" and
"staff" decide whether they may sign in and use this site, so accounts change only through
Stagewise's own administration pages or the command line. Groups grant permissions on this site,
so they are shown and not changed here either. See ADR 0008.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group

from stagewise.accounts.models import User
from stagewise.audit.admin import ReadOnlyAdmin

# allauth registers these; they leave the site. Changing someone's email address here would send
# their password reset elsewhere, and an authenticator holds the secret behind a second factor.
admin.site.unregister(EmailAddress)
admin.site.unregister(Authenticator)


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["email", "full_name", "is_active", "is_staff", "preferred_language"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "preferred_language", "is_active", "is_staff", "last_login"]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin):
    list_display = ["name"]
    filter_horizontal = ["permissions"]
