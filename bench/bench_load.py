"""Load and fault test: signed-in staff reading and writing through gunicorn and PostgreSQL.

    .venv/bin/python bench/bench_load.py [--users 200] [--seconds 600] [--think-seconds 10]
                                         [--workers 4] [--threads 4] [--timeout 60]
                                         [--scale 0.05] [--database stagewise_load] [--rebuild]
                                         [--client-timeout SECONDS]
                                         [--restart-postgresql-at SECONDS]
                                         [--postgresql-cluster 15/main]

1. Builds the PostgreSQL database `stagewise_load` (postgres@127.0.0.1:5432) once: migrated, the
   synthetic population of Scotland at `--scale` (seed 2026, as of today). Later runs reuse it
   (`--rebuild` starts again). Adds (idempotently) one support-for-learning lead per virtual user,
   each with an authenticator app as staff must have, spread four to a school over the schools
   with most plans, and signs each in server-side (a session made with Client.force_login; its
   cookie is all the virtual user needs, as after the sign-in and two-factor forms).
2. Collects the static files and starts gunicorn (gthread, `--workers` x `--threads`) with
   production settings on a free port on 127.0.0.1, behind which requests arrive as from the TLS
   proxy (Host and X-Forwarded-Proto headers), as docs/howto/deploy.md describes.
3. Runs `--users` virtual users for `--seconds`, started evenly over the first ten seconds. Each
   repeats: pick a page by weight (home, learner list, a learner's profile, a plan, the deadline
   board, or a write), request it, then pause `--think-seconds` on average (0: back to back). A
   write opens the chronology form of a learner at their school (a read), then posts an entry
   whose summary carries a marker unique to the run, user and attempt, with the form's one-time
   submission key (ADR 0041). A write that fails (a client time-out, a dropped connection, an
   error page) is sent again with the same key and marker, as a person pressing the button again
   would: up to 8 times, pausing longer each time, until 60 s after the run. Each request is a
   new connection with a client time-out of `--client-timeout` seconds (default `--timeout`).
4. Prints throughput and p50/p95/p99 per kind of request after the ten-second ramp-up (cold
   workers compile templates then), and errors by status and client time-outs over the whole run;
   then, with gunicorn stopped, looks every write up in the database: writes meant, acknowledged
   (a redirect after the POST), found, and sent again; acknowledged but missing, saved more than
   once, and answered as failed but saved (each must be 0).

`--restart-postgresql-at SECONDS` restarts PostgreSQL that far into the run
(`pg_ctlcluster --skip-systemctl-redirect 15 main restart`; `--postgresql-cluster` names another,
with `STAGEWISE_BENCH_POSTGRESQL=postgres://...` pointing at it) and reports the errors of requests
that overlapped the restart against those outside it, and whether requests succeed afterwards
with the same gunicorn (recovered without restarting the app).

Exits with status 1 if a write is missing, saved twice or answered as failed though saved, or the
app did not recover. Loopback only: the client shares the machine's cores with gunicorn and
PostgreSQL.
"""

import argparse
import http.client
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_clocks import percentile
from bench_pages import staff
from bench_synth import SEED, SERVER, recreate_database, setup_django
from served import (
    production_environment,
    request,
    serve,
    signed_in_cookies,
    stop_gunicorn,
)

PROJECT = Path(__file__).resolve().parent.parent
WORK_DIRECTORY = PROJECT / "var" / "bench-load"
STAFF_PER_SCHOOL = 4
LEARNERS_PER_SCHOOL = 200
PLANS_PER_SCHOOL = 50
RAMP_SECONDS = 10.0
# Kinds of visit and how often each is chosen; a write is two requests (the form, then the post).
VISITS = {
    "home": 15,
    "learner list": 20,
    "learner profile": 25,
    "plan page": 15,
    "deadline board": 10,
    "chronology write": 15,
}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_KEY_INPUT = re.compile(r'name="submission_key" value="([^"]+)"')
# A write that failed (a time-out, a dropped connection, an error page) is sent again with the
# same key, as a person pressing the button again would: after a pause that grows with each
# attempt, up to this many attempts, for at most this long after the run ends (the retries
# settle), so that every write ends acknowledged or not saved.
WRITE_ATTEMPTS = 8
RETRY_PAUSE_SECONDS = 1.0
RETRY_SETTLE_SECONDS = 60.0


