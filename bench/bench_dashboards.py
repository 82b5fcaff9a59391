"""Measures dashboards at national scale: each dashboard page against the account settings page,
measured side by side in the same run.

    .venv/bin/python bench/bench_dashboards.py [--database stagewise_measures] [--requests 100]

Reads a PostgreSQL database that `bench/bench_measures.py` left (both nations at scale 1.0, the
summaries refreshed). Adds, idempotently, a national analyst for Scotland, an officer for Glasgow
City and a support-for-learning lead at Glasgow's largest school, each with an authenticator app;
then requests, through django.test.Client with force_login (middleware, views, templates and the
audit writes; no network), each dashboard page and `/me/` (account settings) alternately,
`--requests` times each after warm-up, and prints p50 and p95 in milliseconds, the queries one
request makes and each page's p95 as a ratio to the settings page's. Target: within 3x.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_clocks import WARM_UP, percentile
from bench_synth import setup_django

SETTINGS_PAGE = "/me/"

if TYPE_CHECKING:
    from stagewise.accounts.models import User


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="stagewise_measures")
    parser.add_argument("--requests", type=int, default=100)
    arguments = parser.parse_args()
    setup_django(arguments.database)

    from django.db.models import Count, Q

    from stagewise.measurement.models import SummaryFigure
    from stagewise.organisations.models import LocalAuthority, Nation, Role, Setting

    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    school = (
        Setting.objects.filter(authority=glasgow)
        .annotate(current=Count("enrolments", filter=Q(enrolments__ended_on__isnull=True)))
        .order_by("-current")
        .first()
    )
    assert school is not None
    print(f"Summary figures: {SummaryFigure.objects.count():,}")

    analyst = bench_person(
        "bench-analyst@synthetic.invalid",
        Role.NATIONAL_ANALYST,
        nation=Nation.objects.get(code="scotland"),
    )
    officer = bench_person(
        "bench-measures-officer@synthetic.invalid", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
    )
    lead = bench_person(
        "bench-measures-lead@synthetic.invalid", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school
    )
    pages = [
        ("analyst: home (the nation's dashboard)", analyst, "/"),
        ("analyst: attendance, authorities", analyst, "/measures/nation/scotland/attendance_rate/"),
        ("analyst: annual report", analyst, "/measures/nation/scotland/report/"),
        ("officer: Glasgow dashboard", officer, "/measures/authority/glasgow-city/"),
        (
            "officer: attendance, schools by sex",
            officer,
            "/measures/authority/glasgow-city/attendance_rate/?by=sex",
        ),
        ("lead: the school's dashboard", lead, f"/measures/school/{school.pk}/"),
    ]
    pages_against_settings_page(pages, analyst, arguments.requests)
    print("target: every dashboard page's p95 within 3x the settings page's")


def bench_person(email: str, role: str, **place: object) -> "User":
    """A member of staff with an authenticator app (so the two-factor middleware lets them
    through) and one membership, made once and found again on the next run."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from stagewise.accounts.models import User
    from stagewise.organisations.models import Membership

    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": f"Bench {role.replace('_', ' ')}"}
    )
    if created:
        TOTP.activate(user, generate_totp_secret())
        Membership.objects.create(user=user, role=role, **place)
    return user


def pages_against_settings_page(
    pages: "list[tuple[str, User, str]]", settings_user: "User", requests: int
) -> None:
    """Requests each page and the settings page alternately, `requests` times each after
    warm-up (so both see the same machine load), and prints p50, p95, the queries one request
    makes and each page's p95 over the settings page's, as a markdown table."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients: dict[int, Client] = {}
    for _label, user, _path in [*pages, ("", settings_user, "")]:
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
    settings_client = clients[settings_user.pk]

    queries: dict[str, int] = {}
    for label, user, path in [*pages, ("account settings", settings_user, SETTINGS_PAGE)]:
        client = clients[user.pk]
        for _ in range(WARM_UP):
            assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries[label] = len(captured)

    timings: dict[str, list[float]] = {label: [] for label, _user, _path in pages}
    settings_timings: list[float] = []
    for _ in range(requests):
        for label, user, path in pages:
            started = time.perf_counter()
            response = clients[user.pk].get(path)
            timings[label].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            started = time.perf_counter()
            settings_client.get(SETTINGS_PAGE)
            settings_timings.append((time.perf_counter() - started) * 1000)

    settings_p95 = percentile(settings_timings, 0.95)
    print("\n| page | p50 ms | p95 ms | queries | p95 ratio |\n|---|---|---|---|---|")
    for label, values in timings.items():
        p95 = percentile(values, 0.95)
        print(
            f"| {label} | {statistics.median(values):.1f} | {p95:.1f} | {queries[label]} "
            f"| {p95 / settings_p95:.2f} |"
        )
    print(
        f"| account settings | {statistics.median(settings_timings):.1f} | {settings_p95:.1f} "
        f"| {queries['account settings']} | 1.00 |"
    )


if __name__ == "__main__":
    main()
