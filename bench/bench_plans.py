"""Plan page and printed-plan timings for a large plan, measured in-process on PostgreSQL.

    .venv/bin/python bench/bench_plans.py [--database stagewise_bench_plans] [--requests 100]
                                          [--targets 20]

Creates (or empties) its own database, then builds, through the planning services as a user
would, one Glasgow learner's individualised educational programme with `--targets` targets, each
with two rows of support, plus ten sets of views, and finalises and revises it into three versions.
It then requests, through django.test.Client with force_login (the whole middleware stack, views,
templates and audit writes, but no network or web server):

- the plan page as the class teacher and as the parent (the family view),
- the comparison of versions 1 and 3,
- the printed PDF in English and in Welsh (WeasyPrint, PDF/UA-1),

`--requests` times each (a quarter of that for PDFs), after warm-up, and prints p50, p95 and mean
in milliseconds, with the queries one request makes and, for PDFs, the size and page count.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
WARM_UP = 3


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def setup_database(database: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
        admin.execute(f'CREATE DATABASE "{database}"')
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ["STAGEWISE_DEBUG"] = "false"
    os.environ.setdefault("STAGEWISE_ENVIRONMENT", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagewise.settings")
    sys.path.insert(0, str(PROJECT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def plan_with_targets(actor, learner, target_count: int):  # type: ignore[no-untyped-def]
    """An individualised educational programme for `learner`, written through the planning
    services as `actor`: every section, `target_count` targets with two rows of support each, ten
    sets of views, finalised and revised into three versions (the third finalised)."""
    from datetime import timedelta

    from django.utils import timezone

    from stagewise.planning.models import ViewKind
    from stagewise.planning.services import plan_finalise, plan_revise, view_add
    from stagewise.testing.plans import complete_plan

    plan = complete_plan(
        actor, learner, "individualised_educational_programme", targets=target_count
    )
    for number in range(8):
        view_add(
            actor=actor,
            plan=plan,
            kind=ViewKind.LEARNER if number % 2 else ViewKind.PARENT,
            speaker=f"Speaker {number}",
            words="Views in their own words. " * 20,
            gathered_on=timezone.localdate() - timedelta(days=number),
        )
    for _version in range(3):
        plan.refresh_from_db()
        plan_finalise(actor=actor, plan=plan, based_on_revision=plan.edit_revision)
        if _version < 2:
            plan_revise(actor=actor, plan=plan)
    plan.refresh_from_db()
    return plan


def build_plan(target_count: int):  # type: ignore[no-untyped-def]
    from stagewise.organisations.models import Role
    from stagewise.testing.factories import (
        MembershipFactory,
        SettingFactory,
        UserFactory,
        authority,
        enrolled_learner,
        link_carer,
        link_staff,
        with_authenticator_app,
    )
    from stagewise.testing.plans import acting

    school = SettingFactory.create(authority=authority("Glasgow City"), name="Bench Primary")
    teacher = with_authenticator_app(
        UserFactory.create(email="bench-teacher@synthetic.invalid", full_name="Bench Teacher")
    )
    MembershipFactory.create(user=teacher, role=Role.CLASS_TEACHER, setting=school)
    learner = enrolled_learner(school, legal_first_name="Bench", legal_last_name="Learner")
    link_staff(learner, teacher)
    parent = UserFactory.create(email="bench-parent@synthetic.invalid", full_name="Bench Parent")
    link_carer(learner, user=parent)
    plan = plan_with_targets(acting(teacher), learner, target_count)
    return teacher, parent, learner, plan


def measure(client, url: str, requests: int) -> tuple[list[float], int, object]:  # type: ignore[no-untyped-def]
    from django.db import connection

    for _ in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    # A wrapper, not CaptureQueriesContext: each request's start clears Django's query log.
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, len(queries), response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="stagewise_bench_plans")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--targets", type=int, default=20)
    arguments = parser.parse_args()
    setup_database(arguments.database)

    from django.test import Client

    from stagewise.testing.pdf import pdf_metadata

    teacher, parent, learner, plan = build_plan(arguments.targets)
    base = f"/learners/{learner.public_id}/plans/{plan.public_id}/"
    teacher_client, parent_client = Client(), Client()
    teacher_client.force_login(teacher)
    parent_client.force_login(parent)
    pdf_requests = max(5, arguments.requests // 4)
    cases = [
        ("plan page, class teacher", teacher_client, base, arguments.requests),
        ("plan page, parent (family view)", parent_client, base, arguments.requests),
        (
            "compare versions 1 and 3",
            teacher_client,
            f"{base}versions/compare/?left=1&right=3",
            arguments.requests,
        ),
        ("PDF in English", teacher_client, f"{base}pdf/?language=en", pdf_requests),
        ("PDF in Welsh", teacher_client, f"{base}pdf/?language=cy", pdf_requests),
    ]
    print(
        f"One IEP: {arguments.targets} targets, {arguments.targets * 2} rows of support,"
        f" 10 sets of views, 3 finalised versions"
    )
    print(f"{'page':36} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'queries':>8}")
    for label, client, url, requests in cases:
        timings, query_count, response = measure(client, url, requests)
        print(
            f"{label:36} {requests:>4} {percentile(timings, 0.5):8.1f}"
            f" {percentile(timings, 0.95):8.1f} {statistics.mean(timings):8.1f} {query_count:>8}"
        )
        if response["Content-Type"] == "application/pdf":
            metadata = pdf_metadata(response.content)
            print(
                f"{'':36} {len(response.content) / 1024:.0f} KiB, {metadata['page_count']} pages,"
                f" language {metadata['language']}, PDF/UA part {metadata['pdfua_part']}"
            )


if __name__ == "__main__":
    main()