@dataclass
class School:
    learner_ids: list[str]
    plan_paths: list[str]


@dataclass
class Sample:
    kind: str
    started: float
    seconds: float
    outcome: str  # "ok", an HTTP status such as "500", "time-out" or "connection error"


@dataclass
class Write:
    """One chronology entry a person meant to save, however many times it was sent."""

    marker: str
    acknowledged: bool  # the last answer was the redirect to the chronology
    outcome: str  # the last answer's outcome
    attempts: int  # 1, or more when it was sent again with the same key after a failure
    first_outcome: str


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def dataset_missing(name: str) -> bool:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return True
    with psycopg.connect(f"{SERVER}/{name}", autocommit=True) as database:
        try:
            return not database.execute("SELECT 1 FROM learners_learner LIMIT 1").fetchone()
        except psycopg.errors.UndefinedTable:
            return True


def build_dataset(arguments: argparse.Namespace) -> None:
    """The synthetic population, written by `stagewise synth` outside production settings: the
    generator refuses a production database, and gunicorn will run with production settings."""
    recreate_database(arguments.database)
    print(
        f"Generating Scotland at scale {arguments.scale} into {arguments.database}...", flush=True
    )
    subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [
            str(PROJECT / ".venv" / "bin" / "stagewise"),
            "synth",
            "--nation",
            "scotland",
            "--scale",
            str(arguments.scale),
            "--seed",
            str(SEED),
            "--no-progress",
        ],
        cwd=PROJECT,
        env={
            **os.environ,
            "STAGEWISE_ENVIRONMENT": "development",
            "STAGEWISE_DEBUG": "false",
            "DATABASE_URL": f"{SERVER}/{arguments.database}",
        },
        check=True,
    )


def prepare_database() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def production_dataset(
    arguments: argparse.Namespace, work_directory: Path, *, rebuild: bool
) -> dict[str, str]:
    """The dataset `arguments` name (`database`, `scale`), built if asked or missing, migrated,
    with Django set up in this process with the production settings gunicorn will run with, and
    the static files collected: those settings."""
    work_directory.mkdir(parents=True, exist_ok=True)
    if rebuild or dataset_missing(arguments.database):
        build_dataset(arguments)
    environment = production_environment(arguments.database, work_directory)
    os.environ.update(environment)
    setup_django(arguments.database)
    from django.core.management import call_command

    prepare_database()
    call_command("collectstatic", interactive=False, verbosity=0)
    return environment


