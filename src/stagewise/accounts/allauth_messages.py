"""Messages that allauth shows on our pages, marked here so the Welsh catalogue covers them:
allauth ships no Welsh translation of its own."""

from django.utils.translation import gettext_noop

ALLAUTH_MESSAGES = [
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("This field is required."),
    gettext_noop("Incorrect code."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("You have signed out."),
    gettext_noop("Authenticator app activated."),
    gettext_noop("This account is inactive."),
    gettext_noop("You must type the same password each time."),
]
