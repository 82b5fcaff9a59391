"""Requests for assistance at national scale: the busiest Glasgow service's queue and a learner's
requests, against the account settings page; and what the requests add to the synthetic build.

    .venv/bin/python bench/bench_requests.py [--database stagewise_requests] [--scale 1.0]
                                             [--requests 100] [--reuse] [--no-generation]
                                             [--build-only with|without]

1. Drops and re-creates the PostgreSQL database (postgres@127.0.0.1:5432), migrates it and writes
   the synthetic population of Scotland and Wales (seed 2026, as of today) with its plans,
   clocks, services, practitioners and requests for assistance, timed end to end. `--reuse` keeps
   a database an earlier run left.
2. Unless `--no-generation`: generates the same rows into memory twice, with and without the
   requests (their services' pathways, practitioners, requests, consents and histories), to show
   what they add to generating; the rows they add to writing are printed with the build.
3. Prints the requests by service type and status, and the median wait of those on each type's
   waiting list today.
4. Adds (idempotently) a service manager for Glasgow's busiest service (most requests sent to it
   and not yet closed) and a support-for-learning lead at the school of the Glasgow learner with
   most requests, each with an authenticator app, then requests through django.test.Client with
   force_login (middleware, views, templates and audit writes; no network) the manager's queue
   (`services:queue`), the learner's requests (`requests:list`) and the account settings page
   (`/me/`) in turn, `--requests` times each after warm-up, and prints p50 and p95 in
   milliseconds, the queries one request makes and each page's p95 over the settings page's.
"""

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_clocks import percentile
from bench_synth import SEED, recreate_database, setup_django

WARM_UP = 10
MANAGER_EMAIL = "bench-requests-manager@synthetic.invalid"
LEAD_EMAIL = "bench-requests-lead@synthetic.invalid"
REQUEST_KEYS = ("pathways", "users", "memberships", "requests", "consents", "request_events")


@contextmanager
def requests_left_out(leave_out: bool = True) -> Iterator[None]:
    """The population as it was before requests: no services' staff or pathways, no requests
    (the agencies stay, so every other row is the same)."""
    from unittest import mock

    from stagewise.synthetic import population

    if not leave_out:
        yield
        return
    with (
        mock.patch.object(population.AuthorityRequests, "learner", lambda *a, **k: None),
        mock.patch.object(population, "staff_rows", lambda *a, **k: {}),
    ):
        yield