def staff_and_schools(users: int) -> list[tuple[str, School]]:
    """(session cookie, school) for each virtual user: support-for-learning leads at the schools
    with most plans, each signed in server-side."""
    from django.conf import settings
    from django.db.models import Count

    from stagewise.learners.models import Enrolment
    from stagewise.organisations.models import Membership, Role, Setting
    from stagewise.planning.models import Plan

    school_count = -(-users // STAFF_PER_SCHOOL)
    current = Enrolment.objects.filter(ended_on__isnull=True)
    busiest = list(
        current.values("setting")
        .annotate(plans=Count("learner__plans", distinct=True))
        .order_by("-plans", "setting")
        .values_list("setting", flat=True)[:school_count]
    )
    schools: dict[int, School] = {}

    def school(setting_id: int) -> School:
        if setting_id not in schools:
            learner_ids = [
                str(public_id)
                for public_id in current.filter(setting_id=setting_id)
                .order_by("learner_id")
                .values_list("learner__public_id", flat=True)[:LEARNERS_PER_SCHOOL]
            ]
            plan_paths = [
                f"/learners/{learner_id}/plans/{plan_id}/"
                for learner_id, plan_id in Plan.objects.filter(
                    learner__enrolments__setting_id=setting_id,
                    learner__enrolments__ended_on__isnull=True,
                )
                .order_by("id")
                .values_list("learner__public_id", "public_id")[:PLANS_PER_SCHOOL]
            ]
            schools[setting_id] = School(learner_ids, plan_paths)
        return schools[setting_id]

    signed_in = []
    for number in range(users):
        user = staff(
            f"bench-load-{number:04d}@synthetic.invalid",
            f"Load Test Lead {number}",
            Role.SUPPORT_FOR_LEARNING_LEAD,
            setting=Setting.objects.get(pk=busiest[(number // STAFF_PER_SCHOOL) % len(busiest)]),
        )
        # The school the user was first given: a run with more users spreads no one anew.
        setting_id = Membership.objects.filter(user=user).values_list("setting_id", flat=True)[0]
        cookie = signed_in_cookies(user)[settings.SESSION_COOKIE_NAME]
        signed_in.append((cookie, school(setting_id)))
    return signed_in


def virtual_user(
    number: int,
    session_cookie: str,
    school: School,
    port: int,
    arguments: argparse.Namespace,
    run_id: str,
    start_at: float,
    stop_at: float,
    results: Results,
) -> None:
    from django.conf import settings

    rng = random.Random(f"{run_id}-{number}")  # noqa: S311 - a load mix, not a secret
    cookies = {settings.SESSION_COOKIE_NAME: session_cookie}
    kinds, weights = list(VISITS), list(VISITS.values())
    attempt = 0
    time.sleep(max(0.0, start_at - time.monotonic()))

    def timed(
        kind: str, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str, str]:
        started = time.monotonic()
        expected = 302 if form is not None else 200
        try:
            status, location, body = request(
                port, method, path, cookies, arguments.client_timeout, form
            )
            outcome = "ok" if status == expected else str(status)
        except TimeoutError:
            status, location, body, outcome = 0, "", "", "time-out"
        except (OSError, http.client.HTTPException):
            status, location, body, outcome = 0, "", "", "connection error"
        with results.lock:
            results.samples.append(Sample(kind, started, time.monotonic() - started, outcome))
        return status, location, body, outcome

    while time.monotonic() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        learner_id = rng.choice(school.learner_ids)
        if kind == "plan page" and not school.plan_paths:
            kind = "learner profile"
        if kind == "home":
            timed(kind, "GET", "/")
        elif kind == "learner list":
            timed(kind, "GET", "/learners/")
        elif kind == "learner profile":
            timed(kind, "GET", f"/learners/{learner_id}/")
        elif kind == "plan page":
            timed(kind, "GET", rng.choice(school.plan_paths))
        elif kind == "deadline board":
            timed(kind, "GET", "/deadlines/")
        else:
            form_path = f"/learners/{learner_id}/chronology/add/"
            _status, _location, page, outcome = timed("chronology form", "GET", form_path)
            token = CSRF_INPUT.search(page)
            key = SUBMISSION_KEY_INPUT.search(page)
            if outcome == "ok" and token and key:
                attempt += 1
                marker = f"load-{run_id}-{number:04d}-{attempt:05d}"
                today = date.today()
                form = {
                    "csrfmiddlewaretoken": token.group(1),
                    "submission_key": key.group(1),
                    "entry_type": "meeting",
                    "occurred_on_0": str(today.day),
                    "occurred_on_1": str(today.month),
                    "occurred_on_2": str(today.year),
                    "summary": f"{marker} Load test: a meeting with the family.",
                    "source": "Load test",
                }
                sent, first_outcome = 0, ""
                while True:
                    sent += 1
                    _status, location, _body, outcome = timed(
                        "chronology write" if sent == 1 else "chronology write again",
                        "POST",
                        form_path,
                        form,
                    )
                    first_outcome = first_outcome or outcome
                    acknowledged = outcome == "ok" and location.endswith("/chronology/")
                    if (
                        acknowledged
                        or sent >= WRITE_ATTEMPTS
                        or time.monotonic() >= stop_at + RETRY_SETTLE_SECONDS
                    ):
                        break
                    time.sleep(RETRY_PAUSE_SECONDS * sent * rng.uniform(0.5, 1.5))
                with results.lock:
                    results.writes.append(Write(marker, acknowledged, outcome, sent, first_outcome))
        pause = rng.uniform(0.5, 1.5) * arguments.think_seconds
        time.sleep(max(0.0, min(pause, stop_at - time.monotonic())))


def restart_postgresql(at: float, window: dict[str, float], cluster: str) -> None:
    time.sleep(max(0.0, at - time.monotonic()))
    window["start"] = time.monotonic()
    version, name = cluster.split("/")
    completed = subprocess.run(  # noqa: S603 - pg_ctlcluster with the cluster asked for
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],  # noqa: S607
        capture_output=True,
        text=True,
    )
    window["end"] = time.monotonic()
    if completed.returncode:
        print(f"PostgreSQL restart failed: {completed.stderr.strip()}", file=sys.stderr)


def report_requests(results: Results, began: float, seconds: float) -> None:
    """Timings and throughput after the ramp-up (cold workers compile templates then); errors and
    time-outs over the whole run."""
    settled = began + RAMP_SECONDS
    samples = [sample for sample in results.samples if sample.started >= settled]
    all_errors = Counter(sample.outcome for sample in results.samples if sample.outcome != "ok")
    measured = seconds - RAMP_SECONDS
    print(
        f"\nAfter the {RAMP_SECONDS:.0f} s ramp-up: {len(samples):,} requests in {measured:.0f} s, "
        f"{len(samples) / measured:.1f} requests/s"
    )

    def row(label: str, group: list[Sample]) -> None:
        timings = [sample.seconds * 1000 for sample in group]
        errors = sum(sample.outcome != "ok" for sample in group)
        print(
            f"{label:<18} {len(group):>8,} {percentile(timings, 0.5):8.0f} "
            f"{percentile(timings, 0.95):8.0f} {percentile(timings, 0.99):8.0f} {errors:>7,}"
        )

    print(f"\n{'kind':<18} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind in [*VISITS, "chronology form", "chronology write again"]:
        of_kind = [sample for sample in samples if sample.kind == kind]
        if of_kind:
            row(kind, of_kind)
    if samples:
        row("all", samples)
    print(
        f"whole run: {len(results.samples):,} requests, errors by outcome "
        f"{dict(all_errors) or 'none'}, client time-outs {all_errors['time-out']}"
    )


def report_restart(results: Results, window: dict[str, float], gunicorn_alive: bool) -> bool:
    if "end" not in window:
        print("\nPostgreSQL was not restarted (the run ended first).")
        return False
    start, end = window["start"], window["end"]
    inside = [s for s in results.samples if s.started < end and s.started + s.seconds > start]
    before = [s for s in results.samples if s.started + s.seconds <= start]
    after = [s for s in results.samples if s.started >= end]
    failed_after = [s for s in after if s.outcome != "ok"]
    print(
        f"\nPostgreSQL restart: {end - start:.1f} s, "
        f"from {start - window['began']:.0f} s into the run"
    )
    for label, group in (
        ("overlapping the restart", inside),
        ("before it", before),
        ("after it", after),
    ):
        errors = Counter(s.outcome for s in group if s.outcome != "ok")
        print(f"  {label:<24} {len(group):>7,} requests, errors {dict(errors) or 'none'}")
    if failed_after:
        last = max(s.started for s in failed_after)
        print(f"  last failed request started {last - end:.1f} s after the restart finished")
    recovered = gunicorn_alive and any(s.outcome == "ok" for s in after) and not failed_after
    print(
        f"  recovered without restarting the app: {'yes' if recovered else 'NO'} "
        f"(same gunicorn still running: {'yes' if gunicorn_alive else 'no'}; "
        f"{sum(s.outcome == 'ok' for s in after):,} successful requests after)"
    )
    return recovered


def report_writes(results: Results, run_id: str) -> int:
    """Every write the person meant, against what the database holds; how many are wrong (an
    acknowledged write missing, a write saved twice, or one answered as failed though saved)."""
    from django.db import connection

    from stagewise.learners.models import ChronologyEntry

    connection.close()  # the bench's own connection may predate a PostgreSQL restart
    saved = Counter(
        summary.split(" ", 1)[0]
        for summary in ChronologyEntry.objects.filter(
            summary__startswith=f"load-{run_id}-"
        ).values_list("summary", flat=True)
    )
    writes = results.writes
    acknowledged = {write.marker for write in writes if write.acknowledged}
    unacknowledged = {write.marker for write in writes if not write.acknowledged}
    sent_again = [write for write in writes if write.attempts > 1]
    missing = acknowledged - set(saved)
    failed_but_saved = unacknowledged & set(saved)
    twice = [marker for marker, count in saved.items() if count > 1]
    first_failures = Counter(write.first_outcome for write in sent_again)
    print(
        f"\nwrites: {len(writes):,} meant, {len(acknowledged):,} acknowledged, "
        f"{len(set(saved) & {write.marker for write in writes}):,} found in the database"
    )
    print(
        f"  sent again with the same key after a failure: {len(sent_again):,} "
        f"(first answers {dict(first_failures) or 'none'}), "
        f"{sum(write.acknowledged for write in sent_again):,} of them then acknowledged"
    )
    print(f"  acknowledged but missing from the database: {len(missing)} (must be 0)")
    print(f"  saved more than once:                       {len(twice)} (must be 0)")
    print(f"  answered as failed but saved:               {len(failed_but_saved)} (must be 0)")
    print(f"  never acknowledged, not saved:              {len(unacknowledged - set(saved))}")
    return len(missing) + len(twice) + len(failed_but_saved)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument(
        "--think-seconds",
        type=float,
        default=10.0,
        help="Mean pause between visits (ADR 0035, amended); 1: a saturation run; 0: none.",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2 per core).")
    parser.add_argument("--threads", type=int, default=4, help="Threads per gunicorn worker.")
    parser.add_argument("--timeout", type=float, default=60, help="Client and worker time-out.")
    parser.add_argument(
        "--client-timeout",
        type=float,
        help="How long a virtual user waits for an answer (default --timeout); shorter than the "
        "server takes, it gives up on writes the server then saves, as an impatient person does.",
    )
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--database", default="stagewise_load")
    parser.add_argument("--rebuild", action="store_true", help="Drop and rebuild the dataset.")
    parser.add_argument("--restart-postgresql-at", type=float, metavar="SECONDS")
    parser.add_argument(
        "--postgresql-cluster",
        default="15/main",
        help="VERSION/NAME of the cluster --restart-postgresql-at restarts (pg_ctlcluster); it "
        "must be the server STAGEWISE_BENCH_POSTGRESQL names (default 127.0.0.1:5432).",
    )
    arguments = parser.parse_args()
    if arguments.client_timeout is None:
        arguments.client_timeout = arguments.timeout
    restart_at = arguments.restart_postgresql_at
    if restart_at is not None and not 0 <= restart_at < arguments.seconds:
        parser.error("--restart-postgresql-at must fall within the run (0 to --seconds).")

    environment = production_dataset(arguments, WORK_DIRECTORY, rebuild=arguments.rebuild)
    from django.db import connections

    signed_in = staff_and_schools(arguments.users)
    connections.close_all()

    port, server = serve(arguments, environment, WORK_DIRECTORY)
    run_id = time.strftime("%Y%m%d%H%M%S") + uuid.uuid4().hex[:6]
    print(
        f"Run {run_id}: {arguments.users} users for {arguments.seconds:.0f} s "
        f"(think {arguments.think_seconds} s) against gunicorn {arguments.workers} workers x "
        f"{arguments.threads} threads on 127.0.0.1:{port}, database {arguments.database}",
        flush=True,
    )
    results = Results()
    began = time.monotonic()
    stop_at = began + arguments.seconds
    window: dict[str, float] = {"began": began}
    threads = [
        threading.Thread(
            target=virtual_user,
            args=(number, cookie, school, port, arguments, run_id),
            kwargs={
                "start_at": began + RAMP_SECONDS * number / arguments.users,
                "stop_at": stop_at,
                "results": results,
            },
            daemon=True,
        )
        for number, (cookie, school) in enumerate(signed_in)
    ]
    if arguments.restart_postgresql_at is not None:
        threads.append(
            threading.Thread(
                target=restart_postgresql,
                args=(
                    began + arguments.restart_postgresql_at,
                    window,
                    arguments.postgresql_cluster,
                ),
                daemon=True,
            )
        )
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gunicorn_alive = stop_gunicorn(server)
    elapsed = time.monotonic() - began

    report_requests(results, began, elapsed)
    recovered = True
    if arguments.restart_postgresql_at is not None:
        recovered = report_restart(results, window, gunicorn_alive)
    wrong = report_writes(results, run_id)
    print(f"\ngunicorn's log: {WORK_DIRECTORY / 'gunicorn.log'}")
    if wrong or not recovered:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
