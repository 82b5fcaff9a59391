"""Learner list and profile page timings on the national dataset, measured in-process.

    .venv/bin/python bench/bench_pages.py [--database stagewise_bench] [--requests 200]

Run bench/bench_synth.py first: it leaves Scotland at scale 1.0 in `stagewise_bench`. This adds two
staff users (idempotently): a local authority officer for Glasgow City and a support-for-learning
lead at Glasgow's largest synthetic secondary school, each with an authenticator app as staff must
have. It then requests, through django.test.Client with force_login (the whole middleware stack,
views, templates and audit writes, but no network or web server):

- /learners/ (the default first page of the list) as each of them, `--requests` times;
- /learners/<public_id>/ for `--requests` different learners each can see.

The learner, enrolment and setting tables are vacuumed first, as a live database would be. After
10 warm-up requests per page it prints p50, p95 and mean in milliseconds, and the number of
queries one request makes.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stagewise.accounts.models import User
    from stagewise.organisations.models import LocalAuthority, Setting

PROJECT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
WARM_UP = 10
OFFICER_EMAIL = "bench-officer@synthetic.invalid"
SUPPORT_LEAD_EMAIL = "bench-support-lead@synthetic.invalid"


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ["STAGEWISE_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagewise.settings")
    sys.path.insert(0, str(PROJECT / "src"))
    import django

    django.setup()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def staff(email: str, full_name: str, role: str, **organisation: object) -> "User":
    """A staff user with an authenticator app, as staff must have, and one membership; made once,
    found again on later runs."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from stagewise.accounts.models import User
    from stagewise.organisations.models import Membership

    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created:
        TOTP.activate(user, generate_totp_secret())
        Membership.objects.create(user=user, role=role, **organisation)
    return user


@dataclass(frozen=True)
class BenchStaff:
    officer: "User"
    support_lead: "User"
    authority: "LocalAuthority"
    school: "Setting"


def bench_staff() -> BenchStaff:
    """The officer for Glasgow City and the support-for-learning lead at Glasgow's largest
    synthetic secondary school (added on the first run, found again after)."""
    from django.db.models import Count, Q

    from stagewise.organisations.models import LocalAuthority, Role, Setting

    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    school = (
        Setting.objects.filter(authority=glasgow, setting_type="secondary")
        .annotate(learners=Count("enrolments", filter=Q(enrolments__ended_on__isnull=True)))
        .order_by("-learners", "pk")
        .first()
    )
    if school is None:
        raise SystemExit("No synthetic Glasgow schools: build the synthetic population first.")
    officer = staff(OFFICER_EMAIL, "Bench Officer", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow)
    support_lead = staff(
        SUPPORT_LEAD_EMAIL, "Bench Support Lead", Role.SUPPORT_FOR_LEARNING_LEAD, setting=school
    )
    return BenchStaff(officer, support_lead, glasgow, school)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="stagewise_bench")
    parser.add_argument("--requests", type=int, default=200)
    arguments = parser.parse_args()
    setup_django(arguments.database)

    from django.db import connection
    from django.test import Client

    from stagewise.accounts.models import User
    from stagewise.learners.models import Enrolment

    # A freshly loaded table has no visibility map or hint bits yet, so the first reads write; a
    # live database is vacuumed, so measure a settled one.
    with connection.cursor() as cursor:
        for table in ("learners_learner", "learners_enrolment", "organisations_setting"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")

    people = bench_staff()
    officer, support_lead, glasgow, school = (
        people.officer,
        people.support_lead,
        people.authority,
        people.school,
    )

    current = Enrolment.objects.filter(ended_on__isnull=True)
    rng = random.Random(2026)  # noqa: S311 - choosing which learners to open, not a secret
    glasgow_ids = list(
        current.filter(setting__authority=glasgow).values_list("learner__public_id", flat=True)
    )
    school_ids = list(current.filter(setting=school).values_list("learner__public_id", flat=True))
    print(
        f"Glasgow City: {len(glasgow_ids):,} current learners; {school.name}: "
        f"{len(school_ids):,} learners. {arguments.requests} requests per page after "
        f"{WARM_UP} warm-up requests."
    )

    def measure(user: User, paths: list[str]) -> tuple[list[float], int]:
        client = Client()
        client.force_login(user)
        for path in paths[:WARM_UP]:
            assert client.get(path).status_code == 200, path
        queries: list[str] = []

        def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            assert client.get(paths[0]).status_code == 200
        timings = []
        for path in paths[: arguments.requests]:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        return timings, len(queries)

    def profiles(public_ids: list) -> list[str]:
        chosen = rng.sample(public_ids, min(len(public_ids), arguments.requests))
        while len(chosen) < arguments.requests:
            chosen.append(rng.choice(public_ids))
        return [f"/learners/{public_id}/" for public_id in chosen]

    def deep_page(user: User, turns: int) -> str:
        """The list's address after following its "next" link `turns` times: pages are turned
        by cursor (stagewise/keyset.py), so a deep page has no number to ask for."""
        client = Client()
        client.force_login(user)
        path = "/learners/"
        for _turn in range(turns):
            found = re.search(r'href="(\?[^"]*)" rel="next"', client.get(path).content.decode())
            if not found:
                break
            path = "/learners/" + found.group(1).replace("&amp;", "&")
        return path

    list_paths = ["/learners/"] * max(arguments.requests, WARM_UP)
    repeated = max(arguments.requests, WARM_UP)
    pages = [
        ("learner list, authority officer (Glasgow)", officer, list_paths),
        ("learner list, officer, 100th page", officer, [deep_page(officer, 99)] * repeated),
        ("learner list, officer, search 'smith'", officer, ["/learners/?name=smith"] * repeated),
        ("learner list, support-for-learning lead", support_lead, list_paths),
        ("learner list, lead, 40th page", support_lead, [deep_page(support_lead, 39)] * repeated),
        ("learner profile, authority officer", officer, profiles(glasgow_ids)),
        ("learner profile, support-for-learning lead", support_lead, profiles(school_ids)),
    ]
    print(f"\n{'page':<46} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'queries':>8}")
    for label, user, paths in pages:
        timings, query_count = measure(user, paths)
        print(
            f"{label:<46} {statistics.median(timings):8.1f} {percentile(timings, 0.95):8.1f} "
            f"{statistics.fmean(timings):8.1f} {query_count:8d}"
        )


if __name__ == "__main__":
    main()