def generation_seconds(scale: float, *, with_requests: bool) -> tuple[float, int]:
    """Generate both nations' rows into memory (no database): seconds and rows."""
    from stagewise.synthetic import population
    from stagewise.synthetic.plan import population_plan
    from stagewise.synthetic.services import bulk_generation
    from stagewise.synthetic.writers import TABLES

    plans = population_plan(nation_codes=["scotland", "wales"], scale=scale)
    first_ids = {table.key: 1 for table in TABLES}
    with requests_left_out(not with_requests):
        rows = 0
        started = time.perf_counter()
        with bulk_generation():
            for batch, _learners in population.population_rows(
                plans, seed=SEED, as_of=date.today(), first_ids=first_ids
            ):
                rows += sum(len(table_rows) for table_rows in batch.values())
        return time.perf_counter() - started, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="stagewise_requests")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="Keep the database a run left.")
    parser.add_argument(
        "--no-generation", action="store_true", help="Skip the in-memory generation comparison."
    )
    parser.add_argument(
        "--build-only",
        choices=["with", "without"],
        help="Only build (with or without the requests) and print the time: run both, one "
        "after the other, to see what the requests add to a build under the same load.",
    )
    arguments = parser.parse_args()

    if not arguments.reuse:
        recreate_database(arguments.database)
    setup_django(arguments.database)

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from stagewise.accounts.models import User
    from stagewise.coordination.models import (
        OPEN_REQUEST_STATUSES,
        RequestForAssistance,
        RequestStatus,
    )
    from stagewise.learners.models import Enrolment
    from stagewise.organisations.models import Agency, LocalAuthority, Membership, Role
    from stagewise.synthetic.services import population_create

    if not arguments.reuse:
        call_command("migrate", verbosity=0)
        with requests_left_out(arguments.build_only == "without"):
            report = population_create(
                nation="both", scale=arguments.scale, seed=SEED, as_of=date.today()
            )
        added = sum(report.rows[key] for key in REQUEST_KEYS)
        print(
            f"Population at scale {arguments.scale}: {report.learners:,} learners, "
            f"{report.total_rows:,} rows in {report.seconds:.1f} s (writing "
            f"{report.seconds_writing:.1f} s, commit {report.seconds_committing:.1f} s, "
            f"analyse {report.seconds_analysing:.1f} s); of the rows, {added:,} "
            f"({100 * added / report.total_rows:.1f}%) are the requests' "
            + ", ".join(f"{key} {report.rows[key]:,}" for key in REQUEST_KEYS),
            flush=True,
        )
    if arguments.build_only:
        return
    if not arguments.no_generation:
        with_requests, rows_with = generation_seconds(arguments.scale, with_requests=True)
        without, rows_without = generation_seconds(arguments.scale, with_requests=False)
        print(
            f"Generating in memory: {with_requests:.1f} s for {rows_with:,} rows with the "
            f"requests, {without:.1f} s for {rows_without:,} rows without: the requests add "
            f"{with_requests - without:.1f} s of Python"
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")

    today = date.today()
    by_type = Counter(
        RequestForAssistance.objects.values_list("service__agency_type", "status").order_by()
    )
    types = sorted({kind for kind, _status in by_type})
    statuses = [status for status in RequestStatus.values if status != RequestStatus.DRAFT]
    print(f"\n{'service type':<30}" + "".join(f"{s[:11]:>12}" for s in statuses) + "  median wait")
    for kind in types:
        waits = [
            (today - since).days
            for since in RequestForAssistance.objects.filter(
                service__agency_type=kind, status=RequestStatus.WAITING_LIST
            ).values_list("waiting_since", flat=True)
        ]
        median = f"{statistics.median(waits) / 7:.1f} weeks" if waits else "-"
        print(
            f"{kind:<30}"
            + "".join(f"{by_type[(kind, status)]:>12,}" for status in statuses)
            + f"  {median}"
        )

    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    busiest = (
        Agency.objects.filter(authority=glasgow)
        .annotate(
            open=Count(
                "requests_for_assistance",
                filter=Q(requests_for_assistance__status__in=OPEN_REQUEST_STATUSES),
            )
        )
        .order_by("-open", "pk")
        .first()
    )
    assert busiest is not None
    learner_row = (
        RequestForAssistance.objects.filter(authority=glasgow)
        .values("learner")
        .annotate(n=Count("pk"))
        .order_by("-n", "learner")
        .first()
    )
    assert learner_row is not None
    enrolment = (
        Enrolment.objects.filter(learner_id=learner_row["learner"], ended_on=None)
        .select_related("learner", "setting")
        .get()
    )
    queue = RequestForAssistance.objects.filter(service=busiest)
    print(
        f"\nBusiest Glasgow service: {busiest.name}: {queue.count():,} requests, "
        f"{queue.filter(status=RequestStatus.SENT).count():,} to triage, "
        f"{queue.filter(status=RequestStatus.WAITING_LIST).count():,} waiting, "
        f"{queue.filter(status=RequestStatus.ACCEPTED, allocated_to=None).count():,} "
        f"unallocated, {Membership.objects.filter(agency=busiest).count()} practitioners"
    )
    print(f"Learner with most requests in Glasgow: {learner_row['n']} requests")

    def signed_in(email: str, name: str, **membership: object) -> Client:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if created:
            TOTP.activate(user, generate_totp_secret())
            Membership.objects.create(user=user, **membership)
        client = Client()
        client.force_login(user)
        return client

    manager = signed_in(
        MANAGER_EMAIL, "Bench Service Manager", role=Role.SERVICE_MANAGER, agency=busiest
    )
    lead = signed_in(
        LEAD_EMAIL,
        "Bench Support Lead",
        role=Role.SUPPORT_FOR_LEARNING_LEAD,
        setting=enrolment.setting,
    )
    pages = {
        "service queue (busiest)": (manager, reverse("services:queue")),
        "learner's requests": (
            lead,
            reverse("requests:list", kwargs={"learner_id": enrolment.learner.public_id}),
        ),
        "account settings": (manager, "/me/"),
    }
    queries: dict[str, int] = {}
    for label, (client, path) in pages.items():
        for _ in range(WARM_UP):
            assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries[label] = len(captured)
    timings: dict[str, list[float]] = {label: [] for label in pages}
    # In turn, so that every page sees the same machine load.
    for _ in range(arguments.requests):
        for label, (client, path) in pages.items():
            started = time.perf_counter()
            response = client.get(path)
            timings[label].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    settings_p95 = percentile(timings["account settings"], 0.95)
    print(f"\n{'page':<28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'p95/settings':>13}")
    for label, values in timings.items():
        p95 = percentile(values, 0.95)
        print(
            f"{label:<28} {statistics.median(values):8.1f} {p95:8.1f} {queries[label]:8d} "
            f"{p95 / settings_p95:13.2f}"
        )


if __name__ == "__main__":
    main()
