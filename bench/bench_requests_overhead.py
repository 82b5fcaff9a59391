"""What being signed in costs a request: an anonymous page against the same trivial page (account
settings, `/me/`) for a member of staff and for a parent, in a small world.

    .venv/bin/python bench/bench_requests_overhead.py [--requests 300]
    DATABASE_URL=sqlite:////tmp/overhead.sqlite3 .venv/bin/python bench/bench_requests_overhead.py

1. Without DATABASE_URL: drops and re-creates the PostgreSQL database `stagewise_overhead`
   (postgres@127.0.0.1:5432); with it, uses that database (SQLite or PostgreSQL). Migrates it.
2. Builds a small world: a school, a class teacher with an authenticator app (as staff must have),
   and a parent of one learner with portal access.
3. Requests through django.test.Client (middleware, views, templates; no network) the sign-in
   page anonymously, and `/me/` signed in as each (force_login), `--requests` times each after a
   warm-up, in turn; prints p50 and p95 in milliseconds, the queries one request makes, and each
   signed-in page's p50 over the anonymous page's.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_clocks import percentile
from bench_synth import PROJECT, SERVER, recreate_database

WARM_UP = 20
DATABASE = "stagewise_overhead"


def setup(database_url: str | None) -> None:
    if database_url is None:
        recreate_database(DATABASE)
        database_url = f"{SERVER}/{DATABASE}"
    os.environ["DATABASE_URL"] = database_url
    os.environ["STAGEWISE_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagewise.settings")
    sys.path.insert(0, str(PROJECT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def small_world() -> dict[str, object]:
    """A teacher and a parent at one school (idempotent on a database a run left)."""
    from stagewise.accounts.models import User
    from stagewise.organisations.models import Role
    from stagewise.testing.factories import (
        MembershipFactory,
        SettingFactory,
        authority,
        enrolled_learner,
        link_carer,
        with_authenticator_app,
    )

    teacher = User.objects.filter(email="overhead-teacher@example.org").first()
    parent = User.objects.filter(email="overhead-parent@example.org").first()
    if teacher is None or parent is None:
        school = SettingFactory.create(authority=authority("Glasgow City"), name="Overhead School")
        teacher = with_authenticator_app(
            User.objects.create_user("overhead-teacher@example.org", full_name="Tam Teacher")
        )
        MembershipFactory.create(user=teacher, role=Role.CLASS_TEACHER, setting=school)
        parent = User.objects.create_user("overhead-parent@example.org", full_name="Pat Parent")
        link_carer(enrolled_learner(school, year_group="P4"), user=parent)
    return {"staff": teacher, "parent": parent}


def measure(client: object, path: str, requests: int) -> tuple[float, float, int]:
    from django.db import connection

    for _ in range(WARM_UP):
        assert client.get(path).status_code == 200  # type: ignore[attr-defined]
    queries: list[str] = []

    def counted(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper, not CaptureQueriesContext: the request's start empties the query log.
    with connection.execute_wrapper(counted):
        client.get(path)  # type: ignore[attr-defined]
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)  # type: ignore[attr-defined]
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), percentile(timings, 0.95), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    options = parser.parse_args()
    setup(os.environ.get("DATABASE_URL"))
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    people = small_world()
    settings_page = reverse("accounts:settings")
    pages: dict[str, tuple[Client, str]] = {
        "anonymous sign-in page": (Client(), reverse("account_login"))
    }
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        pages[f"{name} /me/"] = (client, settings_page)

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"{'page':<26}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'p50 / anonymous':>17}")
    anonymous_p50 = None
    for name, (client, path) in pages.items():
        p50, p95, queries = measure(client, path, options.requests)
        anonymous_p50 = anonymous_p50 or p50
        print(f"{name:<26}{p50:>9.2f}{p95:>9.2f}{queries:>9}{p50 / anonymous_p50:>16.1f}x")


if __name__ == "__main__":
    main()
