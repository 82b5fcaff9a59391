"""Statutory clocks at national scale: the daily deadline sweep over both nations, and the Glasgow
authority officer's home page (their work queue) against the account settings page.

    .venv/bin/python bench/bench_clocks.py [--database stagewise_clocks] [--requests 100] [--reuse]

1. Drops and re-creates the PostgreSQL database (postgres@127.0.0.1:5432), migrates it and writes
   the synthetic population of Scotland and Wales at scale 1.0 (seed 2026, as of today, so that
   open clocks fall due around today), with its plans and statutory clocks. `--reuse` keeps a
   database an earlier run left.
2. Times one deadline sweep (`manage.py deadline_sweep`: dates set once calendars are loaded,
   the calendar-needed notices, reminders at each rule's lead times, overdue notices, families
   told of changed dates, the email digests on the locmem backend) as Stagewise runs it, then a
   second sweep straight after, which must send nothing twice. Target: the first under 60 s.
3. Adds (idempotently) a local authority officer for Glasgow City with an authenticator app, then
   requests, through django.test.Client with force_login (middleware, views, templates and audit
   writes; no network), `/` (the officer's work queue) and `/me/` (account settings) alternately,
   `--requests` times each after warm-up, and prints p50 and p95 in milliseconds, the queries one
   request makes and the ratio of the p95s. Target: the home page's p95 within 3x the settings
   page's.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_synth import SEED, recreate_database, setup_django

WARM_UP = 10
OFFICER_EMAIL = "bench-clocks-officer@synthetic.invalid"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _people_who_act(user_model, membership_model, role) -> int:  # type: ignore[no-untyped-def]
    """A support-for-learning lead in every school, an officer in every authority and a
    practitioner in every agency (the synthetic population has learners, not staff), so that the
    sweep has the people it reminds. Idempotent: skipped when they are already there."""
    from django.db import transaction

    from stagewise.organisations.models import Agency, LocalAuthority, Setting

    if user_model.objects.filter(email__endswith="@staff.synthetic.invalid").exists():
        return 0
    people = []
    for setting_id in Setting.objects.values_list("pk", flat=True):
        people.append(
            (f"lead-{setting_id}", role.SUPPORT_FOR_LEARNING_LEAD, {"setting_id": setting_id})
        )
    for authority_id in LocalAuthority.objects.values_list("pk", flat=True):
        people.append(
            (
                f"officer-{authority_id}",
                role.LOCAL_AUTHORITY_OFFICER,
                {"authority_id": authority_id},
            )
        )
    for agency_id in Agency.objects.values_list("pk", flat=True):
        people.append((f"agency-{agency_id}", role.AGENCY_PRACTITIONER, {"agency_id": agency_id}))
    with transaction.atomic():
        users = user_model.objects.bulk_create(
            user_model(email=f"{name}@staff.synthetic.invalid", full_name=name.title())
            for name, _role, _where in people
        )
        membership_model.objects.bulk_create(
            membership_model(user=user, role=held, started_on=date(2020, 8, 1), **where)
            for user, (_name, held, where) in zip(users, people, strict=True)
        )
    return len(people)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="stagewise_clocks")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="Keep the database a run left.")
    arguments = parser.parse_args()

    if not arguments.reuse:
        recreate_database(arguments.database)
    # Email goes to memory: the benchmark times composing and handing over the digests.
    os.environ["STAGEWISE_EMAIL_HOST"] = ""
    setup_django(arguments.database)

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from stagewise.accounts.models import User
    from stagewise.organisations.models import LocalAuthority, Membership, Role
    from stagewise.statutory.models import OPEN_PROCESS_STATUSES, StatutoryProcess
    from stagewise.synthetic.services import population_create

    if not arguments.reuse:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        report = population_create(nation="both", scale=1.0, seed=SEED, as_of=date.today())
        print(
            f"Population: {report.learners:,} learners written in "
            f"{time.perf_counter() - started:.1f} s"
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    open_clocks = StatutoryProcess.objects.filter(status__in=OPEN_PROCESS_STATUSES)
    print(
        f"Open statutory clocks: {open_clocks.count():,} "
        f"(Scotland {open_clocks.filter(authority__nation__code='scotland').count():,}, "
        f"Wales {open_clocks.filter(authority__nation__code='wales').count():,})"
    )

    staff_added = _people_who_act(User, Membership, Role)
    print(f"Staff in post added for the sweep to remind: {staff_added:,}")

    # Stagewise sends through MAILERS (settings.py): the digests go to memory, not the console.
    locmem = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with override_settings(MAILERS=locmem):
        for label in ("first sweep", "second sweep"):
            started = time.perf_counter()
            call_command("deadline_sweep", verbosity=1)
            print(f"{label}: {time.perf_counter() - started:.1f} s (target: under 60 s)")

    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    officer, created = User.objects.get_or_create(
        email=OFFICER_EMAIL, defaults={"full_name": "Bench Clocks Officer"}
    )
    if created:
        TOTP.activate(officer, generate_totp_secret())
        Membership.objects.create(
            user=officer, role=Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow
        )
    client = Client()
    client.force_login(officer)
    pages = {"home (work queue)": "/", "account settings": "/me/"}
    queries: dict[str, int] = {}
    for label, path in pages.items():
        for _ in range(WARM_UP):
            assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries[label] = len(captured)
    timings: dict[str, list[float]] = {label: [] for label in pages}
    # Alternate the two pages so that both see the same machine load.
    for _ in range(arguments.requests):
        for label, path in pages.items():
            started = time.perf_counter()
            response = client.get(path)
            timings[label].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    print(f"\n{'page':<28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, values in timings.items():
        print(
            f"{label:<28} {statistics.median(values):8.1f} {percentile(values, 0.95):8.1f} "
            f"{queries[label]:8d}"
        )
    ratio = percentile(timings["home (work queue)"], 0.95) / percentile(
        timings["account settings"], 0.95
    )
    print(f"home p95 / settings p95: {ratio:.2f} (target: at most 3)")


if __name__ == "__main__":
    main()
