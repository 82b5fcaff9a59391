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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_clocks import WARM_UP, percentile
from bench_synth import setup_django

SETTINGS_PAGE = "/me/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="stagewise_measures")
    parser.add_argument("--requests", type=int, default=100)
    arguments = parser.parse_args()
    setup_django(arguments.database)

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from stagewise.accounts.models import User
    from stagewise.measurement.models import SummaryFigure
    from stagewise.organisations.models import LocalAuthority, Membership, Nation, Role, Setting

    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    school = (
        Setting.objects.filter(authority=glasgow)
        .annotate(current=Count("enrolments", filter=Q(enrolments__ended_on__isnull=True)))
        .order_by("-current")
        .first()
    )
    assert school is not None
    print(f"Summary figures: {SummaryFigure.objects.count():,}")

    def person(email: str, role: str, **place: object) -> User:
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": f"Bench {role.replace('_', ' ')}"}
        )
        if created:
            TOTP.activate(user, generate_totp_secret())
            Membership.objects.create(user=user, role=role, **place)
        return user

    analyst = person(
        "bench-analyst@synthetic.invalid",
        Role.NATIONAL_ANALYST,
        nation=Nation.objects.get(code="scotland"),
    )
    officer = person(
        "bench-measures-officer@synthetic.invalid", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
    )
    lead = person(
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
    clients: dict[int, Client] = {}
    for _label, user, _path in pages:
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
    settings_client = clients[analyst.pk]

    queries: dict[str, int] = {}
    for label, user, path in [*pages, ("account settings", analyst, SETTINGS_PAGE)]:
        client = clients[user.pk]
        for _ in range(WARM_UP):
            assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries[label] = len(captured)

    timings: dict[str, list[float]] = {label: [] for label, _user, _path in pages}
    settings_timings: list[float] = []
    # Each page alternates with the settings page, so that both see the same machine load.
    for _ in range(arguments.requests):
        for label, user, path in pages:
            started = time.perf_counter()
            response = clients[user.pk].get(path)
            timings[label].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            started = time.perf_counter()
            settings_client.get(SETTINGS_PAGE)
            settings_timings.append((time.perf_counter() - started) * 1000)

    settings_p95 = percentile(settings_timings, 0.95)
    print(f"\n{'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'p95 ratio':>10}")
    for label, values in timings.items():
        p95 = percentile(values, 0.95)
        print(
            f"{label:<44} {statistics.median(values):8.1f} {p95:8.1f} {queries[label]:8d} "
            f"{p95 / settings_p95:10.2f}"
        )
    print(
        f"{'account settings':<44} {statistics.median(settings_timings):8.1f} "
        f"{settings_p95:8.1f} {queries['account settings']:8d} {1:10.2f}"
    )
    print("target: every dashboard page's p95 within 3x the settings page's")


if __name__ == "__main__":
    main()
