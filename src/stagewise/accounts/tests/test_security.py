"""Security headers, strict settings parsing, and a clean deployment check."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from stagewise.environment import env_bool, env_choice, env_int

PROJECT_DIR = Path(__file__).resolve().parents[4]


def test_pages_carry_a_content_security_policy_without_unsafe_inline(signed_in):
    response = signed_in("teacher").get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_contain_no_inline_script_or_style(signed_in, learner):
    content = signed_in("support_lead").get(f"/learners/{learner.public_id}/").content.decode()

    assert "<script>" not in content
    assert "<style" not in content
    assert " style=" not in content


@pytest.mark.parametrize(
    ("parser", "value"),
    [
        (lambda: env_bool("STAGEWISE_TEST_FLAG", default=False), "perhaps"),
        (lambda: env_int("STAGEWISE_TEST_FLAG", 5, minimum=1), "five"),
        (lambda: env_int("STAGEWISE_TEST_FLAG", 5, minimum=1), "0"),
        # A lead time beyond a year (STAGEWISE_DISAGREEMENT_ROUTE_LEAD_DAYS) is a typing slip.
        (lambda: env_int("STAGEWISE_TEST_FLAG", 14, minimum=1, maximum=366), "367"),
        (lambda: env_choice("STAGEWISE_TEST_FLAG", "a", {"a", "b"}), "c"),
    ],
)
def test_a_mistyped_setting_stops_start_up_with_a_message_naming_it(monkeypatch, parser, value):
    monkeypatch.setenv("STAGEWISE_TEST_FLAG", value)

    with pytest.raises(ImproperlyConfigured, match="STAGEWISE_TEST_FLAG"):
        parser()


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STAGEWISE_")}
    environment.pop("DATABASE_URL", None)
    # Browser tests relax this for their own process; a deployment never has it.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    environment |= env
    return subprocess.run(
        [sys.executable, str(PROJECT_DIR / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=PROJECT_DIR,
        check=False,
    )


PRODUCTION = {
    "STAGEWISE_ENVIRONMENT": "production",
    "STAGEWISE_SECRET_KEY": "x7!Qm2$kT9vLp4@Zr8#Wc6^Yn3&Hb5*Jd1(Fs0)Ge-Aq+Ru=Ei",
    "STAGEWISE_ALLOWED_HOSTS": "stagewise.example",
    "STAGEWISE_EMAIL_HOST": "smtp.stagewise.example",
    "STAGEWISE_DEFAULT_FROM_EMAIL": "Stagewise <no-reply@stagewise.example>",
}


def settings_in(**env: str) -> subprocess.CompletedProcess[str]:
    """Load the settings in a fresh process with this environment; print what the tests check."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STAGEWISE_")}
    environment.pop("DATABASE_URL", None)
    environment |= {"PYTHONPATH": str(PROJECT_DIR / "src"), **env}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, stagewise.settings as s; "
            "print(json.dumps({'debug': s.DEBUG, 'mail': s.MAILERS['default']['BACKEND'], "
            "'hosts': s.ALLOWED_HOSTS, "
            "'connection_checked': s.DATABASES['default']['CONN_HEALTH_CHECKS']}))",
        ],
        capture_output=True,
        text=True,
        env=environment,
        cwd=PROJECT_DIR,
        check=False,
    )


def test_the_demo_runs_without_debug_pages_and_prints_email_on_the_console():
    result = settings_in(STAGEWISE_DEMO_MODE="true")

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["debug"] is False
    assert loaded["mail"] == "stagewise.accounts.mail.ReadableConsoleBackend"
    assert {"127.0.0.1", "localhost"} <= set(loaded["hosts"])


def test_the_demo_refuses_debug_pages_even_when_asked_for():
    result = settings_in(STAGEWISE_DEMO_MODE="true", STAGEWISE_DEBUG="true")

    assert result.returncode != 0
    assert "STAGEWISE_DEBUG" in result.stderr


# Demo mode lifts two-factor sign-in; webhooks to local addresses reach the network's own
# machines (ADR 0054): both for a demo or a test, never production.
@pytest.mark.parametrize("variable", ["STAGEWISE_DEMO_MODE", "STAGEWISE_WEBHOOKS_ALLOW_LOCAL"])
def test_production_refuses_what_is_for_a_demo_naming_the_variable(variable):
    result = settings_in(**PRODUCTION, **{variable: "true"}, DATABASE_URL="sqlite:///x")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and variable in result.stderr


def test_production_must_be_given_a_mail_server():
    without_mail = {k: v for k, v in PRODUCTION.items() if k != "STAGEWISE_EMAIL_HOST"}

    result = settings_in(**without_mail, DATABASE_URL="sqlite:///x")

    assert result.returncode != 0
    assert "STAGEWISE_EMAIL_HOST" in result.stderr


def test_production_sends_mail_through_the_server_it_is_given():
    result = settings_in(**PRODUCTION, DATABASE_URL="sqlite:///x")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["mail"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_checks_a_kept_database_connection_before_reusing_it():
    """After a database restart each worker reconnects rather than failing a request on the dead
    connection it kept (bench/bench_load.py --restart-postgresql-at shows it under load)."""
    result = settings_in(**PRODUCTION, DATABASE_URL="postgres://stagewise@db.internal/stagewise")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["connection_checked"] is True


@pytest.mark.parametrize(
    ("mistake", "named"),
    [
        ({"STAGEWISE_EMAIL_USER": "stagewise"}, "STAGEWISE_EMAIL_PASSWORD"),
        ({"STAGEWISE_EMAIL_PORT": "70000"}, "STAGEWISE_EMAIL_PORT"),
        ({"STAGEWISE_EMAIL_SECURITY": "ssl"}, "STAGEWISE_EMAIL_SECURITY"),
        ({"STAGEWISE_DEFAULT_FROM_EMAIL": "stagewise"}, "STAGEWISE_DEFAULT_FROM_EMAIL"),
    ],
)
def test_a_mistyped_mail_setting_stops_start_up_naming_it(mistake, named):
    result = settings_in(**(PRODUCTION | mistake), DATABASE_URL="sqlite:///x")

    assert result.returncode != 0
    assert named in result.stderr


@pytest.mark.parametrize("value", ["ninety", "-1", "30.5"])
def test_a_mistyped_sending_school_access_period_stops_start_up_naming_it(value):
    result = settings_in(STAGEWISE_SENDING_SCHOOL_ACCESS_DAYS=value)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "STAGEWISE_SENDING_SCHOOL_ACCESS_DAYS" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage(
        "check",
        STAGEWISE_ENVIRONMENT="production",
        DATABASE_URL=f"sqlite:///{tmp_path}/unused.sqlite3",
    )

    assert result.returncode != 0
    assert "STAGEWISE_SECRET_KEY" in result.stderr


def test_the_deployment_checklist_is_clean_with_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{tmp_path}/unused.sqlite3",
    )

    assert result.returncode == 0, result.stdout + result.stderr
