"""What every browser journey does: sign in, change language, read an authenticator, run axe."""

import re
import time
from datetime import date
from pathlib import Path

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from stagewise.accounts.models import User

LANGUAGES = ["en", "cy"]
WELSH_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "cy" / "LC_MESSAGES" / "django.mo"
WCAG_22_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    # Passes and inapplicable rules are counted, not described node by node.
    "resultTypes": ["violations"],
}

_axe = Axe()


def t(message: str, language: str) -> str:
    """The text a page shows for `message` in `language`: what a person reads on the screen.

    Looking controls up by their translated name checks the translation reaches the page too.
    """
    with translation.override(language):
        return translation.gettext(message)


def long_date(day: date, language: str) -> str:
    """A date as the pages write it in `language`: 27 March 2026, 27 Mawrth 2026."""
    with translation.override(language):
        return date_format(day, "j F Y")


# The server accepts only the code of the 30-second step it checks in (no tolerance), so a code
# typed late in a step may reach it in the next. Codes are typed with at least this much of their
# step left; a step that still ends before the server checks is caught and the next code typed.
SECONDS_TO_SUBMIT = 3


def authenticator_step(at: float | None = None) -> int:
    """The authenticator's time step (the counter its code is made from) at `at`, or now."""
    return int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD


def authenticator_code(secret: str, step: int | None = None) -> str:
    """The 6-digit code an authenticator app with this secret shows in `step` (default: now)."""
    return format_hotp_value(hotp_value(secret, authenticator_step() if step is None else step))


def step_with_time_to_submit() -> int:
    """The current step if at least SECONDS_TO_SUBMIT of it remain; else wait for the next one,
    as a person would when their app's code is about to change."""
    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < SECONDS_TO_SUBMIT:
        time.sleep(remaining + 0.05)
    return authenticator_step()


def enter_authenticator_code(page: Page, secret: str, *, field: str, button: str) -> None:
    """Type the code from the authenticator into `field` and press `button`.

    Deterministic whatever the clock: the code is typed with time left in its step, and if the
    step still ended before the server checked it (the form comes back with the field), the code
    of the new step is typed, which has a whole step to arrive. Any other refusal is left on the
    page for the test's next expectation to report.
    """
    for _attempt in range(2):
        step = step_with_time_to_submit()
        page.get_by_label(field, exact=True).fill(authenticator_code(secret, step))
        with page.expect_navigation():
            page.get_by_role("button", name=button, exact=True).click()
        if authenticator_step() == step or page.get_by_label(field, exact=True).count() == 0:
            return


# Colour contrast is a property of the stylesheet (colours, sizes, weights, backgrounds), which is
# the same in English and Welsh. A journey run in both languages checks it on every page in
# English, and its Welsh run checks every other rule: the rule is three quarters of each axe run
# and a sixth of all journey time (docs/performance.md, "Test suite time"). A journey run in Welsh
# alone checks everything. The browser conftest says which run this is, test by test.
WCAG_22_AA_CONTRAST_CHECKED_IN_ENGLISH = {
    **WCAG_22_AA,
    "rules": {"color-contrast": {"enabled": False}},
}


class AxeRun:
    """Whether the running test is the Welsh run of a journey that also runs in English."""

    contrast_checked_in_english = False


def contrast_checked_in_english(test: pytest.Item) -> bool:
    """Whether `test` is the Welsh run of a test parametrized over English and Welsh."""
    callspec = getattr(test, "callspec", None)
    in_both_languages = any(
        len(mark.args) > 1 and mark.args[0] == "language" and {"en", "cy"} <= set(mark.args[1])
        for mark in test.iter_markers("parametrize")
    )
    return in_both_languages and callspec is not None and callspec.params.get("language") == "cy"


def assert_accessible(page: Page, name: str) -> None:
    """axe finds no WCAG 2.2 AA violation on the page as it is now (in the Welsh run of a journey
    in both languages, colour contrast is left to its English run).

    axe is put into each document once (a page checked twice, before and after an HTMX swap,
    keeps it), and only the violations come back: the passes of a long page run to megabytes.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    options = (
        WCAG_22_AA_CONTRAST_CHECKED_IN_ENGLISH if AxeRun.contrast_checked_in_english else WCAG_22_AA
    )
    violations = page.evaluate(
        "options => axe.run(document, options).then(results => results.violations)", options
    )
    assert not violations, (
        f"{name} ({page.url}) fails WCAG 2.2 AA:\n"
        + AxeResults({"violations": violations}).generate_report()
    )


def assert_in_language(page: Page, language: str) -> None:
    """The page declares its language and offers the other; in Welsh, it shows Welsh words."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    other = "English" if language == "cy" else "Cymraeg"
    expect(page.get_by_role("button", name=other, exact=True)).to_be_visible()
    if language == "cy" and WELSH_CATALOGUE.exists():
        expect(page.locator(".govuk-skip-link")).to_have_text(t("Skip to main content", "cy"))


def check_page(page: Page, name: str, language: str) -> None:
    assert_in_language(page, language)
    assert_accessible(page, f"{name} [{language}]")


def choose_language(page: Page, language: str) -> None:
    """Press the language button in the header, as a person would, unless already in it."""
    if page.locator("html").get_attribute("lang") != language:
        page.get_by_role("button", name="Cymraeg" if language == "cy" else "English").click()
    assert_in_language(page, language)


def sign_in_with_password(page: Page, email: str, password: str, language: str) -> None:
    page.get_by_label(t("Email address", language), exact=True).fill(email)
    page.get_by_label(t("Password", language), exact=True).fill(password)
    page.get_by_role("button", name=t("Sign in", language), exact=True).click()


def path_is(path: str) -> re.Pattern[str]:
    """Matches a page address whose path is exactly `path`, whatever the query string and
    fragment (a page may send you back to the record you changed, `#request-...`)."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?[^#]*)?(#.*)?$")


def sign_in_with_two_factor(
    page: Page, email: str, password: str, secret: str, language: str
) -> None:
    """Sign in as staff do: password, then the code from their authenticator app."""
    page.goto("/accounts/login/")
    choose_language(page, language)
    sign_in_with_password(page, email, password, language)
    enter_authenticator_code(
        page, secret, field=t("Code", language), button=t("Continue", language)
    )
    expect(page).to_have_url(path_is("/"))


def sign_in_as(page: Page, live_server_url: str, user: User, language: str) -> None:
    """Sign `user` in by a session cookie, in `language`, without the sign-in pages.

    Journeys type the password (and the authenticator code) only where signing in is what they
    test: the forms cost seconds a person. Staff built by the factories already have their
    authenticator app, so the two-factor middleware lets them through as after a real sign-in.
    """
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server_url}])


def fill_date(page: Page, name: str, day: date) -> None:
    """Type a date into a GOV.UK day, month and year input named `name`."""
    page.locator(f"input[name={name}_0]").fill(str(day.day))
    page.locator(f"input[name={name}_1]").fill(str(day.month))
    page.locator(f"input[name={name}_2]").fill(str(day.year))
