"""The browser journeys' authenticator never depends on when in its 30-second step a code is
typed: near the end of a step it waits for the next, and a step that ends before the server checks
the code is followed by the next step's code.

Driven by a stand-in clock and page, so these run in milliseconds and without a browser.
"""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal import auth as allauth_totp

from stagewise.testing.factories import TEST_TOTP_SECRET
from stagewise.tests.browser import support

PERIOD = 30
STEP = 58_000_000  # a step of the authenticator's clock, in the 2020s


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(STEP * PERIOD)
    monkeypatch.setattr(support, "time", SimpleNamespace(time=clock.time, sleep=clock.sleep))
    monkeypatch.setattr(allauth_totp, "time", SimpleNamespace(time=clock.time))
    return clock


class CodeForm:
    """The authenticator code page: the server checks the code `seconds_to_check` after the
    button is pressed, with allauth's own check, and either moves on or shows the form again."""

    def __init__(self, clock: Clock, seconds_to_check: float) -> None:
        self.clock = clock
        self.seconds_to_check = seconds_to_check
        self.typed: list[str] = []
        self.showing_form = True

    def get_by_label(self, label: str, exact: bool) -> SimpleNamespace:
        return SimpleNamespace(fill=self.typed.append, count=lambda: 1 if self.showing_form else 0)

    def get_by_role(self, role: str, name: str, exact: bool) -> SimpleNamespace:
        return SimpleNamespace(click=self.submit)

    @contextmanager
    def expect_navigation(self):
        yield

    def submit(self) -> None:
        self.clock.now += self.seconds_to_check
        accepted = allauth_totp.validate_totp_code(TEST_TOTP_SECRET, self.typed[-1])
        self.showing_form = not accepted


def enter(form: CodeForm) -> None:
    support.enter_authenticator_code(
        form,  # type: ignore[arg-type]
        TEST_TOTP_SECRET,
        field="Code",
        button="Continue",
    )


def test_the_code_is_the_one_allauth_accepts_in_that_step(clock):
    code = support.authenticator_code(TEST_TOTP_SECRET, STEP)

    assert allauth_totp.validate_totp_code(TEST_TOTP_SECRET, code)
    clock.now += PERIOD
    assert not allauth_totp.validate_totp_code(TEST_TOTP_SECRET, code)


def test_with_time_left_in_the_step_the_code_is_typed_at_once(clock):
    clock.now += 10
    form = CodeForm(clock, seconds_to_check=1)

    enter(form)

    assert clock.slept == []
    assert form.typed == [support.authenticator_code(TEST_TOTP_SECRET, STEP)]
    assert not form.showing_form


@pytest.mark.parametrize("seconds_left", [0.01, 1, 1.99, 2.5])
def test_near_the_end_of_a_step_it_waits_for_the_next_steps_code(clock, seconds_left):
    clock.now += PERIOD - seconds_left
    form = CodeForm(clock, seconds_to_check=seconds_left)

    enter(form)

    assert sum(clock.slept) == pytest.approx(seconds_left + 0.05)
    assert form.typed == [support.authenticator_code(TEST_TOTP_SECRET, STEP + 1)]
    assert not form.showing_form


def test_a_step_that_ends_before_the_server_checks_is_followed_by_the_next_code(clock):
    # Typed with 5 s left, but the server is slow and checks 6 s later, in the next step.
    clock.now += PERIOD - 5
    form = CodeForm(clock, seconds_to_check=6)

    enter(form)

    assert form.typed == [
        support.authenticator_code(TEST_TOTP_SECRET, STEP),
        support.authenticator_code(TEST_TOTP_SECRET, STEP + 1),
    ]
    assert not form.showing_form


def test_a_wrong_code_is_not_retried_within_its_step(clock, monkeypatch):
    monkeypatch.setattr(support, "authenticator_code", lambda secret, step=None: "000000")
    form = CodeForm(clock, seconds_to_check=1)

    enter(form)

    assert form.typed == ["000000"]
    assert form.showing_form
