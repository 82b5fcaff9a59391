"""Issue 13's page table in one run: each page against a trivial signed-in view, over HTTP
through gunicorn on the national dataset.

    .venv/bin/python bench/bench_national_pages.py [--scale 1.0] [--reuse]
                                                   [--database stagewise_national_pages]
                                                   [--rounds 100] [--warm-up-rounds 5]
                                                   [--workers 2] [--threads 1]

1. Builds the PostgreSQL database `--database` (postgres@127.0.0.1:5432) with `stagewise synth`:
   migrated, Scotland at `--scale` (1.0: about 702,000 learners; seed 2026). `--reuse` keeps a
   database an earlier run left (it is built anyway if it holds no learners).
2. Adds, idempotently, the staff of bench/bench_pages.py: a local authority officer for Glasgow
   City and a support-for-learning lead at Glasgow's largest synthetic secondary, each with an
   authenticator app; and, through the planning services as the lead, one learner's
   individualised educational programme with 20 targets (as bench/bench_plans.py builds it).
   Then `VACUUM ANALYZE` of the whole database, as a live database would be.
3. Counts the queries one request of each page makes, in-process (django.test.Client): gunicorn's
   workers cannot be counted from outside.
4. Starts gunicorn with production settings (`--workers` x `--threads`, as bench/bench_load.py
   does) and signs each user in server-side (a session made with force_login, as after the
   sign-in and two-factor forms; its cookie is all the client sends).
   The officer's last page: keyset pages have no numbers and no "last" link (ADR 0031), so the
   deepest page reachable is the one following "next" to the end arrives at. The bench follows
   the list's cursors in-process (the view's selector, order and signing: the same addresses);
   `--walk-over-http` also follows the links through gunicorn and checks it ends there too.
5. Requests every page once per round, in an order shuffled each round, for `--warm-up-rounds`
   unrecorded then `--rounds` recorded rounds, one request at a time on a new connection: load on
   the machine drifts over all pages alike. Prints a markdown table: p50, p95 and p99 in
   milliseconds, queries, and each page's p50 over the trivial signed-in view's (`/me/` as the
   same user), against issue 13's goal of 3x; with the anonymous sign-in page for reference, and
   the load average before and after.

Exits with status 1 if a page missed the goal or answered other than 200.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_clocks import percentile
from bench_load import production_dataset
from bench_pages import bench_staff
from bench_plans import plan_with_targets
from served import (
    HOST,
    PROJECT,
    request,
    serve,
    signed_in_cookies,
    stop_gunicorn,
)

if TYPE_CHECKING:
    from stagewise.accounts.models import User
    from stagewise.organisations.models import Setting
    from stagewise.planning.models import Plan

WORK_DIRECTORY = PROJECT / "var" / "bench-national-pages"
GOAL = 3.0
PLAN_TARGETS = 20
SEARCH = "smith"
LEARNER_LIST_SALT = "learners:list"  # as learner_list_view signs its cursors
NEXT_LINK = re.compile(r'href="(\?[^"]*)" rel="next"')


@dataclass
class Page:
    label: str
    user: "User | None"  # None: anonymous
    paths: list[str]  # taken in turn, round by round
    baseline: str | None = None  # the label of the trivial view it is measured against
    timings: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    queries: int | None = None

    def path(self, round_number: int) -> str:
        return self.paths[round_number % len(self.paths)]


def bench_plan(lead: "User", school: "Setting") -> "Plan":
    """The lead's plan with PLAN_TARGETS targets, for the first learner of their school; made
    through the planning services on the first run, found again after."""
    from stagewise.learners.models import Learner
    from stagewise.planning.models import Plan
    from stagewise.testing.plans import acting

    plan = Plan.objects.filter(created_by=lead).order_by("pk").first()
    if plan is not None:
        return plan
    learner = (
        Learner.objects.filter(enrolments__setting=school, enrolments__ended_on__isnull=True)
        .order_by("pk")
        .first()
    )
    if learner is None:
        raise SystemExit("The lead's school has no learners.")
    return plan_with_targets(acting(lead), learner, PLAN_TARGETS)


def profile_paths(school_id: int, count: int) -> list[str]:
    """Profiles of `count` learners of the school, chosen with a fixed seed."""
    from stagewise.learners.models import Enrolment

    public_ids = list(
        Enrolment.objects.filter(setting_id=school_id, ended_on__isnull=True)
        .order_by("learner_id")
        .values_list("learner__public_id", flat=True)
    )
    rng = random.Random(2026)  # noqa: S311 - which learners to open, not a secret
    chosen = rng.sample(public_ids, min(count, len(public_ids)))
    return [f"/learners/{public_id}/" for public_id in chosen]


def vacuum_analyse() -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(f"VACUUM ANALYZE: {time.perf_counter() - started:.0f} s", flush=True)


def count_queries(page: Page) -> int:
    """The queries one request of the page makes, in-process; it must answer 200."""
    from django.db import connection
    from django.test import Client

    client = Client(headers={"host": HOST})
    if page.user is not None:
        client.force_login(page.user)
    client.get(page.paths[0], secure=True)  # warm: first-request caches are not the page's
    queries: list[str] = []

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper, not CaptureQueriesContext: the request's start empties the query log.
    with connection.execute_wrapper(counted):
        response = client.get(page.paths[0], secure=True)
    if response.status_code != 200:
        raise SystemExit(f"{page.label}: {page.paths[0]} answered {response.status_code}")
    return len(queries)


def last_page_path(user: "User") -> tuple[str, int]:
    """The address of the last page of the user's learner list, and its number, found as the
    "next" links find it (the list's own selector, order and cursors) but in-process: one
    query a page, instead of a request with its count, audit write and template."""
    from django.conf import settings
    from django.template.defaultfilters import urlencode

    from stagewise.accounts.actors import actors_for
    from stagewise.keyset import keyset_page
    from stagewise.learners.selectors import (
        LearnerFilters,
        learner_list,
        learner_list_order,
        learner_list_scopes,
    )

    actor = actors_for(user)[0]
    filters = LearnerFilters(scope=learner_list_scopes(actor)[0])
    learners = learner_list(actor=actor, filters=filters)
    path, cursor, number = "/learners/", None, 1
    while True:
        page = keyset_page(
            learners,
            order=learner_list_order(filters),
            cursor=cursor,
            per_page=settings.LEARNER_LIST_PAGE_SIZE,
            salt=LEARNER_LIST_SALT,
        )
        if not page.has_next:
            return path, number
        cursor, number = page.next_cursor, number + 1
        path = f"/learners/?cursor={urlencode(cursor)}"


def cursor_position(path: str) -> object:
    """What a list address's cursor says (its signature carries the time it was made)."""
    from django.core import signing

    cursor = parse_qs(urlsplit(path).query).get("cursor", [""])[0]
    return signing.loads(cursor, salt=LEARNER_LIST_SALT) if cursor else None


def walk_to_last_page(port: int, cookies: dict[str, str], timeout: float) -> str:
    """Follow the learner list's "next" link over HTTP from its first page until there is none:
    the last page's address (slow at national size: each page counts and is audited)."""
    path = "/learners/"
    while True:
        status, _location, body = request(port, "GET", path, cookies, timeout)
        if status != 200:
            raise SystemExit(f"Walking the officer's list: {path} answered {status}")
        found = NEXT_LINK.search(body)
        if not found:
            return path
        path = "/learners/" + found.group(1).replace("&amp;", "&")


def run_rounds(
    pages: list[Page],
    send: Callable[[Page, int], tuple[int, float]],
    warm_up: int,
    rounds: int,
) -> None:
    rng = random.Random(2026)  # noqa: S311 - the order of requests, not a secret
    for round_number in range(warm_up + rounds):
        order = pages[:]
        rng.shuffle(order)
        for page in order:
            status, milliseconds = send(page, round_number)
            if round_number < warm_up:
                continue
            page.timings.append(milliseconds)
            if status != 200:
                page.failures.append(f"{page.path(round_number)} answered {status}")


def report(pages: list[Page], by_label: dict[str, Page]) -> bool:
    """The markdown table; whether every page met the goal."""
    print(
        "\n| page | p50 ms | p95 ms | p99 ms | queries | p50 / trivial view p50 | goal | met |"
        "\n|---|---|---|---|---|---|---|---|"
    )
    all_met = True
    for page in pages:
        p50 = statistics.median(page.timings)
        cells = [
            page.label,
            f"{p50:.1f}",
            f"{percentile(page.timings, 0.95):.1f}",
            f"{percentile(page.timings, 0.99):.1f}",
            "" if page.queries is None else str(page.queries),
        ]
        if page.baseline is None:
            cells += ["", "reference", ""]
        else:
            ratio = p50 / statistics.median(by_label[page.baseline].timings)
            met = ratio <= GOAL and not page.failures
            all_met = all_met and met
            cells += [f"{ratio:.1f}x", f"within {GOAL:.0f}x", "yes" if met else "**no**"]
        print("| " + " | ".join(cells) + " |")
    for page in pages:
        for failure in sorted(set(page.failures)):
            print(f"{page.label}: {failure} ({page.failures.count(failure)} times)")
            all_met = False
    return all_met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", default="stagewise_national_pages")
    parser.add_argument("--reuse", action="store_true", help="Keep the dataset a run left.")
    parser.add_argument("--rounds", type=int, default=100, help="Recorded requests per page.")
    parser.add_argument("--warm-up-rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--threads", type=int, default=1, help="Threads per gunicorn worker.")
    parser.add_argument(
        "--walk-over-http",
        action="store_true",
        help="Also follow the officer's 'next' links over HTTP to the end, and check that they "
        "reach the same last page.",
    )
    parser.add_argument("--timeout", type=float, default=120, help="Client and worker time-out.")
    arguments = parser.parse_args()

    environment = production_dataset(arguments, WORK_DIRECTORY, rebuild=not arguments.reuse)
    from django.db import connections
    from django.urls import reverse

    from stagewise.learners.models import Enrolment, Learner

    people = bench_staff()
    officer, lead = people.officer, people.support_lead
    plan = bench_plan(lead, people.school)
    vacuum_analyse()

    current = Enrolment.objects.filter(ended_on__isnull=True)
    officer_learners = current.filter(setting__authority=people.authority).count()
    lead_learners = current.filter(setting=people.school).count()
    print(
        f"Scotland at scale {arguments.scale} in {arguments.database}: "
        f"{Learner.objects.count():,} learners; Glasgow City {officer_learners:,} current; "
        f"{people.school.name} {lead_learners:,}; the plan has {plan.targets.count()} targets",
        flush=True,
    )
    last_path, last_number = last_page_path(officer)
    plan_path = f"/learners/{plan.learner.public_id}/plans/{plan.public_id}/"
    trivial = reverse("accounts:settings")
    pages = [
        Page("anonymous sign-in page", None, [reverse("account_login")]),
        Page(f"trivial signed-in view (`{trivial}`), officer", officer, [trivial]),
        Page(f"trivial signed-in view (`{trivial}`), lead", lead, [trivial]),
        Page(
            "learner profile (lead, a different learner each round)",
            lead,
            profile_paths(people.school.pk, arguments.rounds + arguments.warm_up_rounds),
        ),
        Page(f"plan page ({PLAN_TARGETS} targets, lead)", lead, [plan_path]),
        Page(f"learner list, Glasgow officer ({officer_learners:,})", officer, ["/learners/"]),
        Page(f"Glasgow officer, last page (page {last_number:,}, by cursor)", officer, [last_path]),
        Page(f"learner list, support-for-learning lead ({lead_learners:,})", lead, ["/learners/"]),
        Page(f"name search '{SEARCH}', Glasgow officer", officer, [f"/learners/?name={SEARCH}"]),
    ]
    for page in pages[3:]:
        page.baseline = pages[1 if page.user == officer else 2].label
    for page in pages:
        page.queries = count_queries(page)
    connections.close_all()

    port, server = serve(arguments, environment, WORK_DIRECTORY)
    try:
        cookies: dict[Any, dict[str, str]] = {None: {}}
        for user in (officer, lead):
            cookies[user.pk] = signed_in_cookies(user)
        connections.close_all()
        if arguments.walk_over_http:
            walked = walk_to_last_page(port, cookies[officer.pk], arguments.timeout)
            if cursor_position(walked) != cursor_position(last_path):
                raise SystemExit(f"The walk over HTTP ended at {walked}, not {last_path}")
            print(f"The walk over HTTP ends on the same last page ({last_number:,}).", flush=True)

        def send(page: Page, round_number: int) -> tuple[int, float]:
            jar = cookies[page.user.pk if page.user else None]
            started = time.perf_counter()
            status, _location, _body = request(
                port, "GET", page.path(round_number), jar, arguments.timeout
            )
            return status, (time.perf_counter() - started) * 1000

        load_before = os.getloadavg()
        print(
            f"{arguments.warm_up_rounds} warm-up and {arguments.rounds} recorded rounds of "
            f"{len(pages)} pages, gunicorn {arguments.workers} workers x {arguments.threads} "
            f"threads; load average {load_before[0]:.1f} {load_before[1]:.1f} "
            f"{load_before[2]:.1f}",
            flush=True,
        )
        rounds_started = time.perf_counter()
        run_rounds(pages, send, arguments.warm_up_rounds, arguments.rounds)
        load_after = os.getloadavg()
    finally:
        stop_gunicorn(server)
    print(
        f"Rounds took {time.perf_counter() - rounds_started:.0f} s; load average after "
        f"{load_after[0]:.1f} {load_after[1]:.1f} {load_after[2]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    met = report(pages, {page.label: page for page in pages})
    print(
        f"\nEvery page within {GOAL:.0f}x of the trivial signed-in view: {'yes' if met else 'NO'}"
    )
    if not met:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
